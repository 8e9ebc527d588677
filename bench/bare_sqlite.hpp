// The physical limit: plain SQLite C calls on casereview's own schema and durability
// settings (WAL, synchronous=FULL), with none of the engine's work.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "casereview/store.hpp"

namespace casereview::bench {

// Writes the same rows as `transactions` (one SQLite transaction each): the review row and
// its summary row, a new child death review's NHS number (notified_deaths), its events, its new, moved and cancelled timers, the fired timer, the
// notices. Only writes: which timers are new or gone is known from memory, never read back.
// Returns seconds.
// REQUIRES: `path` holds a casereview schema with the workload's board and no reviews.
double BareReplay(const std::string& path, const std::vector<std::vector<ReviewChange>>& transactions);

// Reads every row of reviews and review_events (every column), as a cold start must at
// least do. Returns seconds; `rows` is set to the number of rows read.
double BareReadAll(const std::string& path, std::int64_t& rows);

// Adds `reviews` placeholder reviews (closed, no events) with `per_review` pending timers
// each, due from `first_due` on, spread over two years, in one transaction.
void BulkTimers(const std::string& path, std::int64_t reviews, int per_review, Instant first_due);

// Makes each of `timers` due at `due` (the benchmark's way to have some fall due now).
// Returns how many rows changed.
std::int64_t BareMoveDue(const std::string& path, const std::vector<Timer>& timers, Instant due);

}  // namespace casereview::bench

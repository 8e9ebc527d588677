// Rebuilt reviews an Engine keeps between commands, so that a command on a review whose log
// has not moved since this engine last rebuilt or committed it needs no replay (no log read,
// no JSON parse, no dispatch of every past event). Private to engine/.
//
// Several engines (processes, one day several servers on one database) may write the same
// review. An entry is only ever used for the stored record it was kept for: same last_seq,
// same updated_at, same calendar. The store's Commit checks expected_last_seq inside its
// transaction, so a review moved on by someone else between the read and the commit is a
// Conflict and nothing is written; the caller then reads again and replays.
//
// Thread safety: none; one per Engine, and an Engine is used from one thread at a time.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "casereview/store.hpp"
#include "replay.hpp"

namespace casereview {

// What the engine last committed of a review's deadlines: its timers, and the read model's
// deadlines as `text`, both made at the deadlines' `revision` (DeadlineTracker::revision). While
// the revision has not moved, the next commit writes the same text and leaves the timers alone.
struct DeadlinesWritten {
  std::uint64_t revision = 0;
  DeadlinesText text;
};

class ReviewCache {
 public:
  // At most `capacity` reviews are kept; the least recently used goes first. A few KB a
  // review (docs/performance.md, figure 2).
  explicit ReviewCache(std::size_t capacity) : capacity_(capacity) {}

  // The state kept for `stored`'s review, taken out of the cache, when it was kept at the
  // stored record's last_seq and updated_at under `calendar`; nullopt otherwise (and a stale
  // entry is dropped). Taken out rather than copied: the caller applies the command to it
  // and Keeps it again only once the store has committed, so a refused command, a conflict
  // or a failed commit leaves nothing behind and the next command replays.
  std::optional<ReviewState> Take(const ReviewRecord& stored, const std::shared_ptr<const BusinessCalendar>& calendar);
  // As Take; `written` is what was kept with the state (nullopt when nothing was, or no state
  // is given back).
  std::optional<ReviewState> Take(const ReviewRecord& stored, const std::shared_ptr<const BusinessCalendar>& calendar,
                                  std::optional<DeadlinesWritten>& written);

  // Keeps `state` as the review stands in `committed` (the record just written, or just
  // read when the state was replayed from the log it had). REQUIRES: the state's deadlines
  // were built on `calendar`, which the entry keeps alive.
  void Keep(const ReviewRecord& committed, std::shared_ptr<const BusinessCalendar> calendar, ReviewState state);
  // As Keep, with what `committed` wrote of the state's deadlines. REQUIRES: `written`, if
  // given, was made from state.deadlines at written->revision, and the store holds it as
  // `committed` left it.
  void Keep(const ReviewRecord& committed, std::shared_ptr<const BusinessCalendar> calendar, ReviewState state,
            std::optional<DeadlinesWritten> written);

  void Clear();
  std::size_t size() const { return by_ref_.size(); }

 private:
  struct Entry {
    std::string ref;
    std::int64_t last_seq = 0;
    Instant updated_at{};
    std::shared_ptr<const BusinessCalendar> calendar;
    ReviewState state;
    std::optional<DeadlinesWritten> written;
  };
  using Entries = std::list<Entry>;  // most recently used first

  std::size_t capacity_;
  Entries entries_;
  std::unordered_map<std::string, Entries::iterator> by_ref_;
};

}  // namespace casereview

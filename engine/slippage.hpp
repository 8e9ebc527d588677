// How late each review ran, and why: the board's slippage report.
//
// From the read models alone: for every review, its completion deadline (original and
// current due date, met or not, how many days late as at a date), the extensions asked for
// and their reasons, suspensions, early warnings from IMR authors, and each IMR's lateness.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "casereview/clock.hpp"
#include "casereview/store.hpp"

namespace casereview {

// One entry per review with a completion deadline (reviews not yet decided, or decided
// not to proceed, have none), by reference.
nlohmann::json SlippageReport(const std::vector<ReviewRecord>& reviews, Instant as_at);

}  // namespace casereview

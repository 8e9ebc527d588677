// A review's summary: the little of its read model that a list of reviews shows, kept beside
// the read model (ReviewRecord::summary) so that listing thousands of reviews reads a few
// hundred bytes each instead of every projection (docs/performance.md, figure 5).
//
// Pure and deterministic: the same projection always gives the same text, so the engine,
// the store's migration back-fill and Recover's staleness check all agree on it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace casereview {

// The summary of a projection (ReviewRecord::projection), as compact JSON:
//   {"next_step": the projection's next_step ({what, holders}; null when it has none),
//    "deadlines": each deadline whose status is not "met", in projection order, with only
//                 the fields a list reads: what, due, due_date}
// It holds nothing the projection does not, and the projection carries no child's name or
// identifying detail.
std::string SummarizeProjection(const nlohmann::json& projection);
// The same from the projection's text. Text that is not a JSON object summarizes as an empty
// projection does (no next step, no deadlines).
std::string SummarizeProjection(std::string_view projection);

}  // namespace casereview

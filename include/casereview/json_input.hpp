// JSON from outside the process (a request body, a board file, a scenario, a policy profile,
// `--json`), parsed with a bound on its nesting.
//
// Why: nlohmann::json copies, compares and dumps a value recursively, so a body of 100,000
// '[' parsed into a value overflows the stack of whoever touches it next. No input of ours
// nests more than a few levels (an event's fields: an object holding a list of objects), so
// anything deeper than kMaxJsonDepth is refused before it is parsed.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "casereview/status.hpp"

namespace casereview {

inline constexpr int kMaxJsonDepth = 32;

// True if `text` opens more than `max_depth` arrays or objects inside one another (strings,
// with their escapes, are skipped). Linear in the text, no recursion.
bool JsonNestsDeeperThan(std::string_view text, int max_depth);

// The JSON value in `text`. InvalidArgument naming `what` ("the request body") when it nests
// deeper than kMaxJsonDepth; when it is not JSON, InvalidArgument saying `not_json`, or "WHAT is
// not JSON" when that is empty.
Result<nlohmann::json> ParseJsonInput(std::string_view text, std::string_view what, std::string_view not_json = {});

}  // namespace casereview

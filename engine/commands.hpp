// What every command checks before it reaches a machine: who is recording it, and that
// its fields are an event's of that kind of review, resolved against the board.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "casereview/status.hpp"
#include "casereview/store.hpp"

namespace casereview {

// `s` with `prefix` put before its message (for InvalidArgument and NotFound; others as they are).
Status Prefixed(const std::string& prefix, const Status& s);

struct BoardDirectory;  // resolve.hpp: the board's agencies and people, read once per command

// The event's fields checked against its kind's table and resolved against the board
// (people stored as {"id","agency","sector","roles"}).
Result<nlohmann::json> CheckAndResolve(const BoardDirectory& dir, std::string_view kind, std::string_view event,
                                       const nlohmann::json& fields);

// The person recording a command is on the board.
Status CheckActor(const BoardDirectory& dir, const std::string& board_id, std::string_view actor);

}  // namespace casereview

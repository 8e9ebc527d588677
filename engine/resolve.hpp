// Turns a command's people and agencies, given by id, into what the log stores: each
// person resolved to {"id","agency","sector","roles"} as the board knows them now.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "casereview/board.hpp"
#include "casereview/status.hpp"
#include "casereview/store.hpp"
#include "common/event_spec.hpp"

namespace casereview {

// A board's agencies and people, indexed for resolution.
struct BoardDirectory {
  std::map<std::string, Agency> agencies;
  std::map<std::string, Person> people;

  static Result<BoardDirectory> Load(Store& store, const std::string& board_id);
};

// REQUIRES: ValidatePayload(spec, input, /*resolved=*/false) passed.
// NotFound names the field and the unknown id (ids are board codes, never a child's detail).
Result<nlohmann::json> ResolvePayload(const EventSpec& spec, const nlohmann::json& input,
                                      const BoardDirectory& dir);

}  // namespace casereview

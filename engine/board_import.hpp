// Board files: a whole board as JSON, or agencies / people as CSV (the form a business
// officer keeps in a spreadsheet). Outside input: every error names the file's line or
// entry and what is wrong, and nothing is imported unless everything is right.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "casereview/board.hpp"
#include "casereview/status.hpp"

namespace casereview {

// {"board": {"id","name","policy_profile","quorum": {...}},
//  "agencies": [{"id","name","sector"}], "people": [{"id","name","email","agency","roles"}]}
Result<BoardData> ParseBoardJson(std::string_view text);
nlohmann::json BoardDataToJson(const BoardData& d);

// CSV with a header row. Agencies: id,name,sector. People: id,name,email,agency,roles
// (roles separated by ';'). Which one it is comes from the header. The rows are added to
// `board` (returned with no agencies or people of its own beyond the file's).
Result<BoardData> ParseBoardCsv(std::string_view text, const Board& board,
                                const std::string& file_name = "input.csv");

}  // namespace casereview

#include "board_import.hpp"

#define CSV_IO_NO_THREAD
#include <libfccp/csv.h>

#include "casereview/json_input.hpp"

#include <cstdint>
#include <sstream>
#include <string>

namespace casereview {
namespace {

using Json = nlohmann::json;

std::vector<std::string> SplitRoles(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string r; std::getline(in, r, ';');) {
    r.erase(0, r.find_first_not_of(" \t"));
    r.erase(r.find_last_not_of(" \t") + 1);
    if (!r.empty()) out.push_back(r);
  }
  return out;
}

constexpr int kMostAgencies = 1000;

Result<QuorumRule> QuorumFromJson(const Json& q) {
  QuorumRule r;
  r.chair_required = q.value("chair_required", r.chair_required);
  if (q.contains("min_agencies")) {
    // Checked before it becomes an int: 1e300 or 2^32 + 4 would not survive the conversion.
    const Json& n = q.at("min_agencies");
    if (!n.is_number_unsigned() || n.get<std::uint64_t>() > std::uint64_t{kMostAgencies})
      return Status::InvalidArgument("the quorum rule's min_agencies must be a whole number from 0 to " +
                                     std::to_string(kMostAgencies) + " (got " + n.dump() + ")");
    r.min_agencies = n.get<int>();
  }
  r.required_sectors = q.value("required_sectors", r.required_sectors);
  return r;
}

Result<BoardData> FromJson(const Json& j) {
  BoardData d;
  const Json& b = j.at("board");
  d.board.id = b.at("id").get<std::string>();
  d.board.name = b.at("name").get<std::string>();
  d.board.policy_profile = b.value("policy_profile", d.board.policy_profile);
  if (b.contains("quorum")) {
    auto quorum = QuorumFromJson(b.at("quorum"));
    if (!quorum.ok()) return quorum.status();
    d.board.quorum = *quorum;
  }
  for (const Json& a : j.value("agencies", Json::array()))
    d.agencies.push_back({a.at("id").get<std::string>(), d.board.id, a.at("name").get<std::string>(),
                          a.at("sector").get<std::string>()});
  for (const Json& p : j.value("people", Json::array()))
    d.people.push_back({p.at("id").get<std::string>(), d.board.id, p.at("name").get<std::string>(),
                        p.at("email").get<std::string>(), p.value("agency", ""),
                        p.value("roles", std::vector<std::string>{}), std::nullopt});
  return d;
}

template <class Reader>
void ReadAgencies(Reader& in, BoardData& d) {
  std::string id, name, sector;
  while (in.read_row(id, name, sector)) d.agencies.push_back({id, d.board.id, name, sector});
}

template <class Reader>
void ReadPeople(Reader& in, BoardData& d) {
  std::string id, name, email, agency, roles;
  while (in.read_row(id, name, email, agency, roles))
    d.people.push_back({id, d.board.id, name, email, agency, SplitRoles(roles), std::nullopt});
}

using Trim = io::trim_chars<' ', '\t'>;
using Quote = io::double_quote_escape<',', '"'>;

}  // namespace

Result<BoardData> ParseBoardJson(std::string_view text) {
  auto parsed = ParseJsonInput(text, "the board file", "the board file is not a JSON object");
  if (!parsed.ok()) return parsed.status();
  Json j = std::move(*parsed);
  if (!j.is_object()) return Status::InvalidArgument("the board file is not a JSON object");
  try {
    Result<BoardData> d = FromJson(j);
    if (!d.ok()) return d.status();
    CR_RETURN_IF_ERROR(Validate(*d));
    return d;
  } catch (const Json::exception& e) {
    return Status::InvalidArgument(std::string("the board file is missing a field or has one of the wrong type: ") +
                                   e.what());
  }
}

Json BoardDataToJson(const BoardData& d) {
  Json agencies = Json::array(), people = Json::array();
  for (const auto& a : d.agencies) agencies.push_back({{"id", a.id}, {"name", a.name}, {"sector", a.sector}});
  for (const auto& p : d.people)
    people.push_back({{"id", p.id}, {"name", p.name}, {"email", p.email}, {"agency", p.agency_id},
                      {"roles", p.roles}});
  const QuorumRule& q = d.board.quorum;
  return {{"board",
           {{"id", d.board.id}, {"name", d.board.name}, {"policy_profile", d.board.policy_profile},
            {"quorum", {{"chair_required", q.chair_required}, {"min_agencies", q.min_agencies},
                        {"required_sectors", q.required_sectors}}}}},
          {"agencies", agencies},
          {"people", people}};
}

Result<BoardData> ParseBoardCsv(std::string_view text, const Board& board,
                                const std::string& file_name) {
  BoardData d{board, {}, {}};
  std::string first_line(text.substr(0, text.find('\n')));
  bool people = first_line.find("email") != std::string::npos;
  try {
    if (people) {
      io::CSVReader<5, Trim, Quote> in(file_name, text.data(), text.data() + text.size());
      in.read_header(io::ignore_no_column, "id", "name", "email", "agency", "roles");
      ReadPeople(in, d);
    } else {
      io::CSVReader<3, Trim, Quote> in(file_name, text.data(), text.data() + text.size());
      in.read_header(io::ignore_no_column, "id", "name", "sector");
      ReadAgencies(in, d);
    }
  } catch (const io::error::base& e) {
    return Status::InvalidArgument(std::string(people ? "people" : "agencies") +
                                   " CSV (header id,name,sector or id,name,email,agency,roles): " +
                                   e.what());
  }
  for (const auto& a : d.agencies) CR_RETURN_IF_ERROR(Validate(a));
  for (const auto& p : d.people) CR_RETURN_IF_ERROR(Validate(p));
  return d;
}

}  // namespace casereview


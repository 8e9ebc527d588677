#include "casereview/board.hpp"

#include <algorithm>
#include <set>

namespace casereview {
namespace {

bool Contains(const std::vector<std::string_view>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string JoinList(const std::vector<std::string_view>& list) {
  std::string out;
  for (auto v : list) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

bool LooksLikeEmail(const std::string& e) {
  auto at = e.find('@');
  return at != std::string::npos && at > 0 && e.find('.', at) != std::string::npos &&
         e.find_first_of(" \t\r\n<>,;") == std::string::npos && e.back() != '.';
}

}  // namespace

const std::vector<std::string_view>& KnownSectors() {
  static const std::vector<std::string_view> kSectors = {
      "childrens-social-care", "health", "police", "education", "probation",
      "voluntary", "local-authority", "lscb", "other"};
  return kSectors;
}

const std::vector<std::string_view>& KnownRoles() {
  static const std::vector<std::string_view> kRoles = {
      "board-chair",  "board-member",   "panel-chair",     "panel-member",  "business-officer",
      "imr-author",   "report-author",  "senior-manager", "overview-writer", "lead-officer", "administrator"};
  return kRoles;
}

bool IsPlainId(std::string_view id) {
  auto plain = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  if (id.empty() || id.size() > 64 || !plain(id.front())) return false;
  return std::all_of(id.begin(), id.end(), [&](char c) { return plain(c) || c == '-' || c == '_'; });
}

constexpr const char* kPlainIdRule = "letters, digits, '-' and '_' only (at most 64, starting with a letter or digit)";

bool Person::HasRole(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

Status Validate(const Agency& a) {
  if (a.id.empty()) return Status::InvalidArgument("an agency needs an id");
  if (!IsPlainId(a.id)) return Status::InvalidArgument(std::string("an agency's id is ") + kPlainIdRule);
  if (a.name.empty()) return Status::InvalidArgument("agency " + a.id + " needs a name");
  if (!Contains(KnownSectors(), a.sector))
    return Status::InvalidArgument("agency " + a.id + " has an unknown sector '" + a.sector +
                                   "' (one of: " + JoinList(KnownSectors()) + ")");
  return Status::Ok();
}

Status Validate(const Person& p) {
  if (p.id.empty()) return Status::InvalidArgument("a person needs an id");
  if (!IsPlainId(p.id)) return Status::InvalidArgument(std::string("a person's id is ") + kPlainIdRule);
  if (p.name.empty()) return Status::InvalidArgument("person " + p.id + " needs a name");
  if (!LooksLikeEmail(p.email))
    return Status::InvalidArgument("person " + p.id + " needs a valid email address");
  for (const auto& r : p.roles)
    if (!Contains(KnownRoles(), r))
      return Status::InvalidArgument("person " + p.id + " has an unknown role '" + r +
                                     "' (one of: " + JoinList(KnownRoles()) + ")");
  return Status::Ok();
}

Status Validate(const BoardData& d) {
  if (d.board.id.empty()) return Status::InvalidArgument("the board needs an id");
  if (d.board.name.empty()) return Status::InvalidArgument("board " + d.board.id + " needs a name");
  for (const auto& s : d.board.quorum.required_sectors)
    if (!Contains(KnownSectors(), s))
      return Status::InvalidArgument("the quorum rule names an unknown sector '" + s + "'");
  if (d.board.quorum.min_agencies < 0)
    return Status::InvalidArgument("the quorum rule's minimum number of agencies cannot be negative");
  std::set<std::string> agencies, people;
  for (const auto& a : d.agencies) {
    CR_RETURN_IF_ERROR(Validate(a));
    if (!agencies.insert(a.id).second)
      return Status::InvalidArgument("agency id " + a.id + " appears twice");
  }
  for (const auto& p : d.people) {
    CR_RETURN_IF_ERROR(Validate(p));
    if (!people.insert(p.id).second)
      return Status::InvalidArgument("person id " + p.id + " appears twice");
    if (!p.agency_id.empty() && !agencies.count(p.agency_id))
      return Status::InvalidArgument("person " + p.id + " belongs to agency " + p.agency_id +
                                     ", which is not on the board");
  }
  return Status::Ok();
}

}  // namespace casereview

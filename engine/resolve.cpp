#include "resolve.hpp"

namespace casereview {
namespace {

Result<nlohmann::json> ResolvePerson(const FieldSpec& f, const std::string& id,
                                     const BoardDirectory& dir) {
  auto it = dir.people.find(id);
  // The value is repeated only when it is a plain id: anything else could be a name typed in
  // the wrong box, and errors never carry one.
  if (it == dir.people.end())
    return Status::NotFound("field '" + std::string(f.name) + "': no person " + (IsPlainId(id) ? "'" + id + "' " : "") +
                            "on this board (see 'casereview person list')");
  const Person& p = it->second;
  if (p.removed_at)
    return Status::InvalidArgument("field '" + std::string(f.name) + "': " + p.name +
                                   " has been removed from the board and cannot be named in a new event");
  std::string sector;
  if (auto a = dir.agencies.find(p.agency_id); a != dir.agencies.end()) sector = a->second.sector;
  return nlohmann::json{{"id", p.id}, {"agency", p.agency_id}, {"sector", sector}, {"roles", p.roles}};
}

Status CheckAgency(const FieldSpec& f, const std::string& id, const BoardDirectory& dir) {
  if (dir.agencies.count(id)) return Status::Ok();
  return Status::NotFound("field '" + std::string(f.name) + "': no agency " + (IsPlainId(id) ? "'" + id + "' " : "") +
                          "on this board (see 'casereview agency list')");
}

}  // namespace

Result<BoardDirectory> BoardDirectory::Load(Store& store, const std::string& board_id) {
  auto agencies = store.ListAgencies(board_id);
  if (!agencies.ok()) return agencies.status();
  auto people = store.ListPeople(board_id);
  if (!people.ok()) return people.status();
  BoardDirectory dir;
  for (auto& a : *agencies) dir.agencies.emplace(a.id, a);
  for (auto& p : *people) dir.people.emplace(p.id, p);
  return dir;
}

Result<nlohmann::json> ResolvePayload(const EventSpec& spec, const nlohmann::json& input,
                                      const BoardDirectory& dir) {
  nlohmann::json out = input;
  for (const auto& f : spec.fields) {
    auto it = input.find(std::string(f.name));
    if (it == input.end() || it->is_null()) continue;
    const nlohmann::json& v = *it;
    if (f.type == FieldType::kAgency) CR_RETURN_IF_ERROR(CheckAgency(f, v.get<std::string>(), dir));
    if (f.type == FieldType::kAgencies)
      for (const auto& a : v) CR_RETURN_IF_ERROR(CheckAgency(f, a.get<std::string>(), dir));
    if (f.type == FieldType::kPerson) {
      auto p = ResolvePerson(f, v.get<std::string>(), dir);
      if (!p.ok()) return p.status();
      out[std::string(f.name)] = *p;
    }
    if (f.type == FieldType::kPeople) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& id : v) {
        auto p = ResolvePerson(f, id.get<std::string>(), dir);
        if (!p.ok()) return p.status();
        list.push_back(*p);
      }
      out[std::string(f.name)] = list;
    }
  }
  return out;
}

}  // namespace casereview

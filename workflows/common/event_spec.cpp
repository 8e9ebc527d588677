#include "common/event_spec.hpp"

#include <algorithm>
#include <string>

#include "casereview/clock.hpp"

namespace casereview {
namespace {

std::string Where(const EventSpec& spec, const FieldSpec& f) {
  return std::string(spec.name) + ": field '" + std::string(f.name) + "'";
}

// The validators read strings in place (get_ref): validating runs for every event replayed.
bool IsNonEmptyText(const nlohmann::json& v) {
  return v.is_string() && !v.get_ref<const std::string&>().empty();
}

bool IsId(const nlohmann::json& v) { return IsNonEmptyText(v); }

// A member of `v` (an object), or nullptr when absent; one lookup, no key copied.
const nlohmann::json* Member(const nlohmann::json& v, std::string_view key) {
  auto it = v.find(key);
  return it == v.end() ? nullptr : &*it;
}

bool IsResolvedPerson(const nlohmann::json& v) {
  if (!v.is_object()) return false;
  const nlohmann::json* id = Member(v, "id");
  const nlohmann::json* agency = Member(v, "agency");
  const nlohmann::json* sector = Member(v, "sector");
  const nlohmann::json* roles = Member(v, "roles");
  return id && IsId(*id) && agency && agency->is_string() && sector && sector->is_string() && roles &&
         roles->is_array();
}

bool IsPerson(const nlohmann::json& v, bool resolved) {
  return resolved ? IsResolvedPerson(v) : IsId(v);
}

bool IsNonEmptyListOf(const nlohmann::json& v, auto&& is_item) {
  return v.is_array() && !v.empty() && std::all_of(v.begin(), v.end(), is_item);
}

// Returns "" when the value fits, or what it should have been.
std::string Mismatch(const FieldSpec& f, const nlohmann::json& v, bool resolved) {
  switch (f.type) {
    case FieldType::kText:
      return IsNonEmptyText(v) ? "" : "must be non-empty text";
    case FieldType::kDate:
      return v.is_string() && ParseDate(v.get_ref<const std::string&>()).ok()
                 ? ""
                 : "must be a real date written YYYY-MM-DD";
    case FieldType::kBool:
      return v.is_boolean() ? "" : "must be true or false";
    case FieldType::kChoice: {
      if (v.is_string() &&
          std::find(f.choices.begin(), f.choices.end(), v.get_ref<const std::string&>()) != f.choices.end())
        return "";
      std::string all;
      for (auto c : f.choices) all += (all.empty() ? "" : ", ") + std::string(c);
      return "must be one of: " + all;
    }
    case FieldType::kAgency:
      return IsId(v) ? "" : "must be an agency id";
    case FieldType::kAgencies:
      return IsNonEmptyListOf(v, IsId) ? "" : "must be a non-empty list of agency ids";
    case FieldType::kPerson:
      return IsPerson(v, resolved) ? "" : "must be a person id";
    case FieldType::kPeople:
      return IsNonEmptyListOf(v, [&](const nlohmann::json& x) { return IsPerson(x, resolved); })
                 ? ""
                 : "must be a non-empty list of person ids";
  }
  return "has an unknown type";
}

}  // namespace

const FieldSpec* EventSpec::Field(std::string_view field_name) const {
  for (const auto& f : fields)
    if (f.name == field_name) return &f;
  return nullptr;
}

std::string_view FieldTypeName(FieldType t) {
  switch (t) {
    case FieldType::kText: return "text";
    case FieldType::kDate: return "date";
    case FieldType::kBool: return "bool";
    case FieldType::kChoice: return "choice";
    case FieldType::kAgency: return "agency";
    case FieldType::kAgencies: return "agencies";
    case FieldType::kPerson: return "person";
    case FieldType::kPeople: return "people";
  }
  return "?";
}

Status ValidatePayload(const EventSpec& spec, const nlohmann::json& payload, bool resolved) {
  if (!payload.is_object())
    return Status::InvalidArgument(std::string(spec.name) + ": the fields must be a JSON object");
  for (const auto& [key, value] : payload.items()) {
    if (spec.Field(key) == nullptr)
      return Status::InvalidArgument(std::string(spec.name) + ": unknown field '" + key +
                                     "' (see 'casereview events')");
  }
  for (const auto& f : spec.fields) {
    auto it = payload.find(f.name);
    if (it == payload.end() || it->is_null()) {
      if (f.required) return Status::InvalidArgument(Where(spec, f) + " is required");
      continue;
    }
    std::string why = Mismatch(f, *it, resolved);
    if (!why.empty()) return Status::InvalidArgument(Where(spec, f) + " " + why);
  }
  return Status::Ok();
}

const EventSpec* FindSpec(std::span<const EventSpec> specs, std::string_view name) {
  for (const auto& s : specs)
    if (s.name == name) return &s;
  return nullptr;
}

std::string TextField(const nlohmann::json& p, std::string_view name) {
  auto it = p.find(name);
  return it != p.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string PersonId(const nlohmann::json& p, std::string_view name) {
  auto it = p.find(name);
  if (it == p.end()) return {};
  if (it->is_object()) return it->value("id", "");
  return it->is_string() ? it->get<std::string>() : std::string();
}

void AppendEscalation(std::vector<std::string>& escalations, const nlohmann::json& p) {
  const std::string deadline = TextField(p, "deadline");
  const std::string to = TextField(p, "to");
  constexpr std::string_view kArrow = " -> ";
  // Made at its final length (reserve may round up), then filled in.
  std::string entry(deadline.size() + kArrow.size() + to.size(), ' ');
  auto out = std::copy(deadline.begin(), deadline.end(), entry.begin());
  out = std::copy(kArrow.begin(), kArrow.end(), out);
  std::copy(to.begin(), to.end(), out);
  escalations.reserve(escalations.size() + 1);
  escalations.push_back(std::move(entry));
}

bool BoolField(const nlohmann::json& p, std::string_view name) {
  auto it = p.find(name);
  return it != p.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace casereview

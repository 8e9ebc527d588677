#include "casereview/review_summary.hpp"

namespace casereview {

std::string SummarizeProjection(const nlohmann::json& projection) {
  using nlohmann::json;
  json summary = {{"next_step", nullptr}, {"deadlines", json::array()}};
  if (!projection.is_object()) return summary.dump();
  if (auto next = projection.find("next_step"); next != projection.end()) summary["next_step"] = *next;
  auto deadlines = projection.find("deadlines");
  if (deadlines == projection.end() || !deadlines->is_array()) return summary.dump();
  for (const json& d : *deadlines) {
    if (!d.is_object() || d.value("status", "") == "met") continue;
    json kept = json::object();
    for (const char* key : {"what", "due", "due_date"})
      if (auto field = d.find(key); field != d.end()) kept[key] = *field;
    summary["deadlines"].push_back(std::move(kept));
  }
  return summary.dump();
}

std::string SummarizeProjection(std::string_view projection) {
  return SummarizeProjection(nlohmann::json::parse(projection, nullptr, false));
}

}  // namespace casereview

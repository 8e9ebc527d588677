#include "review_view.hpp"

#include "calendar.hpp"

namespace casereview {

nlohmann::json ReviewJson(const ReviewRecord& r) {
  nlohmann::json j = nlohmann::json::parse(r.projection, nullptr, false);
  if (!j.is_object()) j = nlohmann::json::object();
  j["board"] = r.board_id;
  j["open"] = r.open;
  j["events"] = r.last_seq;
  j["opened_at"] = FormatInstant(r.opened_at);
  j["updated_at"] = FormatInstant(r.updated_at);
  return j;
}

void AddDueSummary(nlohmann::json& j, Instant now) {
  nlohmann::json next;
  int overdue = 0;
  for (const auto& d : j.value("deadlines", nlohmann::json::array())) {
    if (d.value("status", "") == "met") continue;
    auto due = ParseInstant(d.value("due", ""));
    if (!due.ok()) continue;
    if (*due < now) ++overdue;
    if (next.is_null() || d["due"] < next["due"]) next = d;
  }
  if (!next.is_null()) {
    auto due_date = ParseDate(next["due_date"].get<std::string>());
    if (due_date.ok()) {
      auto days = std::chrono::sys_days(*due_date) - std::chrono::sys_days(LondonDate(now));
      j["next_due"] = {{"what", next["what"]}, {"due_date", next["due_date"]}, {"days_left", days.count()}};
    }
  }
  j["overdue"] = overdue;
}

}  // namespace casereview

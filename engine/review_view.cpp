#include "review_view.hpp"

#include <optional>

#include "calendar.hpp"

namespace casereview {
namespace {

// A deadline's due instant when it counts in a due summary: not met, with a due time.
std::optional<Instant> PendingDue(const nlohmann::json& d) {
  if (d.value("status", "") == "met") return std::nullopt;
  auto due = ParseInstant(d.value("due", ""));
  if (!due.ok()) return std::nullopt;
  return *due;
}

nlohmann::json SummaryJson(const ReviewSummary& s) {
  nlohmann::json summary = nlohmann::json::parse(s.summary, nullptr, false);
  if (!summary.is_object()) summary = nlohmann::json::object();
  return summary;
}

// AddDueSummary with London's date at `now` given: a list computes it once for every row.
// `j` holds "deadlines" (a ReviewJson, or a review's summary, which keeps only those not met).
// Reads the deadlines in place (a list makes 10,000 rows: no copies).
void AddDueSummaryOn(nlohmann::json& j, Instant now, Date today) {
  const nlohmann::json* next = nullptr;  // the soonest not met; the first of equals
  int overdue = 0;
  auto deadlines = j.find("deadlines");
  if (deadlines != j.end() && deadlines->is_array()) {
    for (const nlohmann::json& d : *deadlines) {
      auto due = PendingDue(d);
      if (!due) continue;  // so d["due"] is a string below
      if (*due < now) ++overdue;
      if (next == nullptr || d["due"] < (*next)["due"]) next = &d;
    }
  }
  if (next != nullptr) {
    // at() and get<> throw on a deadline without a due_date string, as before: a corrupt
    // read model is an error, not a silent row.
    auto due_date = ParseDate(next->at("due_date").get<std::string>());
    if (due_date.ok()) {
      auto days = std::chrono::sys_days(*due_date) - std::chrono::sys_days(today);
      nlohmann::json what = next->contains("what") ? (*next)["what"] : nlohmann::json();
      j["next_due"] = {{"what", std::move(what)}, {"due_date", (*next)["due_date"]}, {"days_left", days.count()}};
    }
  }
  j["overdue"] = overdue;
}

nlohmann::json RowOn(const ReviewSummary& s, Instant now, Date today) {
  nlohmann::json summary = SummaryJson(s);
  AddDueSummaryOn(summary, now, today);
  nlohmann::json row = {{"ref", s.ref},
                        {"kind", s.kind},
                        {"stage", s.stage},
                        {"open", s.open},
                        {"next_step", std::move(summary["next_step"])},
                        {"overdue", summary["overdue"]},
                        {"updated_at", FormatInstant(s.updated_at)}};
  if (summary.contains("next_due")) row["next_due"] = std::move(summary["next_due"]);
  return row;
}

}  // namespace

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

void AddDueSummary(nlohmann::json& j, Instant now) { AddDueSummaryOn(j, now, LondonDate(now)); }

nlohmann::json ReviewListRow(const ReviewSummary& s, Instant now) { return RowOn(s, now, LondonDate(now)); }

std::vector<Instant> DueInstantsOf(const ReviewSummary& s) {
  std::vector<Instant> due;
  nlohmann::json summary = SummaryJson(s);
  auto deadlines = summary.find("deadlines");
  if (deadlines == summary.end() || !deadlines->is_array()) return due;
  for (const nlohmann::json& d : *deadlines)
    if (auto at = PendingDue(d)) due.push_back(*at);
  return due;
}

nlohmann::json ReviewListRows(const std::vector<ReviewSummary>& summaries, Instant now) {
  const Date today = LondonDate(now);
  nlohmann::json rows = nlohmann::json::array();
  for (const ReviewSummary& s : summaries) rows.push_back(RowOn(s, now, today));
  return rows;
}

}  // namespace casereview

#include "slippage.hpp"

#include "calendar.hpp"

namespace casereview {
namespace {

using Json = nlohmann::json;

// Days past the due date: when met, by the day it was met; when open, as at `as_at`.
int DaysLate(const Json& d, Instant as_at) {
  if (d.value("status", "") == "met") return d.value("late_days", 0);
  auto due = ParseDate(d.value("due_date", ""));
  if (!due.ok()) return 0;
  auto late = std::chrono::sys_days(LondonDate(as_at)) - std::chrono::sys_days(*due);
  return std::max(0, static_cast<int>(late.count()));
}

bool IsCompletion(const Json& d) {
  std::string rule = d.value("rule", "");
  return rule == "scr-completion" || rule == "practice-review";
}

Json ImrLateness(const Json& deadlines, Instant as_at) {
  Json out = Json::array();
  for (const auto& d : deadlines) {
    if (d.value("rule", "") != "imr-due") continue;
    out.push_back({{"agency", d.value("subject", "")}, {"due_date", d["due_date"]},
                   {"status", d["status"]}, {"days_late", DaysLate(d, as_at)}});
  }
  return out;
}

Json Reasons(const Json& alongside) {
  Json out = Json::array();
  for (const auto& e : alongside.value("extensions", Json::array()))
    out.push_back({{"extension", e.value("status", "")}, {"until", e.value("granted_until", e.value("requested_until", ""))},
                   {"reason", e.value("reason", "")}});
  if (!alongside.value("suspended_for", "").empty())
    out.push_back({{"suspended", alongside["suspended_for"]}});
  for (const auto& a : alongside.value("timeframe_warnings", Json::array()))
    out.push_back({{"early_warning", a}});
  return out;
}

}  // namespace

Json SlippageReport(const std::vector<ReviewRecord>& reviews, Instant as_at) {
  Json out = Json::array();
  for (const auto& r : reviews) {
    Json p = Json::parse(r.projection, nullptr, false);
    if (p.is_discarded()) continue;
    const Json deadlines = p.value("deadlines", Json::array());
    for (const auto& d : deadlines) {
      if (!IsCompletion(d)) continue;
      int late = DaysLate(d, as_at);
      out.push_back({{"review", r.ref},
                     {"stage", r.stage},
                     {"completion_original_due", d["original_due_date"]},
                     {"completion_due", d["due_date"]},
                     {"completed", d["status"] == "met"},
                     {"days_late", late},
                     {"on_time", late == 0},
                     {"changes", d.value("changes", Json::array())},
                     {"reasons", Reasons(p.value("alongside", Json::object()))},
                     {"imrs", ImrLateness(deadlines, as_at)}});
    }
  }
  return out;
}

}  // namespace casereview

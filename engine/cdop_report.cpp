#include "cdop_report.hpp"

#include <algorithm>
#include <map>

#include "calendar.hpp"
#include "cdop/cdop_events.hpp"

namespace casereview {
namespace {

using Json = nlohmann::json;

bool InRange(Instant t, Date from, Date to) {
  auto d = std::chrono::sys_days{LondonDate(t)};
  return d >= std::chrono::sys_days{from} && d <= std::chrono::sys_days{to};
}

// One deadline rule's timeliness: met on time or late, open within time or overdue.
struct Timeliness {
  int met_on_time = 0, met_late = 0, open_in_time = 0, open_overdue = 0;
  std::vector<int> late_days;  // of those met late

  void Count(const Json& d, Instant as_at) {
    if (d.value("status", "") == "met") {
      int late = d.value("late_days", 0);
      if (late > 0 || d.value("met_at", "") > d.value("due", "")) {
        ++met_late;
        late_days.push_back(late);
      } else {
        ++met_on_time;
      }
      return;
    }
    auto due = ParseInstant(d.value("due", ""));
    (due.ok() && *due < as_at ? open_overdue : open_in_time)++;
  }

  Json ToJson(const std::string& rule, const std::string& what) const {
    Json median = nullptr;
    if (!late_days.empty()) {
      std::vector<int> sorted = late_days;
      std::sort(sorted.begin(), sorted.end());
      std::size_t n = sorted.size();
      median = n % 2 ? double(sorted[n / 2]) : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
    return {{"rule", rule},          {"what", what},           {"met_on_time", met_on_time},
            {"met_late", met_late},  {"open_in_time", open_in_time}, {"open_overdue", open_overdue},
            {"median_days_late", median}};
  }
};

// "information sharing ... (csc)" -> the rule's own words, without a per-agency subject.
std::string RuleWhat(const Json& d) {
  std::string what = d.value("what", "");
  std::string subject = d.value("subject", "");
  std::string suffix = " (" + subject + ")";
  if (!subject.empty() && what.size() > suffix.size() && what.ends_with(suffix)) what.resize(what.size() - suffix.size());
  return what;
}

}  // namespace

Json ChildDeathReport(const std::vector<ReviewRecord>& reviews, Date from, Date to, Instant as_at) {
  std::map<std::string, int> count, category, modifiable;
  std::map<std::string, Timeliness> timeliness;
  std::map<std::string, std::string> what;
  for (const ReviewRecord& r : reviews) {
    if (r.kind != "cdop" || !InRange(r.opened_at, from, to)) continue;
    Json p = Json::parse(r.projection, nullptr, false);
    if (!p.is_object()) continue;
    ++count["notified"];
    ++count[p["notification"].value("expected", "")];
    ++count[r.open ? "open" : "closed"];
    if (!p.value("scr_ref", "").empty()) ++count["referred_for_scr"];
    const Json& panel = p["panel_review"];
    if (!panel.value("category", "").empty()) {
      ++count["reviewed"];
      ++category[panel["category"].get<std::string>()];
      ++modifiable[panel.value("modifiable", "")];
    }
    for (const Json& d : p.value("deadlines", Json::array())) {
      std::string rule = d.value("rule", "");
      if (!rule.starts_with("cdop-")) continue;
      timeliness[rule].Count(d, as_at);
      what[rule] = RuleWhat(d);
    }
  }
  Json categories = Json::array();
  for (const DeathCategory& c : DeathCategories())
    categories.push_back({{"number", c.number}, {"id", c.id}, {"title", c.title}, {"count", category[std::string(c.id)]}});
  int reviewed = count["reviewed"];
  Json steps = Json::array();
  for (const auto& [rule, t] : timeliness) steps.push_back(t.ToJson(rule, what[rule]));
  return {{"from", FormatDate(from)},
          {"to", FormatDate(to)},
          {"as_at", FormatInstant(as_at)},
          {"reviews",
           {{"notified", count["notified"]}, {"expected", count["expected"]}, {"unexpected", count["unexpected"]},
            {"open", count["open"]}, {"closed", count["closed"]}, {"referred_for_scr", count["referred_for_scr"]},
            {"reviewed_by_panel", reviewed}}},
          {"categories", categories},
          {"modifiable",
           {{"yes", modifiable["yes"]}, {"no", modifiable["no"]},
            {"insufficient_information", modifiable["insufficient-information"]},
            {"proportion_yes", reviewed ? Json(double(modifiable["yes"]) / reviewed) : Json(nullptr)}}},
          {"timeliness", steps}};
}

namespace {

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string CsvValue(const Json& v) { return v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump(); }

}  // namespace

std::string ChildDeathReportCsv(const Json& report) {
  std::string out = "section,item,measure,value\r\n";
  auto line = [&](const std::string& section, const std::string& item, const std::string& measure, const Json& v) {
    out += CsvField(section) + "," + CsvField(item) + "," + CsvField(measure) + "," + CsvField(CsvValue(v)) + "\r\n";
  };
  line("range", "", "from", report["from"]);
  line("range", "", "to", report["to"]);
  for (const auto& [k, v] : report["reviews"].items()) line("reviews", "", k, v);
  for (const Json& c : report["categories"]) line("categories", c["id"], "count", c["count"]);
  for (const auto& [k, v] : report["modifiable"].items()) line("modifiable", "", k, v);
  for (const Json& t : report["timeliness"])
    for (const char* m : {"met_on_time", "met_late", "open_in_time", "open_overdue", "median_days_late"})
      line("timeliness", t["rule"], m, t[m]);
  return out;
}

}  // namespace casereview

#include "cdop/cdop_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>

#include "cdop/cdop_events.hpp"
#include "cdop/cdop_workflow.hpp"

namespace casereview {
namespace {

using Json = nlohmann::json;

bool InRange(Instant t, Date from, Date to) {
  auto d = std::chrono::sys_days{LondonDate(t)};
  return d >= std::chrono::sys_days{from} && d <= std::chrono::sys_days{to};
}

// p[key] when it is an object, else an empty one: a projection from an older build may lack
// a section, and a report never fails over one review.
const Json& Section(const Json& p, const char* key) {
  static const Json kEmpty = Json::object();
  auto it = p.find(key);
  return it != p.end() && it->is_object() ? *it : kEmpty;
}

std::optional<Instant> InstantField(const Json& d, const char* key) {
  auto t = ParseInstant(d.value(key, ""));
  if (!t.ok()) return std::nullopt;
  return *t;
}

double Days(Instant::duration elapsed) { return std::chrono::duration<double>(elapsed).count() / 86400.0; }

// The median, to one decimal place; null when there is nothing to take it of.
Json Median(std::vector<double> values) {
  if (values.empty()) return nullptr;
  std::sort(values.begin(), values.end());
  std::size_t n = values.size();
  double m = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  return std::round(m * 10) / 10;
}

// One clock's timeliness over many deadlines: met on time or late, open within time or
// overdue, and how long those met took.
struct StepTally {
  int met_on_time = 0, met_late = 0, open_in_time = 0, open_overdue = 0;
  std::vector<double> days_from_notification;  // of those met
  std::vector<double> days_late;               // of those met late

  void Count(const Json& d, Instant notified, Instant as_at) {
    std::optional<Instant> due = InstantField(d, "due");
    std::optional<Instant> met = InstantField(d, "met_at");
    if (d.value("status", "") == "met" && met) {
      days_from_notification.push_back(Days(*met - notified));
      if (due && *met > *due) {
        ++met_late;
        days_late.push_back(Days(*met - *due));
      } else {
        ++met_on_time;
      }
      return;
    }
    // A suspended clock is stopped: it cannot be overdue until it runs again.
    bool overdue = d.value("status", "") == "open" && due && *due < as_at;
    ++(overdue ? open_overdue : open_in_time);
  }

  Json ToJson() const {
    return {{"met_on_time", met_on_time},
            {"met_late", met_late},
            {"open_overdue", open_overdue},
            {"open_in_time", open_in_time},
            {"median_days_from_notification", Median(days_from_notification)},
            {"median_days_late", Median(days_late)}};
  }
};

// Every deadline of one rule, and for a per-agency rule each agency's apart.
struct RuleTally {
  std::string what;
  StepTally all;
  std::map<std::string, StepTally> by_subject;
};

// "agency reporting form returned (hospital)" -> the rule's own words, without the subject.
std::string RuleWhat(const Json& d) {
  std::string what = d.value("what", "");
  std::string subject = d.value("subject", "");
  std::string suffix = " (" + subject + ")";
  if (!subject.empty() && what.ends_with(suffix)) what.resize(what.size() - suffix.size());
  return what;
}

struct Tally {
  std::map<std::string, int> reviews, category, modifiable;
  std::map<std::string, RuleTally> rules;  // by rule id: the rows come out in that order

  void Count(const ReviewRecord& r, const Json& p, Instant as_at) {
    ++reviews["notified"];
    ++reviews[Section(p, "notification").value("expected", "")];
    ++reviews[r.open ? "open" : "closed"];
    if (p.value("referred_for_scr", false)) ++reviews["referred_for_scr"];
    const Json& panel = Section(p, "panel_review");
    if (panel.value("meetings", 0) > 0) {
      ++reviews["panel_review_held"];
      ++category[panel.value("category", "")];
      ++modifiable[panel.value("modifiable", "")];
    }
    auto deadlines = p.find("deadlines");
    if (deadlines == p.end() || !deadlines->is_array()) return;
    for (const Json& d : *deadlines) CountDeadline(d, r.opened_at, as_at);
  }

  void CountDeadline(const Json& d, Instant notified, Instant as_at) {
    std::string rule = d.value("rule", "");
    if (rule.empty()) return;
    RuleTally& t = rules[rule];
    t.what = RuleWhat(d);
    t.all.Count(d, notified, as_at);
    if (std::string subject = d.value("subject", ""); !subject.empty()) t.by_subject[subject].Count(d, notified, as_at);
  }
};

Json ReviewsJson(std::map<std::string, int>& n) {
  return {{"notified", n["notified"]},   {"unexpected", n["unexpected"]},
          {"expected", n["expected"]},   {"open", n["open"]},
          {"closed", n["closed"]},       {"referred_for_scr", n["referred_for_scr"]},
          {"panel_review_held", n["panel_review_held"]}};
}

Json CategoriesJson(std::map<std::string, int>& category, int reviewed) {
  Json rows = Json::array();
  for (const DeathCategory& c : DeathCategories())
    rows.push_back({{"number", c.number}, {"id", c.id}, {"title", c.title}, {"count", category[std::string(c.id)]}});
  return {{"reviewed", reviewed}, {"rows", rows}};
}

Json ModifiableJson(std::map<std::string, int>& m, int reviewed) {
  return {{"reviewed", reviewed},
          {"yes", m["yes"]},
          {"no", m["no"]},
          {"insufficient_information", m["insufficient-information"]},
          {"proportion_yes", reviewed ? Json(double(m["yes"]) / reviewed) : Json(nullptr)}};
}

Json TimelinessJson(const std::map<std::string, RuleTally>& rules) {
  Json out = Json::array();
  for (const auto& [rule, t] : rules) {
    Json row = {{"rule", rule}, {"what", t.what}};
    row.update(t.all.ToJson());
    if (!t.by_subject.empty()) {
      row["by_subject"] = Json::array();
      for (const auto& [subject, s] : t.by_subject) {
        Json one = {{"subject", subject}};
        one.update(s.ToJson());
        row["by_subject"].push_back(one);
      }
    }
    out.push_back(row);
  }
  return out;
}

}  // namespace

Json ChildDeathReport(const std::vector<ReviewRecord>& reviews, Date from, Date to, Instant as_at) {
  Tally tally;
  for (const ReviewRecord& r : reviews) {
    if (r.kind != CdopWorkflow::kKind || !InRange(r.opened_at, from, to)) continue;
    Json p = Json::parse(r.projection, nullptr, false);
    if (!p.is_object()) continue;
    tally.Count(r, p, as_at);
  }
  int reviewed = tally.reviews["panel_review_held"];
  return {{"from", FormatDate(from)},
          {"to", FormatDate(to)},
          {"as_at", FormatInstant(as_at)},
          {"reviews", ReviewsJson(tally.reviews)},
          {"categories", CategoriesJson(tally.category, reviewed)},
          {"modifiable", ModifiableJson(tally.modifiable, reviewed)},
          {"timeliness", TimelinessJson(tally.rules)}};
}

namespace {

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string CsvValue(const Json& v) { return v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump(); }

class LongTable {
 public:
  void Line(const std::string& section, const std::string& item, const std::string& measure, const Json& v) {
    out_ += CsvField(section) + "," + CsvField(item) + "," + CsvField(measure) + "," + CsvField(CsvValue(v)) + "\r\n";
  }
  // Every number of a timeliness row (its "what" and breakdown are not measures).
  void Step(const std::string& item, const Json& row) {
    for (const char* m : {"met_on_time", "met_late", "open_overdue", "open_in_time", "median_days_from_notification",
                          "median_days_late"})
      Line("timeliness", item, m, row[m]);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_ = "section,item,measure,value\r\n";
};

}  // namespace

std::string ChildDeathReportCsv(const Json& report) {
  LongTable t;
  for (const char* k : {"from", "to", "as_at"}) t.Line("range", "", k, report[k]);
  for (const char* k :
       {"notified", "unexpected", "expected", "open", "closed", "referred_for_scr", "panel_review_held"})
    t.Line("reviews", "", k, report["reviews"][k]);
  t.Line("categories", "", "reviewed", report["categories"]["reviewed"]);
  for (const Json& c : report["categories"]["rows"]) {
    std::string id = c["id"];
    t.Line("categories", id, "number", c["number"]);
    t.Line("categories", id, "title", c["title"]);
    t.Line("categories", id, "count", c["count"]);
  }
  for (const char* k : {"reviewed", "yes", "no", "insufficient_information", "proportion_yes"})
    t.Line("modifiable", "", k, report["modifiable"][k]);
  for (const Json& row : report["timeliness"]) {
    std::string rule = row["rule"];
    t.Step(rule, row);
    if (row.contains("by_subject"))
      for (const Json& s : row["by_subject"]) t.Step(rule + ":" + s["subject"].get<std::string>(), s);
  }
  return t.Take();
}

namespace {

// A number as the text shows it: whole numbers bare, others to one decimal place.
std::string Figure(const Json& v) {
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v.get<double>());
  return text;
}

void WriteStep(std::ostream& out, const std::string& label, const Json& t) {
  out << "  " << label << ": " << t["met_on_time"] << " on time, " << t["met_late"] << " late";
  if (!t["median_days_late"].is_null()) out << " (median " << Figure(t["median_days_late"]) << " days late)";
  out << ", " << t["open_overdue"] << " overdue, " << t["open_in_time"] << " open within time";
  if (!t["median_days_from_notification"].is_null())
    out << "; median " << Figure(t["median_days_from_notification"]) << " days from notification";
  out << "\n";
}

}  // namespace

std::string ChildDeathReportText(const Json& r) {
  std::ostringstream out;
  const auto& n = r["reviews"];
  out << "Child deaths notified " << r["from"].get<std::string>() << " to " << r["to"].get<std::string>() << ": "
      << n["notified"] << " (" << n["unexpected"] << " unexpected, " << n["expected"] << " expected); " << n["closed"]
      << " closed, " << n["open"] << " open; " << n["referred_for_scr"] << " referred for an SCR\n\nCategory of death ("
      << r["categories"]["reviewed"] << " reviewed by the panel)\n";
  for (const auto& c : r["categories"]["rows"])
    out << "  " << c["number"] << ". " << c["title"].get<std::string>() << ": " << c["count"] << "\n";
  const auto& m = r["modifiable"];
  out << "\nModifiable factors: " << m["yes"] << " yes, " << m["no"] << " no, " << m["insufficient_information"]
      << " insufficient information";
  if (!m["proportion_yes"].is_null())
    out << " (" << static_cast<int>(m["proportion_yes"].get<double>() * 100 + 0.5) << "% with modifiable factors)";
  out << "\n\nTimeliness, as at " << r["as_at"].get<std::string>() << "\n";
  if (r["timeliness"].empty()) out << "  no deadlines\n";
  for (const auto& t : r["timeliness"]) {
    WriteStep(out, t["what"].get<std::string>(), t);
    if (t.contains("by_subject"))
      for (const auto& s : t["by_subject"]) WriteStep(out, "  " + s["subject"].get<std::string>(), s);
  }
  return out.str();
}

}  // namespace casereview

// casereview report: what the board receives.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "calendar.hpp"
#include "cdop_report.hpp"
#include "cli.hpp"
#include "slippage.hpp"

namespace casereview::cli {
namespace {

void PrintSlippage(const nlohmann::json& report) {
  for (const auto& r : report) {
    std::cout << r["review"].get<std::string>() << "  " << r["stage"].get<std::string>() << "\n"
              << "  completion due " << r["completion_due"].get<std::string>() << " (originally "
              << r["completion_original_due"].get<std::string>() << "): "
              << (r["on_time"].get<bool>() ? std::string(r["completed"].get<bool>() ? "completed on time" : "on track")
                                           : std::to_string(r["days_late"].get<int>()) + " days late")
              << "\n";
    for (const auto& why : r["reasons"]) {
      if (why.contains("extension"))
        std::cout << "  extension (" << why["extension"].get<std::string>() << ") to " << why["until"].get<std::string>()
                  << ": " << why["reason"].get<std::string>() << "\n";
      if (why.contains("suspended")) std::cout << "  suspended: " << why["suspended"].get<std::string>() << "\n";
      if (why.contains("early_warning"))
        std::cout << "  early warning from the " << why["early_warning"].get<std::string>() << " IMR author\n";
    }
    for (const auto& imr : r["imrs"])
      if (imr["days_late"].get<int>() > 0)
        std::cout << "  IMR " << imr["agency"].get<std::string>() << " due " << imr["due_date"].get<std::string>()
                  << ": " << imr["days_late"].get<int>() << " days late\n";
  }
}

// A number as the text summary shows it: whole numbers bare, others to one decimal place.
std::string Figure(const nlohmann::json& v) {
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v.get<double>());
  return text;
}

void PrintStep(const std::string& label, const nlohmann::json& t) {
  std::cout << "  " << label << ": " << t["met_on_time"] << " on time, " << t["met_late"] << " late";
  if (!t["median_days_late"].is_null()) std::cout << " (median " << Figure(t["median_days_late"]) << " days late)";
  std::cout << ", " << t["open_overdue"] << " overdue, " << t["open_in_time"] << " open within time";
  if (!t["median_days_from_notification"].is_null())
    std::cout << "; median " << Figure(t["median_days_from_notification"]) << " days from notification";
  std::cout << "\n";
}

void PrintChildDeaths(const nlohmann::json& r) {
  const auto& n = r["reviews"];
  std::cout << "Child deaths notified " << r["from"].get<std::string>() << " to " << r["to"].get<std::string>() << ": "
            << n["notified"] << " (" << n["unexpected"] << " unexpected, " << n["expected"] << " expected); "
            << n["closed"] << " closed, " << n["open"] << " open; " << n["referred_for_scr"]
            << " referred for an SCR\n\nCategory of death (" << r["categories"]["reviewed"]
            << " reviewed by the panel)\n";
  for (const auto& c : r["categories"]["rows"])
    std::cout << "  " << c["number"] << ". " << c["title"].get<std::string>() << ": " << c["count"] << "\n";
  const auto& m = r["modifiable"];
  std::cout << "\nModifiable factors: " << m["yes"] << " yes, " << m["no"] << " no, " << m["insufficient_information"]
            << " insufficient information";
  if (!m["proportion_yes"].is_null())
    std::cout << " (" << static_cast<int>(m["proportion_yes"].get<double>() * 100 + 0.5) << "% with modifiable factors)";
  std::cout << "\n\nTimeliness, as at " << r["as_at"].get<std::string>() << "\n";
  if (r["timeliness"].empty()) std::cout << "  no deadlines\n";
  for (const auto& t : r["timeliness"]) {
    PrintStep(t["what"].get<std::string>(), t);
    if (t.contains("by_subject"))
      for (const auto& s : t["by_subject"]) PrintStep("  " + s["subject"].get<std::string>(), s);
  }
}

// The financial year (1 April to 31 March) containing `today`, as boards' annual reports use.
std::pair<Date, Date> FinancialYear(Date today) {
  int y = int(today.year()) - (unsigned(today.month()) < 4 ? 1 : 0);
  return {std::chrono::year{y} / std::chrono::April / 1, std::chrono::year{y + 1} / std::chrono::March / 31};
}

Result<Date> DateOption(const std::string& name, const std::string& text, Date fallback) {
  if (text.empty()) return fallback;
  auto d = ParseDate(text);
  if (!d.ok()) return Status::InvalidArgument(name + ": " + d.status().message());
  return *d;
}

}  // namespace

void AddReportCommands(CLI::App& app, Context& ctx, int& exit_code) {
  static std::string at;
  auto* report = app.add_subcommand("report", "Reports for the board")->require_subcommand(1);
  auto* slippage = report->add_subcommand("slippage", "How late each review ran, and why (extensions, suspensions, IMRs)");
  slippage->add_option("--at", at, "As at this date instead of now");
  slippage->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    Instant when = ctx.clock.Now();
    if (!at.empty()) {
      auto parsed = ParseInstant(at);
      if (!parsed.ok()) { exit_code = Fail(Status::InvalidArgument("--at: " + parsed.status().message())); return; }
      when = *parsed;
    }
    auto rows = ctx.engine->ListReviews({std::nullopt, /*open_only=*/false});
    if (!rows.ok()) { exit_code = Fail(rows.status()); return; }
    nlohmann::json out = SlippageReport(*rows, when);
    if (ctx.json) { std::cout << out.dump(2) << "\n"; return; }
    PrintSlippage(out);
  });

  static std::string from, to;
  static bool csv = false;
  auto* cdop = report->add_subcommand(
      "cdop", "Child deaths: categories, modifiable factors and timeliness (default: this financial year)");
  cdop->add_option("--from", from, "First notification date, YYYY-MM-DD (default: 1 April of the financial year)");
  cdop->add_option("--to", to, "Last notification date, YYYY-MM-DD (default: 31 March of the financial year)");
  cdop->add_flag("--csv", csv, "One long CSV table: section,item,measure,value (instead of --json)");
  cdop->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    // Neither end given: this financial year. --from alone runs to the end of this financial
    // year (or of its own, if later); --to alone from the start of its own (or this one's, if
    // earlier).
    Date today = LondonDate(ctx.clock.Now());
    auto first = DateOption("--from", from, today);
    if (!first.ok()) { exit_code = Fail(first.status()); return; }
    auto last = DateOption("--to", to, today);
    if (!last.ok()) { exit_code = Fail(last.status()); return; }
    if (from.empty()) *first = FinancialYear(std::min(today, *last)).first;
    if (to.empty()) *last = FinancialYear(std::max(today, *first)).second;
    if (std::chrono::sys_days{*last} < std::chrono::sys_days{*first}) {
      exit_code = Fail(Status::InvalidArgument("--to is before --from: " + FormatDate(*last) + " comes before " +
                                               FormatDate(*first)));
      return;
    }
    auto rows = ctx.engine->ListReviews({std::nullopt, /*open_only=*/false});
    if (!rows.ok()) { exit_code = Fail(rows.status()); return; }
    nlohmann::json out = ChildDeathReport(*rows, *first, *last, ctx.clock.Now());
    if (csv) std::cout << ChildDeathReportCsv(out);
    else if (ctx.json) std::cout << out.dump(2) << "\n";
    else PrintChildDeaths(out);
  });
}

}  // namespace casereview::cli

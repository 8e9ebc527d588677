// casereview report: what the board receives.
#include <algorithm>
#include <iostream>

#include "calendar.hpp"
#include "common/review_kind.hpp"
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

// The options of one period report's command (kept in the Context, as long as the command line).
struct PeriodOptions {
  std::string from, to;
  bool csv = false;
};

void AddPeriodReport(CLI::App& report, const PeriodReport& r, Context& ctx, int& exit_code) {
  PeriodOptions& o = ctx.Keep<PeriodOptions>();
  auto* cmd = report.add_subcommand(std::string(r.name), std::string(r.summary) + " (default: this financial year)");
  cmd->add_option("--from", o.from, "First notification date, YYYY-MM-DD (default: 1 April of the financial year)");
  cmd->add_option("--to", o.to, "Last notification date, YYYY-MM-DD (default: 31 March of the financial year)");
  cmd->add_flag("--csv", o.csv, "One long CSV table: section,item,measure,value (instead of --json)");
  cmd->callback([&r, &ctx, &exit_code, &o] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    // Neither end given: this financial year. --from alone runs to the end of this financial
    // year (or of its own, if later); --to alone from the start of its own (or this one's, if
    // earlier).
    Date today = LondonDate(ctx.clock.Now());
    auto first = DateOption("--from", o.from, today);
    if (!first.ok()) { exit_code = Fail(first.status()); return; }
    auto last = DateOption("--to", o.to, today);
    if (!last.ok()) { exit_code = Fail(last.status()); return; }
    if (o.from.empty()) *first = FinancialYear(std::min(today, *last)).first;
    if (o.to.empty()) *last = FinancialYear(std::max(today, *first)).second;
    if (std::chrono::sys_days{*last} < std::chrono::sys_days{*first}) {
      exit_code = Fail(Status::InvalidArgument("--to is before --from: " + FormatDate(*last) + " comes before " +
                                               FormatDate(*first)));
      return;
    }
    auto rows = ctx.engine->ListReviews({std::nullopt, /*open_only=*/false});
    if (!rows.ok()) { exit_code = Fail(rows.status()); return; }
    nlohmann::json out = r.build(*rows, *first, *last, ctx.clock.Now());
    if (o.csv) std::cout << r.csv(out);
    else if (ctx.json) std::cout << out.dump(2) << "\n";
    else std::cout << r.text(out);
  });
}

}  // namespace

void AddReportCommands(CLI::App& app, Context& ctx, int& exit_code) {
  std::string& at = ctx.Keep<std::string>();
  auto* report = app.add_subcommand("report", "Reports for the board")->require_subcommand(1);
  auto* slippage = report->add_subcommand("slippage", "How late each review ran, and why (extensions, suspensions, IMRs)");
  slippage->add_option("--at", at, "As at this date instead of now");
  slippage->callback([&ctx, &exit_code, &at] {
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

  // Each kind's reports over a period (common/review_kind.hpp), one command each.
  for (const ReviewKind* kind : ReviewKinds())
    for (const PeriodReport& r : kind->period_reports) AddPeriodReport(*report, r, ctx, exit_code);
}

}  // namespace casereview::cli

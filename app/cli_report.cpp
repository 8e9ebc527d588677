// casereview report: what the board receives.
#include <iostream>

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
}

}  // namespace casereview::cli

// casereview calendar: the bank holidays deadlines are counted against; the feeds' secret.
#include <iostream>

#include "calendar.hpp"
#include "calendar_feed.hpp"
#include "cli.hpp"

namespace casereview::cli {

void AddCalendarCommands(CLI::App& app, Context& ctx, int& exit_code) {
  int& year = ctx.Keep<int>(0);
  std::string& path = ctx.Keep<std::string>();
  auto* calendar = app.add_subcommand("calendar", "England and Wales bank holidays used for working days")
                       ->require_subcommand(1);
  auto* show = calendar->add_subcommand("show", "The bank holidays of a year");
  show->add_option("--year", year, "The year (default: this year)");
  show->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto cal = ctx.engine->Calendar();
    if (!cal.ok()) { exit_code = Fail(cal.status()); return; }
    int y = year != 0 ? year : int(LondonDate(ctx.clock.Now()).year());
    nlohmann::json out = nlohmann::json::array();
    for (const auto& h : (*cal)->HolidaysIn(y)) {
      out.push_back({{"date", FormatDate(h.date)}, {"title", h.title}, {"notes", h.notes}});
      if (!ctx.json) std::cout << FormatDate(h.date) << "\t" << h.title << (h.notes.empty() ? "" : " (" + h.notes + ")") << "\n";
    }
    if (ctx.json) std::cout << out.dump(2) << "\n";
  });
  auto* update = calendar->add_subcommand(
      "update", "Load an updated bank-holidays.json (gov.uk's format) and move every review's deadlines to it");
  update->add_option("file", path, "The bank-holidays.json file")->required();
  update->callback([&] {
    auto text = ReadFile(path);
    if (!text.ok()) { exit_code = Fail(text.status()); return; }
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto n = ctx.engine->UpdateBankHolidays(*text);
    if (!n.ok()) { exit_code = Fail(n.status()); return; }
    std::cout << "bank holidays updated from " << path << "; deadlines of " << *n << " reviews re-counted\n";
  });
  auto* rotate = calendar->add_subcommand(
      "rotate-feeds", "A new secret for the calendar feed addresses: every address given out stops working");
  rotate->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    if (Status s = RotateCalendarFeeds(*ctx.store, ctx.clock.Now()); !s.ok()) { exit_code = Fail(s); return; }
    std::cout << "calendar feed addresses renewed: each person gets theirs again from GET /api/v1/calendar\n";
  });
}

}  // namespace casereview::cli

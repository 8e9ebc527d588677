// Who hears what: the notices each accepted event queues, addressed from people's roles on
// the board and on the review (engine/notices.hpp). Run over the whole example review.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "support/example_run.hpp"

using namespace casereview;
using casereview::testing::ExampleRun;
using Json = nlohmann::json;
using Ids = std::vector<std::string>;

namespace {

const Ids kStandingPanel = {"p-csc-lead",      "p-family-liaison", "p-health-lead",    "p-hospital-lead",
                            "p-panel-chair",   "p-police-lead",    "p-schools-lead",   "p-voluntary-lead"};

struct ExampleOutbox {
  ExampleRun run;
  std::vector<Notice> notices;

  ExampleOutbox() {
    for (std::size_t i = 0; i < run.scenario.steps.size(); ++i) run.RunStep(i);
    auto all = run.store->ListNotices({});
    REQUIRE(all.ok());
    notices = *all;
  }

  std::vector<Notice> OfKind(const std::string& kind) const {
    std::vector<Notice> out;
    std::copy_if(notices.begin(), notices.end(), std::back_inserter(out), [&](const Notice& n) { return n.kind == kind; });
    return out;
  }

  // The one notice of `kind` whose payload has `key` == `value`.
  Notice With(const std::string& kind, const std::string& key, const std::string& value) const {
    std::vector<Notice> found;
    for (const Notice& n : OfKind(kind))
      if (Json::parse(n.payload).value(key, "") == value) found.push_back(n);
    INFO(kind << " with " << key << " = " << value);
    REQUIRE(found.size() == 1);
    return found[0];
  }
};

Json About(const Notice& n) { return Json::parse(n.payload); }

}  // namespace

SCENARIO("Each event tells the people who must act", "[engine][notices]") {
  GIVEN("the example review run from referral to closure") {
    static ExampleOutbox box;  // one run for every THEN
    THEN("the standing panel hears of the referral and of each meeting convened") {
      auto referred = box.OfKind("case-referred");
      REQUIRE(referred.size() == 1);
      CHECK(referred[0].recipients == kStandingPanel);
      CHECK(referred[0].board_id == "demo");
      Notice meeting = box.With("meeting-convened", "meeting_date", "2026-01-12");
      CHECK(meeting.recipients == kStandingPanel);
      CHECK(About(meeting).value("meeting_kind", "") == "extraordinary");
    }
    THEN("the board chair hears whenever a decision is theirs, and only for events accepted") {
      auto decisions = box.OfKind("decision-needed");
      REQUIRE(decisions.size() == 3);  // the SCR recommendation, the extension, the sign-off
      for (const Notice& n : decisions) CHECK(n.recipients == Ids{"p-board-chair"});
      CHECK_THAT(About(decisions[0]).value("task", ""), Catch::Contains("recommends one"));
      CHECK_THAT(About(decisions[1]).value("task", ""), Catch::Contains("2026-07-26"));
      CHECK_THAT(About(decisions[2]).value("task", ""), Catch::Contains("sign off"));
    }
    THEN("each IMR author and their senior manager hear when it is commissioned and returned") {
      CHECK(box.OfKind("imr-commissioned").size() == 3);
      Notice csc = box.With("imr-commissioned", "agency", "Northbridge Children's Social Care");
      CHECK(csc.recipients == Ids{"p-csc-author", "p-csc-sm"});
      CHECK(About(csc).value("due_date", "") == "2026-03-13");
      auto returned = box.OfKind("imr-returned");
      REQUIRE(returned.size() == 1);
      CHECK(returned[0].recipients == Ids{"p-hospital-author", "p-hospital-sm"});
    }
    THEN("IMR reminders and overdue notices go to the author and the senior manager") {
      bool police_reminded = false;
      for (const Notice& n : box.OfKind("deadline-reminder")) {
        if (!About(n).value("task", "").starts_with("IMR submitted")) continue;
        INFO(n.id << " " << n.payload);
        CHECK(n.recipients.size() == 2);
        police_reminded |= n.recipients == Ids{"p-police-author", "p-police-sm"};
      }
      CHECK(police_reminded);
      auto overdue = box.OfKind("deadline-overdue");
      REQUIRE_FALSE(overdue.empty());
      CHECK(std::any_of(overdue.begin(), overdue.end(), [](const Notice& n) {
        return n.recipients == Ids{"p-police-author", "p-police-sm"};
      }));
    }
    THEN("the overview writer hears of the appointment and of each return") {
      auto appointed = box.OfKind("overview-commissioned");
      REQUIRE(appointed.size() == 1);
      CHECK(appointed[0].recipients == Ids{"p-writer"});
      auto returned = box.OfKind("overview-returned");
      REQUIRE(returned.size() == 1);
      CHECK(returned[0].recipients == Ids{"p-writer"});
    }
    THEN("each action's lead officer hears when it is assigned") {
      CHECK(box.OfKind("action-assigned").size() == 3);
      Notice a1 = box.With("action-assigned", "action", "A1");
      CHECK(a1.recipients == Ids{"p-csc-sm"});
      CHECK_FALSE(About(a1).value("due_date", "").empty());
    }
    THEN("no notice carries an event's free text or the child's details") {
      for (const Notice& n : box.notices) {
        INFO(n.id << " " << n.payload);
        CHECK_THAT(n.payload, !Catch::Contains("chronology") && !Catch::Contains("toolkit") &&
                                  !Catch::Contains("executive summary") && !Catch::Contains("subject"));
        const Json about = About(n);
        for (const auto& [key, value] : about.items())
          CHECK(std::set<std::string>{"review", "stage", "task", "due_date", "agency", "action", "holder_role",
                                      "step", "to", "meeting_date", "meeting_kind"}
                    .count(key) == 1);
      }
    }
  }
}

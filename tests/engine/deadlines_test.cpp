// Deadlines from policy profiles, with known answers: the seed's 4 months, Working
// Together 2010's 6, Working Together 2018's working-day clocks, extensions, suspensions,
// IMR defaults, and the profiles as data.
#include <catch2/catch.hpp>

#include "board_import.hpp"
#include "deadlines.hpp"
#include "casereview/engine.hpp"
#include "policy_profile.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::ExamplePath;
using casereview::testing::ReadBytes;
using Json = nlohmann::json;

namespace {

Instant At(const char* text) { return *ParseInstant(text); }

// A board on `profile` with the demo's agencies and people, and one referred review.
struct Fixture {
  std::unique_ptr<Store> store = NewMemoryStore();
  ManualClock clock{At("2026-01-05T09:00:00Z")};
  Engine engine{*store, clock};
  std::string ref;

  explicit Fixture(const std::string& profile, const char* referred_at = "2026-01-05T09:00:00Z") {
    auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
    REQUIRE(board.ok());
    board->board.policy_profile = profile;
    REQUIRE(engine.ImportBoardData(*board).ok());
    clock.Set(At(referred_at));
    auto r = engine.Open("scr", "", {{"referring_agency", "police"}, {"incident", "death"},
                                   {"incident_date", "2026-01-02"}, {"abuse_or_neglect", "suspected"},
                                   {"agencies_involved", {"csc", "police"}}}, "p-spoc");
    INFO(r.status().message());
    REQUIRE(r.ok());
    ref = *r;
  }

  void Record(const char* at, const std::string& event, const Json& fields, const char* by = "p-spoc") {
    clock.Set(At(at));
    auto r = engine.Record(ref, event, fields, by);
    INFO(r.status().message());
    REQUIRE(r.ok());
  }

  // Through the panel and the chair's decision to proceed on `decision_date`.
  void DecideToProceed(const std::string& decision_date) {
    Record("2026-01-12T10:00:00Z", "PanelMeetingHeld",
           {{"date", "2026-01-12"},
            {"attendees", {"p-panel-chair", "p-csc-lead", "p-health-lead", "p-police-lead", "p-schools-lead"}}});
    Record("2026-01-12T11:00:00Z", "ScrRecommended", {{"reasons", "criteria met"}});
    Record("2026-01-13T10:00:00Z", "ChairDecidedToProceed", {{"date", decision_date}}, "p-board-chair");
  }

  Json Deadline(const std::string& key) {
    Json p = Json::parse(store->GetReview(ref)->projection);
    for (const auto& d : p["deadlines"])
      if (d["key"] == key) return d;
    FAIL("no deadline " << key);
    return {};
  }
};

}  // namespace

SCENARIO("seed-2010: the chair decides within a month and the SCR completes within 4 months", "[deadline][profile]") {
  Fixture f("seed-2010");
  THEN("the decision is due a calendar month after the referral, at the end of that London day") {
    REQUIRE(f.Deadline("scr-decision")["due_date"] == "2026-02-05");
    REQUIRE(f.Deadline("scr-decision")["due"] == "2026-02-05T23:59:59Z");
  }
  WHEN("the chair decides to proceed on 31 October 2026") {
    f.DecideToProceed("2026-10-31");
    THEN("completion is due on the last day of February (months clamp), and the decision is met") {
      REQUIRE(f.Deadline("scr-completion")["due_date"] == "2027-02-28");
      REQUIRE(f.Deadline("scr-decision")["status"] == "met");
      REQUIRE(f.Deadline("scr-decision")["late_days"] == 0);
    }
  }
  WHEN("the decision falls on 31 October 2027") {
    f.DecideToProceed("2027-10-31");
    THEN("the leap year's 29 February is the due date") {
      REQUIRE(f.Deadline("scr-completion")["due_date"] == "2028-02-29");
    }
  }
  WHEN("the decision falls in summer time") {
    f.DecideToProceed("2026-03-20");
    THEN("the due moment is 23:59:59 British Summer Time") {
      REQUIRE(f.Deadline("scr-completion")["due"] == "2026-07-20T22:59:59Z");
    }
  }
}

SCENARIO("wt2010: the same review under Working Together 2010 has 6 months", "[deadline][profile]") {
  Fixture f("wt2010");
  f.DecideToProceed("2026-01-26");
  REQUIRE(f.Deadline("scr-completion")["due_date"] == "2026-07-26");
}

SCENARIO("wt2018: the national panel's clocks run in working days", "[deadline][profile]") {
  GIVEN("a serious incident referred on Good Friday 2026") {
    Fixture f("wt2018", "2026-04-03T15:00:00Z");
    THEN("notification is due 5 working days after Tuesday 7 April (Good Friday and Easter Monday are not working days)") {
      REQUIRE(f.Deadline("national-panel-notified")["due_date"] == "2026-04-14");
    }
    WHEN("the panel is notified on 13 April") {
      f.Record("2026-04-13T12:00:00Z", "NationalPanelNotified", {{"date", "2026-04-13"}});
      THEN("the notification is met and the rapid review is due 15 working days later, after the May bank holiday") {
        REQUIRE(f.Deadline("national-panel-notified")["status"] == "met");
        REQUIRE(f.Deadline("rapid-review")["due_date"] == "2026-05-05");
      }
    }
    WHEN("publication is planned for Tuesday 1 December 2026") {
      f.Record("2026-09-01T12:00:00Z", "PublicationPlanned", {{"date", "2026-12-01"}});
      THEN("the final report must reach the national panel by Friday 20 November, 7 working days before") {
        REQUIRE(f.Deadline("final-report-to-national-panel")["due_date"] == "2026-11-20");
      }
    }
  }
}

SCENARIO("An extension moves the completion deadline and keeps the original date", "[deadline][extension]") {
  Fixture f("seed-2010");
  f.DecideToProceed("2026-01-26");
  f.Record("2026-04-20T10:00:00Z", "ExtensionRequested", {{"until", "2026-07-26"}, {"reason", "police investigation"}});
  THEN("a request alone moves nothing") { REQUIRE(f.Deadline("scr-completion")["due_date"] == "2026-05-26"); }
  f.Record("2026-04-24T10:00:00Z", "ExtensionGranted", {{"until", "2026-07-26"}}, "p-board-chair");
  THEN("the grant moves it, says so, and the original stays visible") {
    Json d = f.Deadline("scr-completion");
    REQUIRE(d["due_date"] == "2026-07-26");
    REQUIRE(d["original_due_date"] == "2026-05-26");
    REQUIRE(d["changes"][0] == "extended to 2026-07-26");
  }
}

SCENARIO("A suspension pauses the completion clock for as long as it lasts", "[deadline][suspension]") {
  Fixture f("seed-2010");
  f.DecideToProceed("2026-01-26");
  f.Record("2026-03-01T10:00:00Z", "SuspensionStarted", {{"kind", "criminal-trial"}, {"reason", "trial listed"}});
  REQUIRE(f.Deadline("scr-completion")["status"] == "suspended");
  REQUIRE_FALSE(f.engine.Record(f.ref, "SuspensionStarted", {{"kind", "inquest"}, {"reason", "x"}}, "p-spoc").ok());
  f.Record("2026-03-31T10:00:00Z", "SuspensionEnded", {{"date", "2026-03-31"}});
  Json d = f.Deadline("scr-completion");
  REQUIRE(d["status"] == "open");
  REQUIRE(d["due_date"] == "2026-06-25");  // 26 May + 30 days paused
  REQUIRE(d["original_due_date"] == "2026-05-26");
}

SCENARIO("An IMR without a due date gets the profile's, stored with the event", "[deadline][imr]") {
  Fixture f("seed-2010");
  f.DecideToProceed("2026-01-26");
  f.Record("2026-02-02T10:00:00Z", "ImrCommissioned",
           {{"agency", "csc"}, {"author", "p-csc-author"}, {"senior_manager", "p-csc-sm"},
            {"author_declares_independence", true}});
  THEN("it is due 6 weeks after commissioning, held by the author, and the event carries the date") {
    Json d = f.Deadline("imr-due:csc");
    REQUIRE(d["due_date"] == "2026-03-16");
    REQUIRE(d["holder"] == "p-csc-author");
    auto log = *f.store->LoadEvents(f.ref);
    REQUIRE(Json::parse(log.back().payload)["due"] == "2026-03-16");
  }
  THEN("the same review rebuilt from its log has the same deadlines") {
    REQUIRE(f.engine.Recover().ok());
  }
}

SCENARIO("A deadline's key and description are made from its rule and subject", "[deadline][key]") {
  GIVEN("an IMR's deadline for one agency and a review's own deadline") {
    casereview::Deadline imr;
    imr.texts = &SharedRuleTexts("imr-due", "IMR submitted to the panel", "imr-author");
    imr.subject = "police";
    casereview::Deadline own;
    own.texts = &SharedRuleTexts(std::string("scr-decision"), "chair decides whether to hold an SCR", "board-chair");
    THEN("the key is the rule id, with \":\" and the subject when there is one") {
      REQUIRE(imr.Key() == "imr-due:police");
      REQUIRE(own.Key() == "scr-decision");
      REQUIRE(imr.What() == "IMR submitted to the panel (police)");
      REQUIRE(own.What() == "chair decides whether to hold an SCR");
    }
    THEN("equal rule texts are one shared copy") {
      REQUIRE(&SharedRuleTexts("imr-due", "IMR submitted to the panel", "imr-author") == imr.texts);
      REQUIRE(&SharedRuleTexts("imr-due", "IMR submitted", "imr-author") != imr.texts);
      REQUIRE(own.Rule() == "scr-decision");
      REQUIRE(own.HolderRole() == "board-chair");
    }
    THEN("HasKey says exactly whether the key is that one") {
      REQUIRE(imr.HasKey("imr-due:police"));
      for (std::string_view other : {"imr-due", "imr-due:", "imr-due:polic", "imr-due:police ", "imr-duex:police",
                                     "imr-due;police", "police", ""})
        REQUIRE_FALSE(imr.HasKey(other));
      REQUIRE(own.HasKey("scr-decision"));
      for (std::string_view other : {"scr-decision:", "scr-decisio", ""}) REQUIRE_FALSE(own.HasKey(other));
    }
  }
  GIVEN("a review's deadlines as its read model shows them") {
    Fixture f("seed-2010");
    f.DecideToProceed("2026-01-26");
    f.Record("2026-02-02T10:00:00Z", "ImrCommissioned",
             {{"agency", "csc"}, {"author", "p-csc-author"}, {"senior_manager", "p-csc-sm"},
              {"author_declares_independence", true}});
    THEN("each shows its key, rule, subject and description as before") {
      Json d = f.Deadline("imr-due:csc");
      REQUIRE(d["rule"] == "imr-due");
      REQUIRE(d["subject"] == "csc");
      REQUIRE(d["what"] == "IMR submitted (csc)");
      REQUIRE(d["status"] == "open");
      REQUIRE(f.Deadline("scr-decision")["status"] == "met");
    }
  }
}

SCENARIO("Policy profiles are data, checked when loaded", "[profile]") {
  for (const auto& name : BuiltInProfileNames()) {
    auto p = BuiltInProfile(name);
    INFO(name << ": " << p.status().message());
    REQUIRE(p.ok());
    REQUIRE(PolicyProfileFromJson(PolicyProfileToJson(*p)).value() == *p);  // round trip
  }
  THEN("seed-2010 and wt2010 differ only in the completion length") {
    auto seed = *BuiltInProfile("seed-2010");
    auto wt = *BuiltInProfile("wt2010");
    REQUIRE(seed.Rule("scr-completion")->length->value == 4);
    REQUIRE(wt.Rule("scr-completion")->length->value == 6);
    REQUIRE(seed.reminders == wt.reminders);
  }
  THEN("bad profiles are refused, naming what is wrong") {
    CHECK_THAT(ParsePolicyProfile("[").status().message(), Catch::Contains("not JSON"));
    CHECK_THAT(ParsePolicyProfile(R"({"name":"x","deadlines":[{"id":"d","what":"w","holder":"h","anchor":{"event":"Nope"},"length":{"unit":"weeks","value":1},"met_by":["ImrSubmitted"]}]})")
                   .status().message(), Catch::Contains("unknown anchor event 'Nope'"));
    CHECK_THAT(ParsePolicyProfile(R"({"name":"x","deadlines":[{"id":"d","what":"w","holder":"h","anchor":{"event":"CaseReferred","field":"reasons"},"length":{"unit":"weeks","value":1},"met_by":["ImrSubmitted"]}]})")
                   .status().message(), Catch::Contains("has no date field 'reasons'"));
    CHECK_THAT(ParsePolicyProfile(R"({"name":"x","deadlines":[{"id":"d","what":"w","holder":"h","anchor":{"event":"CaseReferred"},"length":{"unit":"fortnights","value":1},"met_by":["ImrSubmitted"]}]})")
                   .status().message(), Catch::Contains("unknown unit 'fortnights'"));
    CHECK_THAT(ParsePolicyProfile(R"({"name":"x","escalation":[{"after":{"unit":"hours","value":1},"to":"the press"}]})")
                   .status().message(), Catch::Contains("not 'the press'"));
  }
  THEN("an only_if without its field is refused, not applied always (found by fuzzing)") {
    Result<PolicyProfile> p = ParsePolicyProfile(R"({"name":"x","deadlines":[{"id":"d","what":"w","holder":"h","anchor":{"event":"ChildDeathNotified"},"only_if":{"fiend":"expected","equals":"unexpected"},"length":{"unit":"hours","value":48},"met_by":["InformationSharingMeetingHeld"]}]})");
    REQUIRE_FALSE(p.ok());
    CHECK_THAT(p.status().message(), Catch::Contains("only_if needs a choice field of ChildDeathNotified and one of its choices"));
  }
  THEN("a duration too big for the range is refused, never wrapped round to a small one (found by fuzzing)") {
    // 2^64 - 1 weeks once came back as -1 week: read as int64 it wraps round.
    Result<PolicyProfile> huge = ParsePolicyProfile(R"({"name":"x","reminders":[{"unit":"weeks","value":18446744073709551615}]})");
    REQUIRE_FALSE(huge.ok());
    CHECK_THAT(huge.status().message(), Catch::Contains("a reminder value is out of range (-1000..10000)"));
    CHECK_FALSE(ParsePolicyProfile(R"({"name":"x","reminders":[{"unit":"weeks","value":9223372036854775808}]})").ok());
    Result<PolicyProfile> edge = ParsePolicyProfile(R"({"name":"x","reminders":[{"unit":"weeks","value":10000},{"unit":"hours","value":-1000}]})");
    REQUIRE(edge.ok());
    CHECK(edge->reminders[0].value == 10000);
    CHECK(edge->reminders[1].value == -1000);
  }
  THEN("a board cannot choose a profile that does not exist") {
    auto store = NewMemoryStore();
    ManualClock clock(Instant{});
    Engine engine(*store, clock);
    REQUIRE_THAT(engine.CreateBoard({"b", "B", "wt2099", {}}).message(), Catch::Contains("no policy profile 'wt2099'"));
  }
}

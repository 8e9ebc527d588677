// The SCR machine alone: its guards, both ways, and that a refusal changes nothing.
#include <catch2/catch.hpp>

#include "scr/scr_workflow.hpp"
#include "support/test_support.hpp"

using casereview::ScrRules;
using casereview::ScrWorkflow;
using casereview::Status;
using casereview::testing::Resolved;
using Json = nlohmann::json;

namespace {

const Json kChair = Resolved("p-chair", "", "", {"panel-chair"});
const Json kCsc = Resolved("p-csc", "csc", "childrens-social-care");
const Json kHealth = Resolved("p-health", "caretrust", "health");
const Json kPolice = Resolved("p-police", "police", "police");
const Json kSchools = Resolved("p-schools", "schools", "education");
const Json kVoluntary = Resolved("p-vol", "voluntary", "voluntary");

ScrWorkflow Referred() {
  Json referral = {{"referring_agency", "police"}, {"incident", "death"},
                   {"incident_date", "2026-01-02"}, {"abuse_or_neglect", "suspected"},
                   {"agencies_involved", {"csc", "police"}}};
  auto w = ScrWorkflow::Begin("SCR-2026-001", ScrRules{}, referral);
  REQUIRE(w.ok());
  return std::move(*w);
}

void Must(ScrWorkflow& w, const std::string& event, const Json& fields) {
  Status s = w.Apply(event, fields);
  INFO(s.message());
  REQUIRE(s.ok());
}

ScrWorkflow ConsideredByPanel(const Json& attendees) {
  ScrWorkflow w = Referred();
  Must(w, "PanelMeetingHeld", {{"date", "2026-01-12"}, {"attendees", attendees}});
  return w;
}

ScrWorkflow InCommissioning() {
  ScrWorkflow w = ConsideredByPanel({kChair, kCsc, kHealth, kPolice, kSchools});
  Must(w, "ScrRecommended", {{"reasons", "criteria met"}});
  Must(w, "ChairDecidedToProceed", {{"date", "2026-01-20"}});
  return w;
}

Json Imr(const std::string& agency, bool independent = true) {
  return {{"agency", agency},
          {"author", Resolved("p-" + agency + "-author", agency, "x", {"imr-author"})},
          {"senior_manager", Resolved("p-" + agency + "-sm", agency, "x", {"senior-manager"})},
          {"due", "2026-03-13"},
          {"author_declares_independence", independent}};
}

}  // namespace

SCENARIO("A panel recommendation needs a quorate meeting", "[scr][quorum]") {
  GIVEN("the seed rule: the chair and at least 4 agencies, including health and social care") {
    WHEN("the chair and four agencies including health and children's social care met") {
      ScrWorkflow w = ConsideredByPanel({kChair, kCsc, kHealth, kPolice, kSchools});
      THEN("the panel can recommend an SCR") {
        REQUIRE(w.Apply("ScrRecommended", {{"reasons", "criteria met"}}).ok());
        REQUIRE(w.Stage() == "AwaitingChairDecision");
      }
    }
    WHEN("only three agencies were represented") {
      ScrWorkflow w = ConsideredByPanel({kChair, kCsc, kHealth, kPolice});
      Status s = w.Apply("ScrRecommended", {{"reasons", "criteria met"}});
      THEN("the recommendation is refused, saying why, and the stage does not move") {
        REQUIRE(s.code() == Status::Code::kRefused);
        REQUIRE_THAT(s.message(), Catch::Contains("SCR-2026-001") &&
                                      Catch::Contains("UnderPanelConsideration") &&
                                      Catch::Contains("3 agencies were represented (the rule needs 4)"));
        REQUIRE(w.Stage() == "UnderPanelConsideration");
      }
    }
    WHEN("the chair was absent") {
      ScrWorkflow w = ConsideredByPanel({kCsc, kHealth, kPolice, kSchools, kVoluntary});
      THEN("it is refused for that reason") {
        REQUIRE_THAT(w.Apply("NoScrRecommended", {{"reasons", "x"}}).message(),
                     Catch::Contains("the panel chair was not present"));
      }
    }
    WHEN("four agencies came but none from health") {
      ScrWorkflow w = ConsideredByPanel({kChair, kCsc, kPolice, kSchools, kVoluntary});
      THEN("it is refused, naming the missing sector") {
        REQUIRE_THAT(w.Apply("ScrRecommended", {{"reasons", "x"}}).message(),
                     Catch::Contains("no one from health was present"));
      }
    }
    WHEN("a later meeting is quorate") {
      ScrWorkflow w = ConsideredByPanel({kChair, kCsc});
      REQUIRE_FALSE(w.Apply("ScrRecommended", {{"reasons", "x"}}).ok());
      Must(w, "PanelMeetingHeld", {{"date", "2026-01-19"}, {"attendees", {kChair, kCsc, kHealth, kPolice, kSchools}}});
      THEN("the latest meeting decides") { REQUIRE(w.Apply("ScrRecommended", {{"reasons", "x"}}).ok()); }
    }
  }
  GIVEN("a board whose rule needs 2 agencies and no chair") {
    ScrRules rules;
    rules.quorum = {false, 2, {"health"}};
    Json referral = {{"referring_agency", "police"}, {"incident", "death"}, {"incident_date", "2026-01-02"},
                     {"abuse_or_neglect", "known"}, {"agencies_involved", {"police"}}};
    auto w = ScrWorkflow::Begin("SCR-2026-002", rules, referral);
    REQUIRE(w.ok());
    Must(*w, "PanelMeetingHeld", {{"date", "2026-01-12"}, {"attendees", {kHealth, kPolice}}});
    THEN("its own rule applies") { REQUIRE(w->Apply("ScrRecommended", {{"reasons", "x"}}).ok()); }
  }
}

SCENARIO("The review panel includes someone from an uninvolved agency", "[scr][independence]") {
  ScrWorkflow w = InCommissioning();
  WHEN("every member comes from an involved agency") {
    Status s = w.Apply("ReviewPanelFormed", {{"chair", kCsc}, {"members", {kCsc, kPolice}}});
    THEN("it is refused") {
      REQUIRE(s.code() == Status::Code::kRefused);
      REQUIRE_THAT(s.message(), Catch::Contains("not involved in the case"));
      REQUIRE(w.Case().review_panel.empty());
    }
  }
  WHEN("one member is from schools, which was not involved") {
    THEN("the panel is formed") {
      REQUIRE(w.Apply("ReviewPanelFormed", {{"chair", kChair}, {"members", {kCsc, kPolice, kSchools}}}).ok());
      REQUIRE(w.Case().review_panel.size() == 3);
    }
  }
}

SCENARIO("Each IMR author declares independence from the case", "[scr][independence][imr]") {
  ScrWorkflow w = InCommissioning();
  WHEN("the author has not declared it") {
    Status s = w.Apply("ImrCommissioned", Imr("csc", false));
    THEN("the IMR is not commissioned") {
      REQUIRE(s.code() == Status::Code::kRefused);
      REQUIRE_THAT(s.message(), Catch::Contains("no direct involvement"));
      REQUIRE(w.Case().imrs.empty());
    }
  }
  WHEN("the author has declared it") {
    THEN("the IMR is commissioned") {
      REQUIRE(w.Apply("ImrCommissioned", Imr("csc")).ok());
      REQUIRE(w.Case().imrs.at("csc").Stage() == "Commissioned");
    }
  }
  WHEN("the agency is not involved in the case") {
    THEN("it is refused") {
      REQUIRE_THAT(w.Apply("ImrCommissioned", Imr("schools")).message(), Catch::Contains("not involved"));
    }
  }
}

SCENARIO("Commissioning is complete only when every involved agency has an IMR", "[scr][imr]") {
  ScrWorkflow w = InCommissioning();
  Must(w, "ReviewPanelFormed", {{"chair", kChair}, {"members", {kCsc, kSchools}}});
  Must(w, "TermsOfReferenceAgreed", {{"date", "2026-01-25"}});
  Must(w, "OverviewWriterAppointed", {{"writer", Resolved("p-writer", "", "", {"overview-writer"})}});
  Must(w, "ImrCommissioned", Imr("csc"));
  Status s = w.Apply("CommissioningCompleted", Json::object());
  REQUIRE_THAT(s.message(), Catch::Contains("an IMR commissioned from: police"));
  Must(w, "ImrCommissioned", Imr("police"));
  Must(w, "CommissioningCompleted", Json::object());
  REQUIRE(w.Stage() == "ImrsInProgress");

  WHEN("one IMR is signed off and the other is not") {
    for (auto e : {"ImrSubmitted", "ImrAccepted"}) Must(w, e, {{"agency", "csc"}});
    Must(w, "ImrSignedOff", {{"agency", "csc"}, {"senior_manager", Imr("csc")["senior_manager"]}});
    THEN("the review waits for it") { REQUIRE(w.Stage() == "ImrsInProgress"); }
    AND_WHEN("the last is signed off") {
      Must(w, "ImrSubmitted", {{"agency", "police"}});
      Status early = w.Apply("ImrSignedOff", {{"agency", "police"}, {"senior_manager", Imr("police")["senior_manager"]}});
      REQUIRE(early.message() ==
              "IMR for police on SCR-2026-001 cannot be signed off: it has not been accepted by the "
              "panel (stage: Submitted)");
      Must(w, "ImrAccepted", {{"agency", "police"}});
      Status wrong = w.Apply("ImrSignedOff", {{"agency", "police"}, {"senior_manager", kCsc}});
      REQUIRE_THAT(wrong.message(), Catch::Contains("senior manager named at commissioning"));
      Must(w, "ImrSignedOff", {{"agency", "police"}, {"senior_manager", Imr("police")["senior_manager"]}});
      THEN("the overview can be drafted") { REQUIRE(w.Stage() == "OverviewDrafting"); }
    }
  }
  WHEN("an IMR is returned for revision") {
    Must(w, "ImrSubmitted", {{"agency", "csc"}});
    Must(w, "ImrReturnedForRevision", {{"agency", "csc"}, {"reasons", "more hindsight"}});
    THEN("it goes back to the author and is counted") {
      REQUIRE(w.Case().imrs.at("csc").Stage() == "ReturnedForRevision");
      REQUIRE(w.Case().imrs.at("csc").Facts().returns == 1);
      REQUIRE_FALSE(w.Apply("ImrAccepted", {{"agency", "csc"}}).ok());
      Must(w, "ImrSubmitted", {{"agency", "csc"}});
      REQUIRE(w.Case().imrs.at("csc").Facts().submissions == 2);
    }
  }
}

SCENARIO("Events that do not fit the stage are refused and change nothing", "[scr][refusal]") {
  ScrWorkflow w = Referred();
  WHEN("an IMR is submitted on a review just referred") {
    Status s = w.Apply("ImrSubmitted", {{"agency", "csc"}});
    THEN("the refusal names the review, stage and what is expected next") {
      REQUIRE(s.code() == Status::Code::kRefused);
      REQUIRE_THAT(s.message(), Catch::Contains("ImrSubmitted cannot be recorded on SCR-2026-001 at stage Referred") &&
                                    Catch::Contains("PanelMeetingHeld"));
      REQUIRE(w.Stage() == "Referred");
    }
  }
  WHEN("an unknown event is given") {
    THEN("it is invalid input") {
      REQUIRE(w.Apply("ImrEaten", Json::object()).code() == Status::Code::kInvalidArgument);
    }
  }
  WHEN("a field is missing or malformed") {
    THEN("the error names the event and field") {
      REQUIRE(w.Apply("PanelMeetingHeld", {{"attendees", {kChair}}}).message() ==
              "PanelMeetingHeld: field 'date' is required");
      REQUIRE_THAT(w.Apply("PanelMeetingHeld", {{"date", "2026-02-30"}, {"attendees", {kChair}}}).message(),
                   Catch::Contains("field 'date' must be a real date"));
    }
  }
}

SCENARIO("Extensions and parallel proceedings run alongside until sign-off", "[scr][alongside]") {
  ScrWorkflow w = InCommissioning();
  WHEN("an extension is requested and granted") {
    Must(w, "ExtensionRequested", {{"until", "2026-07-20"}, {"reason", "police investigation"}});
    REQUIRE_FALSE(w.Apply("ExtensionRequested", {{"until", "2026-08-20"}, {"reason", "again"}}).ok());
    Must(w, "ExtensionGranted", {{"until", "2026-07-20"}});
    THEN("it is recorded and the main line has not moved") {
      REQUIRE(w.Case().extensions.at(0).status == "granted");
      REQUIRE(w.Stage() == "Commissioning");
      REQUIRE_THAT(w.Apply("ExtensionGranted", {{"until", "2026-07-20"}}).message(),
                   Catch::Contains("no extension has been requested"));
    }
  }
  WHEN("a proceeding is opened, updated and concluded") {
    Must(w, "ParallelProceedingOpened", {{"proceeding", "P1"}, {"kind", "coroner"}});
    Must(w, "ParallelProceedingConcluded", {{"proceeding", "P1"}, {"status", "inquest closed"}});
    THEN("it cannot be updated again") {
      REQUIRE(w.Case().proceedings.at(0).concluded);
      REQUIRE_FALSE(w.Apply("ParallelProceedingUpdated", {{"proceeding", "P1"}, {"status", "x"}}).ok());
    }
  }
}

SCENARIO("State names are stable and every stage is named", "[scr][persistence]") {
  REQUIRE(ScrWorkflow::Stages().size() == 13);
  REQUIRE(Referred().Stage() == "Referred");
  REQUIRE(ScrWorkflow::kDefinitionVersion == 1);
}

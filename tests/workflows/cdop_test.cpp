// The child death review machine alone: both paths through it, its guards both ways, that a
// refusal changes nothing, and that the child's identifiers never reach its read model.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "cdop/cdop_events.hpp"
#include "cdop/cdop_workflow.hpp"
#include "support/test_support.hpp"

using casereview::CdopEventSpecs;
using casereview::CdopRules;
using casereview::CdopWorkflow;
using casereview::DeathCategories;
using casereview::Status;
using casereview::testing::Resolved;
using Json = nlohmann::json;

namespace {

const Json kChair = Resolved("p-chair", "", "", {"panel-chair"});
const Json kCsc = Resolved("p-csc", "csc", "childrens-social-care");
const Json kHealth = Resolved("p-health", "caretrust", "health");
const Json kPolice = Resolved("p-police", "police", "police");
const Json kSchools = Resolved("p-schools", "schools", "education");
const Json kQuoratePanel = {kChair, kCsc, kHealth, kPolice, kSchools};

// The child's identifiers as notified: none may appear in a projection or a message.
const std::string kName = "Jamie Example";
const std::string kNhsNumber = "943 476 5919";
const std::string kDob = "2025-06-14";
const std::string kDeathTime = "03:40";

// Every event some scenario got accepted, so one scenario can check none is unreachable.
std::set<std::string>& Accepted() {
  static std::set<std::string> accepted;
  return accepted;
}

Json Notification(const std::string& expected) {
  return {{"notifying_agency", "caretrust"}, {"death_date", "2026-01-02"}, {"death_time", kDeathTime},
          {"place_of_death", "home"},        {"expected", expected},
          {"agencies_involved", {"caretrust", "csc", "police"}},
          {"resident_in_area", true},        {"nhs_number", kNhsNumber},
          {"subject_name", kName},           {"subject_dob", kDob}};
}

CdopWorkflow Notified(const std::string& expected) {
  auto w = CdopWorkflow::Begin("CDR-2026-001", CdopRules{}, Notification(expected));
  INFO(w.status().message());
  REQUIRE(w.ok());
  Accepted().insert(std::string(casereview::kChildDeathNotified));
  return std::move(*w);
}

void Must(CdopWorkflow& w, const std::string& event, const Json& fields) {
  Status s = w.Apply(event, fields);
  INFO(event + ": " + s.message());
  REQUIRE(s.ok());
  Accepted().insert(event);
}

Json On(const std::string& date) { return {{"date", date}}; }

Json ReportFrom(const std::string& agency, const std::string& due = "2026-02-20") {
  return {{"agency", agency}, {"author", Resolved("p-" + agency + "-author", agency, "x")}, {"due", due}};
}

Json Meeting(const std::string& date, const std::string& notice_given_on) {
  return {{"date", date}, {"notice_given_on", notice_given_on}};
}

Json PanelReview(const Json& attendees, const std::string& category = "sudden-unexpected-unexplained-death") {
  return {{"date", "2026-05-20"}, {"attendees", attendees}, {"category", category}, {"modifiable", "yes"}};
}

// An unexpected death through its joint agency response.
CdopWorkflow AfterRapidResponse(bool post_mortem = true) {
  CdopWorkflow w = Notified("unexpected");
  Must(w, "RapidResponseStarted", On("2026-01-02"));
  Must(w, "InformationSharingMeetingHeld", {{"date", "2026-01-02"}, {"attendees", {kHealth, kPolice, kCsc}}});
  Must(w, "JointHomeVisitCompleted", On("2026-01-03"));
  if (post_mortem) Must(w, "PostMortemPerformed", On("2026-01-05"));
  Must(w, "RapidResponseCompleted", On("2026-01-09"));
  REQUIRE(w.Stage() == "AgencyReportsRequested");
  return w;
}

// Every requested form in: AwaitingInvestigations.
CdopWorkflow AwaitingInvestigations(bool post_mortem = true) {
  CdopWorkflow w = AfterRapidResponse(post_mortem);
  Must(w, "AgencyReportRequested", ReportFrom("police"));
  Must(w, "AgencyReportSubmitted", {{"agency", "police"}});
  Must(w, "AllAgencyReportsReceived", Json::object());
  REQUIRE(w.Stage() == "AwaitingInvestigations");
  return w;
}

CdopWorkflow AtPanelReview() {
  CdopWorkflow w = AwaitingInvestigations(/*post_mortem=*/false);
  Must(w, "ReviewMeetingScheduled", Meeting("2026-04-01", "2026-03-01"));
  Must(w, "LocalCaseDiscussionHeld", {{"date", "2026-04-01"}, {"attendees", {kHealth, kCsc}}});
  REQUIRE(w.Stage() == "PanelReview");
  return w;
}

bool Mentions(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

// Nothing that identifies the child, in any form it was given.
void RequireNoIdentifiers(const std::string& text) {
  INFO(text);
  REQUIRE_FALSE(Mentions(text, kName));
  REQUIRE_FALSE(Mentions(text, kNhsNumber));
  REQUIRE_FALSE(Mentions(text, "9434765919"));
  REQUIRE_FALSE(Mentions(text, kDob));
  REQUIRE_FALSE(Mentions(text, kDeathTime));
}

// The whole of an unexpected death, every event of the table on the way; checks the stage at
// each step and that the read model never names the child.
CdopWorkflow UnexpectedDeathToClosure() {
  CdopWorkflow w = Notified("unexpected");
  auto step = [&](const std::string& event, const Json& fields, const std::string& stage) {
    Must(w, event, fields);
    REQUIRE(w.Stage() == stage);
    RequireNoIdentifiers(w.Projection().dump());
    RequireNoIdentifiers(w.Next().what);
  };
  REQUIRE(w.Stage() == "Notified");
  RequireNoIdentifiers(w.Projection().dump());
  step("RapidResponseStarted", On("2026-01-02"), "RapidResponse");
  step("InformationSharingMeetingHeld", {{"date", "2026-01-02"}, {"attendees", {kHealth, kPolice, kCsc}}},
       "RapidResponse");
  step("StrategyMeetingHeld", On("2026-01-02"), "RapidResponse");
  step("CriminalInvestigationRecorded", {{"date", "2026-01-03"}, {"status", "under investigation"}},
       "RapidResponse");
  step("JointHomeVisitCompleted", On("2026-01-03"), "RapidResponse");
  step("InquestOpened", On("2026-01-04"), "RapidResponse");
  step("PostMortemPerformed", On("2026-01-05"), "RapidResponse");
  step("PostMortemDiscussionHeld", On("2026-01-08"), "RapidResponse");
  step("RapidResponseCompleted", On("2026-01-09"), "AgencyReportsRequested");
  step("AgencyReportRequested", ReportFrom("police"), "AgencyReportsRequested");
  step("AgencyReportRequested", ReportFrom("csc"), "AgencyReportsRequested");
  step("AgencyReportRequested", ReportFrom("schools"), "AgencyReportsRequested");
  step("DeadlineReminderDue", {{"deadline", "agency-report/csc"}, {"step", "reminder-1"}, {"due_date", "2026-02-20"}},
       "AgencyReportsRequested");
  step("AgencyReportSubmitted", {{"agency", "police"}}, "AgencyReportsRequested");
  step("AgencyReportSubmitted", {{"agency", "schools"}, {"not_known_answers", true}}, "AgencyReportsRequested");
  step("DeadlineEscalated",
       {{"deadline", "agency-report/csc"}, {"step", "escalation-1"}, {"due_date", "2026-02-20"}, {"to", "senior-manager"}},
       "AgencyReportsRequested");
  step("ReferredForScr", {{"reasons", "neglect suspected"}, {"scr_ref", "SCR-2026-004"}}, "AgencyReportsRequested");
  step("AgencyReportSubmitted", {{"agency", "csc"}}, "AgencyReportsRequested");
  step("AllAgencyReportsReceived", Json::object(), "AwaitingInvestigations");
  step("PostMortemReportReceived", On("2026-03-02"), "AwaitingInvestigations");
  step("ReviewMeetingScheduled", Meeting("2026-04-02", "2026-03-02"), "LocalCaseDiscussion");
  step("ReviewMeetingScheduled", Meeting("2026-04-09", "2026-03-03"), "LocalCaseDiscussion");
  step("LocalCaseDiscussionHeld", {{"date", "2026-04-09"}, {"attendees", {kHealth, kCsc, kPolice}}}, "PanelReview");
  step("ContributoryFactorRecorded",
       {{"domain", "social-environment"}, {"factor", "unsafe sleeping arrangement"}, {"grade", "2"}}, "PanelReview");
  step("PanelReviewHeld", PanelReview(kQuoratePanel), "PanelReview");
  step("ContributoryFactorRecorded",
       {{"domain", "service-provision"}, {"factor", "health visitor caseload"}, {"grade", "1"}}, "PanelReview");
  step("RecommendationMade", {{"recommendation", "safer sleep campaign with midwives"}}, "PanelReview");
  step("PoliceInvestigationConcluded", On("2026-05-21"), "PanelReview");
  step("InquestConcluded", {{"date", "2026-05-22"}, {"conclusion", "unascertained"}}, "PanelReview");
  step("ReviewClosed", On("2026-05-27"), "Closed");
  return w;
}

}  // namespace

SCENARIO("An unexpected death goes from notification through the joint agency response to closure",
         "[cdop][lifecycle]") {
  GIVEN("a death notified as unexpected") {
    CdopWorkflow w = UnexpectedDeathToClosure();
    THEN("the review is closed with the panel's findings") {
      REQUIRE(w.IsFinal());
      REQUIRE(w.Next().what == "nothing: the review is closed");
      REQUIRE(w.Next().holders.empty());
      Json p = w.Projection();
      REQUIRE(p["kind"] == "cdop");
      REQUIRE(p["stage"] == "Closed");
      REQUIRE(p["notification"]["expected"] == "unexpected");
      REQUIRE(p["notification"]["place_of_death"] == "home");
      REQUIRE(p["rapid_response"]["started_on"] == "2026-01-02");
      REQUIRE(p["rapid_response"]["post_mortems"] == Json::array({"2026-01-05"}));
      REQUIRE(p["rapid_response"]["criminal_investigations"][0]["status"] == "under investigation");
      REQUIRE(p["rapid_response"]["strategy_meetings"] == Json::array({"2026-01-02"}));
      REQUIRE(p["agency_reports"].size() == 3);
      REQUIRE(p["agency_reports"][2]["agency"] == "schools");
      REQUIRE(p["agency_reports"][2]["not_known_answers"] == true);
      REQUIRE(p["agency_reports"][1]["status"] == "submitted");
      REQUIRE(p["investigations"]["inquest_conclusion"] == "unascertained");
      REQUIRE(p["investigations"]["police_investigation_concluded_on"] == "2026-05-21");
      REQUIRE(p["review_meeting"]["date"] == "2026-04-09");
      REQUIRE(p["review_meeting"]["times_scheduled"] == 2);
      REQUIRE(p["panel_review"]["category"] == "sudden-unexpected-unexplained-death");
      REQUIRE(p["panel_review"]["category_number"] == 10);
      REQUIRE(p["panel_review"]["modifiable"] == "yes");
      REQUIRE(p["panel_review"]["contributory_factors"].size() == 2);
      REQUIRE(p["panel_review"]["contributory_factors"][0]["grade"] == 2);
      REQUIRE(p["panel_review"]["recommendations"] == 1);
      REQUIRE(p["scr_ref"] == "SCR-2026-004");
      REQUIRE(p["closed_on"] == "2026-05-27");
      REQUIRE(p["alongside"]["reminders_fired"] == 1);
      REQUIRE(p["alongside"]["escalations"] == Json::array({"agency-report/csc -> senior-manager"}));
    }
    THEN("the agency asked for a form that was not notified as involved now is") {
      REQUIRE(w.Case().involved_agencies.count("schools") == 1);
    }
  }
}

SCENARIO("An expected death skips the joint agency response", "[cdop][lifecycle]") {
  GIVEN("a death notified as expected") {
    CdopWorkflow w = Notified("expected");
    THEN("the SPOC is asked to request the agencies' forms") {
      REQUIRE_THAT(w.Next().what, Catch::Contains("AgencyReportRequested") && Catch::Contains("caretrust, csc, police"));
      REQUIRE(w.Next().holders[0]["role"] == "business-officer");
    }
    WHEN("the first reporting form is requested") {
      Must(w, "AgencyReportRequested", ReportFrom("caretrust"));
      THEN("the review waits for the forms, and the author holds the next step") {
        REQUIRE(w.Stage() == "AgencyReportsRequested");
        REQUIRE(w.Case().rapid_response.started_on.empty());
        Json holder = w.Next().holders[0];
        REQUIRE(holder["role"] == "report-author");
        REQUIRE(holder["person"] == "p-caretrust-author");
        REQUIRE(holder["agency"] == "caretrust");
        REQUIRE_THAT(w.Next().what, Catch::Contains("not yet asked for a form: csc, police"));
      }
      AND_WHEN("it is in and the meeting is scheduled, with no post-mortem to wait for") {
        Must(w, "AgencyReportSubmitted", {{"agency", "caretrust"}, {"not_known_answers", false}});
        Must(w, "AllAgencyReportsReceived", Json::object());
        Must(w, "ReviewMeetingScheduled", Meeting("2026-03-10", "2026-02-10"));
        Must(w, "LocalCaseDiscussionHeld", {{"date", "2026-03-10"}, {"attendees", Json::array({kHealth})}});
        Must(w, "PanelReviewHeld", PanelReview(kQuoratePanel, "chronic-medical-condition"));
        Must(w, "ReviewClosed", On("2026-05-20"));
        THEN("it closes") {
          REQUIRE(w.Stage() == "Closed");
          REQUIRE(w.Projection()["notification"]["expected"] == "expected");
          REQUIRE(w.Projection()["rapid_response"]["started_on"] == "");
        }
      }
    }
  }
}

SCENARIO("The joint agency response is for unexpected deaths only", "[cdop][guard][rapid-response]") {
  GIVEN("an expected death") {
    CdopWorkflow w = Notified("expected");
    Status s = w.Apply("RapidResponseStarted", On("2026-01-02"));
    THEN("a rapid response is refused, saying why") {
      REQUIRE(s.code() == Status::Code::kRefused);
      REQUIRE(s.message() ==
              "RapidResponseStarted cannot be recorded on CDR-2026-001 at stage Notified: the death was "
              "notified as expected; the joint agency response is for unexpected deaths (request the "
              "agency reports: AgencyReportRequested)");
      REQUIRE(w.Stage() == "Notified");
    }
  }
  GIVEN("an unexpected death") {
    CdopWorkflow w = Notified("unexpected");
    THEN("it starts") {
      Must(w, "RapidResponseStarted", On("2026-01-02"));
      REQUIRE(w.Stage() == "RapidResponse");
    }
  }
}

SCENARIO("An unexpected death's agency reports wait for its rapid response", "[cdop][guard][rapid-response]") {
  GIVEN("an unexpected death just notified") {
    CdopWorkflow w = Notified("unexpected");
    WHEN("a reporting form is requested") {
      Status s = w.Apply("AgencyReportRequested", ReportFrom("police"));
      THEN("it is refused: the rapid response starts first") {
        REQUIRE(s.code() == Status::Code::kRefused);
        REQUIRE(s.message() ==
                "AgencyReportRequested cannot be recorded on CDR-2026-001 at stage Notified: the death was "
                "unexpected: the joint agency response starts first (RapidResponseStarted)");
        REQUIRE(w.Case().agency_reports.empty());
      }
    }
  }
  GIVEN("a rapid response under way") {
    CdopWorkflow w = Notified("unexpected");
    Must(w, "RapidResponseStarted", On("2026-01-02"));
    Must(w, "JointHomeVisitCompleted", On("2026-01-02"));
    WHEN("it is completed before the information sharing and planning meeting") {
      Status s = w.Apply("RapidResponseCompleted", On("2026-01-04"));
      THEN("it is refused") {
        REQUIRE(s.message() ==
                "RapidResponseCompleted cannot be recorded on CDR-2026-001 at stage RapidResponse: the "
                "information sharing and planning meeting has not been held (InformationSharingMeetingHeld)");
        REQUIRE(w.Stage() == "RapidResponse");
        REQUIRE_THAT(w.Next().what, Catch::Contains("InformationSharingMeetingHeld") &&
                                        !Catch::Contains("JointHomeVisitCompleted"));
      }
    }
    WHEN("the meeting has been held") {
      Must(w, "InformationSharingMeetingHeld", {{"date", "2026-01-03"}, {"attendees", {kPolice, kHealth}}});
      THEN("the rapid response completes and the agency forms follow") {
        Must(w, "RapidResponseCompleted", On("2026-01-04"));
        REQUIRE(w.Stage() == "AgencyReportsRequested");
      }
    }
  }
}

SCENARIO("Each agency has at most one reporting form outstanding", "[cdop][guard][reports]") {
  CdopWorkflow w = AfterRapidResponse();
  Must(w, "AgencyReportRequested", ReportFrom("police"));
  WHEN("the same agency is asked again while its form is out") {
    Status s = w.Apply("AgencyReportRequested", ReportFrom("police", "2026-03-01"));
    THEN("it is refused") {
      REQUIRE(s.message() ==
              "AgencyReportRequested cannot be recorded on CDR-2026-001 at stage AgencyReportsRequested: a "
              "reporting form from police is already outstanding (due 2026-02-20)");
      REQUIRE(w.Case().agency_reports.size() == 1);
    }
  }
  WHEN("its form is in") {
    Must(w, "AgencyReportSubmitted", {{"agency", "police"}});
    THEN("it can be asked again, and cannot submit twice") {
      REQUIRE_THAT(w.Apply("AgencyReportSubmitted", {{"agency", "police"}}).message(),
                   Catch::Contains("no reporting form from police is outstanding"));
      Must(w, "AgencyReportRequested", ReportFrom("police", "2026-03-01"));
      REQUIRE(w.Case().agency_reports.size() == 2);
    }
  }
  WHEN("an agency never asked submits a form") {
    THEN("it is refused") {
      REQUIRE_THAT(w.Apply("AgencyReportSubmitted", {{"agency", "csc"}}).message(),
                   Catch::Contains("no reporting form from csc is outstanding"));
    }
  }
}

SCENARIO("All agency reports are received only when none is outstanding", "[cdop][guard][reports]") {
  CdopWorkflow w = AfterRapidResponse();
  WHEN("no form has been requested") {
    THEN("it is refused") {
      REQUIRE_THAT(w.Apply("AllAgencyReportsReceived", Json::object()).message(),
                   Catch::Contains("no reporting form has been requested"));
    }
  }
  WHEN("one of two forms is outstanding") {
    Must(w, "AgencyReportRequested", ReportFrom("police"));
    Must(w, "AgencyReportRequested", ReportFrom("csc"));
    Must(w, "AgencyReportSubmitted", {{"agency", "police"}});
    Status s = w.Apply("AllAgencyReportsReceived", Json::object());
    THEN("it is refused, naming the agency") {
      REQUIRE(s.code() == Status::Code::kRefused);
      REQUIRE(s.message() ==
              "AllAgencyReportsReceived cannot be recorded on CDR-2026-001 at stage AgencyReportsRequested: "
              "reporting forms still outstanding from: csc");
      REQUIRE(w.Stage() == "AgencyReportsRequested");
    }
    AND_WHEN("the last is in") {
      Must(w, "AgencyReportSubmitted", {{"agency", "csc"}});
      THEN("the review awaits the investigations") {
        Must(w, "AllAgencyReportsReceived", Json::object());
        REQUIRE(w.Stage() == "AwaitingInvestigations");
      }
    }
  }
}

SCENARIO("The child death review meeting needs a calendar month's notice", "[cdop][guard][meeting]") {
  CdopWorkflow w = AwaitingInvestigations(/*post_mortem=*/false);
  WHEN("it is called with three weeks' notice") {
    Status s = w.Apply("ReviewMeetingScheduled", Meeting("2026-03-22", "2026-03-01"));
    THEN("it is refused, giving the earliest date") {
      REQUIRE(s.message() ==
              "ReviewMeetingScheduled cannot be recorded on CDR-2026-001 at stage AwaitingInvestigations: the "
              "meeting on 2026-03-22 gives less than a calendar month's notice (notice given on 2026-03-01; "
              "the earliest date is 2026-04-01)");
      REQUIRE(w.Stage() == "AwaitingInvestigations");
    }
  }
  WHEN("notice was given on 31 January") {
    THEN("28 February is a month later, and the 27th is not") {
      REQUIRE_THAT(w.Apply("ReviewMeetingScheduled", Meeting("2026-02-27", "2026-01-31")).message(),
                   Catch::Contains("the earliest date is 2026-02-28"));
      Must(w, "ReviewMeetingScheduled", Meeting("2026-02-28", "2026-01-31"));
      REQUIRE(w.Stage() == "LocalCaseDiscussion");
    }
  }
  WHEN("the meeting is moved") {
    Must(w, "ReviewMeetingScheduled", Meeting("2026-04-01", "2026-03-01"));
    THEN("the new date needs a month's notice too") {
      REQUIRE_THAT(w.Apply("ReviewMeetingScheduled", Meeting("2026-04-08", "2026-03-20")).message(),
                   Catch::Contains("at stage LocalCaseDiscussion: the meeting on 2026-04-08"));
      Must(w, "ReviewMeetingScheduled", Meeting("2026-04-20", "2026-03-20"));
      REQUIRE(w.Case().review_meeting.date == "2026-04-20");
      REQUIRE_THAT(w.Next().what, Catch::Contains("2026-04-20"));
    }
  }
}

SCENARIO("The child death review meeting waits for the post-mortem report", "[cdop][guard][meeting]") {
  GIVEN("a post-mortem was performed and its report is not in") {
    CdopWorkflow w = AwaitingInvestigations(/*post_mortem=*/true);
    REQUIRE_THAT(w.Next().what, Catch::Contains("PostMortemReportReceived"));
    Status s = w.Apply("ReviewMeetingScheduled", Meeting("2026-04-01", "2026-03-01"));
    THEN("scheduling is refused") {
      REQUIRE(s.message() ==
              "ReviewMeetingScheduled cannot be recorded on CDR-2026-001 at stage AwaitingInvestigations: the "
              "post-mortem report has not been received");
    }
    THEN("short notice is reported as well") {
      REQUIRE_THAT(w.Apply("ReviewMeetingScheduled", Meeting("2026-03-02", "2026-03-01")).message(),
                   Catch::Contains("the post-mortem report has not been received; the meeting on 2026-03-02"));
    }
    WHEN("the report is received") {
      Must(w, "PostMortemReportReceived", On("2026-02-26"));
      THEN("the meeting can be scheduled") {
        Must(w, "ReviewMeetingScheduled", Meeting("2026-04-01", "2026-03-01"));
        REQUIRE(w.Stage() == "LocalCaseDiscussion");
      }
    }
  }
}

SCENARIO("The CDOP records its findings only when quorate", "[cdop][guard][quorum]") {
  CdopWorkflow w = AtPanelReview();
  WHEN("only three agencies were represented") {
    Status s = w.Apply("PanelReviewHeld", PanelReview({kChair, kCsc, kHealth, kPolice}));
    THEN("it is refused, saying why") {
      REQUIRE(s.code() == Status::Code::kRefused);
      REQUIRE(s.message() ==
              "PanelReviewHeld cannot be recorded on CDR-2026-001 at stage PanelReview: the panel was not "
              "quorate: 3 agencies were represented (the rule needs 4)");
      REQUIRE(w.Case().panel.meetings == 0);
    }
  }
  WHEN("the chair and four agencies including health and social care met") {
    Must(w, "PanelReviewHeld", PanelReview(kQuoratePanel, "infection"));
    THEN("the findings are recorded") {
      REQUIRE(w.Case().panel.category == "infection");
      REQUIRE(w.Projection()["panel_review"]["category_title"] == "Infection");
    }
  }
  GIVEN("a board whose rule needs 2 agencies and no chair") {
    CdopRules rules;
    rules.quorum = {false, 2, {"health"}};
    auto other = CdopWorkflow::Begin("CDR-2026-002", rules, Notification("expected"));
    REQUIRE(other.ok());
    Must(*other, "AgencyReportRequested", ReportFrom("caretrust"));
    Must(*other, "AgencyReportSubmitted", {{"agency", "caretrust"}});
    Must(*other, "AllAgencyReportsReceived", Json::object());
    Must(*other, "ReviewMeetingScheduled", Meeting("2026-04-01", "2026-03-01"));
    Must(*other, "LocalCaseDiscussionHeld", {{"date", "2026-04-01"}, {"attendees", Json::array({kHealth})}});
    THEN("its own rule applies") { Must(*other, "PanelReviewHeld", PanelReview({kHealth, kPolice})); }
  }
}

SCENARIO("A review closes only once the panel has recorded its category and modifiable factors",
         "[cdop][guard][closure]") {
  CdopWorkflow w = AtPanelReview();
  Must(w, "ContributoryFactorRecorded", {{"domain", "intrinsic-to-child"}, {"factor", "prematurity"}, {"grade", "0"}});
  Must(w, "RecommendationMade", {{"recommendation", "review discharge planning"}});
  WHEN("it is closed before the panel review") {
    Status s = w.Apply("ReviewClosed", On("2026-05-27"));
    THEN("it is refused") {
      REQUIRE(s.message() ==
              "ReviewClosed cannot be recorded on CDR-2026-001 at stage PanelReview: the panel has not "
              "recorded the category of death and modifiable factors (PanelReviewHeld)");
      REQUIRE_FALSE(w.IsFinal());
    }
  }
  WHEN("the panel has recorded them") {
    Must(w, "PanelReviewHeld", PanelReview(kQuoratePanel));
    THEN("it closes, and nothing more is recorded") {
      Must(w, "ReviewClosed", On("2026-05-27"));
      REQUIRE(w.IsFinal());
      REQUIRE_THAT(w.Apply("InquestOpened", On("2026-06-01")).message(),
                   Catch::Contains("at stage Closed: the review is closed"));
      REQUIRE_THAT(w.Apply("ReferredForScr", {{"reasons", "x"}}).message(),
                   Catch::Contains("the review is closed"));
      REQUIRE_THAT(w.Apply("RecommendationMade", {{"recommendation", "x"}}).message(),
                   Catch::Contains("at stage Closed. Next expected: nothing"));
    }
  }
}

SCENARIO("Investigations are tracked at any stage before closure and never block", "[cdop][investigations]") {
  CdopWorkflow w = Notified("unexpected");
  Must(w, "RapidResponseStarted", On("2026-01-02"));
  WHEN("the inquest is concluded before it was opened") {
    THEN("it is refused") {
      REQUIRE(w.Apply("InquestConcluded", On("2026-01-05")).message() ==
              "InquestConcluded cannot be recorded on CDR-2026-001 at stage RapidResponse: no inquest has been "
              "opened (InquestOpened)");
    }
  }
  WHEN("the inquest opens during the rapid response") {
    Must(w, "InquestOpened", On("2026-01-05"));
    THEN("the main line does not move, and each fact is recorded once") {
      REQUIRE(w.Stage() == "RapidResponse");
      REQUIRE_THAT(w.Apply("InquestOpened", On("2026-01-06")).message(),
                   Catch::Contains("an inquest was already opened on 2026-01-05"));
      Must(w, "InquestConcluded", On("2026-04-01"));
      REQUIRE_THAT(w.Apply("InquestConcluded", On("2026-04-02")).message(),
                   Catch::Contains("the inquest already concluded on 2026-04-01"));
      Must(w, "PostMortemReportReceived", On("2026-01-20"));
      REQUIRE_THAT(w.Apply("PostMortemReportReceived", On("2026-01-21")).message(),
                   Catch::Contains("the post-mortem report was already received on 2026-01-20"));
      Must(w, "PoliceInvestigationConcluded", On("2026-01-22"));
      REQUIRE_THAT(w.Apply("PoliceInvestigationConcluded", On("2026-01-23")).message(),
                   Catch::Contains("the police investigation already concluded on 2026-01-22"));
    }
  }
}

SCENARIO("A case can be referred for an SCR once at any stage", "[cdop][scr-referral]") {
  GIVEN("a review waiting for its agency forms") {
    CdopWorkflow w = AfterRapidResponse();
    Must(w, "AgencyReportRequested", ReportFrom("police"));
    WHEN("it is referred for an SCR") {
      Must(w, "ReferredForScr", {{"reasons", "abuse suspected"}, {"scr_ref", "SCR-2026-004"}});
      THEN("the link is recorded and the review carries on where it was") {
        REQUIRE(w.Stage() == "AgencyReportsRequested");
        REQUIRE(w.Case().scr_ref == "SCR-2026-004");
        REQUIRE(w.Projection()["referred_for_scr"] == true);
        Must(w, "AgencyReportSubmitted", {{"agency", "police"}});
      }
      THEN("a second referral is refused, naming the linked SCR and not the reasons") {
        Status s = w.Apply("ReferredForScr", {{"reasons", "second thoughts about the family"}});
        REQUIRE(s.message() ==
                "ReferredForScr cannot be recorded on CDR-2026-001 at stage AgencyReportsRequested: the case "
                "has already been referred for an SCR (linked: SCR-2026-004)");
      }
    }
  }
  GIVEN("a review just notified") {
    CdopWorkflow w = Notified("expected");
    THEN("it can be referred before anything else happens") {
      Must(w, "ReferredForScr", {{"reasons", "injuries unexplained"}});
      REQUIRE(w.Stage() == "Notified");
      REQUIRE_THAT(w.Apply("ReferredForScr", {{"reasons", "x"}}).message(),
                   Catch::Contains("already been referred for an SCR"));
    }
  }
}

SCENARIO("A refusal changes nothing", "[cdop][refusal]") {
  GIVEN("a review at the panel review, part way through") {
    CdopWorkflow w = AtPanelReview();
    Must(w, "ContributoryFactorRecorded", {{"domain", "physical-environment"}, {"factor", "x"}, {"grade", "1"}});
    const std::string stage(w.Stage());
    const Json before = w.Projection();
    WHEN("events are refused by a guard, by the stage, and for bad input") {
      REQUIRE(w.Apply("PanelReviewHeld", PanelReview(Json::array({kChair}))).code() == Status::Code::kRefused);
      REQUIRE(w.Apply("ReviewClosed", On("2026-05-27")).code() == Status::Code::kRefused);
      REQUIRE(w.Apply("AgencyReportSubmitted", {{"agency", "police"}}).code() == Status::Code::kRefused);
      REQUIRE(w.Apply("InquestConcluded", On("2026-05-27")).code() == Status::Code::kRefused);
      REQUIRE(w.Apply("PanelReviewHeld", PanelReview(kQuoratePanel, "old-age")).code() ==
              Status::Code::kInvalidArgument);
      REQUIRE(w.Apply("ChildDeathNotified", Notification("expected")).code() == Status::Code::kInvalidArgument);
      REQUIRE(w.Apply("PanelMeetingHeld", On("2026-05-27")).code() == Status::Code::kInvalidArgument);
      THEN("the stage and the projection are as they were") {
        REQUIRE(w.Stage() == stage);
        REQUIRE(w.Projection() == before);
      }
    }
  }
}

SCENARIO("Nothing built from the review names the child", "[cdop][confidential]") {
  GIVEN("a notification with the child's name, NHS number, date of birth and time of death") {
    THEN("the notification's identifying fields are marked confidential") {
      const auto* spec = casereview::FindSpec(CdopEventSpecs(), casereview::kChildDeathNotified);
      REQUIRE(spec != nullptr);
      for (const char* field : {"nhs_number", "subject_name", "subject_dob"}) {
        INFO(field);
        REQUIRE(spec->Field(field)->confidential);
      }
    }
    THEN("no projection, next step or refusal along the whole review carries them") {
      CdopWorkflow w = UnexpectedDeathToClosure();  // checks each step's projection itself
      RequireNoIdentifiers(w.Apply("ReviewClosed", On("2026-06-01")).message());
      CdopWorkflow fresh = Notified("unexpected");
      RequireNoIdentifiers(fresh.Apply("AgencyReportRequested", ReportFrom("police")).message());
      RequireNoIdentifiers(fresh.Apply("ReviewClosed", On("2026-06-01")).message());
    }
    THEN("a malformed notification is refused without echoing a value") {
      Json bad = Notification("unexpected");
      bad["death_time"] = "25:99";
      auto w = CdopWorkflow::Begin("CDR-2026-003", CdopRules{}, bad);
      REQUIRE(w.status().code() == Status::Code::kInvalidArgument);
      REQUIRE(w.status().message() == "ChildDeathNotified: field 'death_time' must be a time of day written HH:MM");
      bad = Notification("unexpected");
      bad["subject_dob"] = "2025-02-30";
      auto w2 = CdopWorkflow::Begin("CDR-2026-003", CdopRules{}, bad);
      REQUIRE_THAT(w2.status().message(), Catch::Contains("field 'subject_dob'") && !Catch::Contains("2025-02-30"));
    }
  }
}

SCENARIO("A notification needs its required fields", "[cdop][input]") {
  Json n = Notification("unexpected");
  n.erase("expected");
  REQUIRE(CdopWorkflow::Begin("CDR-2026-001", CdopRules{}, n).status().message() ==
          "ChildDeathNotified: field 'expected' is required");
  n = Notification("sudden");
  REQUIRE_THAT(CdopWorkflow::Begin("CDR-2026-001", CdopRules{}, n).status().message(),
               Catch::Contains("must be one of: expected, unexpected"));
}

SCENARIO("Every event of the child death review is reachable", "[cdop][events]") {
  (void)UnexpectedDeathToClosure();
  for (const auto& spec : CdopEventSpecs()) {
    INFO(spec.name);
    REQUIRE(Accepted().count(std::string(spec.name)) == 1);
  }
}

SCENARIO("The ten categories of death are the analysis form's, in its order", "[cdop][categories]") {
  auto categories = DeathCategories();
  REQUIRE(categories.size() == 10);
  for (std::size_t i = 0; i < categories.size(); ++i) REQUIRE(categories[i].number == static_cast<int>(i) + 1);
  REQUIRE(categories.front().id == "deliberately-inflicted-injury-abuse-or-neglect");
  REQUIRE(categories.front().title == "Deliberately inflicted injury, abuse or neglect");
  REQUIRE(categories[3].id == "malignancy");
  REQUIRE(categories.back().id == "sudden-unexpected-unexplained-death");
  THEN("the panel chooses among exactly these, and is told to take the first that applies") {
    const auto* spec = casereview::FindSpec(CdopEventSpecs(), "PanelReviewHeld");
    const auto* category = spec->Field("category");
    REQUIRE(category->choices.size() == 10);
    for (std::size_t i = 0; i < categories.size(); ++i) REQUIRE(category->choices[i] == categories[i].id);
    REQUIRE_THAT(std::string(category->help), Catch::Contains("the first in the list"));
  }
}

SCENARIO("A child death review is a ReviewWorkflow with stable names", "[cdop][persistence]") {
  CdopWorkflow w = Notified("unexpected");
  const casereview::ReviewWorkflow& review = w;
  REQUIRE(review.Kind() == "cdop");
  REQUIRE(review.DefinitionVersion() == 1);
  REQUIRE(CdopWorkflow::Stages().size() == 7);
  REQUIRE(CdopWorkflow::Stages().front() == "Notified");
  REQUIRE(CdopWorkflow::Stages().back() == "Closed");
  REQUIRE(review.Events().front().name == "ChildDeathNotified");
  REQUIRE(review.Stage() == "Notified");
  WHEN("it is cloned and the clone moves on") {
    auto copy = review.Clone();
    REQUIRE(copy->Apply("RapidResponseStarted", On("2026-01-02")).ok());
    THEN("the original has not") {
      REQUIRE(copy->Stage() == "RapidResponse");
      REQUIRE(review.Stage() == "Notified");
      REQUIRE(copy->Projection()["ref"] == "CDR-2026-001");
    }
  }
}

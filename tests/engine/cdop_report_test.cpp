// The board's child death report over a set of reviews with known answers, each driven
// through the engine: counts, categories, modifiable factors, timeliness, the date range,
// and the CSV form.
#include <catch2/catch.hpp>

#include "board_import.hpp"
#include "calendar.hpp"
#include "casereview/engine.hpp"
#include "cdop_report.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::ExamplePath;
using casereview::testing::ReadBytes;
using Json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

Instant At(const char* text) { return *ParseInstant(text); }
Date On(const char* text) { return *ParseDate(text); }

const Json kQuoratePanel = {"p-panel-chair", "p-csc-lead", "p-health-lead", "p-police-lead", "p-schools-lead"};

struct Deaths {
  std::unique_ptr<Store> store = NewMemoryStore();
  ManualClock clock{At("2026-04-06T09:00:00Z")};
  Engine engine{*store, clock};
  int nhs = 0;

  Deaths() {
    auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
    REQUIRE(board.ok());
    REQUIRE(engine.ImportBoardData(*board).ok());
  }

  std::string Notify(Instant at, const std::string& expected) {
    clock.Set(at);
    auto r = engine.Open("cdop", "", {{"notifying_agency", "hospital"}, {"death_date", FormatDate(LondonDate(at))},
                                          {"place_of_death", "hospital"}, {"expected", expected},
                                          {"agencies_involved", {"hospital"}}, {"resident_in_area", true},
                                          {"nhs_number", "900000000" + std::to_string(++nhs)}},
                                     "p-spoc");
    REQUIRE(r.ok());
    return *r;
  }

  void Record(const std::string& ref, std::chrono::hours after, const std::string& event, Json fields) {
    clock.Advance(after);
    auto r = engine.Record(ref, event, fields, "p-spoc");
    INFO(ref << " " << event << ": " << r.status().message());
    REQUIRE(r.ok());
  }

  std::string Today() { return FormatDate(LondonDate(clock.Now())); }

  // An unexpected death's rapid response, its meeting held `meeting_after` the notification.
  void RapidResponse(const std::string& ref, std::chrono::hours meeting_after) {
    Record(ref, 1h, "RapidResponseStarted", {{"date", Today()}});
    Record(ref, meeting_after - 1h, "InformationSharingMeetingHeld",
           {{"date", Today()}, {"attendees", {"p-hospital-lead"}}});
    Record(ref, 1h, "RapidResponseCompleted", {{"date", Today()}});
  }

  // From the reporting form to the panel's review: the hospital's form 5 days after it was
  // asked for, the review meeting 35 days after it was scheduled, the panel a day later.
  void ToPanel(const std::string& ref, const std::string& category, const std::string& modifiable) {
    Record(ref, 1h, "AgencyReportRequested", {{"agency", "hospital"}, {"author", "p-hospital-author"}});
    Record(ref, 24h * 5, "AgencyReportSubmitted", {{"agency", "hospital"}});
    Record(ref, 1h, "AllAgencyReportsReceived", Json::object());
    Record(ref, 1h, "ReviewMeetingScheduled", {{"date", FormatDate(AddDays(LondonDate(clock.Now()), 35))}});
    Record(ref, 24h * 35, "LocalCaseDiscussionHeld", {{"date", Today()}, {"attendees", {"p-hospital-lead"}}});
    Record(ref, 24h, "PanelReviewHeld",
           {{"date", Today()}, {"attendees", kQuoratePanel}, {"category", category}, {"modifiable", modifiable}});
  }
};

const Json& Category(const Json& report, const std::string& id) {
  for (const Json& c : report["categories"]["rows"])
    if (c["id"] == id) return c;
  FAIL("no category " << id);
  throw;
}

const Json& Step(const Json& report, const std::string& rule) {
  for (const Json& t : report["timeliness"])
    if (t["rule"] == rule) return t;
  FAIL("no timeliness for " << rule);
  throw;
}

const Json& Subject(const Json& step, const std::string& subject) {
  for (const Json& s : step["by_subject"])
    if (s["subject"] == subject) return s;
  FAIL("no " << subject << " under " << step["rule"]);
  throw;
}

}  // namespace

// Four deaths in 2026-27 and one before it. Hours from notification to the information
// sharing meeting: 20 (a), 60 (c, 12 hours late), 30 (d); to the hospital's form: 142, 182,
// 152; to the review meeting: 984, 1024, 994 (41, 42.67, 41.42 days).
SCENARIO("The child death report counts a year's deaths with known answers", "[cdop][report]") {
  GIVEN("five deaths: four notified in the financial year 2026-27, one before it") {
    Deaths b;
    std::string outside = b.Notify(At("2026-03-31T22:30:00Z"), "expected");  // 23:30 on 31 March in London
    std::string a = b.Notify(At("2026-04-06T10:00:00Z"), "unexpected");
    b.RapidResponse(a, 20h);
    b.ToPanel(a, "malignancy", "yes");
    b.Record(a, 1h, "ReviewClosed", {{"date", b.Today()}});
    std::string c = b.Notify(At("2026-06-01T10:00:00Z"), "unexpected");
    b.RapidResponse(c, 60h);
    b.ToPanel(c, "malignancy", "no");
    std::string d = b.Notify(At("2026-08-03T10:00:00Z"), "unexpected");
    b.RapidResponse(d, 30h);
    b.ToPanel(d, "sudden-unexpected-unexplained-death", "insufficient-information");
    b.Record(d, 1h, "ReferredForScr", {{"reasons", "concerns about care before the death"}});
    std::string e = b.Notify(At("2026-10-01T10:00:00Z"), "expected");
    b.Record(e, 1h, "AgencyReportRequested", {{"agency", "police"}, {"author", "p-police-author"}});
    auto reviews = b.engine.ListReviews({});
    REQUIRE(reviews.ok());

    WHEN("the board asks for 1 April 2026 to 31 March 2027, as at 1 December 2026") {
      Json report = ChildDeathReport(*reviews, On("2026-04-01"), On("2027-03-31"), At("2026-12-01T12:00:00Z"));
      THEN("the counts are those four reviews' (the linked SCR is not a child death)") {
        CHECK(report["reviews"] == Json{{"notified", 4}, {"unexpected", 3}, {"expected", 1}, {"open", 3},
                                        {"closed", 1}, {"referred_for_scr", 1}, {"panel_review_held", 3}});
      }
      THEN("the categories are the form's ten, in order, with the panel's counts") {
        const Json& rows = report["categories"]["rows"];
        REQUIRE(rows.size() == 10);
        for (std::size_t i = 0; i < rows.size(); ++i) CHECK(rows[i]["number"] == i + 1);
        CHECK(report["categories"]["reviewed"] == 3);
        CHECK(Category(report, "malignancy") ==
              Json{{"number", 4}, {"id", "malignancy"}, {"title", "Malignancy"}, {"count", 2}});
        CHECK(Category(report, "sudden-unexpected-unexplained-death")["count"] == 1);
        int total = 0;
        for (const Json& row : rows) total += row["count"].get<int>();
        CHECK(total == 3);
      }
      THEN("one in three reviewed had modifiable factors") {
        const Json& m = report["modifiable"];
        CHECK(m["reviewed"] == 3);
        CHECK(m["yes"] == 1);
        CHECK(m["no"] == 1);
        CHECK(m["insufficient_information"] == 1);
        CHECK(m["proportion_yes"].get<double>() == Approx(1.0 / 3));
      }
      THEN("there is one timeliness row per child death clock, by rule id") {
        REQUIRE(report["timeliness"].size() == 3);
        CHECK(report["timeliness"][0]["rule"] == "cdop-agency-report");
        CHECK(report["timeliness"][1]["rule"] == "cdop-information-sharing");
        CHECK(report["timeliness"][2]["rule"] == "cdop-review-meeting");
      }
      THEN("the information sharing meeting was on time twice and 12 hours late once") {
        const Json& meeting = Step(report, "cdop-information-sharing");
        CHECK(meeting["what"] == "information sharing and planning meeting held (unexpected death)");
        CHECK(meeting["met_on_time"] == 2);
        CHECK(meeting["met_late"] == 1);
        CHECK(meeting["open_overdue"] == 0);
        CHECK(meeting["open_in_time"] == 0);
        CHECK(meeting["median_days_late"] == 0.5);
        CHECK(meeting["median_days_from_notification"] == 1.3);  // 30 hours
        CHECK_FALSE(meeting.contains("by_subject"));
      }
      THEN("the reporting forms are counted per form and per agency") {
        const Json& forms = Step(report, "cdop-agency-report");
        CHECK(forms["what"] == "agency reporting form returned");
        CHECK(forms["met_on_time"] == 3);
        CHECK(forms["met_late"] == 0);
        CHECK(forms["open_overdue"] == 1);  // the expected death's, asked for on 1 October
        CHECK(forms["median_days_late"].is_null());
        CHECK(forms["median_days_from_notification"] == 6.3);  // 152 hours
        REQUIRE(forms["by_subject"].size() == 2);
        CHECK(Subject(forms, "hospital")["met_on_time"] == 3);
        CHECK(Subject(forms, "police")["open_overdue"] == 1);
        CHECK(Subject(forms, "police")["median_days_from_notification"].is_null());
      }
      THEN("the review meeting was held in time for each death reviewed, and is due for the last") {
        const Json& meeting = Step(report, "cdop-review-meeting");
        CHECK(meeting["met_on_time"] == 3);
        CHECK(meeting["open_in_time"] == 1);  // due three months from the death, 1 January 2027
        CHECK(meeting["median_days_from_notification"] == 41.4);  // 994 hours
      }
      THEN("the CSV is one long table with the same figures") {
        std::string csv = ChildDeathReportCsv(report);
        CHECK_THAT(csv, Catch::StartsWith("section,item,measure,value\r\n"));
        for (const char* line : {"range,,from,2026-04-01\r\n", "reviews,,notified,4\r\n",
                                 "categories,,reviewed,3\r\n", "categories,malignancy,count,2\r\n",
                                 "categories,infection,count,0\r\n", "modifiable,,insufficient_information,1\r\n",
                                 "timeliness,cdop-information-sharing,met_late,1\r\n",
                                 "timeliness,cdop-information-sharing,median_days_late,0.5\r\n",
                                 "timeliness,cdop-agency-report:police,open_overdue,1\r\n",
                                 "timeliness,cdop-agency-report:police,median_days_late,\r\n"})
          CHECK_THAT(csv, Catch::Contains(line));
      }
      THEN("a CSV field with a comma is quoted") {
        CHECK_THAT(ChildDeathReportCsv(report),
                   Catch::Contains("categories,deliberately-inflicted-injury-abuse-or-neglect,title,"
                                   "\"Deliberately inflicted injury, abuse or neglect\"\r\n"));
      }
      THEN("no review is named") {
        std::string text = report.dump() + ChildDeathReportCsv(report);
        for (const std::string& ref : {a, c, d, e}) CHECK(text.find(ref) == std::string::npos);
      }
    }
    WHEN("the same year is asked for as at 2 October 2026") {
      Json report = ChildDeathReport(*reviews, On("2026-04-01"), On("2027-03-31"), At("2026-10-02T12:00:00Z"));
      THEN("the form asked for the day before is still within time") {
        CHECK(Step(report, "cdop-agency-report")["open_overdue"] == 0);
        CHECK(Step(report, "cdop-agency-report")["open_in_time"] == 1);
      }
    }
    WHEN("the range is the year before") {
      Json report = ChildDeathReport(*reviews, On("2025-04-01"), On("2026-03-31"), At("2026-12-01T12:00:00Z"));
      THEN("only the death notified late on 31 March counts, and nothing was reviewed") {
        CHECK(report["reviews"]["notified"] == 1);
        CHECK(report["reviews"]["expected"] == 1);
        CHECK(report["categories"]["reviewed"] == 0);
        CHECK(report["modifiable"]["proportion_yes"].is_null());
        CHECK(Step(report, "cdop-review-meeting")["open_in_time"] == 0);
        CHECK(Step(report, "cdop-review-meeting")["open_overdue"] == 1);  // due 30 June 2026
      }
    }
    WHEN("the range is a single day") {
      Json report = ChildDeathReport(*reviews, On("2026-06-01"), On("2026-06-01"), At("2026-12-01T12:00:00Z"));
      THEN("both ends are included") { CHECK(report["reviews"]["notified"] == 1); }
    }
  }
}

SCENARIO("The child death report counts a review whose projection lacks its sections", "[cdop][report]") {
  GIVEN("a child death review read model with nothing but its kind") {
    ReviewRecord r;
    r.ref = "CDR-2026-099";
    r.kind = "cdop";
    r.opened_at = At("2026-05-01T09:00:00Z");
    r.projection = "{}";
    WHEN("the report is asked for") {
      Json report = ChildDeathReport({r}, On("2026-04-01"), On("2027-03-31"), At("2026-12-01T12:00:00Z"));
      THEN("it is notified and open, and nothing else is claimed of it") {
        CHECK(report["reviews"]["notified"] == 1);
        CHECK(report["reviews"]["open"] == 1);
        CHECK(report["reviews"]["expected"] == 0);
        CHECK(report["reviews"]["unexpected"] == 0);
        CHECK(report["categories"]["reviewed"] == 0);
        CHECK(report["timeliness"].empty());
      }
    }
  }
}

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
    auto r = engine.NotifyChildDeath("", {{"notifying_agency", "hospital"}, {"death_date", FormatDate(LondonDate(at))},
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
    Record(ref, meeting_after - 1h, "InformationSharingMeetingHeld", {{"date", Today()}, {"attendees", {"p-hospital-lead"}}});
    Record(ref, 1h, "RapidResponseCompleted", {{"date", Today()}});
  }

  // From the reporting form to the panel's review.
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
  for (const Json& c : report["categories"])
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

}  // namespace

SCENARIO("The child death report counts a year's deaths with known answers", "[cdop][report]") {
  GIVEN("five deaths: four notified in the financial year 2026-27, one before it") {
    Deaths b;
    std::string outside = b.Notify(At("2026-03-20T10:00:00Z"), "expected");  // 2025-26
    std::string a = b.Notify(At("2026-04-06T10:00:00Z"), "unexpected");
    b.RapidResponse(a, 20h);  // on time
    b.ToPanel(a, "malignancy", "yes");
    std::string c = b.Notify(At("2026-05-04T10:00:00Z"), "unexpected");
    b.RapidResponse(c, 60h);  // 12 hours late
    b.ToPanel(c, "malignancy", "no");
    std::string d = b.Notify(At("2026-06-01T10:00:00Z"), "unexpected");
    b.RapidResponse(d, 30h);
    b.ToPanel(d, "sudden-unexpected-unexplained-death", "insufficient-information");
    b.Record(d, 1h, "ReferredForScr", {{"reasons", "concerns"}});
    std::string e = b.Notify(At("2026-09-01T10:00:00Z"), "expected");
    b.Record(e, 1h, "AgencyReportRequested", {{"agency", "hospital"}, {"author", "p-hospital-author"}});
    auto reviews = b.engine.ListReviews({});
    REQUIRE(reviews.ok());

    WHEN("the board asks for 1 April 2026 to 31 March 2027, as at 1 December 2026") {
      Json report = ChildDeathReport(*reviews, On("2026-04-01"), On("2027-03-31"), At("2026-12-01T12:00:00Z"));
      THEN("the counts are those four reviews'") {
        const Json& n = report["reviews"];
        CHECK(n["notified"] == 4);
        CHECK(n["unexpected"] == 3);
        CHECK(n["expected"] == 1);
        CHECK(n["open"] == 4);  // none closed yet
        CHECK(n["referred_for_scr"] == 1);
        CHECK(n["reviewed_by_panel"] == 3);
      }
      THEN("the categories are the form's ten, in order, with the panel's counts") {
        REQUIRE(report["categories"].size() == 10);
        CHECK(report["categories"][0]["number"] == 1);
        CHECK(Category(report, "malignancy")["count"] == 2);
        CHECK(Category(report, "sudden-unexpected-unexplained-death")["count"] == 1);
        CHECK(Category(report, "infection")["count"] == 0);
      }
      THEN("one in three reviewed had modifiable factors") {
        const Json& m = report["modifiable"];
        CHECK(m["yes"] == 1);
        CHECK(m["no"] == 1);
        CHECK(m["insufficient_information"] == 1);
        CHECK(m["proportion_yes"].get<double>() == Approx(1.0 / 3));
      }
      THEN("timeliness counts each step on time, late or overdue") {
        const Json& meeting = Step(report, "cdop-information-sharing");
        CHECK(meeting["met_on_time"] == 2);
        CHECK(meeting["met_late"] == 1);
        CHECK(meeting["open_overdue"] == 0);
        const Json& forms = Step(report, "cdop-agency-report");
        CHECK(forms["met_on_time"] == 3);
        CHECK(forms["open_overdue"] == 1);  // the expected death's form, due in September
        CHECK(forms["median_days_late"].is_null());
      }
      THEN("the CSV is one long table with the same figures") {
        std::string csv = ChildDeathReportCsv(report);
        CHECK_THAT(csv, Catch::StartsWith("section,item,measure,value\r\n"));
        CHECK_THAT(csv, Catch::Contains("categories,malignancy,count,2\r\n"));
        CHECK_THAT(csv, Catch::Contains("timeliness,cdop-information-sharing,met_late,1\r\n"));
        CHECK_THAT(csv, Catch::Contains("reviews,,notified,4\r\n"));
      }
      THEN("no review is named") {
        for (const std::string& ref : {a, c, d, e}) CHECK(report.dump().find(ref) == std::string::npos);
      }
    }
    WHEN("the range is the year before") {
      Json report = ChildDeathReport(*reviews, On("2025-04-01"), On("2026-03-31"), At("2026-12-01T12:00:00Z"));
      THEN("only the death notified then counts, and nothing was reviewed") {
        CHECK(report["reviews"]["notified"] == 1);
        CHECK(report["reviews"]["expected"] == 1);
        CHECK(report["modifiable"]["proportion_yes"].is_null());
      }
    }
  }
}

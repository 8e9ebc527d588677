// Timers: reminders before and escalations after each due date, fired exactly once by the
// scheduler as events through the review's machine, surviving a restart, moved by an
// extension, cancelled when the deadline is met — and the notices they leave.
#include <catch2/catch.hpp>

#include "board_import.hpp"
#include "casereview/engine.hpp"
#include "casereview/sqlite_store.hpp"
#include "scheduler.hpp"
#include "support/example_run.hpp"

#include <set>
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::ExamplePath;
using casereview::testing::ReadBytes;
using casereview::testing::TempDir;
using Json = nlohmann::json;

namespace {

Instant At(const char* text) { return *ParseInstant(text); }

std::unique_ptr<Store> OpenFile(const std::string& path) {
  auto s = OpenSqliteStore(path);
  INFO(s.status().message());
  REQUIRE(s.ok());
  return std::move(*s);
}

// A board and one referred review, on a store that can be closed and reopened.
struct TimedReview {
  TempDir dir;
  std::string path = dir.File("timers.db");
  std::unique_ptr<Store> store = OpenFile(path);
  ManualClock clock{At("2026-01-05T09:00:00Z")};
  std::unique_ptr<Engine> engine = std::make_unique<Engine>(*store, clock);
  std::string ref;

  TimedReview() {
    auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
    REQUIRE(board.ok());
    REQUIRE(engine->ImportBoardData(*board).ok());
    auto r = engine->Open("scr", "", {{"referring_agency", "police"}, {"incident", "death"},
                                    {"incident_date", "2026-01-02"}, {"abuse_or_neglect", "suspected"},
                                    {"agencies_involved", {"csc", "police"}},
                                    {"subject_name", "Ottoline Wexcombe"}, {"subject_dob", "2019-06-14"}},
                               "p-spoc");
    REQUIRE(r.ok());
    ref = *r;
  }

  // Closes the store and opens it again, as after a crash or restart.
  void Restart() {
    engine.reset();
    store.reset();
    store = OpenFile(path);
    engine = std::make_unique<Engine>(*store, clock);
  }

  FiringReport Tick(const char* at) {
    clock.Set(At(at));
    Scheduler scheduler(*store, *engine, clock);
    auto report = scheduler.FireDue();
    INFO(report.status().message());
    REQUIRE(report.ok());
    return *report;
  }

  void Record(const char* at, const std::string& event, const Json& fields, const char* by = "p-spoc") {
    clock.Set(At(at));
    auto r = engine->Record(ref, event, fields, by);
    INFO(r.status().message());
    REQUIRE(r.ok());
  }

  std::vector<std::string> LoggedTypes() {
    std::vector<std::string> out;
    auto log = store->LoadEvents(ref);  // a named Result: the loop must not outlive it
    REQUIRE(log.ok());
    for (const auto& e : *log) out.push_back(e.type);
    return out;
  }

  // The notices timers left (deadline-*), leaving out those events queue (tests/engine/notices_test).
  std::vector<Notice> Notices() {
    std::vector<Notice> out;
    for (Notice& n : AllNotices())
      if (n.kind.starts_with("deadline-")) out.push_back(std::move(n));
    return out;
  }
  std::vector<Notice> AllNotices() { return *store->ListNotices({}); }

  // A quorate panel recommends an SCR on `day` and the board chair decides to proceed on
  // `decision` (both YYYY-MM-DD), recorded during `day`.
  void DecideToProceed(const std::string& day, const std::string& decision) {
    std::string at = day + "T11:00:00Z";
    Record(at.c_str(), "PanelMeetingHeld",
           {{"date", day}, {"attendees", {"p-panel-chair", "p-csc-lead", "p-health-lead", "p-police-lead", "p-schools-lead"}}});
    Record(at.c_str(), "ScrRecommended", {{"reasons", "criteria met"}}, "p-panel-chair");
    std::string decided_at = decision + "T13:00:00Z";
    Record(decided_at.c_str(), "ChairDecidedToProceed", {{"date", decision}}, "p-board-chair");
  }
};

std::size_t Count(const std::vector<std::string>& v, const std::string& x) {
  return static_cast<std::size_t>(std::count(v.begin(), v.end(), x));
}

}  // namespace

SCENARIO("A referral arms reminders before and escalations after the chair's decision date", "[timers]") {
  TimedReview b;
  auto pending = *b.store->PendingTimers(b.ref);
  THEN("3 reminders (10, 5 and 1 working days before 5 February, at 9am) and 4 escalation steps") {
    REQUIRE(pending.size() == 7);
    REQUIRE(pending[0].id == b.ref + "/scr-decision/reminder-1@2026-02-05");
    REQUIRE(pending[0].due == At("2026-01-22T09:00:00Z"));
    REQUIRE(pending[1].due == At("2026-01-29T09:00:00Z"));
    REQUIRE(pending[2].due == At("2026-02-04T09:00:00Z"));
    REQUIRE(pending[3].due == At("2026-02-06T00:00:00Z"));  // the moment the date has passed
    REQUIRE(pending[4].due == At("2026-02-10T09:00:00Z"));  // +3 working days
    REQUIRE(pending[5].due == At("2026-02-12T09:00:00Z"));  // +5 working days
    REQUIRE(pending[6].due == At("2026-02-19T09:00:00Z"));  // +10 working days
  }
}

SCENARIO("Each timer fires exactly once, in due order, even across a restart", "[timers][durability]") {
  TimedReview b;
  WHEN("the scheduler runs on 30 January") {
    FiringReport first = b.Tick("2026-01-30T12:00:00Z");
    THEN("the two reminders that fell due fire, and the board chair hears twice") {
      REQUIRE(first.fired == 2);
      REQUIRE(Count(b.LoggedTypes(), "DeadlineReminderDue") == 2);
      auto notices = b.Notices();
      REQUIRE(notices.size() == 2);
      REQUIRE(notices[0].kind == "deadline-reminder");
      REQUIRE(notices[0].recipients == std::vector<std::string>{"p-board-chair"});
    }
    AND_WHEN("it runs again at the same moment") {
      THEN("nothing fires twice") { REQUIRE(b.Tick("2026-01-30T12:00:00Z").fired == 0); }
    }
    AND_WHEN("the engine is down until 11 February and then restarts") {
      b.Restart();
      FiringReport late = b.Tick("2026-02-11T10:00:00Z");
      THEN("everything that fell due meanwhile fires once, soonest first") {
        REQUIRE(late.fired == 3);  // the last reminder, the overdue notice, the first escalation
        auto types = b.LoggedTypes();
        REQUIRE(Count(types, "DeadlineReminderDue") == 3);
        REQUIRE(Count(types, "DeadlineEscalated") == 2);
        auto notices = b.Notices();
        REQUIRE(notices[3].kind == "deadline-overdue");
        REQUIRE(notices[4].kind == "deadline-escalation");
        // The board chair has no agency, so there is no agency senior manager: the panel chair hears.
        REQUIRE(notices[4].recipients == std::vector<std::string>{"p-panel-chair"});
        REQUIRE(b.engine->Recover().ok());
      }
      AND_WHEN("the chair then decides") {
        b.DecideToProceed("2026-02-12", "2026-02-12");
        THEN("the decision's remaining escalations are cancelled and the completion clock's are armed") {
          REQUIRE(*b.store->GetTimerStatus(b.ref + "/scr-decision/escalation-3@2026-02-05") == TimerStatus::kCancelled);
          REQUIRE(*b.store->GetTimerStatus(b.ref + "/scr-decision/escalation-1@2026-02-05") == TimerStatus::kFired);
          auto pending = *b.store->PendingTimers(b.ref);
          REQUIRE(pending.front().id == b.ref + "/scr-completion/reminder-1@2026-06-12");
          REQUIRE(b.Tick("2026-02-20T10:00:00Z").fired == 0);
        }
      }
    }
  }
}

SCENARIO("An extension moves the completion deadline's reminders, and meeting an IMR's deadline cancels its own", "[timers][extension]") {
  TimedReview b;
  b.DecideToProceed("2026-01-12", "2026-01-26");
  b.Record("2026-02-02T10:00:00Z", "ImrCommissioned",
           {{"agency", "csc"}, {"author", "p-csc-author"}, {"senior_manager", "p-csc-sm"}, {"author_declares_independence", true}});
  std::string old_reminder = b.ref + "/scr-completion/reminder-1@2026-05-26";
  REQUIRE(*b.store->GetTimerStatus(old_reminder) == TimerStatus::kPending);

  WHEN("an extension to 26 July is granted") {
    b.Record("2026-04-20T10:00:00Z", "ExtensionRequested", {{"until", "2026-07-26"}, {"reason", "trial"}}, "p-panel-chair");
    b.Record("2026-04-24T10:00:00Z", "ExtensionGranted", {{"until", "2026-07-26"}}, "p-board-chair");
    THEN("the old reminders are cancelled and new ones are armed for the new date") {
      REQUIRE(*b.store->GetTimerStatus(old_reminder) == TimerStatus::kCancelled);
      REQUIRE(*b.store->GetTimerStatus(b.ref + "/scr-completion/reminder-1@2026-07-26") == TimerStatus::kPending);
    }
  }
  WHEN("the IMR is submitted before its reminders fall due") {
    b.Record("2026-02-09T10:00:00Z", "ReviewPanelFormed", {{"chair", "p-panel-chair"}, {"members", {"p-csc-lead", "p-schools-lead"}}});
    b.Record("2026-02-09T10:01:00Z", "TermsOfReferenceAgreed", {{"date", "2026-02-09"}});
    b.Record("2026-02-09T10:02:00Z", "OverviewWriterAppointed", {{"writer", "p-writer"}});
    b.Record("2026-02-09T10:03:00Z", "ImrCommissioned",
             {{"agency", "police"}, {"author", "p-police-author"}, {"senior_manager", "p-police-sm"}, {"author_declares_independence", true}});
    b.Record("2026-02-09T10:04:00Z", "CommissioningCompleted", Json::object());
    b.Record("2026-02-10T10:00:00Z", "ImrTimeframeAtRisk", {{"agency", "police"}, {"reason", "officer on leave"}}, "p-police-author");
    b.Record("2026-02-11T10:00:00Z", "ImrSubmitted", {{"agency", "csc"}}, "p-csc-author");
    THEN("its timers are cancelled, and the early warning reached the panel chair and the senior manager at once") {
      REQUIRE(*b.store->GetTimerStatus(b.ref + "/imr-due:csc/reminder-1@2026-03-16") == TimerStatus::kCancelled);
      REQUIRE(*b.store->GetTimerStatus(b.ref + "/imr-due:police/reminder-1@2026-03-23") == TimerStatus::kPending);
      auto notices = b.AllNotices();
      auto warning = std::find_if(notices.begin(), notices.end(), [](const Notice& n) { return n.kind == "timeframe-at-risk"; });
      REQUIRE(warning != notices.end());
      REQUIRE(warning->recipients == std::vector<std::string>{"p-panel-chair", "p-police-sm"});
      REQUIRE(warning->payload.find("officer on leave") == std::string::npos);
    }
  }
}

SCENARIO("A timer moved or cancelled meanwhile never fires stale", "[timers][stale]") {
  TimedReview b;
  Timer first = b.store->PendingTimers(b.ref)->front();
  b.DecideToProceed("2026-01-12", "2026-01-13");
  std::size_t events = b.store->LoadEvents(b.ref)->size();
  b.clock.Set(At("2026-01-30T12:00:00Z"));
  THEN("firing the cancelled reminder is a conflict and writes nothing") {
    REQUIRE(b.engine->FireTimer(first).code() == Status::Code::kConflict);
    REQUIRE(b.store->LoadEvents(b.ref)->size() == events);
    REQUIRE(b.Notices().empty());
  }
  THEN("a timer event cannot be recorded by hand") {
    REQUIRE_THAT(b.engine->Record(b.ref, "DeadlineReminderDue", {{"deadline", "x"}, {"step", "y"}, {"due_date", "2026-01-01"}}, "p-spoc")
                     .status().message(),
                 Catch::Contains("recorded by the scheduler"));
  }
}

SCENARIO("No notice carries the child's name or date of birth", "[timers][confidentiality]") {
  TimedReview b;
  b.Tick("2026-03-01T12:00:00Z");  // every decision reminder and escalation
  auto notices = b.Notices();
  REQUIRE(notices.size() == 7);
  for (const auto& n : b.AllNotices()) {
    REQUIRE(n.payload.find("Ottoline") == std::string::npos);
    REQUIRE(n.payload.find("Wexcombe") == std::string::npos);
    REQUIRE(n.payload.find("2019-06-14") == std::string::npos);
    REQUIRE(Json::parse(n.payload)["review"] == b.ref);
  }
}

SCENARIO("Reminders go out at 9am London time in summer too", "[timers][dst]") {
  TimedReview b;
  b.DecideToProceed("2026-01-12", "2026-01-26");
  // Completion due Tuesday 26 May 2026; 10 working days before is Monday 11 May (25 May is a bank holiday).
  auto pending = *b.store->PendingTimers(b.ref);
  auto it = std::find_if(pending.begin(), pending.end(),
                         [&](const Timer& t) { return t.id == b.ref + "/scr-completion/reminder-1@2026-05-26"; });
  REQUIRE(it != pending.end());
  REQUIRE(it->due == At("2026-05-11T08:00:00Z"));
}

namespace {

// A Sleeper for tests: each sleep moves the clock to the moment asked for and records it;
// after `sleeps` sleeps it stops the scheduler.
class ClockSleeper final : public Sleeper {
 public:
  ClockSleeper(ManualClock& clock, std::stop_source& stop, int sleeps) : clock_(clock), stop_(stop), left_(sleeps) {}
  void SleepUntil(std::optional<Instant> until, std::stop_token) override {
    REQUIRE(until.has_value());
    wakes.push_back(*until);
    clock_.Set(*until);
    if (--left_ == 0) stop_.request_stop();
  }
  void Wake() override {}
  std::vector<Instant> wakes;

 private:
  ManualClock& clock_;
  std::stop_source& stop_;
  int left_;
};

void ReportNothing(const Status& s) { FAIL(s.message()); }

}  // namespace

SCENARIO("The running scheduler sleeps until the next timer, never longer than its cap", "[timers][scheduler]") {
  TimedReview b;
  b.clock.Set(At("2026-01-22T08:59:00Z"));  // a minute before the first reminder
  std::stop_source stop;
  ClockSleeper sleeper(b.clock, stop, 3);
  Scheduler scheduler(*b.store, *b.engine, b.clock);
  scheduler.Run(stop.get_token(), sleeper, std::chrono::seconds{30}, std::chrono::hours{24 * 30}, ReportNothing);
  THEN("it wakes exactly when each timer falls due and fires it") {
    REQUIRE(sleeper.wakes == std::vector<Instant>{At("2026-01-22T09:00:00Z"), At("2026-01-29T09:00:00Z"),
                                                  At("2026-02-04T09:00:00Z")});
    // The first two fired after their wakes; the third wake ended the run before firing.
    REQUIRE(Count(b.LoggedTypes(), "DeadlineReminderDue") == 2);
  }
  WHEN("the cap is an hour") {
    TimedReview c;
    c.clock.Set(At("2026-01-22T06:30:00Z"));
    std::stop_source stop2;
    ClockSleeper capped(c.clock, stop2, 2);
    Scheduler s2(*c.store, *c.engine, c.clock);
    s2.Run(stop2.get_token(), capped, std::chrono::seconds{30}, std::chrono::hours{1}, ReportNothing);
    THEN("it looks again after an hour, in case another process armed an earlier timer") {
      REQUIRE(capped.wakes == std::vector<Instant>{At("2026-01-22T07:30:00Z"), At("2026-01-22T08:30:00Z")});
    }
  }
}

SCENARIO("Through a whole review, every reminder and escalation is produced exactly once", "[timers][lifecycle]") {
  casereview::testing::ExampleRun run;
  auto& store = run.store;
  const Scenario* sc = &run.scenario;
  ManualClock& clock = run.clock;
  Engine& engine = run.engine;
  Scheduler scheduler(*store, engine, clock);
  // As if the scheduler ran all along: everything due by each step's moment fires before
  // the step, and again after it; a second run at the same moment must find nothing.
  for (std::size_t i = 0; i < sc->steps.size(); ++i) {
    clock.Set(sc->steps[i].at);
    REQUIRE(scheduler.FireDue().ok());
    run.RunStep(i);
    REQUIRE(scheduler.FireDue().ok());
    REQUIRE(scheduler.FireDue()->fired == 0);
  }
  const std::string ref = run.runner.review_ref();
  auto log = store->LoadEvents(ref);
  REQUIRE(log.ok());
  std::set<std::string> fired_ids;
  std::size_t timer_events = 0;
  for (const auto& e : *log) {
    if (e.type != "DeadlineReminderDue" && e.type != "DeadlineEscalated") continue;
    ++timer_events;
    Json f = Json::parse(e.payload);
    std::string id = ref + "/" + f["deadline"].get<std::string>() + "/" + f["step"].get<std::string>() + "@" +
                     f["due_date"].get<std::string>();
    INFO(id);
    REQUIRE(fired_ids.insert(id).second);  // never twice
    REQUIRE(*store->GetTimerStatus(id) == TimerStatus::kFired);
    REQUIRE(e.actor == std::string(Engine::kSchedulerActor));
  }
  THEN("timers fired for the IMRs, the completion date and the actions, each once, each with its notice") {
    REQUIRE(timer_events >= 10);
    auto has = [&](const std::string& part) {
      return std::any_of(fired_ids.begin(), fired_ids.end(), [&](const std::string& id) { return id.find(part) != std::string::npos; });
    };
    REQUIRE(has("/imr-due:police/escalation-1@2026-03-13"));
    REQUIRE(has("/scr-completion/reminder-1@2026-07-26"));  // reminders for the extended date
    REQUIRE_FALSE(has("/scr-completion/reminder-1@2026-05-26"));  // the old date's were cancelled first
    REQUIRE(has("/action-due:A2/reminder-1@2026-11-30"));
    auto notices = *store->ListNotices({});
    std::size_t timer_notices = static_cast<std::size_t>(std::count_if(notices.begin(), notices.end(), [](const Notice& n) {
      return n.kind.rfind("deadline-", 0) == 0;
    }));
    REQUIRE(timer_notices == timer_events);
    REQUIRE(store->PendingTimers(ref)->empty());
    REQUIRE(engine.Recover(/*include_closed=*/true).ok());
  }
}

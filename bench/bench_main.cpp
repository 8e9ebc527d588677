// casereview_bench: the figures of docs/performance.md, one line each, each with the ratio
// measured in this run. Elapsed time is steady_clock; simulated time is a ManualClock.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <malloc.h>
#include <thread>

#include "bare_sqlite.hpp"
#include "board_import.hpp"
#include "casereview/engine.hpp"
#include "casereview/sqlite_store.hpp"
#include "calendar.hpp"
#include "drive.hpp"
#include "recording_store.hpp"
#include "replay.hpp"
#include "scenario.hpp"
#include "scheduler.hpp"
#include "workload.hpp"

namespace fs = std::filesystem;
using namespace casereview;
using namespace casereview::bench;
using Steady = std::chrono::steady_clock;

namespace {

struct Options {
  double scale1 = 0.1;  // figure 1: fraction of a national year through the durable path
  std::int64_t cases1 = 100;  // figure 1: example SCR lifecycles, one transaction per event
  std::string examples_dir = CASEREVIEW_EXAMPLES_DIR;  // the example scenario and board
  double scale2 = 1.0;  // figure 2: national years run in memory for the dispatch loop
  int years3 = 10;      // figure 3: national years in the cold-start store
  double scale3 = 1.0;  // figure 3: fraction of each of those years (smoke runs only)
  std::int64_t timers4 = 1'000'000;
  int due4 = 1000;
  double scale4 = 0.5;  // figure 4: fraction of a national year driven to 1 July
  double idle_seconds = 3.0;
  std::string work_dir = "bench-work";    // scratch databases (deleted and remade)
  std::string cache_dir = "bench-cache";  // the cold-start store, kept between runs
};

double Since(Steady::time_point t) { return std::chrono::duration<double>(Steady::now() - t).count(); }

[[noreturn]] void Die(const std::string& what, const Status& s) {
  std::cerr << "casereview_bench: " << what << ": " << s.message() << "\n";
  std::exit(1);
}

std::unique_ptr<Store> Open(const std::string& path) {
  auto s = OpenSqliteStore(path);
  if (!s.ok()) Die("open " + path, s.status());
  return std::move(*s);
}

std::string Fresh(const Options& o, const std::string& name) {
  std::string path = (fs::path(o.work_dir) / name).string();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  return path;
}

const char* Verdict(bool met) { return met ? "MET" : "MISSED"; }

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die("read " + path.string(), Status::NotFound("no such file"));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// An empty store holding the workload's board; returns its path.
std::string BoardOnly(const Options& o, const std::string& name, const Workload& w) {
  std::string path = Fresh(o, name);
  auto store = Open(path);
  ManualClock clock(w.steps.front().at);
  Engine engine(*store, clock);
  if (Status s = SetUpBoard(engine, w); !s.ok()) Die("board", s);
  return path;
}

void CheckRefusals(const DriveReport& r, const char* where) {
  if (r.refused == 0) return;
  std::cerr << where << ": " << r.refused << " commands refused; first: " << r.first_refusal << "\n";
}

// ---- 1. Durable event throughput -------------------------------------------------------
// The workload through the engine twice, each run on a store holding only the board: first
// with every change copied for the bare program, then timed on its own, counting its commits
// (the copies cost the process about an eighth of the engine's time). The same workload on the
// same clock commits the same transactions; the counts are checked.
double Figure1(const Options& o) {
  Workload w = MakeWorkload({1, 2026, o.scale1});
  std::string recorded_db = BoardOnly(o, "fig1-recorded.db", w);
  std::string engine_db = BoardOnly(o, "fig1-engine.db", w);
  std::string bare_db = BoardOnly(o, "fig1-bare.db", w);
  struct Run {
    std::unique_ptr<Store> sqlite;
    std::unique_ptr<RecordingStore> store;  // forwards to `sqlite`
    double seconds = 0;
    std::int64_t events = 0;
  };
  auto run = [&](const std::string& path, bool keep_copies) {
    Run r;
    r.sqlite = Open(path);
    r.store = std::make_unique<RecordingStore>(*r.sqlite, keep_copies);
    ManualClock clock(w.steps.front().at);
    Engine engine(*r.store, clock);
    auto t0 = Steady::now();
    auto report = Drive(w, engine, *r.store, clock);
    r.seconds = Since(t0);
    if (!report.ok()) Die("figure 1", report.status());
    CheckRefusals(*report, "figure 1");
    r.events = report->events();
    return r;
  };
  const Run recorded = run(recorded_db, /*keep_copies=*/true);
  const Run timed = run(engine_db, /*keep_copies=*/false);
  if (timed.events != recorded.events || timed.store->commits() != recorded.store->transactions().size())
    Die("figure 1", Status::Corruption("the timed run committed other transactions than the recorded one"));
  const auto& transactions = recorded.store->transactions();
  const double recorded_s = recorded.seconds, engine_s = timed.seconds;
  const std::int64_t events = timed.events;
  double bare_s = BareReplay(bare_db, transactions);
  const double n = static_cast<double>(events);
  const double engine_rate = n / engine_s, bare_rate = n / bare_s, ratio = engine_rate / bare_rate;
  std::printf("figure 1 durable events: engine %.0f events/s, bare SQLite %.0f events/s (%lld events, %zu "
              "transactions, WAL + synchronous=FULL) -> %.1f %% of bare (target >= 50 %%: %s); the run that copied "
              "every change for the bare program: %.0f events/s, %.1f %%\n",
              engine_rate, bare_rate, static_cast<long long>(events), transactions.size(), 100 * ratio,
              Verdict(ratio >= 0.5), n / recorded_s, 100 * bare_s / recorded_s);
  return bare_s / static_cast<double>(transactions.size());
}

// ---- 1, beside other engines: whole SCR lifecycles, one transaction per event ------------
// The example SCR (examples/scr_full_lifecycle.json) for `cases` reviews, step k of every
// review before step k+1 of any, each recorded event and each fired timer its own durable
// transaction, as figure 1. The stage a step expects is checked on the record the engine
// returns. The steps the example expects refused are left out: they write nothing.
void Figure1Lifecycles(const Options& o) {
  const fs::path scenario_path = fs::path(o.examples_dir) / "scr_full_lifecycle.json";
  auto scenario = ParseScenario(ReadText(scenario_path));
  if (!scenario.ok()) Die("read " + scenario_path.string(), scenario.status());
  auto board = ParseBoardJson(ReadText(scenario_path.parent_path() / scenario->board_file));
  if (!board.ok()) Die("read the example board", board.status());
  auto store = Open(Fresh(o, "fig1-lifecycles.db"));
  ManualClock clock(scenario->steps.front().at);
  Engine engine(*store, clock);
  if (Status s = engine.ImportBoardData(*board); !s.ok()) Die("board", s);
  std::vector<std::string> refs(static_cast<std::size_t>(o.cases1));
  std::int64_t events = 0, fired = 0, steps = 0;
  auto t0 = Steady::now();
  for (const ScenarioStep& step : scenario->steps) {
    if (step.expect_refused) continue;
    ++steps;
    clock.Set(step.at);
    if (step.is_tick) {
      auto round = Scheduler(*store, engine, clock).FireDue();
      if (!round.ok()) Die("figure 1 lifecycles: tick", round.status());
      fired += round->fired;
      continue;
    }
    for (std::string& ref : refs) {
      if (step.is_referral) {
        auto opened = engine.Open(step.opens, "", step.fields, step.by);
        if (!opened.ok()) Die("figure 1 lifecycles: referral", opened.status());
        ref = *opened;
      } else {
        auto r = engine.Record(ref, step.event, step.fields, step.by);
        if (!r.ok()) Die("figure 1 lifecycles: " + step.event, r.status());
        if (!step.expect_stage.empty() && r->stage != step.expect_stage)
          Die("figure 1 lifecycles: " + step.event, Status::Corruption(ref + " reached " + r->stage));
      }
      ++events;
    }
  }
  const double seconds = Since(t0);
  std::printf("figure 1 SCR lifecycles: engine %.0f events/s (%lld reviews through the %lld steps of "
              "examples/scr_full_lifecycle.json round-robin: %lld events recorded and %lld timers fired, each its "
              "own transaction, WAL + synchronous=FULL, in %.2f s)\n",
              double(events + fired) / seconds, static_cast<long long>(o.cases1), static_cast<long long>(steps),
              static_cast<long long>(events), static_cast<long long>(fired), seconds);
}

// ---- 2. In-memory dispatch ------------------------------------------------------------
std::size_t HeapInUse() { return mallinfo2().uordblks; }

void Figure2(const Options& o) {
  // Set up with the production store on tmpfs when there is one (the in-memory Store is a
  // test double that scans every timer on each query: far too slow for a national year).
  Workload w = MakeWorkload({1, 2026, o.scale2, 2026, /*nhs_numbers=*/false});
  Options setup = o;
  if (fs::exists("/dev/shm")) setup.work_dir = "/dev/shm";
  const std::string scratch = Fresh(setup, "casereview-bench-fig2.db");
  auto store = Open(scratch);
  ManualClock clock(w.steps.front().at);
  Engine engine(*store, clock);
  if (Status s = SetUpBoard(engine, w); !s.ok()) Die("board", s);
  // Up to the year's end: the reviews still open then are the ones held in memory.
  const Instant year_end = std::chrono::sys_days{std::chrono::year{2027} / 1 / 1};
  auto report = Drive(w, engine, *store, clock, year_end);
  if (!report.ok()) Die("figure 2", report.status());
  CheckRefusals(*report, "figure 2");
  auto calendar = engine.Calendar();
  if (!calendar.ok()) Die("calendar", calendar.status());
  auto all = store->ListReviews({});
  if (!all.ok()) Die("list", all.status());
  // Every log, parsed once, outside the timing: the dispatch loop sees events as the engine
  // holds them after reading (a name and its fields).
  struct Parsed {
    std::vector<StoredEvent> log;
    std::vector<nlohmann::json> fields;
  };
  std::vector<Parsed> logs;
  std::int64_t events = 0;
  for (const auto& r : *all) {
    auto log = store->LoadEvents(r.ref);
    if (!log.ok()) Die("log", log.status());
    Parsed p;
    for (const auto& e : *log) p.fields.push_back(nlohmann::json::parse(e.payload));
    p.log = std::move(*log);
    events += static_cast<std::int64_t>(p.log.size()) - 1;
    logs.push_back(std::move(p));
  }
  // Begin each review (untimed), then dispatch its events through its machine (timed).
  double dispatch_s = 0;
  for (int round = 0; round < 3; ++round) {
    double this_round = 0;
    for (const Parsed& p : logs) {
      auto opened = Replay({p.log.front()}, **calendar);
      if (!opened.ok()) Die("begin", opened.status());
      ReviewWorkflow& machine = *opened->workflow;
      auto t0 = Steady::now();
      for (std::size_t i = 1; i < p.log.size(); ++i)
        if (!machine.Apply(p.log[i].type, p.fields[i]).ok()) Die("dispatch", Status::Corruption(p.log[i].type));
      this_round += Since(t0);
    }
    dispatch_s = round == 0 ? this_round : std::min(dispatch_s, this_round);
  }
  // Memory per open review: its machine and deadlines, rebuilt from its log and held.
  auto open = store->ListReviews({std::nullopt, true});
  if (!open.ok()) Die("list", open.status());
  std::vector<ReviewState> held;
  held.reserve(open->size());
  std::size_t before = HeapInUse();
  for (const auto& r : *open) {
    auto log = store->LoadEvents(r.ref);
    auto state = Replay(*log, **calendar);
    if (!state.ok()) Die("replay", state.status());
    held.push_back(std::move(*state));
  }
  const double per_review = open->empty() ? 0 : double(HeapInUse() - before) / double(open->size());
  const double rate = double(events) / dispatch_s;
  held.clear();
  store.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(scratch + suffix);
  std::printf("figure 2 in-memory dispatch: %.2f M events/s on one core (%lld events through "
              "ReviewWorkflow::Apply; target >= 1 M: %s), %.0f B per open review (%zu open; target <= 4096 B: %s) "
              "-> %.2fx the rate target, %.2fx the memory target\n",
              rate / 1e6, static_cast<long long>(events), Verdict(rate >= 1e6), per_review, open->size(),
              Verdict(per_review <= 4096), rate / 1e6, per_review / 4096);
}

// ---- 3. Cold start --------------------------------------------------------------------
std::string ColdStore(const Options& o) {
  fs::create_directories(o.cache_dir);
  std::string path = (fs::path(o.cache_dir) / ("national-" + std::to_string(o.years3) + "y-x" + std::to_string(int(o.scale3 * 1000)) + ".db")).string();
  if (fs::exists(path)) return path;
  // Generated on tmpfs when there is one (durability is not what is measured here), with
  // the production store and engine, then moved into the cache.
  std::string scratch = fs::exists("/dev/shm") ? "/dev/shm/casereview-bench-cold.db" : path + ".tmp";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(scratch + suffix);
  std::cerr << "figure 3: generating " << o.years3 << " national years into " << path << " (once)...\n";
  Workload w = MakeWorkload({o.years3, 2026, o.scale3, 2026, /*nhs_numbers=*/false});
  {
    auto store = Open(scratch);
    ManualClock clock(w.steps.front().at);
    Engine engine(*store, clock);
    if (Status s = SetUpBoard(engine, w); !s.ok()) Die("board", s);
    const Instant last_year_end = std::chrono::sys_days{std::chrono::year{2026 + o.years3} / 1 / 1};
    auto report = Drive(w, engine, *store, clock, last_year_end);
    if (!report.ok()) Die("figure 3", report.status());
    CheckRefusals(*report, "figure 3");
  }
  fs::copy_file(scratch, path + ".tmp", fs::copy_options::overwrite_existing);  // checkpointed on close
  fs::rename(path + ".tmp", path);
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(scratch + suffix);
  return path;
}

void Figure3(const Options& o) {
  std::string path = ColdStore(o);
  std::int64_t rows = 0;
  BareReadAll(path, rows);  // both start from a warm page cache
  double bare_s = BareReadAll(path, rows);
  // What `casereview scheduler serve` does before its first round: open, find the next timer.
  auto t0 = Steady::now();
  {
    auto store = Open(path);
    auto next = store->NextTimerDue();
    if (!next.ok()) Die("next timer", next.status());
  }
  double serve_s = Since(t0);
  // Open, then rebuild every open review from its log and check it (Engine::Recover).
  t0 = Steady::now();
  auto store = Open(path);
  ManualClock clock(Instant{});
  Engine engine(*store, clock);
  auto recovered = engine.Recover();
  double recover_s = Since(t0);
  if (!recovered.ok()) Die("recover", recovered.status());
  const double ratio = recover_s / bare_s;
  std::printf("figure 3 cold start (%d national years, %lld rows): open + Recover %.3f s (%lld open reviews, %lld "
              "events replayed), serve start %.3f s, bare read of every row %.3f s -> %.2fx the bare read "
              "(target <= 2x: %s; serve start %.3fx)\n",
              o.years3, static_cast<long long>(rows), recover_s, static_cast<long long>(recovered->reviews_checked),
              static_cast<long long>(recovered->events_replayed), serve_s, bare_s, ratio, Verdict(ratio <= 2.0),
              serve_s / bare_s);
}

// ---- 4. Timer sweep and idle scheduler ------------------------------------------------
void Figure4(const Options& o, double bare_commit_s) {
  // Real reviews, driven to mid-year so that many are open with timers pending.
  // Set up on tmpfs when there is one (durability is not what the set-up measures), then
  // copied to the work directory, where the sweep's commits are durable.
  Workload w = MakeWorkload({1, 2026, o.scale4, 2026, false});
  Options setup = o;
  if (fs::exists("/dev/shm")) setup.work_dir = "/dev/shm";
  std::string scratch = BoardOnly(setup, "casereview-bench-fig4.db", w);
  const Instant now = std::chrono::sys_days{std::chrono::year{2026} / 7 / 1};
  std::int64_t moved = 0;
  {
    auto store = Open(scratch);
    ManualClock clock(w.steps.front().at);
    Engine engine(*store, clock);
    auto report = Drive(w, engine, *store, clock, now);
    if (!report.ok()) Die("figure 4", report.status());
    CheckRefusals(*report, "figure 4");
    clock.Set(now);  // the morning round of 1 July: nothing left due before the sweep
    Scheduler round(*store, engine, clock);
    if (auto r = round.FireDue(); !r.ok()) Die("figure 4", r.status());
  }
  std::string path = Fresh(o, "fig4.db");
  fs::copy_file(scratch, path);
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(scratch + suffix);
  // The rest of a million pending timers, due later; then one timer of each of `due4` open
  // reviews made due now.
  const int per_review = 5;
  BulkTimers(path, std::max<std::int64_t>(0, o.timers4 / per_review), per_review, now + std::chrono::days{1});
  {
    auto store = Open(path);
    auto open = store->ListReviews({std::nullopt, true});
    if (!open.ok()) Die("list", open.status());
    std::vector<Timer> chosen;
    for (const auto& r : *open) {
      if (static_cast<int>(chosen.size()) == o.due4) break;
      auto pending = store->PendingTimers(r.ref);
      if (pending.ok() && !pending->empty()) chosen.push_back(pending->back());
    }
    moved = BareMoveDue(path, chosen, now - std::chrono::minutes{1});
  }
  auto store = Open(path);
  ManualClock clock(now);
  Engine engine(*store, clock);
  auto t0 = Steady::now();
  auto due = store->DueTimers(now, static_cast<std::size_t>(o.due4));
  double find_s = Since(t0);
  if (!due.ok()) Die("due timers", due.status());
  Scheduler scheduler(*store, engine, clock);
  t0 = Steady::now();
  auto fired = scheduler.FireDue();
  double sweep_s = Since(t0);
  if (!fired.ok()) Die("fire", fired.status());
  // Idle: the scheduler's loop on the real clock with nothing due (every timer is due after
  // the real now in a store of only pending timers).
  std::string idle_path = BoardOnly(o, "fig4-idle.db", w);
  SystemClock system_clock;
  BulkTimers(idle_path, o.timers4 / per_review, per_review, system_clock.Now() + std::chrono::days{1});
  auto idle_store = Open(idle_path);
  Engine idle_engine(*idle_store, system_clock);
  Scheduler idle(*idle_store, idle_engine, system_clock);
  RealSleeper sleeper;
  rusage before{}, after{};
  getrusage(RUSAGE_SELF, &before);
  {
    std::jthread loop([&](std::stop_token stop) {
      idle.Run(stop, sleeper, std::chrono::seconds{30}, std::chrono::seconds{60}, [](const Status& s) {
        std::cerr << "scheduler: " << s.message() << "\n";
      });
    });
    std::this_thread::sleep_for(std::chrono::duration<double>(o.idle_seconds));
    loop.request_stop();
  }
  getrusage(RUSAGE_SELF, &after);
  auto cpu = [](const rusage& r) {
    return double(r.ru_utime.tv_sec + r.ru_stime.tv_sec) + double(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
  };
  const double idle_cpu = cpu(after) - cpu(before);
  const double per_timer = fired->fired ? sweep_s / double(fired->fired) : 0;
  std::printf("figure 4 timer sweep (%lld pending, %lld made due): find %zu due %.2f ms, fire %lld in %.3f s (%.2f ms each = %.2fx a "
              "bare durable commit); idle scheduler %.3f s CPU over %.1f s wall (%.2f %%; first round included)\n",
              static_cast<long long>(o.timers4), static_cast<long long>(moved), due->size(), find_s * 1e3,
              static_cast<long long>(fired->fired), sweep_s, per_timer * 1e3, per_timer / bare_commit_s, idle_cpu,
              o.idle_seconds, 100 * idle_cpu / o.idle_seconds);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  bool quick = false;
  std::string only;
  CLI::App app{"casereview benchmarks: one line per figure (docs/performance.md)"};
  app.add_flag("--quick", quick, "tiny sizes, a smoke run (seconds)");
  app.add_option("--only", only, "run only these figures, e.g. 24");
  app.add_option("--scale1", o.scale1, "figure 1: fraction of a national year through the durable path");
  app.add_option("--cases1", o.cases1, "figure 1: example SCR lifecycles, one transaction per event")
      ->check(CLI::PositiveNumber);
  app.add_option("--examples", o.examples_dir, "where examples/scr_full_lifecycle.json and its board are");
  app.add_option("--scale2", o.scale2, "figure 2: fraction of a national year in memory");
  app.add_option("--years", o.years3, "figure 3: national years in the cold-start store");
  app.add_option("--timers", o.timers4, "figure 4: pending timers");
  app.add_option("--due", o.due4, "figure 4: timers due now");
  app.add_option("--scale4", o.scale4, "figure 4: fraction of a national year of real reviews");
  app.add_option("--idle-seconds", o.idle_seconds, "figure 4: how long to watch the idle scheduler");
  app.add_option("--work-dir", o.work_dir, "scratch databases");
  app.add_option("--cache-dir", o.cache_dir, "where the cold-start store is kept between runs");
  CLI11_PARSE(app, argc, argv);
  if (quick) {
    o.scale1 = 0.005;
    o.cases1 = 5;
    o.scale2 = 0.02;
    o.years3 = 1;
    o.scale3 = 0.01;
    o.timers4 = 20'000;
    o.due4 = 10;
    o.scale4 = 0.01;
    o.idle_seconds = 0.5;
    o.cache_dir = (fs::path(o.work_dir) / "quick-cache").string();
  }
  fs::create_directories(o.work_dir);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  auto wanted = [&](char n) { return only.empty() || only.find(n) != std::string::npos; };
  double bare_commit_s = 0.005;  // figure 4's yardstick when figure 1 is not run
  if (wanted('1')) {
    bare_commit_s = Figure1(o);
    Figure1Lifecycles(o);
  }
  if (wanted('2')) Figure2(o);
  if (wanted('3')) Figure3(o);
  if (wanted('4')) Figure4(o, bare_commit_s);
  if (wanted('5')) std::printf("figure 5 HTTP: measured by bench/http_bench.py under wrk (scripts/bench.sh runs it next)\n");
  return 0;
}

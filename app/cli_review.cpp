// casereview refer | record | review | events | scenario | verify: running reviews.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <algorithm>

#include "board_import.hpp"
#include "calendar.hpp"
#include "review_view.hpp"
#include "cli.hpp"
#include "common/review_kind.hpp"
#include "scenario.hpp"

namespace casereview::cli {
namespace {

std::string Holders(const nlohmann::json& holders) {
  std::string out;
  for (const auto& h : holders) {
    std::string one = h.value("role", "");
    if (h.contains("person")) one += " " + h["person"].get<std::string>();
    if (h.contains("agency")) one += " (" + h["agency"].get<std::string>() + ")";
    out += (out.empty() ? "" : "; ") + one;
  }
  return out.empty() ? "-" : out;
}

void PrintReview(const ReviewRecord& r, const std::vector<StoredEvent>& history) {
  nlohmann::json j = ReviewJson(r);
  std::cout << r.ref << "  " << r.stage << (r.open ? "" : "  (closed)") << "\n"
            << "  next:     " << j["next_step"]["what"].get<std::string>() << "\n"
            << "  held by:  " << Holders(j["next_step"]["holders"]) << "\n"
            << "  agencies: " << j["involved_agencies"].dump() << "\n";
  if (!j.value("linked_review", "").empty())
    std::cout << "  referred from child death review " << j["linked_review"].get<std::string>() << "\n";
  if (!j.value("scr_ref", "").empty()) std::cout << "  referred for an SCR: " << j["scr_ref"].get<std::string>() << "\n";
  for (const auto& imr : j["imrs"])
    std::cout << "  IMR " << imr["agency"].get<std::string>() << ": " << imr["stage"].get<std::string>()
              << ", due " << imr["due"].get<std::string>() << ", returned " << imr["returns"] << "x\n";
  for (const auto& e : j["alongside"]["extensions"])
    std::cout << "  extension to " << e["requested_until"].get<std::string>() << ": "
              << e["status"].get<std::string>() << "\n";
  for (const auto& p : j["alongside"]["proceedings"])
    std::cout << "  proceeding " << p["id"].get<std::string>() << " (" << p["kind"].get<std::string>()
              << "): " << p["status"].get<std::string>() << "\n";
  for (const auto& d : j.value("deadlines", nlohmann::json::array())) {
    std::cout << "  due " << d["due_date"].get<std::string>() << "  " << d["what"].get<std::string>()
              << " [" << d["status"].get<std::string>() << "]";
    if (d["original_due_date"] != d["due_date"])
      std::cout << " (originally " << d["original_due_date"].get<std::string>() << ")";
    std::cout << "\n";
  }
  for (const auto& a : j["actions"])
    std::cout << "  action " << a["id"].get<std::string>() << " (" << a["agency"].get<std::string>()
              << ", due " << a["due"].get<std::string>() << "): " << a["stage"].get<std::string>() << "\n";
  std::cout << "  history:\n";
  for (const auto& e : history)
    std::cout << "    " << e.seq << "  " << FormatInstant(e.recorded_at) << "  " << e.type << "  by "
              << e.actor << "\n";
}

void PrintEvents(const std::string& only, const std::string& kind, bool json) {
  nlohmann::json all = nlohmann::json::array();
  std::string heading;
  for (const auto& e : AllEventHelp()) {
    if ((!only.empty() && e.name != only) || (!kind.empty() && e.kind != kind)) continue;
    all.push_back({{"kind", e.kind}, {"name", e.name}, {"summary", e.summary}, {"fields", e.fields}});
    if (json) continue;
    if (only.empty() && heading != e.kind) {
      const ReviewKind* k = FindReviewKind(e.kind);
      std::cout << (heading.empty() ? "" : "\n") << "== " << k->title << " (casereview " << k->open_command
                << " opens one)\n";
      heading = e.kind;
    }
    std::cout << e.name << " — " << e.summary << "\n";
    for (const auto& f : e.fields) {
      std::cout << "    " << f["name"].get<std::string>() << " (" << f["type"].get<std::string>()
                << (f["required"].get<bool>() ? ", required" : "") << "): " << f["help"].get<std::string>();
      if (f.contains("choices")) std::cout << " [" << f["choices"].dump() << "]";
      std::cout << "\n";
    }
  }
  if (json) std::cout << all.dump(2) << "\n";
}

int RunScenario(Context& ctx, const std::string& path, bool quiet) {
  auto text = ReadFile(path);
  if (!text.ok()) return Fail(text.status());
  auto scenario = ParseScenario(*text);
  if (!scenario.ok()) return Fail(Status::InvalidArgument(path + ": " + scenario.status().message()));
  if (Status s = ctx.Open(true); !s.ok()) return Fail(s);
  if (!scenario->board_file.empty()) {
    auto board_path = std::filesystem::path(path).parent_path() / scenario->board_file;
    auto board_text = ReadFile(board_path.string());
    if (!board_text.ok()) return Fail(board_text.status());
    auto board = ParseBoardJson(*board_text);
    if (!board.ok()) return Fail(Status::InvalidArgument(board_path.string() + ": " + board.status().message()));
    if (Status s = ctx.engine->ImportBoardData(*board); !s.ok()) return Fail(s);
  }
  ManualClock clock(scenario->steps.front().at);
  Engine engine(*ctx.store, clock);
  ScenarioRunner runner(*scenario);
  if (!quiet) std::cout << scenario->title << "\n";
  for (std::size_t i = 0; i < scenario->steps.size(); ++i) {
    const ScenarioStep& step = scenario->steps[i];
    auto out = runner.RunStep(i, engine, clock, ctx.store.get());
    if (!out.ok()) return Fail(out.status());
    if (quiet) continue;
    if (step.is_tick) {
      std::cout << FormatDate(DateOf(step.at)) << "  scheduler fired " << out->fired << " timers\n";
      if (!step.note.empty()) std::cout << "            " << step.note << "\n";
      continue;
    }
    std::cout << FormatDate(DateOf(step.at)) << "  " << out->review_ref << "  "
              << (step.is_referral ? std::string(FindReviewKind(step.opens)->opening_event) : step.event)
              << (step.expect_refused ? "  REFUSED, stays " : " -> ") << out->stage << "\n";
    if (!step.note.empty()) std::cout << "            " << step.note << "\n";
    if (!out->refusal.empty()) std::cout << "            casereview said: " << out->refusal << "\n";
  }
  std::cout << "scenario complete: " << runner.review_ref() << " recorded in " << ctx.db_path << "\n";
  return 0;
}

// Every deadline not yet met, across every review, soonest first, as at `at`.
nlohmann::json OpenDeadlines(const std::vector<ReviewRecord>& reviews, Instant at) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : reviews) {
    nlohmann::json p = nlohmann::json::parse(r.projection, nullptr, false);
    for (auto d : p.value("deadlines", nlohmann::json::array())) {
      if (d["status"] == "met") continue;
      auto due = ParseInstant(d["due"].get<std::string>());
      auto due_date = ParseDate(d["due_date"].get<std::string>());
      if (!due.ok() || !due_date.ok()) continue;
      auto days = std::chrono::sys_days(*due_date) - std::chrono::sys_days(LondonDate(at));
      d["review"] = r.ref;
      d["days_left"] = days.count();
      d["overdue"] = at > *due;
      out.push_back(d);
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a["due"] < b["due"]; });
  return out;
}

void PrintDeadlines(const nlohmann::json& deadlines) {
  for (const auto& d : deadlines) {
    std::string who = d["holder_role"].get<std::string>();
    if (d.contains("holder")) who += " " + d["holder"].get<std::string>();
    long long days = d["days_left"].get<long long>();
    std::string when = d["overdue"].get<bool>() ? "OVERDUE by " + std::to_string(-days) + " days"
                                                : std::to_string(days) + " days left";
    if (d["status"] == "suspended") when = "suspended";
    std::cout << d["review"].get<std::string>() << "\t" << d["due_date"].get<std::string>() << "\t"
              << when << "\t" << who << "\t" << d["what"].get<std::string>() << "\n";
  }
}


// The audit entry of a refused or failed command (its outcome from the Status), then Fail.
int FailAudited(Context& ctx, std::string_view board, std::string_view action, std::string_view target,
                const Status& why) {
  std::string_view outcome = why.code() == Status::Code::kForbidden         ? "forbidden"
                             : why.code() == Status::Code::kRefused         ? "refused"
                             : why.code() == Status::Code::kInvalidArgument ? "invalid"
                             : why.code() == Status::Code::kNotFound        ? "not-found"
                                                                            : "error";
  if (Status s = ctx.Audit(board, action, target, outcome); !s.ok()) return Fail(s);
  return Fail(why);
}

// Opens a review of `kind` (refers a case, notifies a death) as `by` (--by), who must be
// allowed to (engine/permissions.hpp), audited as the operator; prints the new reference.
int OpenAudited(Context& ctx, const std::string& by, const std::string& board_id, const ReviewKind& kind,
                const nlohmann::json& fields) {
  auto board = ctx.MayOpenAs(by, board_id, kind.name);
  if (!board.ok()) return FailAudited(ctx, board_id, kind.open_action, board_id, board.status());
  // The entry is written with the new review.
  auto r = ctx.engine->Open(kind.name, *board, fields, by, ctx.TrailFor(*board, kind.open_action));
  if (!r.ok()) return FailAudited(ctx, *board, kind.open_action, *board, r.status());
  std::cout << *r << "\n";
  return 0;
}

}  // namespace

void AddReviewCommands(CLI::App& app, Context& ctx, int& exit_code) {
  std::string& ref = ctx.Keep<std::string>();
  std::string& event = ctx.Keep<std::string>();
  std::string& by = ctx.Keep<std::string>();
  std::string& board_id = ctx.Keep<std::string>();
  std::string& json_fields = ctx.Keep<std::string>();
  std::string& path = ctx.Keep<std::string>();
  std::string& at = ctx.Keep<std::string>();
  std::vector<std::string>& sets = ctx.Keep<std::vector<std::string>>();
  bool& all = ctx.Keep<bool>(false);
  bool& quiet = ctx.Keep<bool>(false);

  // One command for each kind of review that opens one: refer, notify, ...
  for (const ReviewKind* kind : ReviewKinds()) {
    const std::string opening(kind->opening_event);
    auto* open = app.add_subcommand(std::string(kind->open_command),
                                    std::string(kind->open_link_text) + " (opens " + std::string(kind->a_title) + ")");
    open->add_option("--by", by, "Who records the " + std::string(kind->opening_noun) + " (person id)")->required();
    open->add_option("--set", sets, "FIELD=VALUE (see 'casereview events " + opening + "')");
    open->add_option("--json", json_fields, "The fields as a JSON object");
    open->add_option("--board", board_id, "Board id (default: the only board)");
    open->callback([&, kind] {
      if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
      auto fields = FieldsFrom(std::string(kind->opening_event), sets, json_fields);
      if (!fields.ok()) { exit_code = Fail(fields.status()); return; }
      exit_code = OpenAudited(ctx, by, board_id, *kind, *fields);
    });
  }

  auto* record = app.add_subcommand("record", "Record an event on a review");
  record->add_option("review", ref, "The review, e.g. SCR-2026-001")->required();
  record->add_option("event", event, "The event, e.g. PanelMeetingHeld (see 'casereview events')")->required();
  record->add_option("--by", by, "Who records it (person id)")->required();
  record->add_option("--set", sets, "FIELD=VALUE; lists comma-separated");
  record->add_option("--json", json_fields, "The fields as a JSON object");
  record->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto fields = FieldsFrom(event, sets, json_fields);
    if (!fields.ok()) { exit_code = Fail(fields.status()); return; }
    auto review = ctx.engine->GetReview(ref);
    if (!review.ok()) { exit_code = Fail(review.status()); return; }
    if (Status may = ctx.MayRecordAs(by, *review, event, *fields); !may.ok()) {
      exit_code = FailAudited(ctx, review->board_id, "review.record", ref, may);
      return;
    }
    // The entry is written with the event, in its transaction.
    auto r = ctx.engine->Record(ref, event, *fields, by, ctx.TrailFor(review->board_id, "review.record"));
    if (!r.ok()) { exit_code = FailAudited(ctx, review->board_id, "review.record", ref, r.status()); return; }
    std::cout << r->ref << " event " << r->last_seq << " " << event << " recorded; stage " << r->stage << "\n";
  });

  auto* review = app.add_subcommand("review", "List reviews or show one")->require_subcommand(1);
  auto* list = review->add_subcommand("list", "Every review: stage, next step and who holds it");
  list->add_flag("--all", all, "Include closed reviews");
  list->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    if (Status s = ctx.Audit("", "review.list", "all-boards", "ok"); !s.ok()) { exit_code = Fail(s); return; }
    Instant now = ctx.clock.Now();
    if (ctx.json) {  // each review's whole read model, with its due summary
      auto rows = ctx.engine->ListReviews({std::nullopt, !all});
      if (!rows.ok()) { exit_code = Fail(rows.status()); return; }
      nlohmann::json out = nlohmann::json::array();
      for (const auto& r : *rows) {
        out.push_back(ReviewJson(r));
        AddDueSummary(out.back(), now);
      }
      std::cout << out.dump(2) << "\n";
      return;
    }
    // One line a review: what the panel chair scans (the panel chair asks for every review on one page),
    // from the reviews' summaries, so no read model is loaded.
    auto summaries = ctx.engine->ListReviewSummaries({std::nullopt, !all}, {});
    if (!summaries.ok()) { exit_code = Fail(summaries.status()); return; }
    for (const auto& j : ReviewListRows(*summaries, now)) {
      std::string due = "-";
      if (j.contains("next_due"))
        due = j["next_due"]["due_date"].get<std::string>() + " (" + std::to_string(j["next_due"]["days_left"].get<long long>()) + " days)";
      std::string overdue = j["overdue"].get<int>() > 0 ? std::to_string(j["overdue"].get<int>()) + " OVERDUE" : "";
      std::cout << j["ref"].get<std::string>() << "\t" << j["stage"].get<std::string>() << "\tnext due " << due
                << (overdue.empty() ? "" : "\t" + overdue) << "\t" << Holders(j["next_step"]["holders"]) << "\t"
                << j["next_step"]["what"].get<std::string>() << "\n";
    }
  });
  auto* show = review->add_subcommand("show", "One review: stage, next step, IMRs, actions, history");
  show->add_option("review", ref, "The review, e.g. SCR-2026-001")->required();
  show->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto r = ctx.engine->GetReview(ref);
    if (!r.ok()) { exit_code = FailAudited(ctx, "", "review.read", "unknown-review", r.status()); return; }
    if (Status s = ctx.Audit(r->board_id, "review.read", ref, "ok"); !s.ok()) { exit_code = Fail(s); return; }
    auto history = ctx.engine->History(ref);
    if (!history.ok()) { exit_code = Fail(history.status()); return; }
    if (!ctx.json) { PrintReview(*r, *history); return; }
    nlohmann::json j = ReviewJson(*r);
    j["history"] = nlohmann::json::array();
    for (const auto& e : *history)
      j["history"].push_back({{"seq", e.seq}, {"type", e.type}, {"by", e.actor},
                              {"recorded_at", FormatInstant(e.recorded_at)}});
    std::cout << j.dump(2) << "\n";
  });

  auto* deadlines = app.add_subcommand("deadlines", "Every due date not yet met, soonest first: who holds it, days left, overdue");
  deadlines->add_option("--at", at, "As at this date or time (e.g. 2026-06-01), instead of now; changes nothing");
  deadlines->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    if (Status s = ctx.Audit("", "deadlines.read", "all-boards", "ok"); !s.ok()) { exit_code = Fail(s); return; }
    Instant when = ctx.clock.Now();
    if (!at.empty()) {
      auto parsed = ParseInstant(at);
      if (!parsed.ok()) { exit_code = Fail(Status::InvalidArgument("--at: " + parsed.status().message())); return; }
      when = *parsed;
    }
    auto rows = ctx.engine->ListReviews({std::nullopt, /*open_only=*/false});
    if (!rows.ok()) { exit_code = Fail(rows.status()); return; }
    nlohmann::json due = OpenDeadlines(*rows, when);
    // What the scheduler would fire by then (read only: nothing fires here).
    auto timers = ctx.store->DueTimers(when, 1000);
    if (!timers.ok()) { exit_code = Fail(timers.status()); return; }
    nlohmann::json would_fire = nlohmann::json::array();
    for (const auto& t : *timers)
      would_fire.push_back({{"timer", t.id}, {"review", t.review_ref}, {"due", FormatInstant(t.due)},
                            {"event", t.event}, {"fields", nlohmann::json::parse(t.payload, nullptr, false)}});
    if (ctx.json) {
      std::cout << nlohmann::json{{"deadlines", due}, {"would_fire", would_fire}}.dump(2) << "\n";
      return;
    }
    PrintDeadlines(due);
    for (const auto& t : would_fire)
      std::cout << "would fire " << t["due"].get<std::string>() << "\t" << t["review"].get<std::string>() << "\t"
                << t["event"].get<std::string>() << "\t" << t["fields"].value("deadline", "") << " "
                << t["fields"].value("step", "") << "\n";
  });

  std::string& kind = ctx.Keep<std::string>();
  auto* events = app.add_subcommand("events", "The events a review takes, with their fields");
  events->add_option("event", event, "Only this event");
  std::vector<std::string> kinds;
  for (const ReviewKind* k : ReviewKinds()) kinds.emplace_back(k->name);
  events->add_option("--kind", kind, "Only this kind of review: " + CLI::detail::join(kinds, " or "))
      ->check(CLI::IsMember(kinds));
  events->callback([&] { PrintEvents(event, kind, ctx.json); });

  auto* scenario = app.add_subcommand("scenario", "Run scenario files")->require_subcommand(1);
  auto* run = scenario->add_subcommand("run", "Run a scenario (examples/*.json) against --db");
  run->add_option("file", path, "The scenario file")->required()->check(CLI::ExistingFile);
  run->add_flag("--quiet", quiet, "Print only the outcome");
  run->callback([&] { exit_code = RunScenario(ctx, path, quiet); });

  bool& repair = ctx.Keep<bool>(false);
  auto* verify = app.add_subcommand("verify", "Rebuild every review from its log and check it");
  verify->add_flag("--repair", repair, "Rebuild read models an older casereview wrote (the logs are untouched)");
  verify->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto report = ctx.engine->Recover(/*include_closed=*/true, repair);
    if (!report.ok()) { exit_code = Fail(report.status()); return; }
    PrintRecovery(*report);
  });
}

}  // namespace casereview::cli

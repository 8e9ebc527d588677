#include "drive.hpp"

#include "scheduler.hpp"

namespace casereview::bench {

Status SetUpBoard(Engine& engine, const Workload& w) { return engine.ImportBoardData(w.board); }

Result<DriveReport> Drive(const Workload& w, Engine& engine, Store& store, ManualClock& clock, Instant until) {
  DriveReport report;
  report.refs.assign(w.reviews.size(), "");
  std::vector<bool> failed(w.reviews.size(), false);
  Scheduler scheduler(store, engine, clock);
  auto last_tick = std::chrono::sys_days{};
  for (const PlannedStep& step : w.steps) {
    if (step.at > until) break;
    auto day = std::chrono::floor<std::chrono::days>(step.at);
    if (day > last_tick) {  // the scheduler's morning round: every timer due by 06:00
      last_tick = day;
      clock.Set(std::max(clock.Now(), Instant(day + std::chrono::hours{6})));
      auto fired = scheduler.FireDue();
      if (!fired.ok()) return fired.status();
      report.timers_fired += fired->fired;
    }
    if (failed[step.review]) continue;
    clock.Set(step.at);
    Status s;
    if (step.event.empty()) {
      const bool cdop = w.reviews[step.review].kind == "cdop";
      auto ref = cdop ? engine.Open("cdop", w.board.board.id, step.fields, step.by)
                      : engine.Open("scr", w.board.board.id, step.fields, step.by);
      if (ref.ok()) report.refs[step.review] = *ref;
      else failed[step.review] = true;
      s = ref.status();
    } else {
      s = engine.Record(report.refs[step.review], step.event, step.fields, step.by).status();
    }
    if (s.ok()) {
      ++report.commands;
      continue;
    }
    if (s.code() == Status::Code::kStorageError || s.code() == Status::Code::kCorruption) return s;
    if (++report.refused == 1) report.first_refusal = step.event + ": " + s.message();
  }
  return report;
}

Result<std::int64_t> CopyReviews(Store& from, Store& to) {
  auto reviews = from.ListReviews({});
  if (!reviews.ok()) return reviews.status();
  std::vector<ReviewChange> batch;
  std::int64_t copied = 0;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    Status s = to.CommitAll(batch);
    batch.clear();
    return s;
  };
  for (const ReviewRecord& r : *reviews) {
    ReviewChange c;
    c.review = r;
    auto log = from.LoadEvents(r.ref);
    if (!log.ok()) return log.status();
    c.events = std::move(*log);
    auto timers = from.PendingTimers(r.ref);
    if (!timers.ok()) return timers.status();
    c.timers = std::move(*timers);
    auto notices = from.ListNotices({r.ref, std::nullopt, std::nullopt});
    if (!notices.ok()) return notices.status();
    for (Notice& n : *notices) {  // as queued: pending, never tried
      n.status = "pending";
      n.attempts = 0;
      n.next_attempt_at = n.created_at;
      n.last_attempt_at.reset();
      n.sent_at.reset();
      n.last_error.clear();
      c.notices.push_back(std::move(n));
    }
    batch.push_back(std::move(c));
    ++copied;
    if (batch.size() == 500) CR_RETURN_IF_ERROR(flush());
  }
  CR_RETURN_IF_ERROR(flush());
  return copied;
}

}  // namespace casereview::bench

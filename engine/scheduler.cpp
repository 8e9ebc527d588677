#include "scheduler.hpp"

#include "digest.hpp"

namespace casereview {

void RealSleeper::SleepUntil(std::optional<Instant> until, std::stop_token stop) {
  std::unique_lock lock(mu_);
  auto woken = [this] { return woken_; };
  if (until) {
    auto at_least = std::chrono::steady_clock::now() + kMinWait;  // monotonic, not the time of day
    cv_.wait_until(lock, stop, clock_ ? clock_->WallTimeAt(*until) : std::chrono::system_clock::time_point(*until),
                   woken);
    if (!woken_) cv_.wait_until(lock, stop, at_least, woken);
  } else {
    cv_.wait(lock, stop, woken);
  }
  woken_ = false;
}

void RealSleeper::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

// Once the timers are done: the board digests whose time has come (engine/digest.hpp).
Result<FiringReport> Scheduler::QueueDigests(FiringReport report) {
  auto calendar = engine_.Calendar();
  if (!calendar.ok()) return calendar.status();
  auto queued = QueueDueDigests(store_, **calendar, clock_.Now());
  if (!queued.ok()) return queued.status();
  report.digests = static_cast<std::int64_t>(*queued);
  return report;
}

Result<FiringReport> Scheduler::FireDue() {
  FiringReport report;
  constexpr std::size_t kBatch = 100;
  for (;;) {
    auto due = store_.DueTimers(clock_.Now(), kBatch);
    if (!due.ok()) return due.status();
    if (due->empty()) return QueueDigests(report);
    for (const Timer& t : *due) {
      Status s = engine_.FireTimer(t);
      if (s.ok()) {
        ++report.fired;
      } else if (s.code() == Status::Code::kConflict) {
        ++report.stale;  // someone else fired or moved it: it is no longer ours to fire
      } else {
        return s;
      }
    }
  }
}

void Scheduler::Run(std::stop_token stop, Sleeper& sleeper, std::chrono::seconds retry,
                    std::chrono::seconds max_sleep, void (*on_error)(const Status&)) {
  while (!stop.stop_requested()) {
    auto fired = FireDue();
    if (!fired.ok()) {
      on_error(fired.status());
      sleeper.SleepUntil(clock_.Now() + retry, stop);
      continue;
    }
    auto next = store_.NextTimerDue();
    if (!next.ok()) {
      on_error(next.status());
      sleeper.SleepUntil(clock_.Now() + retry, stop);
      continue;
    }
    Instant latest = clock_.Now() + max_sleep;
    sleeper.SleepUntil(*next && **next < latest ? **next : latest, stop);
  }
}

}  // namespace casereview

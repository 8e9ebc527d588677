// The scheduler: fires every timer that has fallen due, once, in due order, each as an
// ordinary event through its review's machine. It sleeps until the next timer is due
// (no polling); a command that arms an earlier timer wakes it.
//
// After an outage, the first FireDue() fires everything that fell due meanwhile, each
// timer once, soonest first.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stop_token>

#include "casereview/clock.hpp"
#include "casereview/engine.hpp"
#include "casereview/store.hpp"

namespace casereview {

struct FiringReport {
  std::int64_t fired = 0;
  std::int64_t stale = 0;  // moved, cancelled or fired by another process meanwhile
  std::int64_t digests = 0;  // board action-plan digests queued (engine/digest.hpp)
};

// How the scheduler waits. The real one sleeps on a condition variable until a wall-clock
// moment; tests use one that moves a ManualClock instead.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Waits until `until` (or for ever when nullopt), Wake() or a stop request.
  virtual void SleepUntil(std::optional<Instant> until, std::stop_token stop) = 0;
  virtual void Wake() = 0;
};

// Waits in real time until `clock` shows the instant (the system clock when none is
// given), so a test clock running faster than real time sleeps proportionally less. It
// never waits less than kMinWait of real time, so a loop over a fast clock cannot spin.
class RealSleeper final : public Sleeper {
 public:
  static constexpr std::chrono::milliseconds kMinWait{10};
  RealSleeper() = default;
  // REQUIRES: `clock` outlives the sleeper.
  explicit RealSleeper(const Clock& clock) : clock_(&clock) {}
  void SleepUntil(std::optional<Instant> until, std::stop_token stop) override;
  void Wake() override;

 private:
  std::mutex mu_;
  std::condition_variable_any cv_;
  bool woken_ = false;
  const Clock* clock_ = nullptr;
};

class Scheduler {
 public:
  // REQUIRES: all three outlive the Scheduler; `engine` uses `store` and `clock`.
  Scheduler(Store& store, Engine& engine, const Clock& clock) : store_(store), engine_(engine), clock_(clock) {}

  // Fires every pending timer due by the clock's now, soonest first; then queues the board
  // digests that have fallen due.
  Result<FiringReport> FireDue();
  // FireDue, then sleep until the next timer is due, until `stop`. Another process (the
  // CLI beside a running server) may arm an earlier timer without waking this one, so no
  // sleep is longer than `max_sleep`: such a timer fires at most that late. A storage error
  // is reported through `on_error` and retried after `retry`.
  void Run(std::stop_token stop, Sleeper& sleeper, std::chrono::seconds retry,
           std::chrono::seconds max_sleep, void (*on_error)(const Status&));

 private:
  Result<FiringReport> QueueDigests(FiringReport report);

  Store& store_;
  Engine& engine_;
  const Clock& clock_;
};

}  // namespace casereview

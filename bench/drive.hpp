// Runs a workload through the real Engine on a ManualClock, firing due timers through the
// Scheduler as simulated time passes (once a day, before the day's first command).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "casereview/engine.hpp"
#include "casereview/store.hpp"
#include "workload.hpp"

namespace casereview::bench {

struct DriveReport {
  std::int64_t commands = 0;      // recorded (accepted) commands
  std::int64_t refused = 0;       // commands the engine refused (a generator bug if > 0)
  std::int64_t timers_fired = 0;  // reminders and escalations recorded by the scheduler
  std::string first_refusal;
  std::vector<std::string> refs;  // by review index; "" if its opening failed
  std::int64_t events() const { return commands + timers_fired; }
};

// Runs every step at or before `until`; the clock is left at the last step's moment.
// REQUIRES: the store holds the workload's board (SetUpBoard).
Result<DriveReport> Drive(const Workload& w, Engine& engine, Store& store, ManualClock& clock,
                          Instant until = Instant::max());

Status SetUpBoard(Engine& engine, const Workload& w);

// Copies every review of `from` (its whole log, record, pending timers and outbox) into
// `to`, several hundred reviews per transaction. Fired and cancelled timers are not copied.
Result<std::int64_t> CopyReviews(Store& from, Store& to);

}  // namespace casereview::bench

// The benchmark's workload: a "national year" of child death reviews and Serious Case
// Reviews, each written down as the commands people would give over its whole lifecycle,
// spread over the year. Nothing here touches a store: bench/drive.hpp runs a workload
// through the real Engine.
//
// A national year (England, roughly): about 3,500 child deaths notified, a quarter of them
// unexpected (joint agency response first), and 400 SCR referrals, a third of which the
// board chair decides to hold. Event counts follow the guidance the machines encode: IMRs
// per review, returns for revision, extensions, 5-20 actions per action plan; reminders and
// escalations come from the timers the engine arms, fired by the scheduler as time passes.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "casereview/board.hpp"
#include "casereview/clock.hpp"

namespace casereview::bench {

struct WorkloadOptions {
  int years = 1;             // national years, one after another
  int first_year = 2026;     // the first calendar year
  double scale = 1.0;        // fraction of a national year (0.01 for a smoke run)
  std::uint64_t seed = 2026; // the same seed gives the same workload
  // Notifications carry an NHS number, as real ones do. The engine looks for an earlier
  // notification of the same number by reading every child death review's first event, so
  // a store of many years is generated without them (see docs/performance.md).
  bool nhs_numbers = true;
};

// One command, at its moment. `review` indexes Workload::reviews; an empty `event` opens
// the review (a notification for "cdop", a referral for "scr") with `fields`.
struct PlannedStep {
  Instant at{};
  std::uint32_t review = 0;
  std::string by;
  std::string event;
  nlohmann::json fields;
};

struct PlannedReview {
  std::string kind;       // "cdop" or "scr"
  bool unexpected = false;  // cdop: the joint agency response applies
  bool proceeds = false;    // scr: the board chair decides to hold the review
};

struct Workload {
  BoardData board;
  std::vector<PlannedReview> reviews;
  std::vector<PlannedStep> steps;  // in time order; a review's own steps keep their order
  Instant end{};                   // the last step's moment
};

// A synthetic board big enough for the workload: every agency has a lead, an author and a
// senior manager. Fictional people; no child's details anywhere in the workload.
BoardData BenchBoard();

Workload MakeWorkload(const WorkloadOptions& options);

}  // namespace casereview::bench

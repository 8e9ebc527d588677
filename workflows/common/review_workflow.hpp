// What every kind of review (SCR, child death review) offers the engine: one Boost.MSM
// machine behind a small interface, so commands, replay, deadlines and notices need not
// know which kind a review is.
//
// Pure: no I/O, no clock. Implementations: ScrWorkflow (scr/), CdopWorkflow (cdop/).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "casereview/status.hpp"
#include "common/event_spec.hpp"

namespace casereview {

// What should happen next and who holds it.
struct NextStep {
  std::string what;  // "" in a final stage
  // Each holder: {"role": "imr-author", "person": "p-x", "agency": "police"} (person and
  // agency only where known).
  nlohmann::json holders = nlohmann::json::array();
};

class ReviewWorkflow {
 public:
  virtual ~ReviewWorkflow() = default;
  virtual std::unique_ptr<ReviewWorkflow> Clone() const = 0;

  virtual std::string_view Kind() const = 0;  // "scr", "cdop": stored with the review
  virtual int DefinitionVersion() const = 0;  // stored with the stage
  virtual const std::string& Ref() const = 0;
  virtual std::string_view Stage() const = 0;
  virtual bool IsFinal() const = 0;

  // Applies one event (fields resolved, as stored). A refusal names the review, the stage
  // and what is missing, and changes nothing.
  virtual Status Apply(std::string_view event, const nlohmann::json& fields) = 0;

  // The events of this kind of review, the first (which opens it) included.
  virtual std::span<const EventSpec> Events() const = 0;
  virtual NextStep Next() const = 0;
  // The read model stored with the review. Never includes the child's identifying details.
  // Every list, page and command reads "ref", "kind", "stage" and "next_step" ({"what",
  // "holders"}) from it; a kind that leaves "next_step" out has Next()'s put in by the engine
  // (engine/replay.cpp RecordOf), and "deadlines" is always the engine's.
  virtual nlohmann::json Projection() const = 0;
};

}  // namespace casereview

// A Serious Case Review as a Boost.MSM state machine (docs/glossary.md; the Terms of Reference are quoted row by row in scr_machine.hpp).
//
// Stages (stable names, persisted): Referred, UnderPanelConsideration,
// AwaitingChairDecision, NotToProceed, Commissioning, ImrsInProgress, OverviewDrafting,
// PanelQualityAssurance, AwaitingBoardSignOff, SignedOff, Published, ActionPlanMonitoring,
// Closed. Extensions, parallel proceedings, single-agency learning and the media strategy
// run alongside in a second region until sign-off.
//
// Pure: no I/O, no clock. The machine lives in scr_workflow.cpp.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casereview/status.hpp"
#include "common/event_spec.hpp"
#include "common/review_workflow.hpp"
#include "scr/scr_case.hpp"

namespace casereview {

class ScrWorkflow final : public ReviewWorkflow {
 public:
  static constexpr std::string_view kKind = "scr";
  // Bump when a change to states or rows would replay an existing log differently; the
  // version is stored with each review's stage.
  static constexpr int kDefinitionVersion = 1;

  // Opens a review in Referred from its CaseReferred fields (resolved, as stored).
  static Result<ScrWorkflow> Begin(std::string ref, ScrRules rules, const nlohmann::json& referral);

  ScrWorkflow(const ScrWorkflow& other);
  ScrWorkflow& operator=(const ScrWorkflow& other);
  ScrWorkflow(ScrWorkflow&&) noexcept;
  ScrWorkflow& operator=(ScrWorkflow&&) noexcept;
  ~ScrWorkflow() override;

  // ReviewWorkflow
  std::unique_ptr<ReviewWorkflow> Clone() const override;
  std::string_view Kind() const override { return kKind; }
  int DefinitionVersion() const override { return kDefinitionVersion; }
  Status Apply(std::string_view event, const nlohmann::json& fields) override;
  const std::string& Ref() const override;
  std::string_view Stage() const override;
  bool IsFinal() const override;  // NotToProceed or Closed
  std::span<const EventSpec> Events() const override;
  NextStep Next() const override;
  nlohmann::json Projection() const override;

  const ScrCase& Case() const;

  // The spec of an event the machine takes (Apply looks it up here, by hash), or nullptr for
  // the opening event or a name that is not an event of this kind of review.
  static const EventSpec* MachineEventSpec(std::string_view event);

  // Every stage, in process order (for documentation and checks).
  static const std::vector<std::string_view>& Stages();

 private:
  ScrWorkflow();
  struct Machine;
  std::unique_ptr<Machine> m_;
};

NextStep ScrNextStep(const ScrWorkflow& w);
// What a stage is waiting for, in one sentence (used in refusals and `review show`).
std::string_view ScrStageExpects(std::string_view stage);
// The read model stored with the review: stage, next step, IMRs, actions, extensions, ...
// Never includes the child's identifying details.
nlohmann::json ScrProjection(const ScrWorkflow& w);

}  // namespace casereview

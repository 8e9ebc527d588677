// A child death review as a Boost.MSM state machine (docs/child-death-reviews.md).
//
// Stages (stable names, persisted): Notified, RapidResponse (unexpected deaths only),
// AgencyReportsRequested, AwaitingInvestigations, LocalCaseDiscussion, PanelReview, Closed.
// The investigations the review tracks (post-mortem report, inquest, police), a referral for
// an SCR and the deadline timers may be recorded at any stage until closure: they run in a
// second region.
//
// Pure: no I/O, no clock. The machine lives in cdop_workflow.cpp.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casereview/status.hpp"
#include "cdop/cdop_case.hpp"
#include "cdop/cdop_events.hpp"
#include "common/event_spec.hpp"
#include "common/review_workflow.hpp"

namespace casereview {

class CdopWorkflow final : public ReviewWorkflow {
 public:
  static constexpr std::string_view kKind = "cdop";
  // Bump when a change to states or rows would replay an existing log differently; the
  // version is stored with each review's stage.
  static constexpr int kDefinitionVersion = 1;

  // Opens a review in Notified from its ChildDeathNotified fields (resolved, as stored).
  // The child's identifiers are checked here and then left in the log: the review keeps none.
  static Result<CdopWorkflow> Begin(std::string ref, CdopRules rules, const nlohmann::json& notification);

  CdopWorkflow(const CdopWorkflow& other);
  CdopWorkflow& operator=(const CdopWorkflow& other);
  CdopWorkflow(CdopWorkflow&&) noexcept;
  CdopWorkflow& operator=(CdopWorkflow&&) noexcept;
  ~CdopWorkflow() override;

  // ReviewWorkflow
  std::unique_ptr<ReviewWorkflow> Clone() const override;
  std::string_view Kind() const override { return kKind; }
  int DefinitionVersion() const override { return kDefinitionVersion; }
  Status Apply(std::string_view event, const nlohmann::json& fields) override;
  const std::string& Ref() const override;
  std::string_view Stage() const override;
  bool IsFinal() const override;  // Closed
  std::span<const EventSpec> Events() const override;  // CdopEventSpecs()
  NextStep Next() const override;
  nlohmann::json Projection() const override;

  const CdopCase& Case() const;

  // The spec of an event the machine takes (Apply looks it up here, by hash), or nullptr for
  // the opening event or a name that is not an event of this kind of review.
  static const EventSpec* MachineEventSpec(std::string_view event);

  // Every stage, in process order (for documentation and checks).
  static const std::vector<std::string_view>& Stages();

 private:
  CdopWorkflow();
  struct Machine;
  std::unique_ptr<Machine> m_;
};

NextStep CdopNextStep(const CdopWorkflow& w);
// What a stage is waiting for, in one sentence (used in refusals and `review show`).
std::string_view CdopStageExpects(std::string_view stage);
// The read model stored with the review: stage, next step, rapid response, agency forms,
// investigations, meetings, the panel's findings. Never includes the child's name, NHS
// number, date of birth, or the date and time of death.
nlohmann::json CdopProjection(const CdopWorkflow& w);

}  // namespace casereview

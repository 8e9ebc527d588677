// One action of a review's inter-agency action plan: a lead officer, an agency, a due date,
// the outcome for children it should achieve, and its progress and evidence. The panel
// "monitor[s] the Inter-agency Action plan ... and ensure[s] that all actions are
// implemented and where appropriate assess[es] impact on practice" (seed 002, Appendix 2).
//
//   Open -> InProgress -> Completed -> ImpactAssured;  any but ImpactAssured -> ClosedWithReasons
//
// (Overdue is a deadline matter and arrives with the timers.)
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "casereview/status.hpp"

namespace casereview {

struct ActionFacts {
  std::string id;  // e.g. "A1", unique within the review
  std::string description;
  std::string lead_officer;  // person id
  std::string agency;        // agency id
  std::string due;           // YYYY-MM-DD
  std::string outcome;       // the outcome for children it should achieve
  std::vector<std::string> progress;  // notes, oldest first
  std::vector<std::string> evidence;  // evidence given, oldest first
  std::string closed_reasons;
};

// What an action's lead officer records on it (and so may: engine/permissions.cpp), and the
// stage a new action is in. The machine's own event types carry the same names
// (action_workflow.cpp).
inline constexpr std::string_view kActionStarted = "ActionStarted";
inline constexpr std::string_view kActionProgressRecorded = "ActionProgressRecorded";
inline constexpr std::string_view kActionCompleted = "ActionCompleted";
inline constexpr std::string_view kActionOpenStage = "Open";
// An event the action's lead officer records.
bool IsActionLeadEvent(std::string_view event);
// A stage in which the action is done: completed, impact-assured, or closed with reasons.
bool IsActionDone(std::string_view stage);

class ActionWorkflow {
 public:
  static constexpr int kDefinitionVersion = 1;

  explicit ActionWorkflow(std::string review_ref, ActionFacts added);
  ActionWorkflow(const ActionWorkflow& other);
  ActionWorkflow& operator=(const ActionWorkflow& other);
  ActionWorkflow(ActionWorkflow&&) noexcept;
  ActionWorkflow& operator=(ActionWorkflow&&) noexcept;
  ~ActionWorkflow();

  // Applies ActionStarted, ActionProgressRecorded, ActionCompleted, ActionImpactAssured or
  // ActionClosed. On refusal nothing changes.
  Status Apply(std::string_view event, const nlohmann::json& fields);
  Status Check(std::string_view event, const nlohmann::json& fields) const;

  std::string_view Stage() const;
  // ImpactAssured, or formally closed with reasons: nothing more is expected of it.
  bool IsDone() const;
  const ActionFacts& Facts() const;

 private:
  struct Machine;
  std::unique_ptr<Machine> m_;
};

}  // namespace casereview

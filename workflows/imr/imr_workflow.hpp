// One Individual Management Review (IMR): an agency's own account of its involvement,
// written by an author independent of the case and signed off by the agency's senior
// manager (seed 002, Appendix 2, para 6).
//
//   Commissioned -> Submitted -> (ReturnedForRevision -> Submitted)* -> Accepted -> SignedOff
//
// The Boost.MSM machine lives in imr_workflow.cpp; this wrapper keeps MSM out of every
// other translation unit. Copyable: a copy is an independent machine.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "casereview/status.hpp"

namespace casereview {

struct ImrFacts {
  std::string agency;          // agency id
  std::string author;          // person id; declared independent of the case
  std::string senior_manager;  // person id who will sign it off
  std::string due;             // YYYY-MM-DD
  int submissions = 0;
  int returns = 0;  // times the panel returned it for revision
};

class ImrWorkflow {
 public:
  // Bump when states or rows change in a way that changes replay of existing logs.
  static constexpr int kDefinitionVersion = 1;

  ImrWorkflow(std::string review_ref, ImrFacts commissioned);
  ImrWorkflow(const ImrWorkflow& other);
  ImrWorkflow& operator=(const ImrWorkflow& other);
  ImrWorkflow(ImrWorkflow&&) noexcept;
  ImrWorkflow& operator=(ImrWorkflow&&) noexcept;
  ~ImrWorkflow();

  // Applies ImrSubmitted, ImrReturnedForRevision, ImrAccepted or ImrSignedOff (fields as
  // validated by the SCR event table). On refusal nothing changes.
  Status Apply(std::string_view event, const nlohmann::json& fields);
  // Whether Apply would accept the event, changing nothing.
  Status Check(std::string_view event, const nlohmann::json& fields) const;

  std::string_view Stage() const;  // stable name, e.g. "Submitted"
  bool IsSignedOff() const { return Stage() == "SignedOff"; }
  const ImrFacts& Facts() const;
  // Who must act next: "author", "panel", "senior-manager" or "" when signed off.
  std::string_view NextHolder() const;

 private:
  struct Machine;
  std::unique_ptr<Machine> m_;
};

}  // namespace casereview

// The Serious Case Review as the registry knows it (common/review_kind.hpp).
#include "scr/scr_kind.hpp"

#include "scr/scr_events.hpp"
#include "scr/scr_workflow.hpp"

namespace casereview {
namespace {

Result<std::unique_ptr<ReviewWorkflow>> BeginScr(const std::string& ref, const QuorumRule& quorum,
                                                 const std::string& policy_profile, const nlohmann::json& referral) {
  auto w = ScrWorkflow::Begin(ref, ScrRules{policy_profile, quorum}, referral);
  if (!w.ok()) return w.status();
  return std::unique_ptr<ReviewWorkflow>(std::make_unique<ScrWorkflow>(std::move(*w)));
}

}  // namespace

const ReviewKind& ScrKind() {
  static const ReviewKind kind{
      .name = ScrWorkflow::kKind,
      .title = "Serious Case Review",
      .a_title = "a Serious Case Review",
      .ref_prefix = "SCR",
      .opening_event = kCaseReferred,
      .opening_noun = "referral",
      .open_action = "review.refer",
      .open_command = "refer",
      // Appendix 2 of the seed handbook: a case comes to the standing panel through the
      // business office or the panel's chair.
      .open_roles = {"business-officer", "panel-chair"},
      .opening_gerund = "referring a case",
      .open_link_text = "Refer a case to the SCR panel",
      .definition_version = ScrWorkflow::kDefinitionVersion,
      .events = ScrEventSpecs,
      .begin = BeginScr,
  };
  return kind;
}

}  // namespace casereview

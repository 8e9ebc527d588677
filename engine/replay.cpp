#include "replay.hpp"

#include "scr/scr_events.hpp"

namespace casereview {

nlohmann::json RulesToJson(const ScrRules& r) {
  return {{"policy_profile", r.policy_profile},
          {"quorum",
           {{"chair_required", r.quorum.chair_required},
            {"min_agencies", r.quorum.min_agencies},
            {"required_sectors", r.quorum.required_sectors}}}};
}

Result<ScrRules> RulesFromJson(const nlohmann::json& j) {
  try {
    ScrRules r;
    r.policy_profile = j.at("policy_profile").get<std::string>();
    const auto& q = j.at("quorum");
    r.quorum.chair_required = q.at("chair_required").get<bool>();
    r.quorum.min_agencies = q.at("min_agencies").get<int>();
    r.quorum.required_sectors = q.at("required_sectors").get<std::vector<std::string>>();
    return r;
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(std::string("the review's stored rules are malformed: ") + e.what());
  }
}

Result<ScrWorkflow> ReplayScr(const std::vector<StoredEvent>& log) {
  if (log.empty() || log.front().type != kCaseReferred)
    return Status::Corruption("the review's log does not start with CaseReferred");
  const std::string& ref = log.front().review_ref;
  auto corrupt = [&](const StoredEvent& e, const std::string& why) {
    return Status::Corruption("the log of " + ref + " does not replay at event " +
                              std::to_string(e.seq) + " (" + e.type + "): " + why);
  };
  nlohmann::json referral = nlohmann::json::parse(log.front().payload, nullptr, false);
  if (referral.is_discarded() || !referral.is_object() || !referral.contains("rules"))
    return corrupt(log.front(), "payload is not the expected JSON");
  auto rules = RulesFromJson(referral["rules"]);
  if (!rules.ok()) return corrupt(log.front(), rules.status().message());
  referral.erase("rules");
  auto w = ScrWorkflow::Begin(ref, *rules, referral);
  if (!w.ok()) return corrupt(log.front(), w.status().message());
  for (std::size_t i = 1; i < log.size(); ++i) {
    const StoredEvent& e = log[i];
    if (e.seq != static_cast<std::int64_t>(i + 1)) return corrupt(e, "sequence has a gap");
    nlohmann::json fields = nlohmann::json::parse(e.payload, nullptr, false);
    if (fields.is_discarded()) return corrupt(e, "payload is not JSON");
    Status s = w->Apply(e.type, fields);
    if (!s.ok()) return corrupt(e, s.message());
  }
  return w;
}

ReviewRecord ScrRecord(const ScrWorkflow& w, const std::string& board_id, Instant opened_at,
                       Instant updated_at, std::int64_t last_seq) {
  ReviewRecord r;
  r.ref = w.Ref();
  r.board_id = board_id;
  r.kind = "scr";
  r.stage = std::string(w.Stage());
  r.machine_version = ScrWorkflow::kDefinitionVersion;
  r.last_seq = last_seq;
  r.open = !w.IsFinal();
  r.opened_at = opened_at;
  r.updated_at = updated_at;
  r.projection = ScrProjection(w).dump();
  return r;
}

}  // namespace casereview

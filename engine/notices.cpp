#include "notices.hpp"

#include <algorithm>

namespace casereview {
namespace {

using Json = nlohmann::json;

std::vector<std::string> WithRole(const BoardDirectory& dir, std::string_view role,
                                  std::string_view agency = {}) {
  std::vector<std::string> ids;
  for (const auto& [id, p] : dir.people)
    if (p.HasRole(role) && (agency.empty() || p.agency_id == agency)) ids.push_back(id);
  return ids;
}

// The panel chair, else the business officer: someone always hears of a missed date.
std::vector<std::string> PanelChairs(const BoardDirectory& dir) {
  auto ids = WithRole(dir, "panel-chair");
  return ids.empty() ? WithRole(dir, "business-officer") : ids;
}

const Deadline* FindDeadline(const DeadlineTracker& t, const std::string& key) {
  for (const auto& d : t.deadlines())
    if (d.key == key) return &d;
  return nullptr;
}

std::vector<std::string> Holders(const Deadline& d, const BoardDirectory& dir) {
  if (!d.holder.empty()) return {d.holder};
  auto ids = WithRole(dir, d.holder_role);
  return ids.empty() ? PanelChairs(dir) : ids;
}

std::vector<std::string> EscalationRecipients(const Deadline& d, const std::string& to,
                                              const BoardDirectory& dir) {
  std::vector<std::string> ids;
  if (to == "holder") ids = Holders(d, dir);
  if (to == "senior-manager" && !d.holder_agency.empty()) ids = WithRole(dir, "senior-manager", d.holder_agency);
  if (to == "board-chair") ids = WithRole(dir, "board-chair");
  if (to == "panel-chair" || ids.empty()) ids = PanelChairs(dir);
  return ids;
}

Json DeadlinePayload(const ReviewState& s, const Deadline& d, const Json& fields) {
  return {{"review", s.workflow.Ref()}, {"stage", s.workflow.Stage()}, {"task", d.what},
          {"holder_role", d.holder_role}, {"due_date", fields.value("due_date", "")},
          {"step", fields.value("step", "")}, {"to", fields.value("to", "")}};
}

}  // namespace

std::vector<Notice> NoticesFor(const ReviewState& state, std::string_view event,
                               const nlohmann::json& fields, std::int64_t seq, Instant now,
                               const BoardDirectory& dir) {
  const std::string& ref = state.workflow.Ref();
  std::vector<Notice> out;
  auto add = [&](std::string kind, std::vector<std::string> to, Json payload) {
    std::sort(to.begin(), to.end());
    to.erase(std::unique(to.begin(), to.end()), to.end());
    std::string id = ref + "#" + std::to_string(seq) + "." + std::to_string(out.size());
    out.push_back({id, ref, std::move(kind), std::move(to), payload.dump(), now, "pending"});
  };
  if (event == "DeadlineReminderDue" || event == "DeadlineEscalated") {
    const Deadline* d = FindDeadline(state.deadlines, fields.value("deadline", ""));
    if (d == nullptr) return out;  // its deadline was met in the same instant: nothing to say
    Json payload = DeadlinePayload(state, *d, fields);
    if (event == "DeadlineReminderDue") {
      add("deadline-reminder", Holders(*d, dir), payload);
    } else {
      std::string to = fields.value("to", "holder");
      add(to == "holder" ? "deadline-overdue" : "deadline-escalation", EscalationRecipients(*d, to, dir), payload);
    }
  } else if (event == "ImrTimeframeAtRisk") {
    std::string agency = fields.value("agency", "");
    std::vector<std::string> to = PanelChairs(dir);
    const auto& imrs = state.workflow.Case().imrs;
    if (auto it = imrs.find(agency); it != imrs.end()) to.push_back(it->second.Facts().senior_manager);
    add("timeframe-at-risk", to,
        {{"review", ref}, {"stage", state.workflow.Stage()}, {"task", "IMR (" + agency + ")"},
         {"agency", agency}});
  }
  return out;
}

}  // namespace casereview

#include "notices.hpp"

#include <algorithm>

namespace casereview {
namespace {

using Json = nlohmann::json;
using Ids = std::vector<std::string>;

Ids WithRole(const BoardDirectory& dir, std::string_view role, std::string_view agency = {}) {
  Ids ids;
  for (const auto& [id, p] : dir.people)
    if (p.HasRole(role) && (agency.empty() || p.agency_id == agency)) ids.push_back(id);
  return ids;
}

Ids Joined(Ids a, const Ids& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The panel chair, else the business officer: someone always hears of a missed date.
Ids PanelChairs(const BoardDirectory& dir) {
  auto ids = WithRole(dir, "panel-chair");
  return ids.empty() ? WithRole(dir, "business-officer") : ids;
}

Ids StandingPanel(const BoardDirectory& dir) { return Joined(PanelChairs(dir), WithRole(dir, "panel-member")); }

// The board chair, else the panel chair: a decision never waits on nobody.
Ids BoardChairs(const BoardDirectory& dir) {
  auto ids = WithRole(dir, "board-chair");
  return ids.empty() ? PanelChairs(dir) : ids;
}

// A person field as the log stores it (resolved {"id",...}) or as typed (the id).
std::string PersonId(const Json& fields, const char* key) {
  if (!fields.contains(key)) return "";
  const Json& v = fields[key];
  return v.is_object() ? v.value("id", "") : v.is_string() ? v.get<std::string>() : "";
}

const Deadline* FindDeadline(const DeadlineTracker& t, const std::string& key) {
  for (const auto& d : t.deadlines())
    if (d.HasKey(key)) return &d;
  return nullptr;
}

std::string DueDateOf(const ReviewState& s, const std::string& key) {
  const Deadline* d = FindDeadline(s.deadlines, key);
  return d == nullptr ? "" : FormatDate(d->due_date);
}

std::string AgencyName(const BoardDirectory& dir, const std::string& id) {
  auto it = dir.agencies.find(id);
  return it == dir.agencies.end() ? id : it->second.name;
}

// An IMR's author and senior manager, as commissioned.
Ids ImrPeople(const ReviewState& s, const std::string& agency) {
  if (s.Scr() == nullptr) return {};
  const auto& imrs = s.Scr()->Case().imrs;
  auto it = imrs.find(agency);
  if (it == imrs.end()) return {};
  return {it->second.Facts().author, it->second.Facts().senior_manager};
}

Ids Holders(const ReviewState& s, const Deadline& d, const BoardDirectory& dir) {
  // "each IMR author and their agency's senior manager ... before it is due, when it is overdue"
  if (d.Rule() == "imr-due" && !ImrPeople(s, d.subject).empty()) return ImrPeople(s, d.subject);
  if (!d.holder.empty()) return {std::string(d.holder)};
  auto ids = WithRole(dir, d.HolderRole());
  return ids.empty() ? PanelChairs(dir) : ids;
}

Ids EscalationRecipients(const ReviewState& s, const Deadline& d, const std::string& to,
                         const BoardDirectory& dir) {
  Ids ids;
  if (to == "holder") ids = Holders(s, d, dir);
  if (to == "senior-manager" && !d.holder_agency.empty()) ids = WithRole(dir, "senior-manager", d.holder_agency);
  if (to == "board-chair") ids = BoardChairs(dir);
  if (to == "panel-chair" || ids.empty()) ids = PanelChairs(dir);
  return ids;
}

// What a notice may say: the review, its stage, the task and (when there is one) its due
// date. `extra` adds agency names, meeting dates and the like, never free text.
Json About(const ReviewState& s, std::string task, std::string due_date, Json extra = Json::object()) {
  Json j = {{"review", s.workflow->Ref()}, {"stage", s.workflow->Stage()}, {"task", std::move(task)},
            {"due_date", std::move(due_date)}};
  j.update(extra);
  return j;
}

struct Addressed {
  std::string kind;
  Ids to;
  Json about;
};

std::vector<Addressed> ForDeadlineTimer(const ReviewState& s, std::string_view event, const Json& fields,
                                        const BoardDirectory& dir) {
  const Deadline* d = FindDeadline(s.deadlines, fields.value("deadline", ""));
  if (d == nullptr) return {};  // its deadline was met in the same instant: nothing to say
  Json about = About(s, d->What(), fields.value("due_date", ""),
                     {{"holder_role", d->HolderRole()}, {"step", fields.value("step", "")},
                      {"to", fields.value("to", "")}});
  if (d->Rule() == "imr-due") about["agency"] = AgencyName(dir, d->subject);
  if (d->Rule() == "action-due") about["action"] = d->subject;
  if (event == "DeadlineReminderDue") return {{"deadline-reminder", Holders(s, *d, dir), about}};
  std::string to = fields.value("to", "holder");
  return {{to == "holder" ? "deadline-overdue" : "deadline-escalation", EscalationRecipients(s, *d, to, dir), about}};
}

std::vector<Addressed> ForImrEvent(const ReviewState& s, std::string_view event, const Json& fields,
                                   const BoardDirectory& dir) {
  std::string agency = fields.value("agency", "");
  std::string due = DueDateOf(s, "imr-due:" + agency);
  Json about = About(s, "IMR (" + AgencyName(dir, agency) + ")", due, {{"agency", AgencyName(dir, agency)}});
  if (event == "ImrCommissioned") return {{"imr-commissioned", ImrPeople(s, agency), about}};
  if (event == "ImrReturnedForRevision") return {{"imr-returned", ImrPeople(s, agency), about}};
  // ImrTimeframeAtRisk: "the panel chair on escalations and early warnings"
  Ids to = PanelChairs(dir);
  if (Ids imr = ImrPeople(s, agency); imr.size() == 2) to.push_back(imr[1]);
  return {{"timeframe-at-risk", to, about}};
}

std::vector<Addressed> ForDecision(const ReviewState& s, std::string_view event, const Json& fields,
                                   const BoardDirectory& dir) {
  if (event == "ScrRecommended")
    return {{"decision-needed", BoardChairs(dir),
             About(s, "decide whether to hold an SCR: the panel recommends one", DueDateOf(s, "scr-decision"))}};
  if (event == "NoScrRecommended")
    return {{"decision-needed", BoardChairs(dir),
             About(s, "decide whether to hold an SCR: the panel recommends none", DueDateOf(s, "scr-decision"))}};
  if (event == "OverviewEndorsedByPanel")
    return {{"decision-needed", BoardChairs(dir),
             About(s, "sign off the overview report the panel has endorsed", DueDateOf(s, "scr-completion"))}};
  return {{"decision-needed", BoardChairs(dir),
           About(s, "decide on the request to extend the review to " + fields.value("until", ""),
                 DueDateOf(s, "scr-completion"))}};
}

std::vector<Addressed> Addressees(const ReviewState& s, std::string_view event, const Json& fields,
                                  const BoardDirectory& dir) {
  if (event == "DeadlineReminderDue" || event == "DeadlineEscalated") return ForDeadlineTimer(s, event, fields, dir);
  if (event == "ImrCommissioned" || event == "ImrReturnedForRevision" || event == "ImrTimeframeAtRisk")
    return ForImrEvent(s, event, fields, dir);
  if (event == "ScrRecommended" || event == "NoScrRecommended" || event == "OverviewEndorsedByPanel" ||
      event == "ExtensionRequested")
    return ForDecision(s, event, fields, dir);
  if (event == "CaseReferred")
    return {{"case-referred", StandingPanel(dir),
             About(s, "consider the referral at a panel meeting", DueDateOf(s, "scr-decision"))}};
  if (event == "PanelMeetingConvened")
    return {{"meeting-convened", StandingPanel(dir),
             About(s, "attend the " + fields.value("kind", "") + " panel meeting", fields.value("date", ""),
                   {{"meeting_date", fields.value("date", "")}, {"meeting_kind", fields.value("kind", "")}})}};
  if (event == "AgencyReportRequested") {
    // A child death review's reporting form: its author, and their agency's senior manager.
    std::string agency = fields.value("agency", "");
    Ids to = WithRole(dir, "senior-manager", agency);
    to.push_back(PersonId(fields, "author"));
    return {{"report-requested", to,
             About(s, "agency reporting form (" + AgencyName(dir, agency) + ")", fields.value("due", ""),
                   {{"agency", AgencyName(dir, agency)}})}};
  }
  std::string writer = s.Scr() != nullptr ? s.Scr()->Case().overview_writer : "";
  if (event == "OverviewWriterAppointed")
    return {{"overview-commissioned", {writer}, About(s, "write the overview report", DueDateOf(s, "scr-completion"))}};
  if (event == "OverviewReturnedForRevision" || event == "ReportReturnedByBoard")
    return {{"overview-returned", {writer}, About(s, "revise the overview report", DueDateOf(s, "scr-completion"))}};
  if (event == "ActionAdded") {
    std::string action = fields.value("action", "");
    return {{"action-assigned", {PersonId(fields, "lead_officer")},
             About(s, "action " + action + " of the action plan", fields.value("due", ""),
                   {{"action", action}, {"agency", AgencyName(dir, fields.value("agency", ""))}})}};
  }
  return {};
}

}  // namespace

std::vector<Notice> NoticesFor(const ReviewState& state, const std::string& board_id, std::string_view event,
                               const nlohmann::json& fields, std::int64_t seq, Instant now,
                               const BoardDirectory& dir) {
  const std::string& ref = state.workflow->Ref();
  std::vector<Notice> out;
  for (auto& [kind, to, about] : Addressees(state, event, fields, dir)) {
    std::erase(to, std::string());
    std::sort(to.begin(), to.end());
    to.erase(std::unique(to.begin(), to.end()), to.end());
    if (to.empty()) continue;  // nobody holds the role on this board: nothing to address
    Notice n;
    n.id = ref + "#" + std::to_string(seq) + "." + std::to_string(out.size());
    n.review_ref = ref;
    n.kind = std::move(kind);
    n.recipients = std::move(to);
    n.payload = about.dump();
    n.created_at = n.next_attempt_at = now;
    n.board_id = board_id;
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace casereview

#include "notices.hpp"

#include <algorithm>

#include "common/notice_rule.hpp"
#include "common/review_kind.hpp"
#include "timers.hpp"

namespace casereview {
namespace {

using Json = nlohmann::json;
using Ids = PersonIds;

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

std::string FieldText(const Json& fields, std::string_view field) {
  return fields.value(std::string(field), std::string());
}

Ids Holders(const ReviewKind& kind, const ReviewState& s, const Deadline& d, const BoardDirectory& dir) {
  // "each IMR author and their agency's senior manager ... before it is due, when it is overdue"
  if (d.Rule() == "imr-due")
    if (auto report = HoldersOfReport(kind, *s.workflow, d.subject)) return {report->author, report->senior_manager};
  if (!d.holder.empty()) return {std::string(d.holder)};
  auto ids = PeopleWithRole(dir.people, d.HolderRole());
  return ids.empty() ? PanelChairs(dir.people) : ids;
}

Ids EscalationRecipients(const ReviewKind& kind, const ReviewState& s, const Deadline& d, const std::string& to,
                         const BoardDirectory& dir) {
  Ids ids;
  if (to == "holder") ids = Holders(kind, s, d, dir);
  if (to == "senior-manager" && !d.holder_agency.empty())
    ids = PeopleWithRole(dir.people, "senior-manager", d.holder_agency);
  if (to == "board-chair") ids = BoardChairs(dir.people);
  if (to == "panel-chair" || ids.empty()) ids = PanelChairs(dir.people);
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

std::vector<Addressed> ForDeadlineTimer(const ReviewKind& kind, const ReviewState& s, std::string_view event,
                                        const Json& fields, const BoardDirectory& dir) {
  const Deadline* d = FindDeadline(s.deadlines, fields.value("deadline", ""));
  if (d == nullptr) return {};  // its deadline was met in the same instant: nothing to say
  Json about = About(s, d->What(), fields.value("due_date", ""),
                     {{"holder_role", d->HolderRole()}, {"step", fields.value("step", "")},
                      {"to", fields.value("to", "")}});
  if (d->Rule() == "imr-due") about["agency"] = AgencyName(dir, d->subject);
  if (d->Rule() == "action-due") about["action"] = d->subject;
  if (event == kDeadlineReminderDue) return {{"deadline-reminder", Holders(kind, s, *d, dir), about}};
  std::string to = fields.value("to", "holder");
  return {{to == "holder" ? "deadline-overdue" : "deadline-escalation", EscalationRecipients(kind, s, *d, to, dir),
           about}};
}

// The rule's task with each "{field}" filled in: the agency field by the agency's name.
std::string TaskOf(const NoticeRule& rule, const Json& fields, const std::string& agency_name) {
  std::string task;
  std::string_view rest = rule.task;
  for (auto open = rest.find('{'); open != std::string_view::npos; open = rest.find('{')) {
    auto close = rest.find('}', open);
    if (close == std::string_view::npos) break;
    std::string_view field = rest.substr(open + 1, close - open - 1);
    task.append(rest.substr(0, open));
    task += !rule.agency_field.empty() && field == rule.agency_field ? agency_name : FieldText(fields, field);
    rest.remove_prefix(close + 1);
  }
  task.append(rest);
  return task;
}

std::string DueDateFor(const NoticeDue& due, const ReviewState& s, const Json& fields) {
  if (!due.deadline.empty()) {
    std::string key(due.deadline);
    if (!due.deadline_subject_field.empty()) key += ":" + FieldText(fields, due.deadline_subject_field);
    return DueDateOf(s, key);
  }
  return due.field.empty() ? "" : FieldText(fields, due.field);
}

Addressed ByRule(const NoticeRule& rule, const NoticeContext& c, const ReviewState& s, const BoardDirectory& dir) {
  Ids to;
  for (const RecipientSelector& r : rule.to) {
    Ids some = r.select(c, r.field);
    to.insert(to.end(), some.begin(), some.end());
  }
  Json extra = Json::object();
  std::string agency_name;
  if (!rule.agency_field.empty()) {
    agency_name = AgencyName(dir, FieldText(c.fields, rule.agency_field));
    extra["agency"] = agency_name;
  }
  for (const NoticeField& f : rule.copied) extra[std::string(f.key)] = FieldText(c.fields, f.field);
  return {std::string(rule.notice), std::move(to),
          About(s, TaskOf(rule, c.fields, agency_name), DueDateFor(rule.due, s, c.fields), std::move(extra))};
}

// The timers' events are the engine's own; every other event's notices are its kind's rules.
std::vector<Addressed> Addressees(const ReviewState& s, std::string_view event, const Json& fields,
                                  const BoardDirectory& dir) {
  const ReviewKind* kind = FindReviewKind(s.workflow->Kind());
  if (kind == nullptr) return {};  // not reached: a review is opened only as a registered kind
  if (event == kDeadlineReminderDue || event == kDeadlineEscalated)
    return ForDeadlineTimer(*kind, s, event, fields, dir);
  const NoticeContext context{*kind, *s.workflow, fields, dir.people};
  std::vector<Addressed> out;
  for (const NoticeRule& rule : kind->notices)
    if (rule.event == event) out.push_back(ByRule(rule, context, s, dir));
  return out;
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

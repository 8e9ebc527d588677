#include "permissions.hpp"

#include "action_plan/action_workflow.hpp"
#include "common/review_kind.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace casereview {
namespace {

bool OnBoard(const Person& p, std::string_view board) { return p.board_id == board; }

bool Any(const Person& p, std::initializer_list<std::string_view> roles) {
  return std::any_of(roles.begin(), roles.end(), [&](std::string_view r) { return p.HasRole(r); });
}

nlohmann::json Projection(const ReviewRecord& r) {
  nlohmann::json j = nlohmann::json::parse(r.projection, nullptr, false);
  return j.is_object() ? j : nlohmann::json::object();
}

std::string Text(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The actions of the review's action plan, as its read model lists them; none for a kind that
// keeps none.
nlohmann::json Actions(const ReviewKind* kind, const nlohmann::json& projection) {
  if (kind == nullptr || kind->action_plan_key.empty()) return nlohmann::json::array();
  auto it = projection.find(std::string(kind->action_plan_key));
  return it != projection.end() && it->is_array() ? *it : nlohmann::json::array();
}

// The reports the review asks of agencies (its kind's AgencyReports: an SCR's IMRs, a child
// death review's forms), as its read model lists them; none for a kind that asks for none.
nlohmann::json Reports(const ReviewKind* kind, const nlohmann::json& projection) {
  if (kind == nullptr || kind->reports.key.empty()) return nlohmann::json::array();
  auto it = projection.find(std::string(kind->reports.key));
  return it != projection.end() && it->is_array() ? *it : nlohmann::json::array();
}

bool Is(std::string_view event, std::string_view kind_event) { return !kind_event.empty() && event == kind_event; }

bool WritesReport(const Person& p, const nlohmann::json& report) { return Text(report, "author") == p.id; }
bool ManagesReport(const Person& p, const nlohmann::json& report) {
  return p.HasRole("senior-manager") &&
         (Text(report, "senior_manager") == p.id || (!p.agency_id.empty() && Text(report, "agency") == p.agency_id));
}

Status Forbidden(std::string_view event, std::string_view who) {
  return Status::Forbidden("recording " + std::string(event) + " needs " + std::string(who));
}

constexpr std::array<std::string_view, 4> kCaseRoles = {"board-chair", "panel-chair", "panel-member",
                                                        "business-officer"};

bool IsBoardChairOf(const std::vector<Person>& people, const std::string& id) {
  return std::any_of(people.begin(), people.end(),
                     [&](const Person& x) { return x.id == id && x.HasRole("board-chair"); });
}

Status MayRecordBoardChairDecision(const Person& p, std::string_view event, const std::string& field,
                                   const nlohmann::json& fields, const std::vector<Person>& board_people) {
  std::string decider = fields.is_object() ? Text(fields, field.c_str()) : "";
  if (p.HasRole("board-chair") && (decider.empty() || decider == p.id)) return Status::Ok();
  if (!p.HasRole("board-chair") && !Any(p, {"business-officer", "panel-chair"}))
    return Forbidden(event, "the board chair, or the business officer or panel chair on the board chair's behalf");
  if (decider.empty())
    return Status::Forbidden(std::string(event) + " is the board chair's decision: to record it for them, say which board chair decided in \"" + field + "\"");
  if (!IsBoardChairOf(board_people, decider))
    return Status::Forbidden(std::string(event) + " is the board chair's decision: \"" + field + "\" must name a board chair of this board");
  return Status::Ok();
}

}  // namespace

bool SeesCaseDetails(const Person& p, std::string_view review_board) {
  return OnBoard(p, review_board) && Any(p, {"board-chair", "panel-chair", "panel-member", "business-officer"});
}

bool SeesBoardReports(const Person& p, std::string_view board_id) {
  return OnBoard(p, board_id) && Any(p, {"board-chair", "board-member", "panel-chair", "business-officer"});
}

bool IsAdministrator(const Person& p) { return p.HasRole("administrator"); }

bool GrantsCaseAccess(std::string_view role) {
  return std::find(kCaseRoles.begin(), kCaseRoles.end(), role) != kCaseRoles.end();
}

bool CanSeeReview(const Person& p, const ReviewRecord& r) {
  if (!OnBoard(p, r.board_id)) return false;
  if (SeesCaseDetails(p, r.board_id)) return true;
  return !TasksOf(p, {r}).empty();
}

Status MayRemovePerson(const Person& actor, const Person& target) {
  const bool admin = IsAdministrator(actor);
  if (!admin && !actor.HasRole("business-officer"))
    return Status::Forbidden("the board's people are kept by administrators and the business officer");
  if (target.id == actor.id) return Status::Forbidden("nobody removes themselves: ask another administrator");
  if (!admin && IsAdministrator(target)) return Status::Forbidden("only an administrator removes an administrator");
  return Status::Ok();
}

Status MayPutPerson(const Person& actor, const std::optional<Person>& before, const Person& after) {
  const bool admin = IsAdministrator(actor);
  if (!admin && !actor.HasRole("business-officer"))
    return Status::Forbidden("the board's people are kept by administrators and the business officer");
  if (!admin && (IsAdministrator(after) || (before && IsAdministrator(*before))))
    return Status::Forbidden("only an administrator makes, changes or removes an administrator");
  for (const std::string& role : after.roles) {
    if (!GrantsCaseAccess(role) || (before && before->HasRole(role))) continue;
    if (after.id == actor.id)
      return Status::Forbidden("nobody gives themselves a role that reads case files (" + role +
                               "): ask another administrator");
    if (!admin) return Status::Forbidden("giving someone the " + role + " role, which reads case files, needs an administrator");
  }
  return Status::Ok();
}

Status MayOpen(const Person& p, std::string_view board_id, std::string_view kind) {
  if (!OnBoard(p, board_id)) return Status::Forbidden("only the board's own people open its reviews");
  const ReviewKind* k = FindReviewKind(kind);
  if (k == nullptr) return Status::InvalidArgument("there is no kind of review '" + std::string(kind) + "'");
  std::string roles;
  for (std::string_view role : k->open_roles) {
    if (p.HasRole(role)) return Status::Ok();
    roles += (roles.empty() ? "" : " or ") + std::string(role);
  }
  return Status::Forbidden(std::string(k->opening_gerund) + " needs the " + roles + " role");
}

Status MayRecord(const Person& p, const ReviewRecord& r, std::string_view event, const nlohmann::json& fields,
                 const std::vector<Person>& board_people) {
  if (!OnBoard(p, r.board_id)) return Status::Forbidden("only the board's own people record on its reviews");
  const ReviewKind* kind = FindReviewKind(r.kind);
  if (const ChairDecision* decision = kind ? kind->BoardChairDecisionBy(event) : nullptr)
    return MayRecordBoardChairDecision(p, event, std::string(decision->decider_field), fields, board_people);
  if (Any(p, {"business-officer", "panel-chair"})) return Status::Ok();
  nlohmann::json projection = Projection(r);
  std::string agency = fields.is_object() ? Text(fields, "agency") : "";
  if (kind && (Is(event, kind->reports.submit_event) || Is(event, kind->reports.late_event))) {
    for (const auto& report : Reports(kind, projection))
      if (Text(report, "agency") == agency && (WritesReport(p, report) || ManagesReport(p, report))) return Status::Ok();
    return Forbidden(event, "the author (or senior manager) of that agency's report");
  }
  // The writer appointed to the kind's one report (the SCR's independent overview writer)
  // submits the report they were appointed to write.
  if (kind && Is(event, kind->appointed.submit_event)) {
    if (!p.id.empty() && Text(projection, std::string(kind->appointed.writer_key).c_str()) == p.id) return Status::Ok();
    return Forbidden(event, "the review's appointed writer, the business officer or the panel chair");
  }
  if (kind && Is(event, kind->reports.sign_off_event)) {
    for (const auto& report : Reports(kind, projection))
      if (Text(report, "agency") == agency && ManagesReport(p, report)) return Status::Ok();
    return Forbidden(event, "that agency's senior manager");
  }
  if (kind && !kind->action_plan_key.empty() && IsActionLeadEvent(event)) {
    std::string id = fields.is_object() ? Text(fields, "action") : "";
    if (id.empty() && fields.is_object()) id = Text(fields, "id");
    for (const auto& a : Actions(kind, projection))
      if (Text(a, "id") == id && Text(a, "lead_officer") == p.id) return Status::Ok();
    return Forbidden(event, "the action's lead officer");
  }
  return Forbidden(event, "the business-officer or panel-chair role");
}

nlohmann::json TasksOf(const Person& p, const std::vector<ReviewRecord>& reviews) {
  nlohmann::json tasks = nlohmann::json::array();
  for (const ReviewRecord& r : reviews) {
    if (r.board_id != p.board_id) continue;
    nlohmann::json projection = Projection(r);
    const ReviewKind* kind = FindReviewKind(r.kind);
    for (const auto& report : Reports(kind, projection)) {
      if (!WritesReport(p, report) && !ManagesReport(p, report)) continue;
      std::string stage = Text(report, std::string(kind->reports.stage_key).c_str());
      tasks.push_back({{"review", r.ref},
                       {"kind", r.kind},
                       {"task", kind->reports.task},
                       {"agency", Text(report, "agency")},
                       {"as", WritesReport(p, report) ? "author" : "senior-manager"},
                       {"stage", stage},
                       {"due", Text(report, "due")}});
    }
    const AppointedReport* appointed = kind && !kind->appointed.writer_key.empty() ? &kind->appointed : nullptr;
    if (appointed && !p.id.empty() && Text(projection, std::string(appointed->writer_key).c_str()) == p.id) {
      std::string due;
      for (const auto& d : projection.value("deadlines", nlohmann::json::array()))
        if (Text(d, "key") == appointed->due_deadline) due = Text(d, "due_date");
      tasks.push_back({{"review", r.ref},
                       {"kind", r.kind},
                       {"task", appointed->task},
                       {"agency", ""},
                       {"as", appointed->as},
                       {"stage", r.stage},
                       {"due", due}});
    }
    for (const auto& a : Actions(kind, projection)) {
      if (Text(a, "lead_officer") != p.id) continue;
      tasks.push_back({{"review", r.ref},
                       {"kind", r.kind},
                       {"task", "action"},
                       {"action", Text(a, "id")},
                       {"agency", Text(a, "agency")},
                       {"as", "lead-officer"},
                       {"stage", Text(a, "stage")},
                       {"due", Text(a, "due")}});
    }
  }
  return tasks;
}

}  // namespace casereview

#include "permissions.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace casereview {
namespace {

bool OnBoard(const Person& p, std::string_view board) { return p.board_id == board; }

bool Any(const Person& p, std::initializer_list<std::string_view> roles) {
  return std::any_of(roles.begin(), roles.end(), [&](std::string_view r) { return p.HasRole(r); });
}

bool In(std::string_view event, std::initializer_list<std::string_view> events) {
  return std::find(events.begin(), events.end(), event) != events.end();
}

nlohmann::json Projection(const ReviewRecord& r) {
  nlohmann::json j = nlohmann::json::parse(r.projection, nullptr, false);
  return j.is_object() ? j : nlohmann::json::object();
}

std::string Text(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The IMRs and forms of a review: SCR "imrs", child death review "agency_reports".
nlohmann::json Reports(const nlohmann::json& projection) {
  nlohmann::json all = nlohmann::json::array();
  for (const char* key : {"imrs", "agency_reports"}) {
    auto it = projection.find(key);
    if (it == projection.end() || !it->is_array()) continue;
    for (const auto& item : *it) all.push_back(item);
  }
  return all;
}

bool WritesReport(const Person& p, const nlohmann::json& report) { return Text(report, "author") == p.id; }
bool ManagesReport(const Person& p, const nlohmann::json& report) {
  return p.HasRole("senior-manager") &&
         (Text(report, "senior_manager") == p.id || (!p.agency_id.empty() && Text(report, "agency") == p.agency_id));
}

Status Forbidden(std::string_view event, std::string_view who) {
  return Status::Forbidden("recording " + std::string(event) + " needs " + std::string(who));
}

}  // namespace

bool SeesCaseDetails(const Person& p, std::string_view review_board) {
  return OnBoard(p, review_board) && Any(p, {"board-chair", "panel-chair", "panel-member", "business-officer"});
}

bool SeesBoardReports(const Person& p, std::string_view board_id) {
  return OnBoard(p, board_id) && Any(p, {"board-chair", "board-member", "panel-chair", "business-officer"});
}

bool IsAdministrator(const Person& p) { return p.HasRole("administrator"); }

Status MayOpen(const Person& p, std::string_view board_id, std::string_view kind) {
  if (!OnBoard(p, board_id)) return Status::Forbidden("only the board's own people open its reviews");
  if (kind == "cdop") {
    if (Any(p, {"business-officer"})) return Status::Ok();
    return Status::Forbidden("notifying a child's death needs the business-officer role");
  }
  if (Any(p, {"business-officer", "panel-chair"})) return Status::Ok();
  return Status::Forbidden("referring a case needs the business-officer or panel-chair role");
}

Status MayRecord(const Person& p, const ReviewRecord& r, std::string_view event, const nlohmann::json& fields) {
  if (!OnBoard(p, r.board_id)) return Status::Forbidden("only the board's own people record on its reviews");
  if (Any(p, {"business-officer", "panel-chair"})) return Status::Ok();
  if (p.HasRole("board-chair") &&
      In(event, {"ChairDecidedToProceed", "ChairDecidedNotToProceed", "ReportSignedOffByBoard", "ReportReturnedByBoard",
                 "ExtensionGranted", "ExtensionRefused"}))
    return Status::Ok();
  nlohmann::json projection = Projection(r);
  std::string agency = fields.is_object() ? Text(fields, "agency") : "";
  if (In(event, {"ImrSubmitted", "ImrTimeframeAtRisk", "AgencyReportSubmitted"})) {
    for (const auto& report : Reports(projection))
      if (Text(report, "agency") == agency && (WritesReport(p, report) || ManagesReport(p, report))) return Status::Ok();
    return Forbidden(event, "the author (or senior manager) of that agency's report");
  }
  if (event == "ImrSignedOff") {
    for (const auto& report : Reports(projection))
      if (Text(report, "agency") == agency && ManagesReport(p, report)) return Status::Ok();
    return Forbidden(event, "that agency's senior manager");
  }
  if (In(event, {"ActionStarted", "ActionProgressRecorded", "ActionCompleted"})) {
    std::string id = fields.is_object() ? Text(fields, "action") : "";
    if (id.empty() && fields.is_object()) id = Text(fields, "id");
    for (const auto& a : projection.value("actions", nlohmann::json::array()))
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
    const bool scr = r.kind == "scr";
    for (const auto& report : Reports(projection)) {
      if (!WritesReport(p, report) && !ManagesReport(p, report)) continue;
      std::string stage = Text(report, "stage");
      if (stage.empty()) stage = Text(report, "status");
      tasks.push_back({{"review", r.ref},
                       {"kind", r.kind},
                       {"task", scr ? "imr" : "agency-report"},
                       {"agency", Text(report, "agency")},
                       {"as", WritesReport(p, report) ? "author" : "senior-manager"},
                       {"stage", stage},
                       {"due", Text(report, "due")}});
    }
    for (const auto& a : projection.value("actions", nlohmann::json::array())) {
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

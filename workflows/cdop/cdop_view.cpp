// The child death review's read model: what stage it is at, what should happen next, who
// holds it. Built from CdopCase, which never holds the child's identifiers.
#include <map>

#include "cdop/cdop_events.hpp"
#include "cdop/cdop_workflow.hpp"

namespace casereview {
namespace {

using Json = nlohmann::json;

Json Holder(std::string role, std::string person = "", std::string agency = "") {
  Json h = {{"role", std::move(role)}};
  if (!person.empty()) h["person"] = std::move(person);
  if (!agency.empty()) h["agency"] = std::move(agency);
  return h;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(sep)) + i;
  return out;
}

void NotifiedNextStep(const CdopCase& c, NextStep& step) {
  if (c.IsUnexpected()) {
    step.what = "the death was unexpected: start the joint agency response (RapidResponseStarted)";
  } else {
    std::vector<std::string> agencies(c.involved_agencies.begin(), c.involved_agencies.end());
    step.what = "request a reporting form from every agency that knew the child: " + Join(agencies) +
                " (AgencyReportRequested)";
  }
  step.holders.push_back(Holder("business-officer"));
}

void RapidResponseNextStep(const CdopCase& c, NextStep& step) {
  const RapidResponse& r = c.rapid_response;
  std::vector<std::string> todo;
  if (r.information_sharing_meetings.empty())
    todo.push_back("the information sharing and planning meeting (InformationSharingMeetingHeld)");
  if (r.joint_home_visits.empty()) todo.push_back("the joint home or scene visit (JointHomeVisitCompleted)");
  if (r.post_mortems.empty()) todo.push_back("the post-mortem (PostMortemPerformed)");
  if (r.post_mortem_discussions.empty())
    todo.push_back("the post-mortem discussion (PostMortemDiscussionHeld)");
  step.what = todo.empty() ? "the joint agency response is done: record RapidResponseCompleted"
                           : "joint agency response, still to record: " + Join(todo, "; ") +
                                 "; then RapidResponseCompleted";
  step.holders.push_back(Holder("business-officer"));
}

void AgencyReportsNextStep(const CdopCase& c, NextStep& step) {
  std::vector<std::string> waiting;
  for (const auto& r : c.agency_reports) {
    if (r.submitted) continue;
    waiting.push_back(std::string(r.agency) + (r.due.empty() ? "" : " (due " + r.due + ")"));
    step.holders.push_back(Holder("report-author", std::string(r.author), std::string(r.agency)));
  }
  std::vector<std::string> not_asked;
  for (const auto& a : c.involved_agencies) {
    bool asked = false;
    for (const auto& r : c.agency_reports) asked = asked || r.agency == a;
    if (!asked) not_asked.push_back(a);
  }
  if (waiting.empty()) {
    step.what = "every requested form is in: record AllAgencyReportsReceived";
    step.holders.push_back(Holder("business-officer"));
  } else {
    step.what = "reporting forms outstanding from: " + Join(waiting);
  }
  if (!not_asked.empty()) step.what += "; involved agencies not yet asked for a form: " + Join(not_asked);
}

void AwaitingInvestigationsNextStep(const CdopCase& c, NextStep& step) {
  step.what =
      "schedule the child death review meeting with at least a month's notice (ReviewMeetingScheduled)";
  if (!c.rapid_response.post_mortems.empty() && c.investigations.post_mortem_report_received_on.empty())
    step.what += ", once the post-mortem report is received (PostMortemReportReceived)";
  step.holders.push_back(Holder("business-officer"));
}

Json RapidResponseJson(const RapidResponse& r) {
  std::vector<std::string> meetings;
  for (const auto& m : r.information_sharing_meetings) meetings.push_back(m.date);
  Json criminal = Json::array();
  for (const auto& i : r.criminal_investigations)
    criminal.push_back({{"date", i.date}, {"status", i.status}});
  return {{"started_on", r.started_on},
          {"information_sharing_meetings", meetings},
          {"joint_home_visits", r.joint_home_visits},
          {"post_mortems", r.post_mortems},
          {"post_mortem_discussions", r.post_mortem_discussions},
          {"criminal_investigations", criminal},
          {"strategy_meetings", r.strategy_meetings},
          {"completed_on", r.completed_on}};
}

Json AgencyReportsJson(const CdopCase& c) {
  Json out = Json::array();
  for (const auto& r : c.agency_reports)
    out.push_back({{"agency", r.agency}, {"author", r.author}, {"due", r.due},
                   {"status", r.StatusText()}, {"not_known_answers", r.not_known_answers}});
  return out;
}

Json InvestigationsJson(const Investigations& i) {
  return {{"post_mortem_report_received_on", i.post_mortem_report_received_on},
          {"inquest_opened_on", i.inquest_opened_on},
          {"inquest_concluded_on", i.inquest_concluded_on},
          {"inquest_conclusion", i.inquest_conclusion},
          {"police_investigation_concluded_on", i.police_investigation_concluded_on}};
}

Json PanelJson(const CdopCase& c) {
  const DeathCategory* category = FindDeathCategory(c.panel.category);
  Json factors = Json::array();
  for (const auto& f : c.contributory_factors)
    factors.push_back({{"domain", f.domain}, {"factor", f.factor}, {"grade", f.grade}});
  return {{"meetings", c.panel.meetings},
          {"date", c.panel.meeting.date},
          {"category", c.panel.category},
          {"category_number", category ? category->number : 0},
          {"category_title", category ? category->title : ""},
          {"modifiable", c.panel.modifiable},
          {"contributory_factors", factors},
          {"recommendations", c.recommendations.size()}};
}

}  // namespace

std::string_view CdopStageExpects(std::string_view stage) {
  static const std::map<std::string_view, std::string_view> kExpects = {
      {"Notified",
       "for an unexpected death, the joint agency response (RapidResponseStarted); for an expected "
       "death, reporting forms from the agencies that knew the child (AgencyReportRequested)"},
      {"RapidResponse",
       "the information sharing and planning meeting, joint home visit, post-mortem and its "
       "discussion, then RapidResponseCompleted"},
      {"AgencyReportsRequested",
       "a reporting form from every agency that knew the child, then AllAgencyReportsReceived"},
      {"AwaitingInvestigations",
       "the child death review meeting scheduled with at least a month's notice, after the "
       "post-mortem report (ReviewMeetingScheduled)"},
      {"LocalCaseDiscussion", "the child death review meeting is held (LocalCaseDiscussionHeld)"},
      {"PanelReview",
       "a quorate CDOP records the category of death and modifiable factors (PanelReviewHeld), "
       "contributory factors and recommendations, then ReviewClosed"},
      {"Closed", "nothing: the review is closed"},
  };
  auto it = kExpects.find(stage);
  return it == kExpects.end() ? std::string_view("(unknown stage)") : it->second;
}

NextStep CdopNextStep(const CdopWorkflow& w) {
  const CdopCase& c = w.Case();
  std::string_view stage = w.Stage();
  NextStep step;
  step.what = std::string(CdopStageExpects(stage));
  if (w.IsFinal()) return step;
  if (stage == "Notified") {
    NotifiedNextStep(c, step);
  } else if (stage == "RapidResponse") {
    RapidResponseNextStep(c, step);
  } else if (stage == "AgencyReportsRequested") {
    AgencyReportsNextStep(c, step);
  } else if (stage == "AwaitingInvestigations") {
    AwaitingInvestigationsNextStep(c, step);
  } else if (stage == "LocalCaseDiscussion") {
    step.what =
        "hold the child death review meeting on " + c.review_meeting.date + " (LocalCaseDiscussionHeld)";
    step.holders.push_back(Holder("business-officer"));
  } else {
    if (c.panel.meetings > 0)
      step.what = "record contributory factors and recommendations, then close the review (ReviewClosed)";
    step.holders.push_back(Holder("panel-chair"));
  }
  return step;
}

nlohmann::json CdopProjection(const CdopWorkflow& w) {
  const CdopCase& c = w.Case();
  NextStep next = CdopNextStep(w);
  return {
      {"ref", c.ref},
      {"kind", CdopWorkflow::kKind},
      {"stage", w.Stage()},
      {"machine_version", CdopWorkflow::kDefinitionVersion},
      {"next_step", {{"what", next.what}, {"holders", next.holders}}},
      // The notification without the child's identifiers or the date and time of death.
      {"notification", {{"notifying_agency", c.notifying_agency}, {"expected", c.expected},
                        {"place_of_death", c.place_of_death}, {"resident_in_area", c.resident_in_area}}},
      {"involved_agencies", c.involved_agencies},
      {"rapid_response", RapidResponseJson(c.rapid_response)},
      {"agency_reports", AgencyReportsJson(c)},
      {"investigations", InvestigationsJson(c.investigations)},
      {"review_meeting", {{"date", c.review_meeting.date},
                          {"notice_given_on", c.review_meeting.notice_given_on},
                          {"times_scheduled", c.review_meeting.times_scheduled},
                          {"held_on", c.review_meeting.held.date}}},
      {"panel_review", PanelJson(c)},
      {"referred_for_scr", c.referred_for_scr},
      {"scr_ref", c.scr_ref},
      {"closed_on", c.closed_on},
      {"alongside", {{"reminders_fired", c.reminders_fired}, {"escalations", c.escalations}}},
  };
}

std::unique_ptr<ReviewWorkflow> CdopWorkflow::Clone() const { return std::make_unique<CdopWorkflow>(*this); }
std::span<const EventSpec> CdopWorkflow::Events() const { return CdopEventSpecs(); }
NextStep CdopWorkflow::Next() const { return CdopNextStep(*this); }
nlohmann::json CdopWorkflow::Projection() const { return CdopProjection(*this); }

}  // namespace casereview

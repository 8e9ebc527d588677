#include "cdop/cdop_case.hpp"

#include <chrono>

#include "casereview/clock.hpp"
#include "common/event_spec.hpp"
#include "common/interned_text.hpp"

namespace casereview {
namespace {

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

const AgencyReport* CdopCase::OutstandingReport(const std::string& agency) const {
  for (const auto& r : agency_reports)
    if (r.agency == agency && !r.submitted) return &r;
  return nullptr;
}

std::vector<Participant> PeopleFrom(const nlohmann::json& list) {
  std::vector<Participant> out;
  out.reserve(list.size());
  for (const auto& p : list) out.push_back(Participant::FromJson(p));
  return out;
}

// ---- Recording facts -----------------------------------------------------------------------
void RecordNotification(CdopCase& c, const nlohmann::json& n) {
  // Deliberately not kept: nhs_number, subject_name, subject_dob, death_date, death_time.
  c.notifying_agency = TextField(n, "notifying_agency");
  c.expected = TextField(n, "expected");
  c.place_of_death = TextField(n, "place_of_death");
  c.resident_in_area = BoolField(n, "resident_in_area");
  c.neighbouring_area = TextField(n, "neighbouring_area");
  for (const auto& a : n["agencies_involved"]) c.involved_agencies.insert(a.get<std::string>());
}

void RecordReportRequest(CdopCase& c, const nlohmann::json& p) {
  AgencyReport r;
  r.agency = InternedText(TextField(p, "agency"));
  r.author = InternedText(PersonId(p, "author"));
  r.due = TextField(p, "due");
  c.involved_agencies.insert(std::string(r.agency));  // an agency asked for a form knew the child
  // A handful per review, held while it is open: room for one more at a time, not double.
  c.agency_reports.reserve(c.agency_reports.size() + 1);
  c.agency_reports.push_back(std::move(r));
}

void RecordReportSubmission(CdopCase& c, const nlohmann::json& p) {
  std::string agency = TextField(p, "agency");
  for (auto& r : c.agency_reports) {
    if (r.agency != agency || r.submitted) continue;
    r.submitted = true;
    r.not_known_answers = BoolField(p, "not_known_answers");
  }
}

void RecordPanelFindings(CdopCase& c, const nlohmann::json& p) {
  c.panel.meeting = {TextField(p, "date")};
  c.panel.category = TextField(p, "category");
  c.panel.modifiable = TextField(p, "modifiable");
  ++c.panel.meetings;
}

// ---- Rules ---------------------------------------------------------------------------------
std::string RapidResponseNotNeeded(const CdopCase& c) {
  return c.IsUnexpected() ? ""
                          : "the death was notified as expected; the joint agency response is for "
                            "unexpected deaths (request the agency reports: AgencyReportRequested)";
}

std::string RapidResponseComesFirst(const CdopCase& c) {
  return c.IsUnexpected() ? "the death was unexpected: the joint agency response starts first "
                            "(RapidResponseStarted)"
                          : "";
}

std::string RapidResponseShortfall(const CdopCase& c) {
  return c.rapid_response.information_sharing_meetings.empty()
             ? "the information sharing and planning meeting has not been held "
               "(InformationSharingMeetingHeld)"
             : "";
}

std::string ReportRequestConflict(const CdopCase& c, const std::string& agency) {
  const AgencyReport* r = c.OutstandingReport(agency);
  return r ? "a reporting form from " + agency + " is already outstanding" +
                 (r->due.empty() ? std::string() : " (due " + r->due + ")")
           : "";
}

std::string ReportNotOutstanding(const CdopCase& c, const std::string& agency) {
  return c.OutstandingReport(agency) ? ""
                                     : "no reporting form from " + agency + " is outstanding";
}

std::vector<std::string> ReportsOutstanding(const CdopCase& c) {
  std::vector<std::string> out;
  for (const auto& r : c.agency_reports)
    if (!r.submitted) out.push_back(std::string(r.agency));
  return out;
}

std::string ReportsShortfall(const CdopCase& c) {
  if (c.agency_reports.empty()) return "no reporting form has been requested (AgencyReportRequested)";
  std::vector<std::string> open = ReportsOutstanding(c);
  return open.empty() ? "" : "reporting forms still outstanding from: " + JoinList(open);
}

std::string EarliestMeetingAfterNotice(const std::string& notice) {
  using namespace std::chrono;
  Date given = *ParseDate(notice);
  year_month_day next = given + months{1};
  if (!next.ok()) next = year_month_day{next.year() / next.month() / last};  // 31 Jan -> 28 Feb
  return FormatDate(next);
}

std::string MeetingNoticeShortfall(const std::string& meeting, const std::string& notice_given_on) {
  std::string earliest = EarliestMeetingAfterNotice(notice_given_on);
  // ISO dates compare as text.
  return meeting >= earliest ? ""
                             : "the meeting on " + meeting + " gives less than a calendar month's notice "
                               "(notice given on " + notice_given_on + "; the earliest date is " +
                               earliest + ")";
}

std::string ReviewMeetingShortfall(const CdopCase& c, const std::string& meeting,
                                   const std::string& notice_given_on) {
  std::vector<std::string> missing;
  if (!c.rapid_response.post_mortems.empty() && c.investigations.post_mortem_report_received_on.empty())
    missing.push_back("the post-mortem report has not been received");
  std::string notice = MeetingNoticeShortfall(meeting, notice_given_on);
  if (!notice.empty()) missing.push_back(notice);
  std::string out;
  for (const auto& m : missing) out += (out.empty() ? "" : "; ") + m;
  return out;
}

std::string PanelQuorumShortfall(const CdopCase& c, const std::vector<Participant>& attendees) {
  std::string shortfall = QuorumShortfall(c.rules.quorum, attendees);
  return shortfall.empty() ? "" : "the panel was not quorate: " + shortfall;
}

std::string PostMortemReportConflict(const CdopCase& c) {
  const std::string& on = c.investigations.post_mortem_report_received_on;
  return on.empty() ? "" : "the post-mortem report was already received on " + on;
}

std::string InquestOpeningConflict(const CdopCase& c) {
  const std::string& on = c.investigations.inquest_opened_on;
  return on.empty() ? "" : "an inquest was already opened on " + on;
}

std::string InquestConclusionConflict(const CdopCase& c) {
  const Investigations& i = c.investigations;
  if (i.inquest_opened_on.empty()) return "no inquest has been opened (InquestOpened)";
  return i.inquest_concluded_on.empty() ? "" : "the inquest already concluded on " + i.inquest_concluded_on;
}

std::string PoliceConclusionConflict(const CdopCase& c) {
  const std::string& on = c.investigations.police_investigation_concluded_on;
  return on.empty() ? "" : "the police investigation already concluded on " + on;
}

std::string ScrReferralConflict(const CdopCase& c) {
  if (!c.referred_for_scr) return "";
  return "the case has already been referred for an SCR" +
         (c.scr_ref.empty() ? std::string() : " (linked: " + c.scr_ref + ")");
}

std::string PanelFindingsShortfall(const CdopCase& c) {
  return c.panel.meetings == 0
             ? "the panel has not recorded the category of death and modifiable factors "
               "(PanelReviewHeld)"
             : "";
}

}  // namespace casereview

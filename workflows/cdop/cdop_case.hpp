// The facts of one child death review as its events established them, and the rules of
// the process as plain predicates. The machine's guards call these; each returns "" when the
// rule is met or, when it is not, what is missing, in words a SPOC or panel chair would use.
//
// The child's identifiers (name, NHS number, date of birth) and the date and time of death
// stay in the notification event in the log: nothing here holds them, so no projection,
// notice or message built from a CdopCase can carry them.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "casereview/board.hpp"
#include "scr/scr_case.hpp"  // Participant, QuorumShortfall

namespace casereview {

// The rules a review began under; it keeps them even if the board changes its own.
struct CdopRules {
  QuorumRule quorum;  // for the CDOP meeting, as for the standing SCR panel
};

// A meeting as recorded: when. Who was there stays in the meeting's event in the log: the
// quorum rule reads it from the event when it is recorded, and nothing the review decides
// or shows later reads it again, so an open review does not hold the list
// (docs/performance.md, figure 2: memory per open review).
struct AttendedMeeting {
  std::string date;
};

// The joint agency response to an unexpected death. Every step may be repeated (a second
// post-mortem, a further planning meeting); each is kept in the order recorded.
struct RapidResponse {
  struct Investigation {
    std::string date;
    std::string status;
  };
  std::string started_on;
  std::vector<AttendedMeeting> information_sharing_meetings;
  std::vector<std::string> joint_home_visits;  // dates
  std::vector<std::string> post_mortems;
  std::vector<std::string> post_mortem_discussions;
  std::vector<Investigation> criminal_investigations;
  std::vector<std::string> strategy_meetings;
  std::string completed_on;
};

// A reporting form requested from one agency. An agency may be asked again once its form
// is in; never twice while one is outstanding. The ids are the board's (a bounded set), held
// as views of one shared copy (InternedText).
struct AgencyReport {
  std::string_view agency;
  std::string_view author;  // person id
  std::string due;     // YYYY-MM-DD; "" if none was set
  bool submitted = false;
  bool not_known_answers = false;

  std::string_view StatusText() const { return submitted ? "submitted" : "requested"; }
};

// The investigations the review waits on without being blocked by them.
struct Investigations {
  std::string post_mortem_report_received_on;
  std::string inquest_opened_on;
  std::string inquest_concluded_on;
  std::string inquest_conclusion;
  std::string police_investigation_concluded_on;
};

// The child death review meeting (the local case discussion).
struct ReviewMeeting {
  std::string date;  // as last scheduled
  std::string notice_given_on;
  int times_scheduled = 0;
  AttendedMeeting held;  // date "" until it is held
};

// The CDOP's review: the latest quorate meeting's findings.
struct PanelFindings {
  AttendedMeeting meeting;
  std::string category;    // a DeathCategory id
  std::string modifiable;  // yes, no, insufficient-information
  int meetings = 0;
};

struct ContributoryFactor {
  std::string domain;  // intrinsic-to-child, social-environment, physical-environment, service-provision
  std::string factor;
  int grade = 0;  // 0 no factor or no information; 1 unlikely to have contributed; 2 may have
};

struct CdopCase {
  std::string ref;
  CdopRules rules;

  // The notification, without the child's identifiers.
  std::string notifying_agency;
  std::string expected;  // "expected" or "unexpected"
  std::string place_of_death;
  bool resident_in_area = true;
  std::string neighbouring_area;
  std::set<std::string> involved_agencies;

  RapidResponse rapid_response;
  std::vector<AgencyReport> agency_reports;  // in the order requested
  Investigations investigations;
  ReviewMeeting review_meeting;
  PanelFindings panel;
  std::vector<ContributoryFactor> contributory_factors;
  std::vector<std::string> recommendations;
  std::string closed_on;

  // The referral for an SCR and its link.
  bool referred_for_scr = false;
  std::string scr_referral_reasons;
  std::string scr_ref;  // the linked SCR, once the engine has opened it

  int reminders_fired = 0;
  std::vector<std::string> escalations;  // "deadline -> to", in the order they fired

  bool IsUnexpected() const { return expected == "unexpected"; }
  const AgencyReport* OutstandingReport(const std::string& agency) const;
};

// ---- Recording facts (REQUIRES: the fields passed ValidatePayload and the row's guard) ----
void RecordNotification(CdopCase& c, const nlohmann::json& notification);
void RecordReportRequest(CdopCase& c, const nlohmann::json& fields);
void RecordReportSubmission(CdopCase& c, const nlohmann::json& fields);
void RecordPanelFindings(CdopCase& c, const nlohmann::json& fields);
std::vector<Participant> PeopleFrom(const nlohmann::json& list);

// ---- Rules ---------------------------------------------------------------------------------
// Only an unexpected death has a joint agency response.
std::string RapidResponseNotNeeded(const CdopCase& c);
// An unexpected death's reporting forms follow its rapid response.
std::string RapidResponseComesFirst(const CdopCase& c);
// The rapid response is complete only once the information sharing and planning meeting is held.
std::string RapidResponseShortfall(const CdopCase& c);
// One outstanding form per agency.
std::string ReportRequestConflict(const CdopCase& c, const std::string& agency);
std::string ReportNotOutstanding(const CdopCase& c, const std::string& agency);
// The agencies whose form is outstanding, in the order requested.
std::vector<std::string> ReportsOutstanding(const CdopCase& c);
// At least one form was requested and none is outstanding.
std::string ReportsShortfall(const CdopCase& c);
// "at least a month's notice": the meeting is on or after the same day of the next calendar
// month (the last day of that month when it is shorter).
std::string MeetingNoticeShortfall(const std::string& meeting, const std::string& notice_given_on);
// The notice rule, and "not before the post-mortem report is available" when one was performed.
std::string ReviewMeetingShortfall(const CdopCase& c, const std::string& meeting,
                                   const std::string& notice_given_on);
// Quoracy of the CDOP meeting, under the review's rule: "" or "the panel was not quorate: ...".
std::string PanelQuorumShortfall(const CdopCase& c, const std::vector<Participant>& attendees);
// The panel's category of death and modifiable factors, recorded before closure.
std::string PanelFindingsShortfall(const CdopCase& c);

// Investigations alongside: each fact once, an inquest concluded only once opened.
std::string PostMortemReportConflict(const CdopCase& c);
std::string InquestOpeningConflict(const CdopCase& c);
std::string InquestConclusionConflict(const CdopCase& c);
std::string PoliceConclusionConflict(const CdopCase& c);
// One referral for an SCR per case.
std::string ScrReferralConflict(const CdopCase& c);

// The earliest meeting date a notice given on `notice` allows (REQUIRES: a real date).
std::string EarliestMeetingAfterNotice(const std::string& notice);

}  // namespace casereview

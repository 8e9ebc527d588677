#include "cdop/cdop_events.hpp"

#include <array>
#include <vector>

namespace casereview {
namespace {

using F = FieldType;

constexpr std::array<DeathCategory, 10> kCategories = {{
    {1, "deliberately-inflicted-injury-abuse-or-neglect", "Deliberately inflicted injury, abuse or neglect"},
    {2, "suicide-or-deliberate-self-inflicted-harm", "Suicide or deliberate self-inflicted harm"},
    {3, "trauma-and-other-external-factors", "Trauma and other external factors"},
    {4, "malignancy", "Malignancy"},
    {5, "acute-medical-or-surgical-condition", "Acute medical or surgical condition"},
    {6, "chronic-medical-condition", "Chronic medical condition"},
    {7, "chromosomal-genetic-and-congenital-anomalies", "Chromosomal, genetic and congenital anomalies"},
    {8, "perinatal-neonatal-event", "Perinatal/neonatal event"},
    {9, "infection", "Infection"},
    {10, "sudden-unexpected-unexplained-death", "Sudden unexpected, unexplained death"},
}};

FieldSpec Date(std::string_view name, std::string_view help, bool required = true) {
  return {name, F::kDate, required, help};
}
// Left out of a command, notice is counted as given today (the engine records the date).
FieldSpec NoticeGivenOn() {
  FieldSpec f{"notice_given_on", F::kDate, true, "when notice of it was given (default: today)"};
  f.today_by_default = true;
  return f;
}
FieldSpec Text(std::string_view name, std::string_view help, bool required = true) {
  return {name, F::kText, required, help};
}
FieldSpec When(std::string_view help = "when") { return Date("date", help); }
FieldSpec Attendees() { return {"attendees", F::kPeople, true, "everyone present"}; }
FieldSpec Confidential(std::string_view name, FieldType type, std::string_view help) {
  return {name, type, false, help, {}, true};
}

std::vector<std::string_view> CategoryIds() {
  std::vector<std::string_view> ids;
  for (const auto& c : kCategories) ids.push_back(c.id);
  return ids;
}

std::vector<EventSpec> BuildSpecs() {
  return {
      // -- 1. Notified: the notification form, sent to the SPOC
      {"ChildDeathNotified", "the death of a child is notified to the SPOC (opens the review)",
       {{"notifying_agency", F::kAgency, true, "the agency notifying the death"},
        Date("death_date", "the date of death"),
        Text("death_time", "the time of death, HH:MM (24-hour)", false),
        {"place_of_death", F::kChoice, true, "where the child died",
         {"home", "hospital", "public-place", "other"}},
        {"expected", F::kChoice, true,
         "unexpected: not anticipated as a significant possibility 24 hours before the death "
         "(an unexpected death starts the joint agency response)",
         {"expected", "unexpected"}},
        {"agencies_involved", F::kAgencies, true, "every agency known to have known the child"},
        {"resident_in_area", F::kBool, true, "the child normally lived in this board's area"},
        Text("neighbouring_area", "where the child normally lived, if not in this area", false),
        Confidential("nhs_number", F::kText, "the child's NHS number (finds a death notified twice)"),
        Confidential("subject_name", F::kText, "the child's name (held in the case record only)"),
        Confidential("subject_dob", F::kDate, "the child's date of birth (case record only)")}},
      // -- 2. RapidResponse: the joint agency response to an unexpected death (clocks in hours)
      {"RapidResponseStarted", "the joint agency response to an unexpected death starts",
       {When("when it started")}},
      {"InformationSharingMeetingHeld", "the initial information sharing and planning meeting was held",
       {When("when it was held"), Attendees()}},
      {"JointHomeVisitCompleted", "the joint home or scene visit was made", {When()}},
      {"PostMortemPerformed", "a post-mortem examination was performed", {When()}},
      {"PostMortemDiscussionHeld", "the post-mortem findings were discussed", {When()}},
      {"CriminalInvestigationRecorded", "a criminal investigation is under way (it takes precedence)",
       {When("when it began"), Text("status", "where it stands")}},
      {"StrategyMeetingHeld", "a child protection strategy meeting was held (it takes precedence)",
       {When()}},
      {"RapidResponseCompleted", "the joint agency response is complete; agency reports follow",
       {When()}},
      // -- 3. AgencyReportsRequested: a reporting form from every agency that knew the child
      {"AgencyReportRequested", "a reporting form is requested from an agency that knew the child",
       {{"agency", F::kAgency, true, "the agency (added to those involved if it is not already)"},
        {"author", F::kPerson, true, "who completes the form"},
        Date("due", "when the form is due (default: the policy profile's)", false)}},
      {"AgencyReportSubmitted", "an agency returns its reporting form",
       {{"agency", F::kAgency, true, "whose form"},
        {"not_known_answers", F::kBool, false, "some answers are \"not known\" (allowed)"}}},
      {"AllAgencyReportsReceived", "every requested reporting form is in", {}},
      // -- 4. AwaitingInvestigations: tracked, never blocking (recorded at any stage before closure)
      {"PostMortemReportReceived", "the post-mortem report has been received", {When()}},
      {"InquestOpened", "the coroner opened an inquest", {When()}},
      {"InquestConcluded", "the inquest concluded",
       {When(), Text("conclusion", "the coroner's conclusion", false)}},
      {"PoliceInvestigationConcluded", "the police investigation concluded", {When()}},
      {"ReviewMeetingScheduled",
       "the child death review meeting is scheduled (a month's notice; after the post-mortem report)",
       {When("the date of the meeting"), NoticeGivenOn()}},
      // -- 5. LocalCaseDiscussion: the child death review meeting
      {"LocalCaseDiscussionHeld", "the child death review meeting (local case discussion) was held",
       {When("when it was held"), Attendees()}},
      // -- 6. PanelReview: the CDOP meeting
      {"PanelReviewHeld", "the CDOP reviewed the death (quoracy applies)",
       {When("when it met"), Attendees(),
        {"category", F::kChoice, true,
         "the category of death on the analysis form; where several apply, the first in the list",
         CategoryIds()},
        {"modifiable", F::kChoice, true, "were there modifiable factors",
         {"yes", "no", "insufficient-information"}}}},
      {"ContributoryFactorRecorded", "the panel grades one contributory factor",
       {{"domain", F::kChoice, true, "the domain of the factor",
         {"intrinsic-to-child", "social-environment", "physical-environment", "service-provision"}},
        Text("factor", "the factor"),
        {"grade", F::kChoice, true,
         "0: information not available or no factor; 1: present, unlikely to have contributed; "
         "2: present, may have contributed",
         {"0", "1", "2"}}}},
      {"RecommendationMade", "the panel makes a recommendation",
       {Text("recommendation", "what the panel recommends, and to whom")}},
      {"ReviewClosed", "the panel's review is complete: the case is closed", {When()}},
      // -- At any stage before closure
      {"ReferredForScr", "the case is referred for a Serious Case Review (opens a linked SCR)",
       {Text("reasons", "why the case may meet the SCR criteria"),
        Text("scr_ref", "the linked SCR's reference (filled in by casereview)", false)}},
      // -- Fired by the scheduler when a deadline's timer falls due (never recorded by hand)
      {"DeadlineReminderDue", "a reminder before a due date (fired by a timer)",
       {Text("deadline", "the deadline's key"), Text("step", "which reminder"),
        Date("due_date", "the due date it reminds of")}},
      {"DeadlineEscalated", "an overdue deadline is escalated one step up the ladder (fired by a timer)",
       {Text("deadline", "the deadline's key"), Text("step", "which escalation step"),
        Date("due_date", "the due date that was missed"),
        {"to", F::kChoice, true, "who hears", {"holder", "senior-manager", "panel-chair", "board-chair"}}}},
  };
}

}  // namespace

std::span<const EventSpec> CdopEventSpecs() {
  static const std::vector<EventSpec> kSpecs = BuildSpecs();
  return kSpecs;
}

std::span<const DeathCategory> DeathCategories() { return kCategories; }

const DeathCategory* FindDeathCategory(std::string_view id) {
  for (const auto& c : kCategories)
    if (c.id == id) return &c;
  return nullptr;
}

}  // namespace casereview

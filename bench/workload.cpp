#include "workload.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>

namespace casereview::bench {
namespace {

using Json = nlohmann::json;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

// Agencies that may know a child. "voluntary" is never involved, so a review panel always
// has a member from an uninvolved agency.
constexpr std::array<const char*, 7> kInvolvable = {"csc",     "hospital", "caretrust", "police",
                                                    "schools", "mentalhealth", "probation"};
constexpr std::array<const char*, 10> kCategories = {
    "deliberately-inflicted-injury-abuse-or-neglect", "suicide-or-deliberate-self-inflicted-harm",
    "trauma-and-other-external-factors", "malignancy", "acute-medical-or-surgical-condition",
    "chronic-medical-condition", "chromosomal-genetic-and-congenital-anomalies", "perinatal-neonatal-event",
    "infection", "sudden-unexpected-unexplained-death"};
// A quorate meeting: the chair and four agencies, health and children's social care among them.
const Json kQuorate = {"p-panel-chair", "p-csc-lead", "p-hospital-lead", "p-police-lead", "p-schools-lead"};

std::string Lead(const std::string& agency) { return "p-" + agency + "-lead"; }
std::string Author(const std::string& agency) { return "p-" + agency + "-author"; }
std::string SeniorManager(const std::string& agency) { return "p-" + agency + "-sm"; }

// Writes one review's commands, moving its own clock forward.
class ReviewScript {
 public:
  ReviewScript(std::mt19937_64& rng, std::uint32_t review, Instant start, std::vector<PlannedStep>& out)
      : rng_(rng), review_(review), t_(start), out_(out) {}

  int Between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  // Moves on some days, to a moment in office hours (09:00-16:59 UTC: the same date in London).
  void Days(int lo, int hi) {
    Instant day = std::chrono::floor<days>(t_) + days{Between(lo, hi)};
    Instant at = day + hours{9} + minutes{Between(0, 479)};
    t_ = std::max(t_ + minutes{1}, at);
  }
  std::string Today() const { return FormatDate(DateOf(t_)); }
  std::string DateIn(int d) const { return FormatDate(DateOf(t_ + days{d})); }
  Instant now() const { return t_; }
  void Set(Instant t) { t_ = t; }

  void Add(std::string by, std::string event, Json fields) {
    out_.push_back({t_, review_, std::move(by), std::move(event), std::move(fields)});
  }

 private:
  std::mt19937_64& rng_;
  std::uint32_t review_;
  Instant t_;
  std::vector<PlannedStep>& out_;
};

std::vector<std::string> Involved(ReviewScript& s, int lo, int hi) {
  std::vector<std::string> all(kInvolvable.begin(), kInvolvable.end());
  // csc and hospital always (the quorum's sectors know most children who die or are harmed).
  std::vector<std::string> out = {"csc", "hospital"};
  int n = s.Between(lo, hi);
  for (std::size_t i = 2; i < all.size() && static_cast<int>(out.size()) < n; ++i)
    if (s.Chance(0.6)) out.push_back(all[i]);
  return out;
}

// ---- Serious Case Reviews ----------------------------------------------------------------

void ScrNotToProceed(ReviewScript& s) {
  s.Add("p-panel-chair", "NoScrRecommended", {{"reasons", "The criteria for an SCR are not met."}});
  s.Days(5, 10);
  s.Add("p-board-chair", "ChairDecidedNotToProceed", {{"date", s.Today()}, {"reasons", "Criteria not met."}});
  s.Days(1, 5);
  s.Add("p-spoc", "DecisionReportedOnward", {{"date", s.Today()}, {"to", "Ofsted"}});
}

void ScrImr(ReviewScript& s, const std::string& agency, Instant commissioned, const std::string& due,
            Instant& latest) {
  s.Set(commissioned);
  s.Days(30, 60);  // due after 6 weeks: a third are late, and escalate
  s.Add(Author(agency), "ImrSubmitted", {{"agency", agency}});
  if (s.Chance(0.25)) {
    s.Days(3, 10);
    s.Add("p-panel-chair", "ImrReturnedForRevision",
          {{"agency", agency}, {"reasons", "The chronology needs more hindsight."}});
    s.Days(7, 21);
    s.Add(Author(agency), "ImrSubmitted", {{"agency", agency}});
  }
  s.Days(3, 10);
  s.Add("p-panel-chair", "ImrAccepted", {{"agency", agency}});
  s.Days(1, 7);
  s.Add(SeniorManager(agency), "ImrSignedOff", {{"agency", agency}, {"senior_manager", SeniorManager(agency)}});
  (void)due;
  latest = std::max(latest, s.now());
}

void ScrActionPlan(ReviewScript& s, const std::vector<std::string>& agencies) {
  int n = s.Between(5, 20);
  for (int i = 1; i <= n; ++i) {
    const std::string& agency = agencies[static_cast<std::size_t>(i) % agencies.size()];
    s.Add("p-spoc", "ActionAdded",
          {{"action", "A" + std::to_string(i)}, {"description", "Improve practice " + std::to_string(i)},
           {"lead_officer", SeniorManager(agency)}, {"agency", agency}, {"due", s.DateIn(s.Between(60, 180))},
           {"outcome", "Children are safer"}});
  }
  s.Days(3, 10);
  s.Add("p-panel-chair", "ActionPlanAgreed", {{"date", s.Today()}});
  Instant agreed = s.now(), latest = agreed;
  for (int i = 1; i <= n; ++i) {
    const std::string id = "A" + std::to_string(i);
    const std::string sm = SeniorManager(agencies[static_cast<std::size_t>(i) % agencies.size()]);
    s.Set(agreed);
    s.Days(5, 40);
    s.Add(sm, "ActionStarted", {{"action", id}, {"note", "Under way"}});
    if (s.Chance(0.1)) {
      s.Days(10, 60);
      s.Add("p-panel-chair", "ActionClosed", {{"action", id}, {"reasons", "Superseded by a national scheme"}});
    } else {
      for (int p = s.Between(0, 2); p > 0; --p) {
        s.Days(15, 45);
        s.Add(sm, "ActionProgressRecorded", {{"action", id}, {"note", "Progress made"}});
      }
      s.Days(15, 60);
      s.Add(sm, "ActionCompleted", {{"action", id}, {"evidence", "Audit"}});
      s.Days(20, 90);
      s.Add("p-panel-chair", "ActionImpactAssured", {{"action", id}, {"evidence", "Case audit"}});
    }
    latest = std::max(latest, s.now());
  }
  s.Set(latest);
  s.Days(3, 14);
  s.Add("p-panel-chair", "ReviewClosed", {{"date", s.Today()}});
}

void ScrProceeding(ReviewScript& s, const std::vector<std::string>& involved) {
  s.Add("p-panel-chair", "ScrRecommended", {{"reasons", "The criteria are met."}});
  s.Days(3, 10);
  s.Add("p-board-chair", "ChairDecidedToProceed", {{"date", s.Today()}, {"reasons", "Criteria met."}});
  s.Days(1, 5);
  Json members = Json::array();
  for (const auto& a : involved) members.push_back(Lead(a));
  members.push_back("p-voluntary-lead");
  s.Add("p-spoc", "ReviewPanelFormed", {{"chair", "p-panel-chair"}, {"members", members}});
  s.Days(1, 5);
  s.Add("p-spoc", "TermsOfReferenceAgreed", {{"date", s.Today()}, {"scope_from", s.DateIn(-700)}, {"scope_to", s.DateIn(-20)}});
  s.Add("p-spoc", "RecordsSecured", {{"agencies", involved}});
  s.Add("p-spoc", "OverviewWriterAppointed", {{"writer", "p-writer"}});
  s.Add("p-spoc", "FamilyContactNamed", {{"contact", "p-family-liaison"}});
  s.Days(1, 7);
  const std::string due = s.DateIn(42);
  for (const auto& a : involved)
    s.Add("p-spoc", "ImrCommissioned", {{"agency", a}, {"author", Author(a)}, {"senior_manager", SeniorManager(a)},
                                        {"due", due}, {"author_declares_independence", true}});
  s.Add("p-spoc", "CommissioningCompleted", Json::object());
  const bool proceeding = s.Chance(0.3);
  if (proceeding)
    s.Add("p-spoc", "ParallelProceedingOpened", {{"proceeding", "P1"}, {"kind", "police"}, {"status", "under way"}});
  s.Days(7, 14);
  Json authors = Json::array({"p-writer"});
  for (const auto& a : involved) authors.push_back(Author(a));
  s.Add("p-spoc", "AuthorGroupMeetingHeld", {{"date", s.Today()}, {"attendees", authors}});
  Instant commissioned = s.now(), latest = s.now();
  // Each IMR on its own timeline; merged back into the review's order by time below.
  for (const auto& a : involved) ScrImr(s, a, commissioned, due, latest);
  if (s.Chance(0.25)) {  // an extension, asked for while the IMRs are under way
    s.Set(commissioned);
    s.Days(10, 20);
    std::string until = s.DateIn(120);
    s.Add("p-panel-chair", "ExtensionRequested", {{"until", until}, {"reason", "Parallel proceedings"}});
    s.Days(2, 6);
    s.Add("p-board-chair", "ExtensionGranted", {{"until", until}, {"reasons", "Exceptional circumstances"}});
  }
  s.Set(latest);
  s.Days(20, 45);
  s.Add("p-writer", "OverviewReportSubmitted", {{"date", s.Today()}});
  if (s.Chance(0.4)) {
    s.Days(5, 10);
    s.Add("p-panel-chair", "OverviewReturnedForRevision", {{"reasons", "The summary must stand alone."}});
    s.Days(7, 20);
    s.Add("p-writer", "OverviewReportSubmitted", {{"date", s.Today()}});
  }
  s.Days(5, 10);
  s.Add("p-panel-chair", "OverviewEndorsedByPanel", {{"date", s.Today()}});
  s.Days(5, 10);
  s.Add("p-board-chair", "ReportSignedOffByBoard", {{"date", s.Today()}, {"by", "p-board-chair"}});
  s.Days(1, 3);
  s.Add("p-spoc", "SubmittedToRegulator", {{"regulator", "ofsted"}, {"date", s.Today()}});
  if (proceeding) s.Add("p-spoc", "ParallelProceedingConcluded", {{"proceeding", "P1"}, {"status", "concluded"}});
  s.Days(30, 60);
  s.Add("p-spoc", "ReportPublished", {{"date", s.Today()}});
  s.Days(1, 5);
  s.Add("p-spoc", "StaffDebriefed", {{"date", s.Today()}});
  s.Days(3, 10);
  s.Add("p-spoc", "LearningDisseminated", {{"date", s.Today()}, {"summary", "Learning events"}});
  ScrActionPlan(s, involved);
}

void ScrReferral(ReviewScript& s, PlannedReview& r) {
  std::vector<std::string> involved = Involved(s, 3, 7);
  s.Add("p-spoc", "", {{"referring_agency", involved.back()}, {"incident", s.Chance(0.5) ? "death" : "serious-injury"},
                       {"incident_date", s.DateIn(-s.Between(1, 10))}, {"abuse_or_neglect", "suspected"},
                       {"agencies_involved", involved}});
  s.Add("p-spoc", "PanelMeetingConvened", {{"date", s.DateIn(7)}, {"kind", "extraordinary"}});
  s.Days(7, 7);
  s.Add("p-spoc", "PanelMeetingHeld", {{"date", s.Today()}, {"attendees", kQuorate}});
  if (r.proceeds) ScrProceeding(s, involved);
  else ScrNotToProceed(s);
}

// ---- Child death reviews -----------------------------------------------------------------

void RapidResponse(ReviewScript& s, bool& post_mortem, Instant& report_at) {
  s.Days(0, 0);
  s.Add("p-spoc", "RapidResponseStarted", {{"date", s.Today()}});
  s.Days(1, 2);
  s.Add("p-spoc", "InformationSharingMeetingHeld",
        {{"date", s.Today()}, {"attendees", {"p-hospital-lead", "p-police-lead", "p-csc-lead", "p-caretrust-lead"}}});
  if (s.Chance(0.5)) s.Add("p-spoc", "JointHomeVisitCompleted", {{"date", s.Today()}});
  post_mortem = s.Chance(0.8);
  if (post_mortem) {
    s.Days(1, 3);
    s.Add("p-spoc", "PostMortemPerformed", {{"date", s.Today()}});
    report_at = s.now() + days{s.Between(30, 90)};
    s.Days(3, 7);
    s.Add("p-spoc", "PostMortemDiscussionHeld", {{"date", s.Today()}});
  }
  if (s.Chance(0.2))
    s.Add("p-spoc", "CriminalInvestigationRecorded", {{"date", s.Today()}, {"status", "enquiries under way"}});
  s.Days(2, 7);
  s.Add("p-spoc", "RapidResponseCompleted", {{"date", s.Today()}});
}

void AgencyReports(ReviewScript& s, const std::vector<std::string>& involved) {
  s.Days(1, 5);
  for (const auto& a : involved) s.Add("p-spoc", "AgencyReportRequested", {{"agency", a}, {"author", Author(a)}});
  Instant requested = s.now(), latest = s.now();
  for (const auto& a : involved) {
    s.Set(requested);
    s.Days(7, 40);  // some late: reminders and escalations
    s.Add("p-spoc", "AgencyReportSubmitted", {{"agency", a}});
    latest = std::max(latest, s.now());
  }
  s.Set(latest);
  s.Add("p-spoc", "AllAgencyReportsReceived", Json::object());
}

void ChildDeath(ReviewScript& s, PlannedReview& r, std::uint64_t nhs, bool with_nhs) {
  std::vector<std::string> involved = Involved(s, 2, 5);
  char nhs_number[16];
  std::snprintf(nhs_number, sizeof nhs_number, "9%09llu", static_cast<unsigned long long>(nhs));
  Json notification = {{"notifying_agency", "hospital"}, {"death_date", s.DateIn(-1)},
                       {"place_of_death", r.unexpected ? "home" : "hospital"},
                       {"expected", r.unexpected ? "unexpected" : "expected"}, {"agencies_involved", involved},
                       {"resident_in_area", true}};
  if (with_nhs) notification["nhs_number"] = nhs_number;
  s.Add("p-spoc", "", std::move(notification));
  bool post_mortem = false;
  Instant report_at{};
  if (r.unexpected) RapidResponse(s, post_mortem, report_at);
  AgencyReports(s, involved);
  if (post_mortem) {  // tracked alongside; the meeting waits for it
    Instant after = s.now();
    s.Set(std::max(after, report_at));
    s.Days(0, 1);
    s.Add("p-spoc", "PostMortemReportReceived", {{"date", s.Today()}});
  }
  s.Days(1, 7);
  const int notice = s.Between(35, 60);
  std::string meeting = s.DateIn(notice);
  s.Add("p-spoc", "ReviewMeetingScheduled", {{"date", meeting}, {"notice_given_on", s.Today()}});
  s.Days(notice, notice);
  Json attendees = Json::array();
  for (const auto& a : involved) attendees.push_back(Lead(a));
  s.Add("p-spoc", "LocalCaseDiscussionHeld", {{"date", s.Today()}, {"attendees", attendees}});
  s.Days(30, 120);  // the CDOP meets every month or two
  for (int f = s.Between(0, 3); f > 0; --f)
    s.Add("p-spoc", "ContributoryFactorRecorded", {{"domain", "service-provision"}, {"factor", "follow-up"}, {"grade", "1"}});
  s.Add("p-spoc", "PanelReviewHeld", {{"date", s.Today()}, {"attendees", kQuorate},
                                      {"category", kCategories[static_cast<std::size_t>(s.Between(0, 9))]},
                                      {"modifiable", s.Chance(0.3) ? "yes" : "no"}});
  for (int m = s.Between(0, 2); m > 0; --m)
    s.Add("p-spoc", "RecommendationMade", {{"recommendation", "Share the learning with health visiting."}});
  s.Add("p-spoc", "ReviewClosed", {{"date", s.Today()}});
}

}  // namespace

BoardData BenchBoard() {
  BoardData d;
  d.board.id = "nat";
  d.board.name = "National benchmark board (fictional)";
  d.board.policy_profile = "seed-2010";
  const std::vector<std::pair<std::string, std::string>> agencies = {
      {"csc", "childrens-social-care"}, {"hospital", "health"}, {"caretrust", "health"},
      {"mentalhealth", "health"},        {"police", "police"},   {"schools", "education"},
      {"probation", "probation"},        {"voluntary", "voluntary"}};
  auto person = [&](std::string id, std::string agency, std::vector<std::string> roles) {
    d.people.push_back({id, d.board.id, "Officer " + id.substr(2), id.substr(2) + "@example.org", std::move(agency),
                        std::move(roles)});
  };
  for (const auto& [id, sector] : agencies) {
    d.agencies.push_back({id, d.board.id, "Agency " + id, sector});
    person(Lead(id), id, {"panel-member"});
    person(Author(id), id, {"imr-author"});
    person(SeniorManager(id), id, {"senior-manager", "lead-officer"});
  }
  person("p-board-chair", "", {"board-chair"});
  person("p-panel-chair", "", {"panel-chair", "panel-member"});
  person("p-spoc", "", {"business-officer"});
  person("p-family-liaison", "", {"panel-member"});
  person("p-writer", "", {"overview-writer"});
  return d;
}

Workload MakeWorkload(const WorkloadOptions& o) {
  Workload w;
  w.board = BenchBoard();
  std::mt19937_64 rng(o.seed);
  std::vector<PlannedStep> steps;
  std::uint64_t nhs = 0;
  for (int y = 0; y < o.years; ++y) {
    const Instant year_start = std::chrono::sys_days{std::chrono::year{o.first_year + y} / 1 / 1};
    const int deaths = std::max(1, static_cast<int>(3500 * o.scale + 0.5));
    const int referrals = std::max(1, static_cast<int>(400 * o.scale + 0.5));
    for (int i = 0; i < deaths + referrals; ++i) {
      auto index = static_cast<std::uint32_t>(w.reviews.size());
      PlannedReview r;
      r.kind = i < deaths ? "cdop" : "scr";
      r.unexpected = r.kind == "cdop" && std::bernoulli_distribution(0.25)(rng);
      r.proceeds = r.kind == "scr" && std::bernoulli_distribution(1.0 / 3)(rng);
      ReviewScript s(rng, index, year_start, steps);
      s.Days(0, 363);
      std::size_t first = steps.size();
      if (r.kind == "cdop") ChildDeath(s, r, ++nhs, o.nhs_numbers);
      else ScrReferral(s, r);
      // A review's parallel strands (IMRs, actions, reports) were written one after another:
      // put its commands in time order, keeping the written order among equal moments.
      std::stable_sort(steps.begin() + static_cast<std::ptrdiff_t>(first), steps.end(),
                       [](const PlannedStep& a, const PlannedStep& b) { return a.at < b.at; });
      w.reviews.push_back(r);
    }
  }
  std::stable_sort(steps.begin(), steps.end(), [](const PlannedStep& a, const PlannedStep& b) { return a.at < b.at; });
  w.end = steps.empty() ? Instant{} : steps.back().at;
  w.steps = std::move(steps);
  return w;
}

}  // namespace casereview::bench

// The facts of one Serious Case Review as its events established them, and the seed's
// rules as plain predicates. The machine's guards call these; each returns "" when the rule
// is met or, when it is not, what is missing, in words a panel chair would use.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "action_plan/action_workflow.hpp"
#include "casereview/board.hpp"
#include "imr/imr_workflow.hpp"

namespace casereview {

// A person as an event recorded them: resolved when the event was recorded, so a later
// change to the board's data does not change the review's history. Every open review holds
// its meetings' attendees, so the ids (the board's, a bounded set) are views of one shared
// copy (InternedText) rather than strings of their own.
struct Participant {
  std::string_view id;
  std::string_view agency;  // "" for someone independent of every agency
  std::string_view sector;  // "" likewise
  std::vector<std::string_view> roles;

  bool HasRole(std::string_view role) const;
  static Participant FromJson(const nlohmann::json& resolved);
};

struct PanelMeeting {
  std::string date;
  std::vector<Participant> attendees;
};

struct Extension {
  std::string requested_until;
  std::string reason;
  std::string status;  // "requested", "granted", "refused"
  std::string granted_until;
  std::string decision_reasons;
};

struct ParallelProceeding {
  std::string id;
  std::string kind;  // police, coroner, cps, serious-untoward-incident
  std::string status;
  bool concluded = false;
};

// The rules a review began under; it keeps them even if the board changes its own.
struct ScrRules {
  std::string policy_profile = "seed-2010";
  QuorumRule quorum;
};

struct ScrCase {
  std::string ref;
  ScrRules rules;
  std::set<std::string> involved_agencies;
  std::string linked_review;  // the child death review it was referred from, if any

  // Referral and the panel's consideration.
  std::vector<std::string> meetings_convened;  // dates
  std::vector<PanelMeeting> panel_meetings;
  std::string recommendation;  // "scr" or "no-scr"
  std::string recommendation_reasons;
  std::string decision;  // "proceed" or "not-to-proceed"
  std::string decision_date;
  std::string decision_reasons;

  // Commissioning (Appendix 2, para 6).
  std::string review_panel_chair;
  std::vector<Participant> review_panel;
  bool terms_of_reference_agreed = false;
  std::set<std::string> records_secured;  // agency ids
  std::string overview_writer;
  std::string family_contact;
  std::map<std::string, ImrWorkflow> imrs;  // by agency id
  int author_group_meetings = 0;

  // The overview report and sign-off.
  int overview_drafts = 0;
  int overview_returns = 0;
  int board_returns = 0;
  std::string board_signed_off_on;
  std::string regulator;
  std::string submitted_to_regulator_on;
  std::string published_on;
  std::string staff_debriefed_on;
  int learning_disseminations = 0;

  // The action plan.
  std::map<std::string, ActionWorkflow> actions;  // by action id
  std::string action_plan_agreed_on;
  std::string closed_on;

  // Alongside the main line.
  std::vector<Extension> extensions;
  std::vector<ParallelProceeding> proceedings;
  std::vector<std::string> single_agency_learning;  // agency ids, in order actioned
  std::string media_strategy_agreed_on;
  std::string suspended_for;  // "" when the clock runs; else criminal-trial, inquest, other
  int suspensions = 0;
  std::vector<std::string> timeframe_warnings;  // agencies whose author warned early
  std::string decision_reported_on;
  std::map<std::string, std::string> national_panel;  // "notified", "rapid_review", ... -> date
  int reminders_fired = 0;
  std::vector<std::string> escalations;  // "deadline -> to", in the order they fired

  const Extension* PendingExtension() const;
  ParallelProceeding* FindProceeding(const std::string& id);
  const ParallelProceeding* FindProceeding(const std::string& id) const;
};

// Appendix 2, para 2: "quorate if the Chair and at least 4 agencies are represented,
// including health and social care services" (the numbers come from the board's rule).
std::string QuorumShortfall(const QuorumRule& rule, const std::vector<Participant>& attendees);
// Appendix 2, para 5: "ensure that at least one member of the SCR does not come from an
// agency involved in the SCR".
std::string PanelIndependenceShortfall(const ScrCase& c, const std::vector<Participant>& members);
// What Commissioning still lacks before the IMRs are under way: the review panel, terms of
// reference, an overview writer, and an IMR from every involved agency.
std::string CommissioningShortfall(const ScrCase& c);
// The agencies whose IMR is not yet signed off.
std::vector<std::string> ImrsOutstanding(const ScrCase& c);
// Actions neither impact-assured nor closed with reasons.
std::vector<std::string> ActionsOutstanding(const ScrCase& c);

}  // namespace casereview

// ReviewKind: one kind of review (a Serious Case Review, a child death review, ...) as
// everything outside its own folder in workflows/ knows it. The engine, the store, the
// notifier and the app ask the registry for a review's kind by the name stored with it, or by
// the event that opens it, instead of comparing kind strings.
//
// A kind is a folder in workflows/ that defines its ReviewKind (scr/scr_kind.cpp,
// cdop/cdop_kind.cpp) plus one line in workflows/review_kinds.cpp; a test may register one
// of its own with RegisterReviewKind.
//
// Thread safety: the registry is filled before any review is opened (the built-in kinds on
// first use, others by RegisterReviewKind at start-up, before any other thread runs) and only
// read afterwards, so reads need no lock.
#pragma once

#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casereview/board.hpp"
#include "casereview/status.hpp"
#include "common/event_spec.hpp"
#include "common/notice_rule.hpp"
#include "common/review_workflow.hpp"

namespace casereview {

class Store;

// The reports a kind of review asks of the agencies that knew the child (an SCR's individual
// management reviews, a child death review's reporting forms): where its read model lists
// them and what their authors and senior managers record. Each listed report carries
// "agency", "author", "due" and, where it has one, "senior_manager".
struct AgencyReports {
  std::string_view key;        // the read model's list: "imrs"
  std::string_view stage_key;  // each report's stage in it: "stage"
  std::string_view task;       // the task's name in My tasks and the API: "imr"
  std::string_view name;       // as people read it: "Individual management review"
  std::string_view submit_event;               // the author's: "ImrSubmitted"
  std::vector<std::string_view> submit_stages;  // the stages it may be submitted in
  std::string_view submit_button;              // "Submit the IMR"
  std::string_view late_event;                 // the author's warning it will be late ("" if none)
  std::string_view late_link;                  // "Warn the panel that the IMR will be late"
  std::string_view sign_off_event;             // the agency's senior manager's ("" if none)
  std::string_view sign_off_stage;             // the stage it is signed off in
  std::string_view sign_off_button;            // "Sign off the IMR"
  // Who holds the report asked of `agency` on `review`, as the review records it; nullopt when
  // none was asked of it. nullptr: the kind records no holders.
  std::optional<ReportHolders> (*holders)(const ReviewWorkflow& review, std::string_view agency) = nullptr;
};

// The report a kind has one appointed person write for the whole review (the SCR's overview
// report, by its independent writer), if any: who it is, as the read model records them, and
// what they record. An empty key: none.
struct AppointedReport {
  std::string_view writer_key;     // the read model's field naming the writer: "overview_writer"
  std::string_view task;           // the task's name in My tasks and the API: "overview"
  std::string_view as;             // the writer's part in it: "overview-writer"
  std::string_view name;           // as people read it: "Overview report and executive summary"
  std::string_view submit_event;   // the writer's: "OverviewReportSubmitted"
  std::string_view submit_stage;   // the stage it is submitted in: "OverviewDrafting"
  std::string_view submit_link;    // "Record that the overview report is submitted"
  std::string_view due_deadline;   // the deadline it is due by: "scr-completion"
};

// A decision the guidance gives to the board chair, and the field of its event that names which
// board chair decided when someone records it on their behalf (engine/permissions.cpp).
struct ChairDecision {
  std::string_view event;          // "ChairDecidedToProceed"
  std::string_view decider_field;  // "on_behalf_of"
};

// The events of a kind that move its review's deadlines (engine/deadlines.cpp): an extension
// granted to a date (for deadlines its policy profile makes extendable), and the review's clock
// paused and restarted (for suspendable ones). An empty event: none of its events does that.
struct DeadlineMoves {
  std::string_view extended;        // "ExtensionGranted"
  std::string_view extended_until;  // its date field giving the new due date: "until"
  std::string_view paused;          // "SuspensionStarted"
  std::string_view resumed;         // "SuspensionEnded"
  std::string_view resumed_on;      // its date field giving the day the clock restarts: "date"
};

// An event of one kind that opens a review of another kind with it, both written in one commit
// (a child death review referred for an SCR opens the SCR, and its own event names it).
struct LinkedOpening {
  std::string_view event;      // this kind's event: "ReferredForScr"
  std::string_view opens;      // the kind it opens: "scr"
  std::string_view ref_field;  // this event's field given the new review's reference: "scr_ref"
  // The other kind's opening fields (unresolved, as a command gives them), from this review's
  // reference, the fields it was opened with (as stored) and this event's fields (resolved).
  nlohmann::json (*opening)(const std::string& ref, const nlohmann::json& opened_with,
                            const nlohmann::json& fields) = nullptr;
};

struct ReviewKind {
  std::string_view name;           // stored with each review, and in the API: "scr"
  std::string_view title;          // as people read it: "Serious Case Review"
  std::string_view a_title;        // in a sentence: "a Serious Case Review"
  std::string_view ref_prefix;     // references are PREFIX-YEAR-NNN: "SCR"
  std::string_view opening_event;  // the event that opens one: "CaseReferred"
  std::string_view opening_noun;   // what that event is called in messages: "referral"
  std::string_view open_action;    // the audit log's action for opening one: "review.refer"
  std::string_view open_command;   // the command line's command that opens one: "refer"
  // Who may open one (any of these roles, on the review's board), and how a refusal says so:
  // "referring a case", "needs the business-officer or panel-chair role".
  std::vector<std::string_view> open_roles;
  std::string_view opening_gerund;
  std::string_view open_link_text;  // how the pages offer it: "Refer a case to the SCR panel"
  int definition_version = 0;      // of its machine, stored with each review's stage
  AgencyReports reports;           // what it asks of agencies (none: an empty key)
  AppointedReport appointed;       // what one appointed writer writes (none: an empty key)
  // The read model's list of the review's action plan (action_plan/action_workflow.hpp), each
  // action with its "id", "lead_officer", "agency", "stage" and "due"; its lead officer records
  // its progress. "": the kind keeps no action plan.
  std::string_view action_plan_key;
  // The events that extend, pause and restart its deadlines.
  DeadlineMoves deadline_moves;
  // The decisions that are the board chair's, recorded by them or on their behalf.
  std::vector<ChairDecision> board_chair_decisions;
  // The notices its events cause, and to whom (common/notice_rule.hpp). An event with no rule
  // causes none; one with several causes one notice each.
  std::vector<NoticeRule> notices;
  // The events of this kind that open a review of another kind with them (none: empty).
  std::vector<LinkedOpening> linked_openings;
  // Every event of the kind, the opening one first.
  std::span<const EventSpec> (*events)() = nullptr;
  // Its machine, started from the opening event's fields (resolved, as stored) under the
  // board's quorum rule and policy profile. A refusal says what is missing.
  Result<std::unique_ptr<ReviewWorkflow>> (*begin)(const std::string& ref, const QuorumRule& quorum,
                                                  const std::string& policy_profile,
                                                  const nlohmann::json& opening) = nullptr;
  // What the database must allow before a review is opened from these opening fields
  // (resolved): a child death notified before is refused, say. A refusal is prefixed with the
  // opening noun and nothing is written. nullptr: nothing to check.
  Status (*check_opening)(Store& store, const nlohmann::json& opening) = nullptr;

  // Its linked opening by `event`, or nullptr when `event` opens no other review.
  const LinkedOpening* LinkedOpeningBy(std::string_view event) const;
  // The board chair's decision recorded by `event`, or nullptr when it is not one.
  const ChairDecision* BoardChairDecisionBy(std::string_view event) const;
};

// The kind stored as `name`, or nullptr.
const ReviewKind* FindReviewKind(std::string_view name);
// The kind `event` opens, or nullptr when it opens none.
const ReviewKind* ReviewKindOpenedBy(std::string_view event);
// Every kind, the built-in ones first, in the order registered.
std::span<const ReviewKind* const> ReviewKinds();
// Adds a kind. InvalidArgument (and nothing added) if it lacks a name, prefix, opening event,
// events or begin, or shares its name, prefix or opening event with a registered kind.
// REQUIRES: `kind` outlives every use of the registry; called before any other thread reads it.
Status RegisterReviewKind(const ReviewKind& kind);

// The built-in kinds (workflows/review_kinds.cpp lists them).
std::span<const ReviewKind* const> BuiltInReviewKinds();

}  // namespace casereview

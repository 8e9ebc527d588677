// Notice rules: which notice (email) an accepted event of a kind of review causes, and who
// receives it. Each kind carries its own table (ReviewKind::notices, common/review_kind.hpp);
// engine/notices.cpp reads the table of the review's kind and addresses the notices, so it
// names no kind's events.
//
// Who receives a notice is chosen by selectors: the generic ones below (a role on the board,
// a person or agency an event field names, the holders of an agency's report), or one a kind
// defines in its own folder for a fact only it records (the SCR's overview writer).
//
// Thread safety: rules are immutable data; selectors only read their arguments.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casereview/board.hpp"
#include "common/review_workflow.hpp"

namespace casereview {

struct ReviewKind;

using PersonIds = std::vector<std::string>;

// What a selector reads: the review after the event was applied, the event's fields (resolved,
// as stored) and the board's people.
struct NoticeContext {
  const ReviewKind& kind;
  const ReviewWorkflow& review;
  const nlohmann::json& fields;
  const std::map<std::string, Person>& people;  // by id
};

// Who receives a notice: `select(context, field)`, where `field` is the event field it reads
// ("" for none). Empty and repeated ids in what it returns are dropped.
struct RecipientSelector {
  PersonIds (*select)(const NoticeContext&, std::string_view field) = nullptr;
  std::string_view field = {};
};

// Where a notice's due date comes from: a deadline of the review, keyed `deadline` plus ":"
// and the value of `deadline_subject_field` when that is set ("imr-due:police"); else the
// event field `field`; else there is none.
struct NoticeDue {
  std::string_view deadline = {};
  std::string_view deadline_subject_field = {};
  std::string_view field = {};
};

// An event field copied into the notice under another name: {"meeting_date", "date"}.
struct NoticeField {
  std::string_view key;
  std::string_view field;
};

// One notice an event causes. A notice says the review, its stage, the task and its due date,
// the agency's name and the fields copied: never an event's free text, which may name a child.
struct NoticeRule {
  std::string_view event = {};   // of the kind: "ImrCommissioned"
  std::string_view notice = {};  // the notice's kind, which names its mail template: "imr-commissioned"
  std::vector<RecipientSelector> to = {};  // everyone any of them selects; no notice if nobody
  // The task as people read it. "{name}" is replaced by the event field `name`, or, for the
  // `agency_field`, by that agency's name: "IMR ({agency})".
  std::string_view task = {};
  NoticeDue due = {};
  std::string_view agency_field = {};  // a field naming an agency, whose name the notice carries
  std::vector<NoticeField> copied = {};
};

// The board's people holding `role`, of `agency` when it is not empty.
PersonIds PeopleWithRole(const std::map<std::string, Person>& people, std::string_view role,
                         std::string_view agency = {});
// The panel chair, else the business officer: someone always hears of a missed date.
PersonIds PanelChairs(const std::map<std::string, Person>& people);
// The board chair, else the panel chair: a decision never waits on nobody.
PersonIds BoardChairs(const std::map<std::string, Person>& people);
// A person field as the log stores it (resolved {"id",...}) or as typed (the id); "" if absent.
std::string PersonIdIn(const nlohmann::json& fields, std::string_view field);

// The people who answer for one agency's report on a review (AgencyReports::holders).
struct ReportHolders {
  std::string author;          // person id
  std::string senior_manager;  // person id who signs it off; "" where the kind has none
};

// Who holds agency `agency`'s report on `review`, or nullopt when the review asks no such
// report of it or its kind records no holders.
std::optional<ReportHolders> HoldersOfReport(const ReviewKind& kind, const ReviewWorkflow& review,
                                             std::string_view agency);

// The generic selectors.
RecipientSelector StandingPanel();  // the panel chair (else the business officer) and members
RecipientSelector PanelChair();     // the panel chair, else the business officer
RecipientSelector BoardChair();     // the board chair, else the panel chair
RecipientSelector PersonNamedIn(std::string_view field);             // "lead_officer"
RecipientSelector SeniorManagersOfAgencyIn(std::string_view field);  // of the agency it names
// The author and senior manager of the report asked of the agency `field` names.
RecipientSelector ReportHoldersForAgencyIn(std::string_view field);
// That report's senior manager alone.
RecipientSelector ReportSeniorManagerForAgencyIn(std::string_view field);

}  // namespace casereview

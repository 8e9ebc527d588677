// Who may see and do what: the roles of board.hpp applied to reviews.
//
//   board-chair, panel-chair, panel-member,  every review of their board, in full;
//   business-officer (SPOC)
//   imr-author, report-author                only their own IMRs and reporting forms (tasks)
//   senior-manager                           their agency's IMRs and forms (tasks)
//   lead-officer                             the actions they lead (tasks)
//   board-member                             action-plan status and aggregate reports: no case details
//   administrator                            people, tokens, the outbox and the audit log: no case details
//
// Recording: the SPOC and the panel chair record any event on their board's reviews and open
// reviews (a referral; the SPOC a child's death); the board chair records the board's own
// decisions; an author submits or warns early on their own IMR or form; a senior manager
// signs off their agency's IMR; a lead officer records their action's progress. The
// engine still checks every event against the guidance; these rules only say who may try.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "casereview/board.hpp"
#include "casereview/status.hpp"
#include "casereview/store.hpp"

namespace casereview {

// Sees a review's details (its timeline, IMRs, deadlines, actions): the four roles above,
// on the review's board.
bool SeesCaseDetails(const Person& p, std::string_view review_board);
// Sees the board's action-plan status and aggregate reports.
bool SeesBoardReports(const Person& p, std::string_view board_id);
bool IsAdministrator(const Person& p);
// The roles that read a board's case files (SeesCaseDetails).
bool GrantsCaseAccess(std::string_view role);
// The review exists for this person: they read its case details, or write, manage or lead
// something on it. Anyone else is told there is no such review, exactly as for a reference
// that does not exist, so an answer never shows which references exist.
bool CanSeeReview(const Person& p, const ReviewRecord& r);

// Whether `actor` may save `after`, replacing `before` (nullopt: a new person). Ok, or
// Forbidden saying why. The board's keepers (administrator, business officer) add and change
// its people, with three limits that keep the permission matrix closed:
//  - giving someone a role that reads case files (GrantsCaseAccess) needs an administrator;
//  - making, changing or unmaking an administrator needs an administrator;
//  - nobody gives themselves a role that reads case files, an administrator included.
// REQUIRES: after.board_id == actor.board_id, and before (if any) is on that board.
Status MayPutPerson(const Person& actor, const std::optional<Person>& before, const Person& after);
// Whether `actor` may remove `target` from the board (Store::RemovePerson): a keeper may, but
// only an administrator removes an administrator, and nobody removes themselves.
Status MayRemovePerson(const Person& actor, const Person& target);

// Ok, or Forbidden naming the role the event needs (never the review's content).
//
// A decision the guidance gives to the board chair (whether to hold an SCR, the board's
// sign-off or return of the report, an extension) is recorded by the board chair, or for
// them by the business officer or the panel chair with "on_behalf_of" naming a board chair
// of the review's board (`board_people`), so the log says who decided as well as who typed it.
Status MayRecord(const Person& p, const ReviewRecord& r, std::string_view event, const nlohmann::json& fields,
                 const std::vector<Person>& board_people);
// Opens a review of `kind` ("scr" by referral, "cdop" by notification) on `board_id`.
Status MayOpen(const Person& p, std::string_view board_id, std::string_view kind);

// The person's own work across `reviews`: each IMR or form they write (or, as senior
// manager, their agency's) and each action they lead, with its review, stage and due date.
// Only what the task needs: no names, no free text. [{review, kind, task, agency|action, stage, due}]
nlohmann::json TasksOf(const Person& p, const std::vector<ReviewRecord>& reviews);

}  // namespace casereview

// An event that opens a review of another kind with it (common/review_kind.hpp, LinkedOpening):
// the other review is opened from the fields the kind builds, and this review's event, which
// names it, is written in the same commit (include/casereview/engine.hpp).
#include "calendar.hpp"
#include "casereview/engine.hpp"
#include "commands.hpp"
#include "replay.hpp"
#include "resolve.hpp"
#include "review_cache.hpp"

namespace casereview {

using Json = nlohmann::json;

Result<ReviewRecord> Engine::RecordWithLinkedOpening(const LinkedOpening& link, const ReviewRecord& record,
                                                     const BoardDirectory& dir, const Json& resolved,
                                                     std::string_view actor, const CommandTrail& trail) {
  const ReviewKind* opens = FindReviewKind(link.opens);
  if (opens == nullptr)
    return Status::Unavailable(record.ref + ": " + std::string(link.event) + " opens a kind of review this build lacks ('" +
                            std::string(link.opens) + "')");
  auto board = FindBoard(record.board_id);
  if (!board.ok()) return board.status();
  auto calendar = Calendar();
  if (!calendar.ok()) return calendar.status();
  auto log = store_.LoadEvents(record.ref);
  if (!log.ok()) return log.status();
  Json opened_with = Json::parse(log->front().payload, nullptr, false);
  if (!opened_with.is_object()) return Status::Corruption(record.ref + ": its opening event is not JSON");
  auto opening = CheckAndResolve(dir, opens->name, opens->opening_event, link.opening(record.ref, opened_with, resolved));
  if (!opening.ok())
    return Prefixed(record.ref + ": the " + std::string(opens->opening_noun) + " of " + std::string(opens->a_title) + ": ",
                    opening.status());
  // This review's own event names the other, so it is built once that one is numbered; a
  // refusal here (a link already made, a closed review) writes neither.
  LinkedChange linked = [&](const std::string& new_ref) -> Result<ReviewChange> {
    auto state = Replay(*log, **calendar);
    if (!state.ok()) return state.status();
    Json fields = resolved;
    fields[std::string(link.ref_field)] = new_ref;
    Instant now = clock_.Now();
    CR_RETURN_IF_ERROR(ApplyToReview(*state, link.event, fields, now));
    std::optional<DeadlinesWritten> written;  // replayed: nothing known of the last commit
    auto change = ChangeFor(record, *state, link.event, fields, actor, now, nullptr, dir, written);
    if (change.ok()) trail.AttachTo(*change);  // the command was on this review
    return change;
  };
  auto opened = OpenReview(*opens, *board, dir, *opening, actor, linked, nullptr);
  if (!opened.ok()) return opened.status();
  return GetReview(record.ref);
}

}  // namespace casereview

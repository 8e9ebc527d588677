#include "commands.hpp"

#include "replay.hpp"
#include "resolve.hpp"

namespace casereview {
namespace {

std::string KindName(std::string_view kind) {
  const ReviewKind* k = FindReviewKind(kind);
  return k ? std::string(k->a_title) : "a review of kind '" + std::string(kind) + "'";
}

}  // namespace

Status Prefixed(const std::string& prefix, const Status& s) {
  switch (s.code()) {
    case Status::Code::kInvalidArgument: return Status::InvalidArgument(prefix + s.message());
    case Status::Code::kNotFound: return Status::NotFound(prefix + s.message());
    default: return s;
  }
}

Result<nlohmann::json> CheckAndResolve(const BoardDirectory& dir, std::string_view kind, std::string_view event,
                                       const nlohmann::json& fields) {
  const EventSpec* spec = FindSpec(EventSpecsOf(kind), event);
  if (spec == nullptr)
    return Status::InvalidArgument("'" + std::string(event) + "' is not an event of " + KindName(kind) +
                                   " (see 'casereview events')");
  CR_RETURN_IF_ERROR(ValidatePayload(*spec, fields, /*resolved=*/false));
  return ResolvePayload(*spec, fields, dir);
}

Status CheckActor(const BoardDirectory& dir, const std::string& board_id, std::string_view actor) {
  if (actor.empty()) return Status::InvalidArgument("say who is recording this (--by PERSON)");
  if (auto p = dir.people.find(std::string(actor)); p != dir.people.end()) {
    if (p->second.removed_at)
      return Status::Forbidden("'" + std::string(actor) + "' has been removed from board " + board_id +
                               " and can no longer record");
    return Status::Ok();
  }
  return Status::NotFound("no person '" + std::string(actor) + "' on board " + board_id +
                          " to record this (--by)");
}

}  // namespace casereview

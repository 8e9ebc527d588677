#include "board_scope.hpp"

#include "calendar_feed.hpp"
#include "digest.hpp"

namespace casereview::http {

namespace {

Status NotFoundHere() { return Status::NotFound("no such review"); }

}  // namespace

Result<ReviewRecord> BoardScope::Review(const std::string& ref) {
  auto r = engine_.GetReview(ref);
  if (r.ok() && r->board_id != board_) return NotFoundHere();
  return r;
}

Result<std::vector<ReviewRecord>> BoardScope::Reviews(ReviewFilter f) {
  f.board_id = board_;
  return engine_.ListReviews(f);
}

Result<std::vector<ReviewSummary>> BoardScope::ReviewSummaries(ReviewFilter f, const ReviewPage& page) {
  f.board_id = board_;
  return engine_.ListReviewSummaries(f, page);
}

Result<std::vector<StoredEvent>> BoardScope::History(const ReviewRecord& review) {
  if (review.board_id != board_) return NotFoundHere();
  return engine_.History(review.ref);
}

Result<ReviewRecord> BoardScope::Record(const ReviewRecord& review, const std::string& event,
                                        const nlohmann::json& fields, const std::string& actor,
                                        const CommandTrail& trail) {
  if (review.board_id != board_) return NotFoundHere();
  return engine_.Record(review.ref, event, fields, actor, trail);
}

Result<std::string> BoardScope::Open(std::string_view kind, const nlohmann::json& fields, const std::string& actor,
                                     const CommandTrail& trail) {
  return engine_.Open(kind, board_, fields, actor, trail);
}

Result<std::optional<IdempotencyRecord>> BoardScope::FindIdempotency(const std::string& actor, const std::string& key,
                                                                     Instant since) {
  return store_.FindIdempotency(board_, actor, key, since);
}

Status BoardScope::PutIdempotency(IdempotencyRecord r, Instant forget_before) {
  r.board_id = board_;
  return store_.PutIdempotency(r, forget_before);
}

Result<std::vector<Person>> BoardScope::People() { return store_.ListPeople(board_); }

Result<std::vector<Agency>> BoardScope::Agencies() { return store_.ListAgencies(board_); }

Result<std::optional<Person>> BoardScope::FindPerson(const std::string& id) {
  auto people = People();
  if (!people.ok()) return people.status();
  for (Person& p : *people)
    if (p.id == id) return std::optional<Person>(std::move(p));
  return std::optional<Person>();
}

Result<BoardData> BoardScope::Data() { return engine_.LoadBoardData(board_); }

Result<std::vector<Date>> BoardScope::Meetings() { return BoardMeetings(store_, board_); }

Status BoardScope::AddMeeting(Date date, Instant now) { return AddBoardMeeting(store_, board_, date, now); }

Status BoardScope::Import(const BoardData& d) {
  if (d.board.id != board_)
    return Status::Forbidden("the file is another board's: import it as one of that board's administrators");
  BoardData own = d;
  for (Agency& a : own.agencies) a.board_id = board_;
  for (Person& p : own.people) p.board_id = board_;
  return engine_.ImportBoardData(own);
}

Status BoardScope::PutAgency(Agency a) {
  a.board_id = board_;
  return engine_.PutAgency(a);
}

Status BoardScope::PutPerson(Person p) {
  p.board_id = board_;
  return engine_.PutPerson(p);
}

Status BoardScope::RemovePerson(const std::string& id, Instant at) { return store_.RemovePerson(board_, id, at); }

Result<std::vector<ApiToken>> BoardScope::Tokens() { return store_.ListApiTokens(board_, ""); }

Result<std::vector<Notice>> BoardScope::Notices(NoticeFilter f) {
  f.board_id = board_;
  return store_.ListNotices(f);
}

Result<std::size_t> BoardScope::RequeueFailed(std::optional<std::string> notice_id, Instant at) {
  return store_.RequeueFailed(std::move(notice_id), at, board_);
}

Result<std::vector<AuditEntry>> BoardScope::Audit(AuditFilter f) {
  f.board = board_;
  return store_.ListAudit(f);
}

Result<AuditVerification> BoardScope::VerifyAudit() { return VerifyAuditChain(store_, board_); }

Result<std::string> BoardScope::CalendarKey(const std::string& person_id, Instant now) {
  return CalendarFeedKey(store_, board_, person_id, now);
}

Result<bool> BoardScope::CalendarKeyMatches(const std::string& person_id, std::string_view key, Instant now) {
  return CalendarFeedKeyMatches(store_, board_, person_id, key, now);
}

}  // namespace casereview::http

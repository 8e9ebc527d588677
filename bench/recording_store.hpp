// A Store that forwards to another and keeps a copy of every change committed through it,
// one entry per transaction: what the bare-SQLite baseline of figure 1 writes again. Or, not
// keeping copies, only counts the transactions (for the timed run of figure 1: the copies
// cost the process about an eighth of the engine's time).
#pragma once

#include <vector>

#include "casereview/store.hpp"

namespace casereview::bench {

class RecordingStore final : public Store {
 public:
  explicit RecordingStore(Store& inner, bool keep_copies = true) : s_(inner), keep_(keep_copies) {}
  // One entry per successful Commit or CommitAll, in commit order (none unless keeping copies).
  const std::vector<std::vector<ReviewChange>>& transactions() const { return tx_; }
  // How many Commit and CommitAll calls succeeded.
  std::size_t commits() const { return commits_; }

  Status PutBoard(const Board& b) override { return s_.PutBoard(b); }
  Result<std::vector<Board>> ListBoards() override { return s_.ListBoards(); }
  Status PutAgency(const Agency& a) override { return s_.PutAgency(a); }
  Result<std::vector<Agency>> ListAgencies(std::string_view b) override { return s_.ListAgencies(b); }
  Status PutPerson(const Person& p) override { return s_.PutPerson(p); }
  Result<std::vector<Person>> ListPeople(std::string_view b) override { return s_.ListPeople(b); }
  Status ImportBoardData(const BoardData& d) override { return s_.ImportBoardData(d); }
  Result<ReviewRecord> GetReview(std::string_view ref) override { return s_.GetReview(ref); }
  Result<std::vector<ReviewRecord>> ListReviews(const ReviewFilter& f) override { return s_.ListReviews(f); }
  Result<std::vector<ReviewSummary>> ListReviewSummaries(const ReviewFilter& f, const ReviewPage& page) override {
    return s_.ListReviewSummaries(f, page);
  }
  Result<std::vector<StoredEvent>> LoadEvents(std::string_view ref) override { return s_.LoadEvents(ref); }
  Result<std::int64_t> CountReviewsWithPrefix(std::string_view p) override { return s_.CountReviewsWithPrefix(p); }
  Result<std::optional<std::string>> FindNotifiedDeath(std::string_view nhs) override {
    return s_.FindNotifiedDeath(nhs);
  }
  Status Commit(const ReviewChange& c) override {
    Status s = s_.Commit(c);
    if (s.ok()) ++commits_;
    if (s.ok() && keep_) tx_.push_back({c});
    return s;
  }
  Status CommitAll(std::span<const ReviewChange> cs) override {
    Status s = s_.CommitAll(cs);
    if (s.ok()) ++commits_;
    if (s.ok() && keep_) tx_.emplace_back(cs.begin(), cs.end());
    return s;
  }
  Result<std::vector<Timer>> DueTimers(Instant now, std::size_t limit) override { return s_.DueTimers(now, limit); }
  Result<std::optional<Instant>> NextTimerDue() override { return s_.NextTimerDue(); }
  Result<std::vector<Timer>> PendingTimers(std::string_view ref) override { return s_.PendingTimers(ref); }
  Result<TimerStatus> GetTimerStatus(std::string_view id) override { return s_.GetTimerStatus(id); }
  Result<std::vector<Notice>> ListNotices(const NoticeFilter& f) override { return s_.ListNotices(f); }
  Result<bool> QueueNotice(const Notice& n) override { return s_.QueueNotice(n); }
  Result<std::vector<Notice>> DueNotices(Instant now, std::size_t limit) override { return s_.DueNotices(now, limit); }
  Result<std::optional<Instant>> NextNoticeDue() override { return s_.NextNoticeDue(); }
  Status RecordAttempt(std::string_view id, int before, Instant at, Instant retry_at) override {
    return s_.RecordAttempt(id, before, at, retry_at);
  }
  Status RecordSent(std::string_view id, Instant at) override { return s_.RecordSent(id, at); }
  Status RecordFailure(std::string_view id, std::string_view error, bool give_up) override {
    return s_.RecordFailure(id, error, give_up);
  }
  Result<std::size_t> RequeueFailed(std::optional<std::string> id, Instant at,
                                    std::optional<std::string> board_id) override {
    return s_.RequeueFailed(std::move(id), at, std::move(board_id));
  }
  Status PutSetting(std::string_view k, std::string_view v, Instant at) override { return s_.PutSetting(k, v, at); }
  Result<std::optional<std::string>> GetSetting(std::string_view k) override { return s_.GetSetting(k); }
  // Sign-in and the audit log: forwarded, not recorded (the engine's commands write neither).
  Status PutPasswordHash(std::string_view b, std::string_view p, std::string_view h, Instant at) override {
    return s_.PutPasswordHash(b, p, h, at);
  }
  Result<std::optional<std::string>> GetPasswordHash(std::string_view b, std::string_view p) override {
    return s_.GetPasswordHash(b, p);
  }
  Status PutApiToken(const ApiToken& t) override { return s_.PutApiToken(t); }
  Result<std::optional<ApiToken>> FindApiToken(std::string_view h) override { return s_.FindApiToken(h); }
  Result<std::vector<ApiToken>> ListApiTokens(std::string_view b, std::string_view p) override {
    return s_.ListApiTokens(b, p);
  }
  Status RevokeApiToken(std::string_view id, Instant at) override { return s_.RevokeApiToken(id, at); }
  Status PutSession(const Session& x) override { return s_.PutSession(x); }
  Result<std::optional<Session>> FindSession(std::string_view h) override { return s_.FindSession(h); }
  Status DeleteSession(std::string_view h) override { return s_.DeleteSession(h); }
  Result<std::int64_t> DeleteExpiredSessions(Instant now) override { return s_.DeleteExpiredSessions(now); }
  Status RemovePerson(std::string_view b, std::string_view p, Instant at) override { return s_.RemovePerson(b, p, at); }
  Status RecordFailedSignIn(std::string_view a, std::string_view ip, Instant at, Instant since) override {
    return s_.RecordFailedSignIn(a, ip, at, since);
  }
  Result<SignInFailures> CountFailedSignIns(std::string_view a, std::string_view ip, Instant since) override {
    return s_.CountFailedSignIns(a, ip, since);
  }
  Status CountThrottledSignIn(std::string_view a, std::string_view ip) override { return s_.CountThrottledSignIn(a, ip); }
  Status ClearFailedSignIns(std::string_view a, std::string_view ip) override { return s_.ClearFailedSignIns(a, ip); }
  Result<AuditEntry> AppendAudit(const AuditEntry& e) override { return s_.AppendAudit(e); }
  Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& f) override { return s_.ListAudit(f); }
  Result<AuditSeal> ReadAuditSeal() override { return s_.ReadAuditSeal(); }
  Result<std::int64_t> BoardRevision(std::string_view board_id) override { return s_.BoardRevision(board_id); }
  Result<std::int64_t> SettingRevision(std::string_view key) override { return s_.SettingRevision(key); }
  Result<std::optional<IdempotencyRecord>> FindIdempotency(std::string_view board_id, std::string_view actor,
                                                            std::string_view key, Instant since) override {
    return s_.FindIdempotency(board_id, actor, key, since);
  }
  Status PutIdempotency(const IdempotencyRecord& r, Instant forget_before) override {
    return s_.PutIdempotency(r, forget_before);
  }

 private:
  Store& s_;
  bool keep_;
  std::size_t commits_ = 0;
  std::vector<std::vector<ReviewChange>> tx_;
};

}  // namespace casereview::bench

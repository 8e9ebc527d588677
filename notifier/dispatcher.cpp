// The outbox dispatcher: claim, render, send, record; retry with backoff; never drop.
#include <algorithm>

#include "casereview/notifier.hpp"

namespace casereview {

std::chrono::seconds RetryDelay(const DeliveryPolicy& p, int attempt) {
  std::chrono::seconds delay = p.first_retry;
  for (int i = 1; i < attempt && delay < p.longest_retry; ++i) delay *= 2;
  return std::min(delay, p.longest_retry);
}

OutboxDispatcher::OutboxDispatcher(Store& store, Mailer& mailer, const Clock& clock,
                                   const NoticeTemplates& templates, MailIdentity identity,
                                   DeliveryPolicy policy)
    : store_(store), mailer_(mailer), clock_(clock), templates_(templates),
      identity_(std::move(identity)), policy_(policy) {}

Result<DeliveryReport> OutboxDispatcher::DeliverDue() {
  DeliveryReport report;
  Instant now = clock_.Now();
  if (paused_until_ && now < *paused_until_) return report;
  paused_until_.reset();
  contexts_.clear();  // board data read afresh each pass: an address corrected is used next time
  auto due = store_.DueNotices(now, policy_.batch_size);
  if (!due.ok()) return due.status();
  Status s;
  for (const Notice& n : *due) {
    s = DeliverOne(n, report);
    if (!s.ok() || report.mail_unavailable) break;
  }
  mailer_.EndBatch();
  if (report.mail_unavailable) paused_until_ = clock_.Now() + policy_.pause_when_unavailable;
  if (!s.ok()) return s;
  return report;
}

Result<std::optional<Instant>> OutboxDispatcher::NextPassDue() {
  auto next = store_.NextNoticeDue();
  if (!next.ok() || !*next || !paused_until_) return next;
  return std::optional<Instant>{std::max(**next, *paused_until_)};
}

Result<NoticeTemplates::Context*> OutboxDispatcher::ContextFor(const std::string& board_id) {
  if (auto it = contexts_.find(board_id); it != contexts_.end()) return &it->second;
  NoticeTemplates::Context ctx;
  auto boards = store_.ListBoards();
  if (!boards.ok()) return boards.status();
  for (const Board& b : *boards)
    if (b.id == board_id) ctx.board_name = b.name;
  auto people = store_.ListPeople(board_id);
  if (!people.ok()) return people.status();
  for (Person& p : *people) ctx.people.emplace(p.id, std::move(p));
  ctx.identity = identity_;
  return &contexts_.emplace(board_id, std::move(ctx)).first->second;
}

// The attempt is recorded before the message leaves, so a crash mid-send can only ever
// cause a redelivery (same Message-ID), never a notice silently lost.
Status OutboxDispatcher::DeliverOne(const Notice& n, DeliveryReport& report) {
  const int attempt = n.attempts + 1;
  Instant now = clock_.Now();
  Status claimed = store_.RecordAttempt(n.id, n.attempts, now, now + RetryDelay(policy_, attempt));
  if (claimed.code() == Status::Code::kConflict) {
    ++report.claimed_elsewhere;
    return Status::Ok();
  }
  CR_RETURN_IF_ERROR(claimed);
  auto ctx = ContextFor(n.board_id);
  if (!ctx.ok()) return ctx.status();
  (*ctx)->now = now;
  auto email = templates_.Render(n, **ctx);
  Status sent = email.ok() ? mailer_.Send(*email) : email.status();
  if (sent.ok()) {
    ++report.sent;
    return store_.RecordSent(n.id, clock_.Now());
  }
  const bool give_up = attempt >= policy_.max_attempts;
  ++(give_up ? report.failed : report.retrying);
  report.mail_unavailable = sent.code() == Status::Code::kUnavailable;
  report.errors.push_back(n.id + ": " + sent.message());
  return store_.RecordFailure(n.id, "attempt " + std::to_string(attempt) + ": " + sent.message(), give_up);
}

}  // namespace casereview

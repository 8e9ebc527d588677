// The notifier: turns the outbox's notices into email and delivers them.
//
// A notice is queued in the same transaction as the event that causes it (store.hpp). The
// dispatcher takes the notices that are due, renders each from its kind's templates,
// records the attempt, hands the message to a Mailer, and records the outcome. A failed
// attempt is retried with exponential backoff; after the last attempt the notice is failed
// and stays listed (`casereview outbox --status failed`) until someone retries it. A message
// keeps the Message-ID derived from its notice, so a redelivery is recognisable.
//
// Thread safety: a dispatcher may be used from one thread at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "casereview/board.hpp"
#include "casereview/clock.hpp"
#include "casereview/mailer.hpp"
#include "casereview/status.hpp"
#include "casereview/store.hpp"

namespace casereview {

// Who messages come from and where their links point.
struct MailIdentity {
  MailAddress from{"casereview", "casereview@localhost"};
  // Links are <base_url>/reviews/<ref> (the server's review page).
  std::string base_url = "http://localhost:8080";
  // The right-hand side of Message-IDs; empty: the domain of from.email.
  std::string message_id_domain;
};

// The Message-ID of a notice's message: the notice id with every character outside
// [A-Za-z0-9.-] written as _XX (hex), at the identity's domain. Stable and one-to-one.
std::string MessageIdFor(const std::string& notice_id, const MailIdentity& identity);

// Templates per notice kind: `<kind>.subject`, `<kind>.txt` (the text/plain part) and
// `<kind>.html` (the text/html part), in Mustache (kainjow/mustache); `_NAME.txt` and
// `_NAME.html` are the partial `{{> NAME}}` of that part (the shipped ones: summary, the
// review/stage/task/due lines, and footer). docs/notices.md lists each kind's fields.
class NoticeTemplates {
 public:
  // The shipped templates, each replaced by the file of the same name in `dir` when `dir`
  // is given and has one. InvalidArgument names a file that does not parse, or whose name
  // is not a template casereview uses (a misspelt override would otherwise be ignored).
  static Result<NoticeTemplates> Load(const std::string& dir = "");
  // Writes the shipped templates into `dir` (created if needed), for editing; an existing
  // file is left alone. Returns the names written.
  static Result<std::vector<std::string>> Export(const std::string& dir);
  // The notice kinds with templates.
  static std::vector<std::string> Kinds();

  // What a message needs besides the notice.
  struct Context {
    std::string board_name;
    std::map<std::string, Person> people;  // the board's, by id
    MailIdentity identity;
    Instant now{};
  };
  // The message for one notice. InvalidArgument when its kind has no template or none of
  // its recipients has an email address (named by person id).
  Result<Email> Render(const Notice& n, const Context& ctx) const;

 private:
  std::map<std::string, std::string> files_;  // name -> template text
};

struct DeliveryPolicy {
  int max_attempts = 8;  // then the notice is failed (kept and listed)
  std::chrono::seconds first_retry{60};  // doubled after each failed attempt ...
  std::chrono::seconds longest_retry{std::chrono::hours{1}};  // ... up to this
  std::size_t batch_size = 50;  // notices per pass (one connection)
  // After the mail server could not be reached, the pause before the next pass.
  std::chrono::seconds pause_when_unavailable{60};
};

// When attempt number `attempt` (1-based) fails, how long until the next.
std::chrono::seconds RetryDelay(const DeliveryPolicy& p, int attempt);

struct DeliveryReport {
  std::size_t sent = 0;
  std::size_t retrying = 0;  // failed this time, will be tried again
  std::size_t failed = 0;    // failed for the last time: listed, not retried
  std::size_t claimed_elsewhere = 0;  // another dispatcher took it first
  bool mail_unavailable = false;      // the pass stopped: the server could not be reached
  std::vector<std::string> errors;    // one line per failed attempt (notice id: why)
};

class OutboxDispatcher {
 public:
  // REQUIRES: every reference outlives the dispatcher.
  OutboxDispatcher(Store& store, Mailer& mailer, const Clock& clock, const NoticeTemplates& templates,
                   MailIdentity identity, DeliveryPolicy policy = {});

  // One pass: the notices due now (at most batch_size), each rendered, its attempt recorded,
  // handed to the mailer and its outcome recorded. Stops early when the mail server cannot
  // be reached (the untried notices keep their place) and then waits pause_when_unavailable
  // before the next pass. A store error ends the pass and is returned.
  Result<DeliveryReport> DeliverDue();
  // When the next pass has something to do; nullopt when nothing is pending.
  Result<std::optional<Instant>> NextPassDue();

 private:
  Status DeliverOne(const Notice& n, DeliveryReport& report);
  Result<NoticeTemplates::Context*> ContextFor(const std::string& board_id);

  Store& store_;
  Mailer& mailer_;
  const Clock& clock_;
  const NoticeTemplates& templates_;
  MailIdentity identity_;
  DeliveryPolicy policy_;
  std::optional<Instant> paused_until_;
  std::map<std::string, NoticeTemplates::Context> contexts_;  // by board, for one pass
};

}  // namespace casereview

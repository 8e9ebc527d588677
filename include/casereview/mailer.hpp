// Mailer: how the notifier hands a message to the mail system.
//
// Implementations (notifier/): an SMTP client (Poco Net; STARTTLS and authentication when
// configured) and the mail drop, which writes each message as an RFC 5322 `.eml` file into
// a folder (the default when no SMTP server is configured). Tests use a recording Mailer.
//
// Thread safety: an implementation may be used from one thread at a time.
#pragma once

#include <string>
#include <vector>

#include "casereview/clock.hpp"
#include "casereview/status.hpp"

namespace casereview {

struct MailAddress {
  std::string name;   // "Panel Chair (Northbridge)"; may be empty
  std::string email;  // "chair@example.org"

  bool operator==(const MailAddress&) const = default;
};

// One message, rendered. Carries only what a notice may carry: never a child's details.
struct Email {
  // Stable for a notice, so a redelivery after a crash is recognisable:
  // "<SCR-2026-001.12.0.notice@mail.example.org>" (angle brackets included).
  std::string message_id;
  MailAddress from;
  std::vector<MailAddress> to;
  std::string subject;
  std::string text;  // the text/plain part
  std::string html;  // the text/html part; empty: a plain-text message
  Instant date{};    // the Date header: when the notifier rendered it (from its clock)
  // The notice behind it, e.g. "SCR-2026-001#12.0" (an X-Casereview-Notice header).
  std::string notice_id;

  bool operator==(const Email&) const = default;
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Hands one message over; Ok once the server (or the mail drop) has accepted it. May keep
  // a connection open for the next Send of a batch. Unavailable: the mail system could not
  // be reached, so the rest of the batch should wait; any other error concerns this message.
  virtual Status Send(const Email& m) = 0;
  // Ends a batch: closes any connection kept open between Sends. Never fails.
  virtual void EndBatch() {}
  // What it delivers to, for logs and the CLI: "smtp://mail.example.org:587 (STARTTLS)".
  virtual std::string Describe() const = 0;
};

}  // namespace casereview

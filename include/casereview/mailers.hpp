// The Mailers casereview ships (notifier/): SMTP through Poco Net, and the mail drop.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "casereview/mailer.hpp"
#include "casereview/status.hpp"

namespace casereview {

struct SmtpSettings {
  std::string host;  // "mail.example.org"
  int port = 25;
  // STARTTLS before anything else is said (Poco NetSSL); the server's certificate is
  // verified against the system's CAs, or ca_file when given.
  bool starttls = false;
  std::string ca_file;
  // AUTH LOGIN when a username is given (only over STARTTLS unless allow_plain_auth).
  std::string username;
  std::string password;
  bool allow_plain_auth = false;
  std::chrono::seconds timeout{30};
  std::string helo_name = "casereview";  // the name given in EHLO
};

// An SMTP client: one connection, opened at the first Send and reused until EndBatch.
std::unique_ptr<Mailer> NewSmtpMailer(SmtpSettings settings);

// Writes each message as an RFC 5322 file `<dir>/<notice>.eml` (atomically: a temp file
// renamed), creating the folder if needed. A redelivery of the same notice replaces its
// file, so the folder holds each notice once.
Result<std::unique_ptr<Mailer>> OpenMailDrop(const std::string& dir);

}  // namespace casereview

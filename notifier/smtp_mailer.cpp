// The SMTP Mailer (Poco Net and NetSSL): one connection per batch.
//
// The connection opens at the first Send (connect, EHLO, STARTTLS and EHLO again when
// configured, AUTH LOGIN when a username is given) and is reused until EndBatch or the
// first error; after an error it is dropped without a word, so the next Send reconnects.
//
// Poco exceptions never leave this file. Anything that stops the session itself (a CA
// file that cannot be loaded, credentials that would go in clear, cannot connect,
// connection lost, timeout, TLS or login refused, 530 "authentication required") is
// Unavailable: no message is at fault and the rest of the batch should wait. A 4xx reply
// to MAIL, RCPT or DATA is Unavailable too (the server asks to try later); any other 5xx
// reply is InvalidArgument: this message was refused. Status text names the server, the
// notice and the server's reply, never the message's content.
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <exception>
#include <memory>
#include <sstream>
#include <string>
#include <utility>

#include "casereview/mailers.hpp"
#include "mime_message.hpp"

namespace casereview {
namespace {

using Poco::Net::SMTPException;

// Poco's SSL library wants one initializeSSL per process before the first Context; a
// function-local static makes that thread-safe. Never undone: the process owns it.
void InitialiseSslOnce() {
  static const bool initialised = [] {
    Poco::Net::initializeSSL();
    return true;
  }();
  (void)initialised;
}

std::string Base64(const std::string& text) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);  // one line: an SMTP command must not wrap
  encoder << text;
  encoder.close();
  return out.str();
}

// Poco's SMTP session plus three things Poco 1.11 does not do the way we need:
//  - StartTls verifies the certificate against the configured host name (Poco's own
//    SecureSMTPClientSession::startTLS uses the host name only when the session opened
//    the socket itself, which cannot be given a connect timeout; otherwise it checks
//    the certificate against the peer's IP address);
//  - LoginWithAuthLogin does not depend on the wording of the server's challenges (Poco's
//    AUTH LOGIN silently skips authentication unless they start "Username"/"Password");
//  - Abandon drops a broken connection without saying QUIT.
class SmtpConnection final : public Poco::Net::SMTPClientSession {
 public:
  using SMTPClientSession::SMTPClientSession;

  // Throws SMTPException when the server refuses STARTTLS, Poco::Net::SSLException when
  // the handshake or the certificate check fails.
  void StartTls(const std::string& host, Poco::Net::Context::Ptr context) {
    std::string reply;
    int code = sendCommand("STARTTLS", reply);
    if (!isPositiveCompletion(code)) throw SMTPException("STARTTLS refused", reply, code);
    socket() = Poco::Net::SecureStreamSocket::attach(socket(), host, std::move(context));
  }

  void LoginWithAuthLogin(const std::string& username, const std::string& password) {
    std::string reply;
    int code = sendCommand("AUTH LOGIN", reply);
    if (!isPositiveIntermediate(code)) throw SMTPException("AUTH LOGIN refused", reply, code);
    code = sendCommand(Base64(username), reply);
    if (!isPositiveIntermediate(code)) throw SMTPException("user name refused", reply, code);
    code = sendCommand(Base64(password), reply);
    if (!isPositiveCompletion(code)) throw SMTPException("credentials refused", reply, code);
  }

  // After this the session's QUIT (in close() or the destructor) fails at once on an
  // unconnected socket instead of waiting on a dead or hung server.
  void Abandon() { socket() = Poco::Net::StreamSocket(); }
};

class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpSettings settings)
      : settings_(std::move(settings)),
        server_("smtp://" + settings_.host + ":" + std::to_string(settings_.port)) {}
  ~SmtpMailer() override { EndBatch(); }

  Status Send(const Email& m) override {
    if (!connection_) CR_RETURN_IF_ERROR(Connect());
    return Transmit(m);
  }

  void EndBatch() override {
    if (!connection_) return;
    try {
      connection_->close();  // QUIT
    } catch (...) {  // NOLINT: the batch is over either way; nothing to tell anyone
    }
    connection_.reset();
  }

  std::string Describe() const override {
    std::string flags;
    if (settings_.starttls) flags = "STARTTLS";
    if (!settings_.username.empty()) flags += flags.empty() ? "AUTH" : ", AUTH";
    return flags.empty() ? server_ : server_ + " (" + flags + ")";
  }

 private:
  Status Connect();
  void OpenSession();
  Status Transmit(const Email& m);
  Status SessionFailure(const std::string& during, const std::exception& e);
  Status TransmitFailure(const std::string& notice, const std::exception& e);
  Status LoadTlsContext();
  void Drop() {
    if (!connection_) return;
    connection_->Abandon();
    connection_.reset();
  }
  Poco::Timespan Timeout() const { return Poco::Timespan(settings_.timeout.count(), 0); }

  SmtpSettings settings_;
  std::string server_;                           // "smtp://host:port", for messages
  Poco::Net::Context::Ptr tls_context_;          // loaded before the first STARTTLS, then reused
  std::unique_ptr<SmtpConnection> connection_;   // open between Sends of a batch
  std::string stage_;                            // what OpenSession was doing, for messages
};

// REQUIRES: !connection_
Status SmtpMailer::Connect() {
  if (!settings_.username.empty() && !settings_.starttls && !settings_.allow_plain_auth) {
    // Checked before connecting: the password must never cross the network in clear.
    return Status::Unavailable("mail server " + server_ + " not used: it is configured with a username but " +
                               "without STARTTLS, and the password would be sent in clear (turn on starttls, " +
                               "or allow_plain_auth to accept that)");
  }
  if (settings_.starttls) CR_RETURN_IF_ERROR(LoadTlsContext());
  try {
    OpenSession();
    return Status::Ok();
  } catch (const std::exception& e) {
    Status s = SessionFailure(stage_, e);
    Drop();
    return s;
  }
}

// Throws Poco::Exception; stage_ says how far it got.
void SmtpMailer::OpenSession() {
  stage_ = "connecting";
  Poco::Net::StreamSocket socket;
  socket.connect(Poco::Net::SocketAddress(settings_.host, static_cast<Poco::UInt16>(settings_.port)), Timeout());
  socket.setSendTimeout(Timeout());
  connection_ = std::make_unique<SmtpConnection>(socket);
  connection_->setTimeout(Timeout());
  stage_ = "greeting (EHLO)";
  connection_->login(settings_.helo_name);
  if (settings_.starttls) {
    stage_ = "STARTTLS";
    connection_->StartTls(settings_.host, tls_context_);
    stage_ = "EHLO after STARTTLS";
    connection_->login(settings_.helo_name);
  }
  if (!settings_.username.empty()) {
    stage_ = "login (AUTH LOGIN) as '" + settings_.username + "'";
    connection_->LoginWithAuthLogin(settings_.username, settings_.password);
  }
}

// Once per mailer, before the first connection: a missing or unreadable CA file is a
// configuration error, found before anything is said to the server.
Status SmtpMailer::LoadTlsContext() {
  if (tls_context_) return Status::Ok();
  InitialiseSslOnce();
  Poco::Net::Context::Params params;
  params.caLocation = settings_.ca_file;
  params.loadDefaultCAs = settings_.ca_file.empty();
  // STRICT, not RELAXED: under RELAXED Poco skips the host name check when the host is
  // localhost. For a client both verify the chain.
  params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
  try {
    tls_context_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    tls_context_->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    return Status::Ok();
  } catch (const Poco::Exception& e) {
    tls_context_ = nullptr;
    std::string cas = settings_.ca_file.empty() ? "the system's CA certificates" : "CA certificates from " + settings_.ca_file;
    return Status::Unavailable("mail server " + server_ + " not used: cannot load " + cas + ": " + e.displayText());
  }
}

// What a non-SMTP failure says: Poco's text with its class ("Timeout", "Connection refused").
std::string Detail(const std::exception& e) {
  const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
  return poco != nullptr ? poco->displayText() : std::string(e.what());
}

// A failure while opening the session: always Unavailable.
Status SmtpMailer::SessionFailure(const std::string& during, const std::exception& e) {
  const auto* smtp = dynamic_cast<const SMTPException*>(&e);
  if (smtp != nullptr && smtp->code() != 0) {
    return Status::Unavailable("mail server " + server_ + " refused the session at " + during + ": " + smtp->message());
  }
  // Poco reads a closed connection as a reply without a code.
  std::string detail = smtp != nullptr ? "the connection was closed" : Detail(e);
  return Status::Unavailable("mail server " + server_ + " unreachable: " + during + " failed: " + detail);
}

// REQUIRES: connection_
Status SmtpMailer::Transmit(const Email& m) {
  try {
    connection_->sendMessage(*notifier::ToMimeMessage(m), notifier::EnvelopeRecipients(m));
    return Status::Ok();
  } catch (const std::exception& e) {
    Drop();
    return TransmitFailure("notice " + m.notice_id, e);
  }
}

// A failure while sending one message: Unavailable unless the server refused this message.
Status SmtpMailer::TransmitFailure(const std::string& notice, const std::exception& e) {
  const auto* smtp = dynamic_cast<const SMTPException*>(&e);
  if (smtp == nullptr) {
    return Status::Unavailable("mail server " + server_ + " unreachable: sending " + notice + " failed: " + Detail(e));
  }
  int code = smtp->code();
  const std::string reply = smtp->message();  // Poco's step ("Recipient rejected: <a>") and the reply
  if (code == 530) {  // RFC 4954, 3207: a login or STARTTLS is required; the session's fault, not this message's
    return Status::Unavailable("mail server " + server_ + " refused " + notice + ": it wants a login or STARTTLS " +
                               "that the mailer is not configured for: " + reply);
  }
  if (code / 100 == 5) return Status::InvalidArgument("mail server " + server_ + " refused " + notice + ": " + reply);
  if (code / 100 == 4) return Status::Unavailable("mail server " + server_ + " deferred " + notice + ": " + reply);
  // No code: Poco reads a closed connection as a reply without one.
  return Status::Unavailable("mail server " + server_ + " unreachable: the connection was lost while sending " + notice);
}

}  // namespace

std::unique_ptr<Mailer> NewSmtpMailer(SmtpSettings settings) {
  return std::make_unique<SmtpMailer>(std::move(settings));
}

}  // namespace casereview

// How an Email becomes an Internet message (RFC 5322, MIME), for the SMTP mailer and the
// mail drop. Internal to the notifier: it speaks Poco.
//
// Headers: From and To with display names (quoted strings, or RFC 2047 encoded words when
// not ASCII), Subject (likewise encoded when not ASCII), Date from Email::date in UTC (never the wall clock), Message-ID,
// X-Casereview-Notice and "Auto-Submitted: auto-generated" (RFC 3834, so that
// out-of-office replies are not sent back). Body: multipart/alternative with a text/plain
// then a text/html part when the Email has html, else a single text/plain body; UTF-8,
// quoted-printable, CRLF line ends.
//
// Header values never carry a line break: CR, LF and other control characters in a
// name, subject or id become spaces, so a field cannot smuggle in another header.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "casereview/mailer.hpp"

namespace Poco::Net {
class MailMessage;
}

namespace casereview::notifier {

// May throw Poco::Exception (it should not for any Email, but callers sit at the adapter
// boundary and translate it anyway).
std::unique_ptr<Poco::Net::MailMessage> ToMimeMessage(const Email& email);

// The addresses for RCPT TO: the To addresses, each on one line. (The message built above
// carries its To header but no Poco recipients, so it must be sent with these.)
std::vector<std::string> EnvelopeRecipients(const Email& email);

// The whole message as it would be handed to a server after DATA (without the SMTP
// dot-stuffing): CRLF line ends, as Poco writes them. May throw Poco::Exception.
std::string ToRfc5322(const Email& email);

}  // namespace casereview::notifier

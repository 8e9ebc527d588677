#include "mime_message.hpp"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <sstream>

namespace casereview::notifier {
namespace {

using Poco::Net::MailMessage;

// A header value on one line: control characters (CR and LF above all) become spaces.
std::string OneLine(std::string value) {
  std::replace_if(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; },
                  ' ');
  return value;
}

bool IsAscii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// The bytes of the UTF-8 character that starts with `lead`.
std::size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

// RFC 2047 "Q" encoding of one character, with the set that is safe in a phrase.
std::string QEncoded(const std::string& character) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char c : character) {
    auto u = static_cast<unsigned char>(c);
    if (u == ' ') {
      out += '_';
    } else if (std::isalnum(u) != 0 && u < 0x80) {
      out += c;
    } else if (u == '!' || u == '*' || u == '+' || u == '-' || u == '/') {
      out += c;
    } else {
      out += {'=', kHex[u >> 4], kHex[u & 0xf]};
    }
  }
  return out;
}

// RFC 2047 encoded words for text that is not ASCII: each word at most 75 characters and
// made of whole UTF-8 characters, words separated by folding white space (which decoders
// drop between encoded words). Not Poco's MailMessage::encodeWord: in 1.11 it writes
// longer words, can split a character between two words and can leave a trailing fold.
std::string EncodedWords(const std::string& text) {
  const std::string open = "=?UTF-8?Q?";
  const std::string close = "?=";
  std::string out;
  std::string word;
  auto flush = [&] {
    if (!out.empty()) out += "\r\n ";
    out += open + word + close;
    word.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = std::min(Utf8Length(static_cast<unsigned char>(text[i])), text.size() - i);
    std::string encoded = QEncoded(text.substr(i, n));
    if (!word.empty() && open.size() + word.size() + encoded.size() + close.size() > 75) flush();
    word += encoded;
    i += n;
  }
  flush();
  return out;
}

// Header text: as it is when ASCII, else encoded words.
std::string HeaderText(const std::string& text) {
  std::string line = OneLine(text);
  return IsAscii(line) ? line : EncodedWords(line);
}

// A display name: an RFC 5322 quoted string when ASCII (angle brackets dropped, because
// Poco takes the envelope sender from the first '<' of the From header), else encoded
// words (which never contain '<').
std::string DisplayName(const std::string& name) {
  std::string line = OneLine(name);
  if (!IsAscii(line)) return EncodedWords(line);
  std::string quoted = "\"";
  for (char c : line) {
    if (c == '<' || c == '>') continue;
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string Mailbox(const MailAddress& a) {
  std::string address = OneLine(a.email);
  return a.name.empty() ? address : DisplayName(a.name) + " <" + address + ">";
}

// The To header, folded between addresses to keep lines short. Written by hand rather
// than through MailMessage::addRecipient, which in Poco 1.11 quotes names itself
// (without escaping, and around encoded words too).
std::string ToHeader(const std::vector<MailAddress>& to) {
  std::string out;
  std::size_t line = 4;  // "To: "
  for (const MailAddress& a : to) {
    std::string mailbox = Mailbox(a);
    if (!out.empty()) {
      bool fold = line + 2 + mailbox.size() > 76;
      out += fold ? ",\r\n " : ", ";
      line = fold ? 1 : line + 2;
    }
    out += mailbox;
    line += mailbox.size();
  }
  return out;
}

// RFC 5322 date-time in UTC: "Mon, 05 Jan 2026 09:30:00 +0000".
std::string RfcDate(Instant date) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(date.time_since_epoch()).count();
  return Poco::DateTimeFormatter::format(Poco::Timestamp(micros), "%w, %d %b %Y %H:%M:%S +0000");
}

// Canonical CRLF line ends, so quoted-printable and SMTP see one kind of line break.
std::string WithCrlf(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;  // CRLF: keep the LF
    if (text[i] == '\r' || text[i] == '\n') {
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  return out;
}

void SetHeaders(const Email& email, MailMessage& m) {
  m.setSender(Mailbox(email.from));
  m.set(MailMessage::HEADER_TO, ToHeader(email.to));
  m.setSubject(HeaderText(email.subject));
  m.set(MailMessage::HEADER_DATE, RfcDate(email.date));  // replaces the wall-clock Date Poco set
  m.set("Message-ID", OneLine(email.message_id));
  m.set("X-Casereview-Notice", OneLine(email.notice_id));
  m.set("Auto-Submitted", "auto-generated");
}

void SetBody(const Email& email, MailMessage& m) {
  if (email.html.empty()) {
    m.setContentType("text/plain; charset=UTF-8");
    m.setContent(WithCrlf(email.text), MailMessage::ENCODING_QUOTED_PRINTABLE);
    return;
  }
  m.setContentType("multipart/alternative");  // addContent keeps it (only a non-multipart type is replaced)
  m.addContent(new Poco::Net::StringPartSource(WithCrlf(email.text), "text/plain; charset=UTF-8"),
               MailMessage::ENCODING_QUOTED_PRINTABLE);
  m.addContent(new Poco::Net::StringPartSource(WithCrlf(email.html), "text/html; charset=UTF-8"),
               MailMessage::ENCODING_QUOTED_PRINTABLE);
}

}  // namespace

std::unique_ptr<MailMessage> ToMimeMessage(const Email& email) {
  auto m = std::make_unique<MailMessage>();
  SetHeaders(email, *m);
  SetBody(email, *m);
  return m;
}

std::vector<std::string> EnvelopeRecipients(const Email& email) {
  std::vector<std::string> recipients;
  for (const MailAddress& a : email.to) recipients.push_back(OneLine(a.email));
  return recipients;
}

std::string ToRfc5322(const Email& email) {
  std::ostringstream out;
  ToMimeMessage(email)->write(out);
  return out.str();
}

}  // namespace casereview::notifier

#include "connection.hpp"

#include <ctime>

namespace casereview::http {
namespace {

namespace http = boost::beast::http;

void SetSecurityHeaders(WireResponse& out, bool tls) {
  out.set("Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; "
          "form-action 'self'; base-uri 'none'");
  out.set("X-Content-Type-Options", "nosniff");
  out.set("X-Frame-Options", "DENY");
  out.set("Referrer-Policy", "no-referrer");
  out.set("Cache-Control", "no-store");
  out.set("Cross-Origin-Opener-Policy", "same-origin");
  if (tls) out.set("Strict-Transport-Security", "max-age=31536000");
}

// "Tue, 15 Nov 1994 08:12:31 GMT" (RFC 9110 section 5.6.7).
std::string HttpDate(Instant t) {
  std::time_t seconds = t.time_since_epoch().count();
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::size_t n = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return std::string(text, n);
}

constexpr const char* kUnclearLength =
    "the request's length is unclear: send one Content-Length or Transfer-Encoding: chunked, not both; "
    "nothing was changed";

}  // namespace

WireResponse ToWire(Response answer, const WireRequest& request, bool tls, const Clock& clock) {
  WireResponse out;
  out.version(request.version());
  out.result(static_cast<unsigned>(answer.status));
  SetSecurityHeaders(out, tls);
  out.set(http::field::date, HttpDate(clock.Now()));
  for (const auto& [name, value] : answer.headers) {
    if (name == "Cache-Control") out.set(name, value);  // the stylesheet may be cached
    else out.insert(name, value);
  }
  if (answer.status == 204 || answer.status == 303) {
    out.content_length(0);
  } else {
    out.set(http::field::content_type, answer.content_type + "; charset=utf-8");
    out.content_length(answer.body.size());
    if (request.method() != http::verb::head) out.body() = std::move(answer.body);
  }
  out.keep_alive(request.keep_alive());
  return out;
}

std::optional<Response> AnswerToUnreadable(const boost::beast::error_code& ec) {
  if (ec.category() != http::make_error_code(http::error::end_of_stream).category()) return std::nullopt;
  switch (static_cast<http::error>(ec.value())) {
    case http::error::end_of_stream:
    case http::error::partial_message:
      return std::nullopt;  // the client went away
    case http::error::body_limit:
      return ErrorResponse(413, "the request body is larger than 1 MiB");
    case http::error::header_limit:
      return ErrorResponse(431, "the request's headers are larger than 64 KiB");
    case http::error::bad_content_length:
    case http::error::bad_transfer_encoding:
    case http::error::multiple_content_length:
      return ErrorResponse(400, kUnclearLength);
    default:
      return ErrorResponse(400, "the request is not well-formed HTTP; nothing was changed");
  }
}

std::optional<Response> AnswerToUnclearLength(const http::request_parser<http::string_body>& p) {
  const auto& head = p.get();
  if (head.find(http::field::transfer_encoding) == head.end()) return std::nullopt;
  // Transfer-Encoding with a Content-Length (which Beast refuses only when chunked comes
  // last), or with any coding but chunked last: the body's end cannot be known.
  if (head.find(http::field::content_length) != head.end() || !p.chunked()) return ErrorResponse(400, kUnclearLength);
  return std::nullopt;
}

}  // namespace casereview::http

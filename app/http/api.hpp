// The JSON API under /api/v1 (docs/api.md): one request in, one response out, with the
// caller signed in by session cookie or API token, their roles checked
// (engine/permissions.hpp), and every access to case data written to the audit log.
// No sockets here: app/http/server.cpp carries requests to Handle over HTTP.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "casereview/clock.hpp"
#include "casereview/engine.hpp"
#include "casereview/store.hpp"

namespace casereview::http {

class ReviewListMemo;  // review_list_memo.hpp

struct Request {
  std::string method;  // "GET", "POST", "DELETE"
  std::string path;    // without the query
  std::map<std::string, std::string> query;
  std::string body;
  std::string session_cookie;  // the casereview_session cookie's value, if sent
  std::string bearer_token;    // from "Authorization: Bearer ...", if sent
  std::string csrf_header;     // X-CSRF-Token
  std::string sign_in_cookie;  // the casereview_signin cookie's value: the sign-in form's own token
  std::string client_address;  // the peer's IP address, for sign-in throttling
  std::string idempotency_key; // Idempotency-Key: a retry of a creating or recording POST is answered, not redone
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Set-Cookie
};

struct ApiOptions {
  bool secure_cookies = false;  // served over TLS: cookies get Secure
  std::chrono::seconds session_length = std::chrono::hours{8};
  // The review list's rows remembered between requests, shared by a server's threads (the
  // Server makes one); without it every list request makes every row afresh.
  std::shared_ptr<ReviewListMemo> review_list;
};

inline constexpr const char* kSessionCookie = "casereview_session";
// Set with the sign-in form and sent back with it (SameSite=Strict, so a form posted from
// another site comes without it): a sign-in from another site is refused.
inline constexpr const char* kSignInCookie = "casereview_signin";

// Answers one request. Uses `store` and `engine` from this thread only.
Response Handle(const Request& req, Store& store, Engine& engine, const Clock& clock, const ApiOptions& options);

// "/api/v1/reviews/X" -> {"api", "v1", "reviews", "X"} (empty segments dropped).
std::vector<std::string> PathSegments(const std::string& path);

// The status code for an error Status: 400 invalid, 401, 403, 404, 409 refused or conflict,
// 429 too many wrong passwords, 503 unavailable, 500 otherwise.
int HttpStatusFor(const Status& s);

}  // namespace casereview::http

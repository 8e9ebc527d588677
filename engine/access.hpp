// Signing in: passwords hashed with Argon2id, API tokens, browser sessions, and the audit
// log's entries. Secrets are made with libsodium's random generator, shown once, and kept
// only as hashes (access.hpp); a wrong password, an unknown token and an expired session get
// the same answer, so none tells an attacker which part was wrong.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "casereview/access.hpp"
#include "casereview/board.hpp"
#include "casereview/clock.hpp"
#include "casereview/status.hpp"
#include "casereview/store.hpp"

namespace casereview {

// The fewest characters a password may have (NCSC guidance: length over complexity).
inline constexpr std::size_t kMinPasswordLength = 12;

// Sign-in throttling (NCSC: limit guesses rather than force complex passwords). Wrong
// passwords are counted per account as typed (a hash of it: a real person's or not, so the
// answers never tell which accounts exist) and client address, in the Store so every server
// on the database agrees. After kMaxFailedSignIns from one address within kSignInWindow, that
// address's sign-in to that account waits until the window has passed since the last of them;
// a right password from the address starts its count again. The global cap: after
// kMaxFailedSignInsAnywhere from every address together, the account waits whatever the
// address. Someone else's guesses from another address never lock a person out below the cap.
// An attempt answered "wait" is counted, not written to the audit log.
inline constexpr int kMaxFailedSignIns = 5;
inline constexpr int kMaxFailedSignInsAnywhere = 50;
inline constexpr std::chrono::minutes kSignInWindow{15};

// Argon2id (libsodium's crypto_pwhash_str, interactive limits). InvalidArgument if the
// password is shorter than kMinPasswordLength; the message never repeats it.
Result<std::string> HashPassword(std::string_view password);
bool PasswordMatches(std::string_view hash, std::string_view password);
// 32 random bytes, as 64 hex digits.
std::string NewSecret();

// Who a request is from, once signed in.
struct Principal {
  Person person;
  std::optional<Session> session;  // a browser; nullopt for an API token
  std::string token_id;            // the token used, when not a browser
};

// Who an audit entry says acted, and the board whose log it goes in.
struct AuditActor {
  std::string id;        // a person id, "anonymous" (not signed in) or "cli" (the command line)
  std::string board_id;  // the person's board; for "anonymous" or "cli", the board of the person
                         // the entry is about when known; else empty
  // The person acting, on their own board.
  static AuditActor Of(const Person& p) { return {p.id, p.board_id}; }
};

class Access {
 public:
  // REQUIRES: store and clock outlive the Access.
  Access(Store& store, const Clock& clock, std::chrono::seconds session_length = std::chrono::hours{8})
      : store_(store), clock_(clock), session_length_(session_length) {}

  // A person is named by their board and their id: an id is unique only within its board.
  Status SetPassword(std::string_view board_id, std::string_view person_id, std::string_view password);

  // A new session for the person whose email (or id) and password these are, asked from
  // `client_address`. Several boards' people may share an id or an email (one officer on
  // two partnerships): the password decides which of them signs in, the first by board id
  // whose password it is. Returns the session and its secret (for the cookie). Unauthenticated,
  // naming neither, when wrong or when the person was removed; TooManyAttempts while the
  // account is throttled from that address (above), the same for every account. Wrong
  // passwords are written to the audit log here (target: the person's id, or empty for an
  // unknown email; never the email typed); the caller audits a success.
  struct SignedIn {
    Session session;
    std::string secret;
  };
  Result<SignedIn> SignIn(std::string_view email_or_id, std::string_view password, std::string_view client_address);
  Status SignOut(std::string_view session_secret);

  // A new API token for a person: the secret is in the result only.
  struct NewToken {
    ApiToken token;
    std::string secret;  // "crt_" + 64 hex digits
  };
  Result<NewToken> CreateToken(std::string_view board_id, std::string_view person_id, std::string_view label);
  Status RevokeToken(std::string_view token_id);

  // Who holds this session cookie or token; Unauthenticated if nobody (or expired, revoked,
  // or their person was removed).
  Result<Principal> FromSession(std::string_view session_secret);
  Result<Principal> FromToken(std::string_view token_secret);

  // Appends to the audit log, in `actor.board_id`'s part of it; a failure to audit is
  // returned, so the caller refuses.
  Status Audit(const AuditActor& actor, std::string_view action, std::string_view target, std::string_view outcome);

 private:
  // The board's person with this id who has not been removed; NotFound otherwise.
  Result<Person> FindPerson(std::string_view board_id, std::string_view person_id);
  // Everyone not removed whose email (any case) or id this is, by board id.
  Result<std::vector<Person>> SignInCandidates(std::string_view email_or_id);
  // TooManyAttempts while the account is throttled from the address, counting the attempt.
  Status CheckThrottle(const std::string& account, std::string_view client_address, Instant now);

  Store& store_;
  const Clock& clock_;
  std::chrono::seconds session_length_;
};

}  // namespace casereview

// Who may use casereview, and the record of what they did: passwords, API tokens, sessions
// and the hash-chained audit log. Kept by the Store beside the reviews.
//
// Nothing secret is stored in clear: a password as its Argon2id hash (libsodium's
// crypto_pwhash_str), a token and a session id as their SHA-256. The audit log is
// append-only and chained: each entry's hash covers the previous entry's hash, so an edit or
// a deletion anywhere before the head is found by VerifyAuditChain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "casereview/clock.hpp"
#include "casereview/status.hpp"

namespace casereview {

// An API token: the secret is shown once, when made; the store keeps its hash.
struct ApiToken {
  std::string id;  // public, short: "tok-3f9a1c2b" (names it in lists and revocation)
  std::string person_id;
  std::string token_hash;  // hex SHA-256 of the secret
  std::string label;       // what it is for, e.g. "board's reporting system"
  Instant created_at{};
  std::optional<Instant> revoked_at;

  bool operator==(const ApiToken&) const = default;
};

// A signed-in browser. The cookie carries the session's secret; the store keeps its hash.
struct Session {
  std::string id_hash;  // hex SHA-256 of the cookie's secret
  std::string person_id;
  std::string csrf_token;  // sent back in every form, compared with this
  Instant created_at{};
  Instant expires_at{};

  bool operator==(const Session&) const = default;
};

// Wrong passwords for one account (a hash of what was typed: a real person's or not) within a
// throttling window, for sign-in throttling (engine/access.hpp).
struct SignInFailures {
  int from_address = 0;  // from the client address asking now
  Instant last_from_address{};
  int from_anywhere = 0;  // from every address
  Instant last_from_anywhere{};
  std::int64_t throttled = 0;  // attempts from this address answered "wait" since its count began
};

// One access to case data, or one change to who may have it.
struct AuditEntry {
  std::int64_t seq = 0;  // from 1, no gaps
  Instant at{};
  std::string actor;   // person id, "casereview-scheduler", or "cli:<--by>" for the command line
  std::string action;  // "review.read", "review.record", "audit.read", "token.create", ...
  std::string target;  // a review reference, a person id, a board id; may be empty
  std::string outcome;  // "ok", "refused", "forbidden", "invalid", "not-found"
  std::string prev_hash;  // the previous entry's hash; 64 zeros for the first
  std::string hash;       // AuditHash(prev_hash, this entry)

  bool operator==(const AuditEntry&) const = default;
};

struct AuditFilter {
  std::optional<std::string> actor;
  std::optional<std::string> target;
  std::optional<Instant> since;  // at or after
  std::optional<Instant> until;  // before
  std::int64_t after_seq = 0;    // entries with seq > after_seq
  std::size_t limit = 1000;
};

// The hash of the first entry's predecessor.
std::string_view GenesisAuditHash();
// Hex SHA-256 over prev_hash and the entry's seq, time, actor, action, target and outcome,
// each length-prefixed (so no two different entries hash alike by moving a separator).
std::string AuditHash(std::string_view prev_hash, const AuditEntry& e);
// Hex SHA-256 of a secret (a token, a session cookie).
std::string SecretHash(std::string_view secret);

}  // namespace casereview

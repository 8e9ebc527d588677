// Who may use casereview, and the record of what they did: passwords, API tokens, sessions
// and the hash-chained audit log. Kept by the Store beside the reviews.
//
// Nothing secret is stored in clear: a password as its Argon2id hash (libsodium's
// crypto_pwhash_str), a token and a session id as their SHA-256.
//
// The audit log is append-only and keyed: each entry's MAC (HMAC-SHA-256) covers the
// previous entry's MAC and the entry's fields, under a 32-byte key kept outside the database
// (a file beside it, docs/cli.md), so whoever can write the database but not read the key
// cannot rewrite an entry and the ones after it. A witness of the head, also outside the
// database and itself MACed, holds the last seq and MAC written, so deleting the last
// entries, or all of them, is found too. Entries written before schema version 8 are
// chained with plain SHA-256 (AuditHash) and verified as they were; the first keyed entry
// chains from the last of them. VerifyAuditChain (store.hpp) checks all of it.
#pragma once

#include <array>
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
  std::string board_id;  // the board of the person it acts as: a person id is one board's
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
  std::string board_id;  // the board of the person signed in: a person id is one board's
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
  // The board whose log it is in: the acting person's; for "anonymous" or "cli", the board of
  // the person it is about when known; empty when none is.
  std::string board_id;
  std::string actor;   // person id, "casereview-scheduler", or "cli:<--by>" for the command line
  std::string action;  // "review.read", "review.record", "audit.read", "token.create", ...
  std::string target;  // a review reference, a person id, a board id; may be empty
  std::string outcome;  // "ok", "refused", "forbidden", "invalid", "not-found"
  std::string prev_hash;  // the previous entry's hash (or MAC); 64 zeros for the first
  std::string hash;       // AuditMac(key, prev_hash, this entry) when keyed, else AuditHash(prev_hash, this entry)
  bool keyed = false;     // false only for entries written before schema version 8 (set by the store)

  bool operator==(const AuditEntry&) const = default;
};

struct AuditFilter {
  std::optional<std::string> board;  // only this board's entries
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
// The secret key of the audit chain: 32 random bytes (libsodium's crypto_auth_hmacsha256).
// Never printed or stored in the database.
struct AuditKey {
  std::array<unsigned char, 32> bytes{};

  static AuditKey Generate();
  bool operator==(const AuditKey&) const = default;
};
// Hex HMAC-SHA-256 under `key` over prev_hash and the entry's seq, time, board, actor, action,
// target and outcome, each length-prefixed as in AuditHash.
std::string AuditMac(const AuditKey& key, std::string_view prev_hash, const AuditEntry& e);

// The witness of the audit log's head, kept outside the database beside the key. The store
// rewrites it after each append (after the entry is committed, so the log may be ahead of
// the witness, never behind it) and never moves it backwards.
struct AuditWitness {
  std::int64_t keyed_from = 1;  // the first entry MACed with the key; before it, plain SHA-256
  std::int64_t seq = 0;         // an entry the log held; 0 when it was empty
  std::string hash;             // that entry's hash (GenesisAuditHash() for seq 0)

  bool operator==(const AuditWitness&) const = default;
};
// The hex MAC the witness file carries over its own fields, so it cannot be edited either.
std::string AuditWitnessCheck(const AuditKey& key, const AuditWitness& w);

// What a store holds outside its log to verify it: the key and the witness, as found.
struct AuditSeal {
  std::optional<AuditKey> key;          // nullopt: no key has been made (or its file is missing)
  std::optional<AuditWitness> witness;  // nullopt: no witness file
  std::string problem;                  // non-empty: the witness file is unreadable or its check fails
  std::string key_place;                // where the key is kept, for messages ("/srv/cr.db.audit-key")
  std::string witness_place;
};

// Hex SHA-256 of a secret (a token, a session cookie).
std::string SecretHash(std::string_view secret);

}  // namespace casereview

// Sign-in data and the audit log in SQLite (access.hpp, store.hpp). Private to storage/.
//
// Every function throws SQLite::Exception on a database error; the caller (SqliteStore)
// translates it. Writes run in the caller's write transaction. The rules and messages are
// sqlite_rows.hpp's, shared with the memory store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casereview/access.hpp"
#include "casereview/status.hpp"
#include "casereview/store.hpp"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace casereview::storage {

class AuditSealKeeper;

// Deletes the person's sessions and revokes their tokens (at `at`).
void EndSignInsOf(SQLite::Database& db, const std::string& board_id, const std::string& person_id, Instant at);
// Store::RemovePerson.
Status UpdatePersonRemoved(SQLite::Database& db, const std::string& board_id, const std::string& person_id,
                           Instant at);

// Store::RecordFailedSignIn, CountFailedSignIns, CountThrottledSignIn, ClearFailedSignIns.
void UpsertFailedSignIn(SQLite::Database& db, const std::string& account, const std::string& address, Instant at,
                        Instant window_start);
SignInFailures SelectFailedSignIns(SQLite::Database& db, const std::string& account, const std::string& address,
                                   Instant window_start);
void UpdateThrottledSignIn(SQLite::Database& db, const std::string& account, const std::string& address);
void DeleteFailedSignIns(SQLite::Database& db, const std::string& account, const std::string& address);

Status UpsertPasswordHash(SQLite::Database& db, const std::string& board_id, const std::string& person_id,
                          const std::string& hash, Instant at);
std::optional<std::string> SelectPasswordHash(SQLite::Database& db, const std::string& board_id,
                                              const std::string& person_id);

Status InsertToken(SQLite::Database& db, const ApiToken& t);
std::optional<ApiToken> SelectTokenByHash(SQLite::Database& db, const std::string& token_hash);
std::vector<ApiToken> SelectTokens(SQLite::Database& db, const std::string& board_id, const std::string& person_id);
Status UpdateTokenRevoked(SQLite::Database& db, const std::string& id, Instant at);

Status InsertSession(SQLite::Database& db, const Session& s);
std::optional<Session> SelectSession(SQLite::Database& db, const std::string& id_hash);
void DeleteSessionRow(SQLite::Database& db, const std::string& id_hash);
std::int64_t DeleteSessionsExpiredBy(SQLite::Database& db, Instant now);

// The entry after the last one, MACed with the seal's key (made at first use; `key_used`). An error from
// the seal (a missing key, a missing or changed witness) is returned and nothing inserted.
// The caller moves the witness once the transaction is committed.
// REQUIRES: inside a write transaction (it reads the last entry, then appends).
Result<AuditEntry> InsertAuditEntry(SQLite::Database& db, const AuditEntry& e, AuditSealKeeper& seal,
                                    AuditKey& key_used);
std::vector<AuditEntry> SelectAudit(SQLite::Database& db, const AuditFilter& f);

// Store::FindIdempotency; the record under (board_id, actor, key) kept at or after `since`.
std::optional<IdempotencyRecord> SelectIdempotency(SQLite::Database& db, const std::string& board_id,
                                                   const std::string& actor, const std::string& key, Instant since);
// Deletes the records kept before `forget_before`, then keeps `r`: Conflict (nothing kept) if
// its actor (of its board) already has a record under its key.
Status InsertIdempotency(SQLite::Database& db, const IdempotencyRecord& r, Instant forget_before);

}  // namespace casereview::storage

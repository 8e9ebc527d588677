#include "sqlite_access.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <SQLiteCpp/VariadicBind.h>

#include "audit_seal.hpp"
#include "sqlite_rows.hpp"

namespace casereview::storage {
namespace {

bool PersonStored(SQLite::Database& db, const std::string& board_id, const std::string& id) {
  SQLite::Statement q(db, "SELECT 1 FROM people WHERE board_id = ? AND id = ?");
  SQLite::bind(q, board_id, id);
  return q.executeStep();
}

std::string PersonNamed(const std::string& board_id, const std::string& id) {
  return "person '" + id + "' of board " + board_id;
}

constexpr const char* kTokenColumns = "id, board_id, person_id, token_hash, label, created_at, revoked_at";

ApiToken ReadToken(const SQLite::Statement& q) {
  ApiToken t;
  t.id = q.getColumn(0).getString();
  t.board_id = q.getColumn(1).getString();
  t.person_id = q.getColumn(2).getString();
  t.token_hash = q.getColumn(3).getString();
  t.label = q.getColumn(4).getString();
  t.created_at = InstantAt(q.getColumn(5).getInt64());
  if (!q.getColumn(6).isNull()) t.revoked_at = InstantAt(q.getColumn(6).getInt64());
  return t;
}

constexpr const char* kAuditColumns = "seq, at, actor, action, target, outcome, prev_hash, hash, board_id, keyed";

AuditEntry ReadAudit(const SQLite::Statement& q) {
  AuditEntry e;
  e.seq = q.getColumn(0).getInt64();
  e.at = InstantAt(q.getColumn(1).getInt64());
  e.actor = q.getColumn(2).getString();
  e.action = q.getColumn(3).getString();
  e.target = q.getColumn(4).getString();
  e.outcome = q.getColumn(5).getString();
  e.prev_hash = q.getColumn(6).getString();
  e.hash = q.getColumn(7).getString();
  e.board_id = q.getColumn(8).getString();
  e.keyed = q.getColumn(9).getInt() != 0;
  return e;
}

}  // namespace

Status UpsertPasswordHash(SQLite::Database& db, const std::string& board_id, const std::string& person_id,
                          const std::string& hash, Instant at) {
  if (!PersonStored(db, board_id, person_id)) return MissingReference("a password", PersonNamed(board_id, person_id));
  if (hash.empty()) return Status::InvalidArgument("a password hash cannot be empty");
  SQLite::Statement q(db,
                      "INSERT INTO passwords (board_id, person_id, hash, updated_at) VALUES (?, ?, ?, ?)"
                      " ON CONFLICT (board_id, person_id) DO UPDATE SET hash = excluded.hash,"
                      " updated_at = excluded.updated_at");
  SQLite::bind(q, board_id, person_id, hash, SecondsOf(at));
  q.exec();
  EndSignInsOf(db, board_id, person_id, at);
  return Status::Ok();
}

void EndSignInsOf(SQLite::Database& db, const std::string& board_id, const std::string& person_id, Instant at) {
  SQLite::Statement sessions(db, "DELETE FROM sessions WHERE board_id = ? AND person_id = ?");
  SQLite::bind(sessions, board_id, person_id);
  sessions.exec();
  SQLite::Statement tokens(db, "UPDATE api_tokens SET revoked_at = ? WHERE board_id = ? AND person_id = ?"
                               " AND revoked_at IS NULL");
  SQLite::bind(tokens, SecondsOf(at), board_id, person_id);
  tokens.exec();
}

Status UpdatePersonRemoved(SQLite::Database& db, const std::string& board_id, const std::string& person_id,
                           Instant at) {
  if (!PersonStored(db, board_id, person_id)) return Status::NotFound("there is no " + PersonNamed(board_id, person_id));
  SQLite::Statement q(db, "UPDATE people SET removed_at = ? WHERE board_id = ? AND id = ? AND removed_at IS NULL");
  SQLite::bind(q, SecondsOf(at), board_id, person_id);
  q.exec();
  EndSignInsOf(db, board_id, person_id, at);
  return Status::Ok();
}

void UpsertFailedSignIn(SQLite::Database& db, const std::string& account, const std::string& address, Instant at,
                        Instant window_start) {
  SQLite::Statement sweep(db, "DELETE FROM failed_sign_ins WHERE last_at < ?");
  SQLite::bind(sweep, SecondsOf(window_start));
  sweep.exec();
  SQLite::Statement q(db,
                      "INSERT INTO failed_sign_ins (account, address, failures, last_at, throttled) VALUES (?, ?, 1, ?, 0)"
                      " ON CONFLICT (account, address) DO UPDATE SET failures = failures + 1, last_at = excluded.last_at");
  SQLite::bind(q, account, address, SecondsOf(at));
  q.exec();
}

SignInFailures SelectFailedSignIns(SQLite::Database& db, const std::string& account, const std::string& address,
                                   Instant window_start) {
  SignInFailures out;
  SQLite::Statement pair(db,
                         "SELECT failures, last_at, throttled FROM failed_sign_ins"
                         " WHERE account = ? AND address = ? AND last_at >= ?");
  SQLite::bind(pair, account, address, SecondsOf(window_start));
  if (pair.executeStep()) {
    out.from_address = pair.getColumn(0).getInt();
    out.last_from_address = InstantAt(pair.getColumn(1).getInt64());
    out.throttled = pair.getColumn(2).getInt64();
  }
  SQLite::Statement all(db, "SELECT COALESCE(SUM(failures), 0), COALESCE(MAX(last_at), 0) FROM failed_sign_ins"
                            " WHERE account = ? AND last_at >= ?");
  SQLite::bind(all, account, SecondsOf(window_start));
  if (all.executeStep()) {
    out.from_anywhere = all.getColumn(0).getInt();
    out.last_from_anywhere = InstantAt(all.getColumn(1).getInt64());
  }
  return out;
}

void UpdateThrottledSignIn(SQLite::Database& db, const std::string& account, const std::string& address) {
  SQLite::Statement q(db, "UPDATE failed_sign_ins SET throttled = throttled + 1 WHERE account = ? AND address = ?");
  SQLite::bind(q, account, address);
  q.exec();
}

void DeleteFailedSignIns(SQLite::Database& db, const std::string& account, const std::string& address) {
  SQLite::Statement q(db, "DELETE FROM failed_sign_ins WHERE account = ? AND address = ?");
  SQLite::bind(q, account, address);
  q.exec();
}

std::optional<std::string> SelectPasswordHash(SQLite::Database& db, const std::string& board_id,
                                              const std::string& person_id) {
  SQLite::Statement q(db, "SELECT hash FROM passwords WHERE board_id = ? AND person_id = ?");
  SQLite::bind(q, board_id, person_id);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getString();
}

Status InsertToken(SQLite::Database& db, const ApiToken& t) {
  if (!PersonStored(db, t.board_id, t.person_id)) return MissingReference("token " + t.id, PersonNamed(t.board_id, t.person_id));
  SQLite::Statement taken(db, "SELECT 1 FROM api_tokens WHERE id = ? OR token_hash = ?");
  taken.bind(1, t.id);
  taken.bind(2, t.token_hash);
  if (taken.executeStep()) return TokenTaken(t.id);
  SQLite::Statement q(db, std::string("INSERT INTO api_tokens (") + kTokenColumns + ") VALUES (?, ?, ?, ?, ?, ?, NULL)");
  SQLite::bind(q, t.id, t.board_id, t.person_id, t.token_hash, t.label, SecondsOf(t.created_at));
  q.exec();
  return Status::Ok();
}

std::optional<ApiToken> SelectTokenByHash(SQLite::Database& db, const std::string& token_hash) {
  SQLite::Statement q(db, std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE token_hash = ?");
  q.bind(1, token_hash);
  if (!q.executeStep()) return std::nullopt;
  return ReadToken(q);
}

std::vector<ApiToken> SelectTokens(SQLite::Database& db, const std::string& board_id, const std::string& person_id) {
  std::string sql = std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE 1 = 1";
  if (!board_id.empty()) sql += " AND board_id = ?";
  if (!person_id.empty()) sql += " AND person_id = ?";
  sql += " ORDER BY id";
  SQLite::Statement q(db, sql);
  int i = 0;
  if (!board_id.empty()) q.bind(++i, board_id);
  if (!person_id.empty()) q.bind(++i, person_id);
  std::vector<ApiToken> rows;
  while (q.executeStep()) rows.push_back(ReadToken(q));
  return rows;
}

Status UpdateTokenRevoked(SQLite::Database& db, const std::string& id, Instant at) {
  SQLite::Statement q(db, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  q.bind(1, SecondsOf(at));
  q.bind(2, id);
  if (q.exec() > 0) return Status::Ok();
  SQLite::Statement known(db, "SELECT 1 FROM api_tokens WHERE id = ?");
  known.bind(1, id);
  return known.executeStep() ? Status::Ok() : NoSuchToken(id);
}

Status InsertSession(SQLite::Database& db, const Session& s) {
  if (!PersonStored(db, s.board_id, s.person_id)) return MissingReference("a session", PersonNamed(s.board_id, s.person_id));
  SQLite::Statement q(db,
                      "INSERT INTO sessions (id_hash, board_id, person_id, csrf_token, created_at, expires_at)"
                      " VALUES (?, ?, ?, ?, ?, ?)");
  SQLite::bind(q, s.id_hash, s.board_id, s.person_id, s.csrf_token, SecondsOf(s.created_at), SecondsOf(s.expires_at));
  q.exec();
  return Status::Ok();
}

std::optional<Session> SelectSession(SQLite::Database& db, const std::string& id_hash) {
  SQLite::Statement q(db,
                      "SELECT id_hash, board_id, person_id, csrf_token, created_at, expires_at FROM sessions"
                      " WHERE id_hash = ?");
  q.bind(1, id_hash);
  if (!q.executeStep()) return std::nullopt;
  Session s;
  s.id_hash = q.getColumn(0).getString();
  s.board_id = q.getColumn(1).getString();
  s.person_id = q.getColumn(2).getString();
  s.csrf_token = q.getColumn(3).getString();
  s.created_at = InstantAt(q.getColumn(4).getInt64());
  s.expires_at = InstantAt(q.getColumn(5).getInt64());
  return s;
}

void DeleteSessionRow(SQLite::Database& db, const std::string& id_hash) {
  SQLite::Statement q(db, "DELETE FROM sessions WHERE id_hash = ?");
  q.bind(1, id_hash);
  q.exec();
}

std::int64_t DeleteSessionsExpiredBy(SQLite::Database& db, Instant now) {
  SQLite::Statement q(db, "DELETE FROM sessions WHERE expires_at <= ?");
  q.bind(1, SecondsOf(now));
  return q.exec();
}

Result<AuditEntry> InsertAuditEntry(SQLite::Database& db, const AuditEntry& e, AuditSealKeeper& seal,
                                    AuditKey& key_used) {
  AuditEntry entry = e;
  entry.seq = 1;
  entry.prev_hash = std::string(GenesisAuditHash());
  SQLite::Statement last(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (last.executeStep()) {
    entry.seq = last.getColumn(0).getInt64() + 1;
    entry.prev_hash = last.getColumn(1).getString();
  }
  bool log_has_keyed = db.execAndGet("SELECT EXISTS (SELECT 1 FROM audit_log WHERE keyed = 1)").getInt() != 0;
  auto key = seal.KeyForAppend(entry.seq - 1, entry.prev_hash, log_has_keyed);
  if (!key.ok()) return key.status();
  key_used = *key;
  entry.keyed = true;
  entry.hash = AuditMac(*key, entry.prev_hash, entry);
  SQLite::Statement q(db, std::string("INSERT INTO audit_log (") + kAuditColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)");
  q.bind(1, entry.seq);
  q.bind(2, SecondsOf(entry.at));
  q.bind(3, entry.actor);
  q.bind(4, entry.action);
  q.bind(5, entry.target);
  q.bind(6, entry.outcome);
  q.bind(7, entry.prev_hash);
  q.bind(8, entry.hash);
  q.bind(9, entry.board_id);
  q.exec();
  return entry;
}

std::vector<AuditEntry> SelectAudit(SQLite::Database& db, const AuditFilter& f) {
  std::string sql = std::string("SELECT ") + kAuditColumns + " FROM audit_log WHERE seq > ?";
  if (f.board) sql += " AND board_id = ?";
  if (f.actor) sql += " AND actor = ?";
  if (f.target) sql += " AND target = ?";
  if (f.since) sql += " AND at >= ?";
  if (f.until) sql += " AND at < ?";
  sql += " ORDER BY seq LIMIT ?";
  SQLite::Statement q(db, sql);
  int i = 0;
  q.bind(++i, static_cast<std::int64_t>(f.after_seq));
  if (f.board) q.bind(++i, *f.board);
  if (f.actor) q.bind(++i, *f.actor);
  if (f.target) q.bind(++i, *f.target);
  if (f.since) q.bind(++i, SecondsOf(*f.since));
  if (f.until) q.bind(++i, SecondsOf(*f.until));
  q.bind(++i, static_cast<std::int64_t>(f.limit));
  std::vector<AuditEntry> rows;
  while (q.executeStep()) rows.push_back(ReadAudit(q));
  return rows;
}

std::optional<IdempotencyRecord> SelectIdempotency(SQLite::Database& db, const std::string& board_id,
                                                   const std::string& actor, const std::string& key, Instant since) {
  SQLite::Statement q(db,
                      "SELECT actor, key, request, board_id, ref, seq, stage, at FROM idempotency_keys"
                      " WHERE board_id = ? AND actor = ? AND key = ? AND at >= ?");
  SQLite::bind(q, board_id, actor, key, SecondsOf(since));
  if (!q.executeStep()) return std::nullopt;
  return IdempotencyRecord{q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                           q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getInt64(),
                           q.getColumn(6).getString(), InstantAt(q.getColumn(7).getInt64())};
}

Status InsertIdempotency(SQLite::Database& db, const IdempotencyRecord& r, Instant forget_before) {
  SQLite::Statement sweep(db, "DELETE FROM idempotency_keys WHERE at < ?");
  SQLite::bind(sweep, SecondsOf(forget_before));
  sweep.exec();
  SQLite::Statement taken(db, "SELECT 1 FROM idempotency_keys WHERE board_id = ? AND actor = ? AND key = ?");
  SQLite::bind(taken, r.board_id, r.actor, r.key);
  if (taken.executeStep()) return IdempotencyKeyTaken(r.key);
  SQLite::Statement q(db,
                      "INSERT INTO idempotency_keys (actor, key, request, board_id, ref, seq, stage, at)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  SQLite::bind(q, r.actor, r.key, r.request, r.board_id, r.ref, r.seq, r.stage, SecondsOf(r.at));
  q.exec();
  return Status::Ok();
}

}  // namespace casereview::storage

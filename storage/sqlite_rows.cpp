#include "sqlite_rows.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cassert>
#include <cstdint>
#include <set>

namespace casereview::storage {

// ---------------------------------------------------------------------------------------
const char* const kUpsertBoard =
    "INSERT INTO boards (id, name, policy_profile, quorum_chair_required, quorum_min_agencies,"
    " quorum_required_sectors) VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET name = excluded.name, policy_profile = excluded.policy_profile,"
    " quorum_chair_required = excluded.quorum_chair_required,"
    " quorum_min_agencies = excluded.quorum_min_agencies,"
    " quorum_required_sectors = excluded.quorum_required_sectors";

void BindBoard(SQLite::Statement& s, const Board& b) {
  s.bind(1, b.id);
  s.bind(2, b.name);
  s.bind(3, b.policy_profile);
  s.bind(4, b.quorum.chair_required ? 1 : 0);
  s.bind(5, b.quorum.min_agencies);
  s.bind(6, JoinList(b.quorum.required_sectors));
}

Board ReadBoard(const SQLite::Statement& s) {
  Board b;
  b.id = s.getColumn(0).getString();
  b.name = s.getColumn(1).getString();
  b.policy_profile = s.getColumn(2).getString();
  b.quorum.chair_required = s.getColumn(3).getInt() != 0;
  b.quorum.min_agencies = s.getColumn(4).getInt();
  b.quorum.required_sectors = SplitList(s.getColumn(5).getString());
  return b;
}

// ---------------------------------------------------------------------------------------
const char* const kUpsertAgency =
    "INSERT INTO agencies (id, board_id, name, sector) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (board_id, id) DO UPDATE SET name = excluded.name, sector = excluded.sector";

void BindAgency(SQLite::Statement& s, const Agency& a) {
  s.bind(1, a.id);
  s.bind(2, a.board_id);
  s.bind(3, a.name);
  s.bind(4, a.sector);
}

Agency ReadAgency(const SQLite::Statement& s) {
  return Agency{s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getString(),
                s.getColumn(3).getString()};
}

// ---------------------------------------------------------------------------------------
const char* const kUpsertPerson =
    "INSERT INTO people (id, board_id, name, email, agency_id, roles) VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (board_id, id) DO UPDATE SET name = excluded.name,"
    " email = excluded.email, agency_id = excluded.agency_id, roles = excluded.roles";

void BindPerson(SQLite::Statement& s, const Person& p) {
  s.bind(1, p.id);
  s.bind(2, p.board_id);
  s.bind(3, p.name);
  s.bind(4, p.email);
  if (p.agency_id.empty()) {
    s.bind(5);  // NULL
  } else {
    s.bind(5, p.agency_id);
  }
  s.bind(6, JoinList(p.roles));
}

Person ReadPerson(const SQLite::Statement& s) {
  Person p;
  p.id = s.getColumn(0).getString();
  p.board_id = s.getColumn(1).getString();
  p.name = s.getColumn(2).getString();
  p.email = s.getColumn(3).getString();
  p.agency_id = s.getColumn(4).getString();  // NULL reads as ""
  p.roles = SplitList(s.getColumn(5).getString());
  if (!s.getColumn(6).isNull()) p.removed_at = InstantAt(s.getColumn(6).getInt64());
  return p;
}

// ---------------------------------------------------------------------------------------
const char* const kUpsertReview =
    "INSERT INTO reviews (ref, board_id, kind, stage, machine_version, last_seq, open, opened_at,"
    " updated_at, projection) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (ref) DO UPDATE SET board_id = excluded.board_id, kind = excluded.kind,"
    " stage = excluded.stage, machine_version = excluded.machine_version,"
    " last_seq = excluded.last_seq, open = excluded.open, opened_at = excluded.opened_at,"
    " updated_at = excluded.updated_at, projection = excluded.projection";

void BindReview(SQLite::Statement& s, const ReviewRecord& r) {
  s.bind(1, r.ref);
  s.bind(2, r.board_id);
  s.bind(3, r.kind);
  s.bind(4, r.stage);
  s.bind(5, r.machine_version);
  s.bind(6, r.last_seq);
  s.bind(7, r.open ? 1 : 0);
  s.bind(8, SecondsOf(r.opened_at));
  s.bind(9, SecondsOf(r.updated_at));
  s.bindNoCopy(10, r.projection);
}

ReviewRecord ReadReview(const SQLite::Statement& s) {
  ReviewRecord r;
  r.ref = s.getColumn(0).getString();
  r.board_id = s.getColumn(1).getString();
  r.kind = s.getColumn(2).getString();
  r.stage = s.getColumn(3).getString();
  r.machine_version = s.getColumn(4).getInt();
  r.last_seq = s.getColumn(5).getInt64();
  r.open = s.getColumn(6).getInt() != 0;
  r.opened_at = InstantAt(s.getColumn(7).getInt64());
  r.updated_at = InstantAt(s.getColumn(8).getInt64());
  r.projection = s.getColumn(9).getString();
  r.summary = s.getColumn(10).getString();
  return r;
}

// ---------------------------------------------------------------------------------------
const char* const kInsertEvent =
    "INSERT INTO review_events (review_ref, seq, type, payload, actor, recorded_at)"
    " VALUES (?, ?, ?, ?, ?, ?)";

void BindEvent(SQLite::Statement& s, const StoredEvent& e) {
  s.bind(1, e.review_ref);
  s.bind(2, e.seq);
  s.bind(3, e.type);
  s.bindNoCopy(4, e.payload);
  s.bind(5, e.actor);
  s.bind(6, SecondsOf(e.recorded_at));
}

StoredEvent ReadEvent(const SQLite::Statement& s) {
  StoredEvent e;
  e.review_ref = s.getColumn(0).getString();
  e.seq = s.getColumn(1).getInt64();
  e.type = s.getColumn(2).getString();
  e.payload = s.getColumn(3).getString();
  e.actor = s.getColumn(4).getString();
  e.recorded_at = InstantAt(s.getColumn(5).getInt64());
  return e;
}

// ---------------------------------------------------------------------------------------
const char* const kInsertTimer =
    "INSERT INTO timers (id, review_ref, due, event, payload, status, changed_at)"
    " VALUES (?, ?, ?, ?, ?, 'pending', NULL)";

void BindTimer(SQLite::Statement& s, const Timer& t) {
  s.bind(1, t.id);
  s.bind(2, t.review_ref);
  s.bind(3, SecondsOf(t.due));
  s.bind(4, t.event);
  s.bindNoCopy(5, t.payload);
}

Timer ReadTimer(const SQLite::Statement& s) {
  Timer t;
  t.id = s.getColumn(0).getString();
  t.review_ref = s.getColumn(1).getString();
  t.due = InstantAt(s.getColumn(2).getInt64());
  t.event = s.getColumn(3).getString();
  t.payload = s.getColumn(4).getString();
  return t;
}

// ---------------------------------------------------------------------------------------
const char* const kInsertNotice =
    "INSERT INTO outbox (id, review_ref, kind, recipients, payload, created_at, status, board_id, attempts,"
    " next_attempt_at, last_attempt_at, sent_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

namespace {

void BindOptionalText(SQLite::Statement& s, int index, const std::string& text) {
  if (text.empty()) {
    s.bind(index);  // NULL
  } else {
    s.bind(index, text);
  }
}

void BindOptionalInstant(SQLite::Statement& s, int index, const std::optional<Instant>& t) {
  if (t) {
    s.bind(index, SecondsOf(*t));
  } else {
    s.bind(index);  // NULL
  }
}

std::optional<Instant> ReadOptionalInstant(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return InstantAt(c.getInt64());
}

}  // namespace

void BindNotice(SQLite::Statement& s, const Notice& n) {
  s.bind(1, n.id);
  BindOptionalText(s, 2, n.review_ref);
  s.bind(3, n.kind);
  s.bind(4, JoinList(n.recipients));
  s.bindNoCopy(5, n.payload);
  s.bind(6, SecondsOf(n.created_at));
  s.bind(7, n.status);
  s.bind(8, n.board_id);
  s.bind(9, n.attempts);
  s.bind(10, SecondsOf(n.next_attempt_at));
  BindOptionalInstant(s, 11, n.last_attempt_at);
  BindOptionalInstant(s, 12, n.sent_at);
  s.bind(13, n.last_error);
}

Notice ReadNotice(const SQLite::Statement& s) {
  Notice n;
  n.id = s.getColumn(0).getString();
  n.review_ref = s.getColumn(1).getString();  // NULL reads as ""
  n.kind = s.getColumn(2).getString();
  n.recipients = SplitList(s.getColumn(3).getString());
  n.payload = s.getColumn(4).getString();
  n.created_at = InstantAt(s.getColumn(5).getInt64());
  n.status = s.getColumn(6).getString();
  n.board_id = s.getColumn(7).getString();
  n.attempts = s.getColumn(8).getInt();
  n.next_attempt_at = InstantAt(s.getColumn(9).getInt64());
  n.last_attempt_at = ReadOptionalInstant(s.getColumn(10));
  n.sent_at = ReadOptionalInstant(s.getColumn(11));
  n.last_error = s.getColumn(12).getString();
  return n;
}

// ---------------------------------------------------------------------------------------
const char* const kUpsertSetting =
    "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";

const char* TimerStatusName(TimerStatus status) {
  switch (status) {
    case TimerStatus::kPending:
      return "pending";
    case TimerStatus::kFired:
      return "fired";
    case TimerStatus::kCancelled:
      return "cancelled";
  }
  assert(false && "every TimerStatus has a name");
  return "pending";
}

std::optional<TimerStatus> ParseTimerStatus(const std::string& name) {
  for (TimerStatus s : {TimerStatus::kPending, TimerStatus::kFired, TimerStatus::kCancelled})
    if (name == TimerStatusName(s)) return s;
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------
bool ContinuesLog(const ReviewChange& c) {
  if (c.events.empty()) return c.review.last_seq == c.expected_last_seq;  // a re-projection
  if (c.review.last_seq != c.events.back().seq) return false;
  for (std::size_t i = 0; i < c.events.size(); ++i) {
    const StoredEvent& e = c.events[i];
    if (e.review_ref != c.review.ref) return false;
    if (e.seq != c.expected_last_seq + 1 + static_cast<std::int64_t>(i)) return false;
  }
  return true;
}

Status ReviewChangedMeanwhile(const std::string& ref, std::int64_t expected, std::int64_t found) {
  if (expected == 0)
    return Status::Conflict("review " + ref + " was created by someone else meanwhile (found event " +
                            std::to_string(found) + "); nothing was recorded");
  return Status::Conflict("review " + ref + " was changed by someone else (expected event " +
                          std::to_string(expected) + ", found " + std::to_string(found) +
                          "); nothing was recorded");
}

Status NoReviewToReproject(const std::string& ref) {
  return Status::Conflict("review " + ref + " cannot be re-projected: it is not stored; nothing was recorded");
}

Status MissingReference(const std::string& who, const std::string& missing) {
  return Status::NotFound(who + " refers to " + missing + ", which is not stored; nothing was recorded");
}

Status CheckTimersAndNoticesOf(const ReviewChange& c) {
  const std::string& ref = c.review.ref;
  auto elsewhere = [&](const std::string& what, const std::string& its_ref) {
    return Status::InvalidArgument(what + " belongs to review '" + its_ref + "', not to " + ref +
                                   "; nothing was recorded");
  };
  if (c.firing && c.events.empty())
    return Status::InvalidArgument("timer " + c.firing->id + " cannot fire on " + ref +
                                   ": a re-projection cannot fire a timer; nothing was recorded");
  if (c.firing && c.firing->review_ref != ref) return elsewhere("timer " + c.firing->id, c.firing->review_ref);
  if (c.timers) {
    std::set<std::string, std::less<>> listed;
    for (const Timer& t : *c.timers) {
      if (t.review_ref != ref) return elsewhere("timer " + t.id, t.review_ref);
      if (!listed.insert(t.id).second)
        return Status::InvalidArgument("timer " + t.id + " is listed twice for " + ref + "; nothing was recorded");
    }
  }
  for (const Notice& n : c.notices) {
    if (n.review_ref != ref) return elsewhere("notice " + n.id, n.review_ref);
    if (n.board_id != c.review.board_id) return NoticeOfAnotherBoard(n, c.review.board_id);
    CR_RETURN_IF_ERROR(CheckNewNotice(n));
  }
  return Status::Ok();
}

Status CheckNewNotice(const Notice& n) {
  auto refused = [&](const std::string& why) {
    return Status::InvalidArgument("notice " + n.id + " cannot be queued: " + why + "; nothing was recorded");
  };
  if (n.id.empty()) return Status::InvalidArgument("a notice needs an id: its id is empty; nothing was recorded");
  if (n.status != kNoticePending) return refused("its status is '" + n.status + "', and a new notice is pending");
  if (n.attempts != 0)
    return refused("it has " + std::to_string(n.attempts) + " delivery attempt(s), and a new notice has none");
  if (n.last_attempt_at || !n.last_error.empty())
    return refused("it has a last delivery attempt or error recorded, and a new notice has none");
  if (n.sent_at) return refused("it has a time it was sent, and a new notice is not sent");
  if (n.next_attempt_at != n.created_at) return refused("its first attempt must be due when it was created");
  Status recipients = CheckListItems(n.recipients, "notice " + n.id + ": recipient");
  if (!recipients.ok()) return Status::InvalidArgument(recipients.message() + "; nothing was recorded");
  return Status::Ok();
}

Status NoticeOfAnotherBoard(const Notice& n, const std::string& review_board) {
  return Status::InvalidArgument("notice " + n.id + " is for board '" + n.board_id + "', not for board '" +
                                 review_board + "' of review " + n.review_ref + "; nothing was recorded");
}

Status TimerMovedMeanwhile(const Timer& firing) {
  return Status::Conflict("timer " + firing.id + " on " + firing.review_ref +
                          " was moved, cancelled or fired meanwhile; nothing was recorded");
}

Status NoticeAlreadyQueued(const Notice& n) {
  return Status::Conflict("notice " + n.id + " on " + n.review_ref +
                          " is already in the outbox; nothing was recorded");
}

Status NoSuchNotice(const std::string& id) {
  return Status::NotFound("no notice " + id + " in the outbox; nothing was recorded");
}

Status NoticeClaimedMeanwhile(const std::string& id, int attempts_before, const std::string& status, int attempts) {
  return Status::Conflict("notice " + id + " was claimed by another dispatcher first (expected pending with " +
                          std::to_string(attempts_before) + " attempt(s), found " + status + " with " +
                          std::to_string(attempts) + "); nothing was recorded");
}

Status NoticeNotFailed(const std::string& id, const std::string& status) {
  return Status::InvalidArgument("notice " + id + " cannot be queued again: it is " + status +
                                 ", not failed; nothing was recorded");
}

Status TimerOfAnotherReview(const Timer& t, const std::string& stored_ref) {
  return Status::InvalidArgument("timer " + t.id + " cannot be set on " + t.review_ref + ": that id is review " +
                                 stored_ref + "'s timer; nothing was recorded");
}

Status CheckSettingKey(std::string_view key) {
  if (key.empty()) return Status::InvalidArgument("a setting needs a name: the key is empty; nothing was recorded");
  return Status::Ok();
}

Status CheckListItems(const std::vector<std::string>& items, const std::string& what) {
  for (const std::string& item : items) {
    if (item.empty() || item.find(',') != std::string::npos)
      return Status::InvalidArgument(what + " '" + item +
                                     "' cannot be stored: it is empty or contains a comma");
  }
  return Status::Ok();
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += ',';
    text += items[i];
  }
  return text;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  std::string::size_type start = 0;
  while (true) {
    auto comma = text.find(',', start);
    items.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

namespace {
bool IsHexHash(const std::string& h) {
  return h.size() == 64 && h.find_first_not_of("0123456789abcdef") == std::string::npos;
}
}  // namespace

Status CheckNewToken(const ApiToken& t) {
  if (t.id.empty()) return Status::InvalidArgument("a token needs an id");
  if (t.person_id.empty() || t.board_id.empty()) return Status::InvalidArgument("token " + t.id + " needs a person and their board");
  if (!IsHexHash(t.token_hash)) return Status::InvalidArgument("token " + t.id + " needs a SHA-256 hash (64 hex digits)");
  if (t.revoked_at) return Status::InvalidArgument("token " + t.id + " is new, so it cannot be revoked yet");
  return Status::Ok();
}

Status CheckNewSession(const Session& s) {
  if (!IsHexHash(s.id_hash)) return Status::InvalidArgument("a session needs a SHA-256 hash (64 hex digits)");
  if (s.person_id.empty() || s.board_id.empty()) return Status::InvalidArgument("a session needs a person and their board");
  if (s.csrf_token.empty()) return Status::InvalidArgument("a session needs a CSRF token");
  if (s.expires_at <= s.created_at) return Status::InvalidArgument("a session must expire after it starts");
  return Status::Ok();
}

Status TokenTaken(const std::string& id) {
  return Status::InvalidArgument("token " + id + " cannot be stored: its id or its secret is already in use");
}
Status NoSuchToken(const std::string& id) { return Status::NotFound("no token " + id); }

Status IdempotencyKeyTaken(const std::string& key) {
  return Status::Conflict("the request with Idempotency-Key " + key + " was done before; nothing was done again");
}
Status CheckIdempotencyRecord(const IdempotencyRecord& r) {
  if (r.actor.empty() || r.board_id.empty() || r.key.empty() || r.request.empty())
    return Status::InvalidArgument("an idempotency record needs its sender, their board, its key and the request's digest");
  return Status::Ok();
}

bool Matches(const AuditFilter& f, const AuditEntry& e) {
  return (!f.board || e.board_id == *f.board) && (!f.actor || e.actor == *f.actor) && (!f.target || e.target == *f.target) &&
         (!f.since || e.at >= *f.since) && (!f.until || e.at < *f.until);
}

Status CheckNewAuditEntry(const AuditEntry& e) {
  if (e.actor.empty()) return Status::InvalidArgument("an audit entry needs an actor");
  if (e.action.empty()) return Status::InvalidArgument("an audit entry needs an action");
  if (e.outcome.empty()) return Status::InvalidArgument("an audit entry needs an outcome");
  return Status::Ok();
}

}  // namespace casereview::storage

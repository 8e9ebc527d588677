// The Store contract for sign-in data and the audit log (include/casereview/access.hpp),
// over the in-memory store and a SQLite file: passwords and tokens belong to stored people,
// a token's secret is found only by its hash and stays revoked, sessions expire, and the
// audit log is one keyed chain, each entry in its board's part of it, in which an edit or a
// deletion is found.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <vector>

#include "store_fixtures.hpp"

using namespace casereview;
using namespace casereview::testing;

namespace {

void RequireOk(const Status& s) {
  INFO(s.message());
  REQUIRE(s.ok());
}

StoreUnderTest WithBoard(const std::string& kind) {
  StoreUnderTest under = MakeStore(kind);
  RequireOk(under.store->ImportBoardData(DemoBoardData()));
  return under;
}

ApiToken Token(const std::string& id, const std::string& person, const std::string& secret) {
  return {id, "demo", person, SecretHash(secret), "reporting", At(kJan5), std::nullopt};
}

AuditEntry Access(const std::string& actor, const std::string& action, const std::string& target, std::int64_t at,
                  const std::string& board = "demo") {
  AuditEntry e;
  e.at = At(at);
  e.board_id = board;
  e.actor = actor;
  e.action = action;
  e.target = target;
  e.outcome = "ok";
  return e;
}

}  // namespace

SCENARIO("A password is kept as the hash given, for a stored person only", "[store][access]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  auto under = WithBoard(kind);
  Store& store = *under.store;
  auto none = store.GetPasswordHash("demo", "p-chair");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  RequireOk(store.PutPasswordHash("demo", "p-chair", "$argon2id$first", At(kJan5)));
  RequireOk(store.PutPasswordHash("demo", "p-chair", "$argon2id$second", At(kJan5 + kDay)));
  CHECK(store.GetPasswordHash("demo", "p-chair")->value() == "$argon2id$second");
  Status unknown = store.PutPasswordHash("demo", "p-ghost", "$argon2id$x", At(kJan5));
  CHECK(unknown.code() == Status::Code::kNotFound);
  CHECK(unknown.message().find("p-ghost") != std::string::npos);
  CHECK_FALSE(store.GetPasswordHash("demo", "p-ghost")->has_value());
}

SCENARIO("A new password ends the person's sessions and tokens, and nobody else's", "[store][access][security]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  auto under = WithBoard(kind);
  Store& store = *under.store;
  RequireOk(store.PutApiToken(Token("tok-a", "p-chair", "secret-a")));
  RequireOk(store.PutApiToken(Token("tok-b", "p-spoc", "secret-b")));
  Session chair{SecretHash("cookie-a"), "demo", "p-chair", "csrf-a", At(kJan5), At(kJan5 + kDay)};
  Session spoc{SecretHash("cookie-b"), "demo", "p-spoc", "csrf-b", At(kJan5), At(kJan5 + kDay)};
  RequireOk(store.PutSession(chair));
  RequireOk(store.PutSession(spoc));

  RequireOk(store.PutPasswordHash("demo", "p-chair", "$argon2id$new", At(kJan5 + 60)));

  CHECK_FALSE(store.FindSession(chair.id_hash)->has_value());
  CHECK(store.FindSession(spoc.id_hash)->has_value());
  CHECK(store.FindApiToken(SecretHash("secret-a"))->value().revoked_at == At(kJan5 + 60));
  CHECK_FALSE(store.FindApiToken(SecretHash("secret-b"))->value().revoked_at);
}

SCENARIO("A board's people and agencies are its own: another board using the same ids neither moves nor changes them",
         "[store][board][security]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  auto under = WithBoard(kind);
  Store& store = *under.store;
  RequireOk(store.PutBoard(Board{"other", "Other board"}));
  const auto people_before = *store.ListPeople("demo");
  const auto agencies_before = *store.ListAgencies("demo");
  const Person& someone = people_before.front();
  Agency agency = agencies_before.front();
  agency.board_id = "other";
  agency.name = "Other's own";
  Person same_id = someone;
  same_id.board_id = "other";
  same_id.agency_id = agency.id;
  same_id.name = "Someone else";
  same_id.roles = {"panel-chair"};

  WHEN("the other board puts an agency and a person with the demo board's ids") {
    RequireOk(store.PutAgency(agency));
    RequireOk(store.PutPerson(same_id));
    THEN("each board has its own, and the demo board's are as they were") {
      CHECK(*store.ListPeople("demo") == people_before);
      CHECK(*store.ListAgencies("demo") == agencies_before);
      CHECK(*store.ListPeople("other") == std::vector<Person>{same_id});
      CHECK(*store.ListAgencies("other") == std::vector<Agency>{agency});
    }
    AND_WHEN("the other board's person gets a password, a token, a session, and is removed") {
      RequireOk(store.PutPasswordHash("other", someone.id, "$argon2id$theirs", At(kJan5)));
      RequireOk(store.PutPasswordHash("demo", someone.id, "$argon2id$ours", At(kJan5)));
      ApiToken ours = Token("tok-ours", someone.id, "secret-ours");
      ApiToken theirs = Token("tok-theirs", someone.id, "secret-theirs");
      theirs.board_id = "other";
      RequireOk(store.PutApiToken(ours));
      RequireOk(store.PutApiToken(theirs));
      Session our_session{SecretHash("cookie-ours"), "demo", someone.id, "csrf", At(kJan5), At(kJan5 + kDay)};
      Session their_session{SecretHash("cookie-theirs"), "other", someone.id, "csrf", At(kJan5), At(kJan5 + kDay)};
      RequireOk(store.PutSession(our_session));
      RequireOk(store.PutSession(their_session));
      RequireOk(store.RemovePerson("other", someone.id, At(kJan5 + 60)));
      THEN("only the other board's person is removed, and only their sign-ins end") {
        CHECK(store.GetPasswordHash("demo", someone.id)->value() == "$argon2id$ours");
        CHECK(store.GetPasswordHash("other", someone.id)->value() == "$argon2id$theirs");
        CHECK(*store.ListPeople("demo") == people_before);
        CHECK(store.ListPeople("other")->front().removed_at == At(kJan5 + 60));
        CHECK(store.FindSession(our_session.id_hash)->has_value());
        CHECK_FALSE(store.FindSession(their_session.id_hash)->has_value());
        CHECK_FALSE(store.FindApiToken(ours.token_hash)->value().revoked_at);
        CHECK(store.FindApiToken(theirs.token_hash)->value().revoked_at == At(kJan5 + 60));
        CHECK(store.ListApiTokens("other", "")->size() == 1);
        CHECK(store.ListApiTokens("demo", someone.id)->front().id == "tok-ours");
      }
    }
  }
  WHEN("the other board names an agency only the demo board has") {
    Person stranger = same_id;
    stranger.agency_id = agencies_before.back().id;
    Status refused = store.PutPerson(stranger);
    THEN("it is refused: a person's agency is of their own board") {
      CHECK(refused.code() == Status::Code::kNotFound);
      CHECK(store.ListPeople("other")->empty());
    }
  }
  WHEN("the demo board changes its own person") {
    Person renamed = someone;
    renamed.name = "Renamed";
    RequireOk(store.PutPerson(renamed));
    THEN("it is changed in place") { CHECK(store.ListPeople("demo")->front().name == "Renamed"); }
  }
}

SCENARIO("A token is found by the hash of its secret, never twice, and stays revoked", "[store][access]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  auto under = WithBoard(kind);
  Store& store = *under.store;
  RequireOk(store.PutApiToken(Token("tok-a", "p-chair", "secret-a")));
  RequireOk(store.PutApiToken(Token("tok-b", "p-spoc", "secret-b")));

  auto found = store.FindApiToken(SecretHash("secret-a"));
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->id == "tok-a");
  CHECK((*found)->person_id == "p-chair");
  CHECK_FALSE(store.FindApiToken(SecretHash("secret-c"))->has_value());

  // The same id, or the same secret, again: refused, nothing changed.
  CHECK(store.PutApiToken(Token("tok-a", "p-spoc", "secret-z")).code() == Status::Code::kInvalidArgument);
  CHECK(store.PutApiToken(Token("tok-c", "p-spoc", "secret-a")).code() == Status::Code::kInvalidArgument);
  CHECK(store.PutApiToken(Token("tok-d", "p-ghost", "secret-d")).code() == Status::Code::kNotFound);
  CHECK(store.PutApiToken({"tok-e", "demo", "p-chair", "not-a-hash", "", At(kJan5), std::nullopt}).code() ==
        Status::Code::kInvalidArgument);
  CHECK(store.ListApiTokens("", "")->size() == 2);
  auto chairs = store.ListApiTokens("demo", "p-chair");
  REQUIRE(chairs->size() == 1);
  CHECK(chairs->front().id == "tok-a");

  RequireOk(store.RevokeApiToken("tok-a", At(kJan5 + kDay)));
  RequireOk(store.RevokeApiToken("tok-a", At(kJan5 + 2 * kDay)));  // keeps the first time
  CHECK(store.FindApiToken(SecretHash("secret-a"))->value().revoked_at == At(kJan5 + kDay));
  CHECK(store.RevokeApiToken("tok-zzz", At(kJan5)).code() == Status::Code::kNotFound);
}

SCENARIO("Sessions are found by their hash, end on sign-out and are swept once expired", "[store][access]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  auto under = WithBoard(kind);
  Store& store = *under.store;
  Session early{SecretHash("cookie-1"), "demo", "p-chair", "csrf-1", At(kJan5), At(kJan5 + 3600)};
  Session late{SecretHash("cookie-2"), "demo", "p-spoc", "csrf-2", At(kJan5), At(kJan5 + 8 * 3600)};
  RequireOk(store.PutSession(early));
  RequireOk(store.PutSession(late));
  CHECK(store.FindSession(early.id_hash)->value() == early);
  CHECK(store.PutSession({SecretHash("c3"), "demo", "p-ghost", "x", At(kJan5), At(kJan5 + 1)}).code() ==
        Status::Code::kNotFound);
  CHECK(store.PutSession({SecretHash("c4"), "demo", "p-chair", "x", At(kJan5), At(kJan5)}).code() ==
        Status::Code::kInvalidArgument);

  auto swept = store.DeleteExpiredSessions(At(kJan5 + 3600));
  REQUIRE(swept.ok());
  CHECK(*swept == 1);
  CHECK_FALSE(store.FindSession(early.id_hash)->has_value());
  CHECK(store.FindSession(late.id_hash)->has_value());
  RequireOk(store.DeleteSession(late.id_hash));
  RequireOk(store.DeleteSession(late.id_hash));
  CHECK_FALSE(store.FindSession(late.id_hash)->has_value());
}

SCENARIO("The audit log is one keyed chain, filtered by board, actor, target and time", "[store][audit]") {
  const std::string kind = GENERATE(as<std::string>{}, "memory", "sqlite");
  auto under = WithBoard(kind);
  Store& store = *under.store;
  auto empty = VerifyAuditChain(store);
  REQUIRE(empty.ok());
  CHECK(empty->entries == 0);
  CHECK(empty->head_hash == GenesisAuditHash());
  CHECK_FALSE(store.ReadAuditSeal()->key.has_value());  // made at the first append

  std::vector<AuditEntry> written;
  for (int i = 0; i < 7; ++i) {
    auto e = store.AppendAudit(Access(i % 2 ? "p-chair" : "p-spoc", "review.read",
                                      i < 4 ? "SCR-2026-001" : "SCR-2026-002", kJan5 + i * 60,
                                      i == 5 ? "other" : "demo"));
    REQUIRE(e.ok());
    written.push_back(*e);
  }
  auto seal = store.ReadAuditSeal();
  REQUIRE(seal.ok());
  REQUIRE(seal->key.has_value());
  CHECK(seal->problem.empty());
  CHECK(seal->witness == AuditWitness{1, 7, written.back().hash});
  CHECK(written[0].seq == 1);
  CHECK(written[0].prev_hash == GenesisAuditHash());
  for (std::size_t i = 0; i < written.size(); ++i) {
    CHECK(written[i].seq == static_cast<std::int64_t>(i) + 1);
    if (i > 0) CHECK(written[i].prev_hash == written[i - 1].hash);
    CHECK(written[i].keyed);
    CHECK(written[i].hash == AuditMac(*seal->key, written[i].prev_hash, written[i]));
    CHECK(written[i].hash != AuditHash(written[i].prev_hash, written[i]));  // not the unkeyed hash
  }
  CHECK(written[5].board_id == "other");
  CHECK(*store.ListAudit({}) == written);
  CHECK(store.AppendAudit(Access("", "review.read", "x", kJan5)).status().code() == Status::Code::kInvalidArgument);

  AuditFilter by_chair;
  by_chair.actor = "p-chair";
  CHECK(store.ListAudit(by_chair)->size() == 3);
  AuditFilter by_board;
  by_board.board = "other";
  auto others = store.ListAudit(by_board);
  REQUIRE(others->size() == 1);
  CHECK(others->front().seq == 6);
  by_board.board = "demo";
  by_board.actor = "p-chair";
  CHECK(store.ListAudit(by_board)->size() == 2);  // p-chair's entry 6 is the other board's
  by_board.board = "nowhere";
  by_board.actor.reset();
  CHECK(store.ListAudit(by_board)->empty());
  AuditFilter by_target;
  by_target.target = "SCR-2026-002";
  by_target.since = At(kJan5 + 5 * 60);
  by_target.until = At(kJan5 + 6 * 60);
  auto one = store.ListAudit(by_target);
  REQUIRE(one->size() == 1);
  CHECK(one->front().seq == 6);
  AuditFilter paged;
  paged.after_seq = 2;
  paged.limit = 3;
  auto page = store.ListAudit(paged);
  REQUIRE(page->size() == 3);
  CHECK(page->front().seq == 3);

  auto verified = VerifyAuditChain(store);
  REQUIRE(verified.ok());
  CHECK(verified->problem.empty());
  CHECK(verified->entries == 7);
  CHECK(verified->head_seq == 7);
  CHECK(verified->head_hash == written.back().hash);
  CHECK(verified->keyed_from == 1);
  CHECK(verified->witness_seq == 7);
  auto for_other = VerifyAuditChain(store, "other");
  REQUIRE(for_other.ok());
  CHECK(for_other->problem.empty());
  CHECK(for_other->board_entries == 1);
  CHECK(for_other->board_head_seq == 6);
  CHECK(for_other->board_head_hash == written[5].hash);
}

SCENARIO("An audit entry edited or deleted in the file is found by verification", "[store][audit]") {
  TempDir dir;
  const std::string path = dir.File("audit.db");
  {
    auto store = OpenSqliteStore(path);
    REQUIRE(store.ok());
    RequireOk((*store)->ImportBoardData(DemoBoardData()));
    for (int i = 0; i < 5; ++i) REQUIRE((*store)->AppendAudit(Access("p-chair", "review.read", "SCR-2026-001", kJan5 + i)).ok());
  }
  const std::string tamper = GENERATE(as<std::string>{}, "edit", "delete", "relink");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    if (tamper == "edit") db.exec("UPDATE audit_log SET actor = 'p-spoc' WHERE seq = 3");
    if (tamper == "delete") db.exec("DELETE FROM audit_log WHERE seq = 3");
    if (tamper == "relink") {
      // Deleting an entry and re-hashing the next one to hide it still breaks the link after.
      db.exec("DELETE FROM audit_log WHERE seq = 3");
      db.exec("UPDATE audit_log SET seq = 3, prev_hash = (SELECT hash FROM audit_log WHERE seq = 2) WHERE seq = 4");
    }
  }
  auto store = OpenSqliteStore(path);
  REQUIRE(store.ok());
  auto verified = VerifyAuditChain(**store);
  REQUIRE(verified.ok());
  INFO(tamper << ": " << verified->problem);
  CHECK_FALSE(verified->problem.empty());
  CHECK(verified->bad_seq == 3);
  CHECK(verified->entries == 2);
}

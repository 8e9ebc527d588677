// The ways around the permission matrix, tried over real HTTP as an attacker on loopback
// would: two boards in one database, every role signed in. Each scenario is one finding of
// the security review (docs/security.md) and failed before its fix.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "casereview/json_input.hpp"
#include "http_fixture.hpp"

using namespace casereview;
using nlohmann::json;

namespace {

using testing::Credentials;
using testing::kStepsBeforeServing;

struct Reply {
  int status = 0;
  json body;
  std::string raw;
};

// The served demo board ("demo", board A) and a second board ("elsewhere", board B) with its own
// administrator, business officer and panel chair, each with an API token.
class TwoBoards : public testing::ServedReview {
 public:
  TwoBoards() {
    WithEngine([&](Engine& engine, Store& store) {
      BoardData b;
      b.board = Board{"elsewhere", "Elsewhere Safeguarding Partnership"};
      b.agencies = {{"elsewhere-police", "elsewhere", "Elsewhere Police", "police"}};
      b.people = {{"p-b-admin", "elsewhere", "Bea Admin", "bea@example.org", "", {"administrator"}},
                  {"p-b-spoc", "elsewhere", "Ben Spoc", "ben@example.org", "", {"business-officer"}},
                  {"p-b-chair", "elsewhere", "Bo Chair", "bo@example.org", "", {"panel-chair"}}};
      REQUIRE(engine.ImportBoardData(b).ok());
      Access access(store, clock());
      for (const auto& p : b.people) {
        auto t = access.CreateToken(p.board_id, p.id, "tests");
        REQUIRE(t.ok());
        b_tokens_[p.id] = t->secret;
      }
    });
  }

  Reply As(const std::string& person, const std::string& method, const std::string& target, const std::string& body = "") {
    auto b = b_tokens_.find(person);
    Credentials who{b != b_tokens_.end() ? b->second : token(person), "", ""};
    testing::HttpReply r = Send(method, target, who, body);
    return {r.status, json::parse(r.body, nullptr, false), r.body};
  }
  Reply As(const std::string& person, const std::string& method, const std::string& target, const json& body) {
    return As(person, method, target, body.dump());
  }

  std::vector<Person> People(const std::string& board) { return *Open()->ListPeople(board); }
  std::optional<Person> PersonOf(const std::string& board, const std::string& id) {
    for (const Person& p : People(board))
      if (p.id == id) return p;
    return std::nullopt;
  }
  std::size_t EventCount() { return Open()->LoadEvents(ref())->size(); }

 private:
  std::map<std::string, std::string> b_tokens_;
};

bool Mentions(const Reply& r, const std::string& text) { return r.raw.find(text) != std::string::npos; }

}  // namespace

SCENARIO("Nobody makes a token that acts as somebody else, from any board", "[http][security][tokens]") {
  TwoBoards api;
  auto tokens_of = [&](const std::string& person) { return api.Open()->ListApiTokens("demo", person)->size(); };
  const auto chair_tokens = tokens_of("p-panel-chair");

  GIVEN("the administrator of another board, and this board's own administrator") {
    for (const char* admin : {"p-b-admin", "p-admin"}) {
      Reply r = api.As(admin, "POST", "/api/v1/tokens", json{{"person", "p-panel-chair"}, {"label", "x"}});
      INFO(admin << ": " << r.raw);
      CHECK(r.status == 403);
    }
    THEN("no token was made for the panel chair") { CHECK(tokens_of("p-panel-chair") == chair_tokens); }
  }
  WHEN("an administrator makes a token, it is their own and reads no case file") {
    Reply made = api.As("p-admin", "POST", "/api/v1/tokens", json{{"label", "reporting"}});
    REQUIRE(made.status == 201);
    CHECK(made.body["person"] == "p-admin");
    testing::HttpReply events =
        api.Send("GET", "/api/v1/reviews/" + api.ref() + "/events", Credentials{made.body["token"], "", ""});
    CHECK(events.status == 404);
    CHECK(events.body.find("Child A") == std::string::npos);
  }
  WHEN("a panel chair makes their own token") {
    Reply made = api.As("p-panel-chair", "POST", "/api/v1/tokens", json{{"person", "p-panel-chair"}, {"label", "mine"}});
    CHECK(made.status == 201);
  }
}

SCENARIO("Roles that read case files are given only by an administrator, never to oneself",
         "[http][security][people]") {
  TwoBoards api;
  auto person = [](const std::string& id, std::vector<std::string> roles) {
    return json{{"id", id}, {"name", "Someone"}, {"email", id + "@example.org"}, {"roles", roles}};
  };
  WHEN("an administrator adds a case-reading role to their own roles") {
    Reply r = api.As("p-admin", "POST", "/api/v1/people", person("p-admin", {"administrator", "panel-member"}));
    CHECK(r.status == 403);
    THEN("they still read no case file") { CHECK_FALSE(api.PersonOf("demo", "p-admin")->HasRole("panel-member")); }
  }
  WHEN("an administrator imports a board file that makes them a panel member") {
    Reply board = api.As("p-admin", "GET", "/api/v1/board");
    REQUIRE(board.status == 200);
    json file = board.body;
    file.erase("meetings");
    for (json& p : file["people"])
      if (p["id"] == "p-admin") p["roles"].push_back("panel-member");
    CHECK(api.As("p-admin", "PUT", "/api/v1/board", file).status == 403);
    CHECK_FALSE(api.PersonOf("demo", "p-admin")->HasRole("panel-member"));
  }
  WHEN("the business officer gives someone a role that reads case files, or changes the administrator") {
    CHECK(api.As("p-spoc", "POST", "/api/v1/people", person("p-new", {"panel-member"})).status == 403);
    CHECK(api.As("p-spoc", "POST", "/api/v1/people", person("p-admin", {"imr-author"})).status == 403);
    THEN("nothing changed") {
      CHECK_FALSE(api.PersonOf("demo", "p-new"));
      CHECK(api.PersonOf("demo", "p-admin")->HasRole("administrator"));
    }
  }
  WHEN("an administrator gives someone else a case-reading role, and the business officer adds an author") {
    CHECK(api.As("p-admin", "POST", "/api/v1/people", person("p-new", {"panel-member"})).status == 200);
    CHECK(api.As("p-spoc", "POST", "/api/v1/people", person("p-author-2", {"imr-author"})).status == 200);
    THEN("both are saved") {
      CHECK(api.PersonOf("demo", "p-new")->HasRole("panel-member"));
      CHECK(api.PersonOf("demo", "p-author-2"));
    }
  }
}

SCENARIO("A body nested 100,000 deep is refused and the server stays up", "[http][security][json]") {
  TwoBoards api;
  const std::string deep = "{\"event\":\"X\",\"fields\":" + std::string(100000, '[');
  for (const std::string& target : {"/api/v1/reviews/" + api.ref() + "/events", std::string("/api/v1/reviews"),
                                    std::string("/api/v1/child-deaths"), std::string("/api/v1/people")}) {
    Reply r = api.As("p-spoc", "POST", target, deep);
    INFO(target << " -> " << r.status << " " << r.raw.substr(0, 200));
    CHECK(r.status == 400);
    CHECK(Mentions(r, "deep"));
  }
  CHECK(api.As("p-admin", "PUT", "/api/v1/board", std::string(200000, '[')).status == 400);
  CHECK(api.Send("GET", "/api/v1/health").status == 200);
  CHECK(JsonNestsDeeperThan("[[[\"[[[[\"]]]", 3) == false);
  CHECK(JsonNestsDeeperThan("[[[[\"\\\"\"]]]]", 3) == true);
}

SCENARIO("One board's keepers cannot take over another board's people or agencies: the same ids make their own",
         "[http][security][tenancy]") {
  TwoBoards api;
  const Person chair = *api.PersonOf("demo", "p-panel-chair");
  const auto demo_agencies = *api.Open()->ListAgencies("demo");
  Reply own_chair = api.As("p-b-spoc", "POST", "/api/v1/people",
                           json{{"id", "p-panel-chair"}, {"name", "Mallory"}, {"email", "m@example.org"}, {"roles", {"imr-author"}}});
  CHECK(own_chair.status == 200);
  Reply agency = api.As("p-b-spoc", "POST", "/api/v1/agencies", json{{"id", "police"}, {"name", "Mine now"}, {"sector", "police"}});
  CHECK(agency.status == 200);
  Reply board = api.As("p-b-admin", "GET", "/api/v1/board");
  REQUIRE(board.status == 200);
  json file = board.body;
  file.erase("meetings");
  file["people"].push_back({{"id", "p-spoc"}, {"name", "Mallory"}, {"email", "m2@example.org"}, {"agency", ""}, {"roles", {"imr-author"}}});
  CHECK(api.As("p-b-admin", "PUT", "/api/v1/board", file).status == 200);

  THEN("board A keeps its panel chair, business officer and police untouched; board B has its own") {
    CHECK(api.PersonOf("demo", "p-panel-chair") == chair);
    CHECK(api.PersonOf("demo", "p-spoc")->name != "Mallory");
    CHECK(*api.Open()->ListAgencies("demo") == demo_agencies);
    CHECK(api.PersonOf("elsewhere", "p-panel-chair")->name == "Mallory");
    CHECK(api.PersonOf("elsewhere", "p-spoc")->name == "Mallory");
    CHECK(api.People("elsewhere").size() == 5);
    CHECK(api.As("p-panel-chair", "GET", "/api/v1/reviews/" + api.ref()).status == 200);
  }
  AND_THEN("board B's person of the same id reads nothing of board A's, and A's chair's sign-in is theirs alone") {
    auto store = api.Open();
    auto theirs = Access(*store, api.clock()).CreateToken("elsewhere", "p-panel-chair", "tests");
    REQUIRE(theirs.ok());
    testing::HttpReply read = api.Send("GET", "/api/v1/reviews/" + api.ref(), {theirs->secret, "", ""});
    CHECK(read.status == 404);
    testing::HttpReply me = api.Send("GET", "/api/v1/me", {theirs->secret, "", ""});
    REQUIRE(me.status == 200);
    CHECK(json::parse(me.body).value("name", "") == "Mallory");
    CHECK(api.As("p-panel-chair", "GET", "/api/v1/me").body.value("name", "") == chair.name);
  }
}

SCENARIO("One board's administrator cannot revoke another board's tokens or retry its notices",
         "[http][security][tenancy]") {
  TwoBoards api;
  auto chair_tokens = *api.Open()->ListApiTokens("demo", "p-panel-chair");
  REQUIRE_FALSE(chair_tokens.empty());
  Reply revoked = api.As("p-b-admin", "DELETE", "/api/v1/tokens/" + chair_tokens.front().id);
  CHECK(revoked.status == 404);
  CHECK(api.As("p-panel-chair", "GET", "/api/v1/me").status == 200);
  CHECK_FALSE(api.Open()->ListApiTokens("demo", "p-panel-chair")->front().revoked_at);

  auto notices = *api.Open()->ListNotices({});
  REQUIRE_FALSE(notices.empty());
  CHECK(api.As("p-b-spoc", "POST", "/api/v1/outbox/retry", json{{"notice", notices.front().id}}).status == 404);

  WHEN("the board's own administrator revokes a token of one of its people") {
    CHECK(api.As("p-admin", "DELETE", "/api/v1/tokens/" + chair_tokens.front().id).status == 204);
    THEN("it no longer works") { CHECK(api.As("p-panel-chair", "GET", "/api/v1/me").status == 401); }
  }
}

SCENARIO("Errors never echo the address, and an unknown reference is audited as a fixed word",
         "[http][security][echo]") {
  TwoBoards api;
  auto head = api.AuditHead();
  Reply r = api.As("p-panel-chair", "GET", "/api/v1/reviews/Child%20A%20Smith%202019-06-14");
  CHECK(r.status == 404);
  CHECK_FALSE(Mentions(r, "Child"));
  CHECK_FALSE(Mentions(r, "Smith"));
  auto entries = api.AuditAfter(head);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].target == "unknown-review");
  CHECK(entries[0].outcome == "not-found");

  WHEN("an author asks for a review that is nothing of theirs, and for one that does not exist") {
    Reply real = api.As("p-csc-author", "GET", "/api/v1/reviews/" + api.ref());
    Reply none = api.As("p-csc-author", "GET", "/api/v1/reviews/SCR-2099-999");
    THEN("the answers are the same, so neither tells which references exist") {
      CHECK(real.status == 404);
      CHECK(real.raw == none.raw);
      CHECK(api.As("p-csc-author", "POST", "/api/v1/reviews/" + api.ref() + "/events",
                   json{{"event", "ImrSubmitted"}, {"fields", {{"agency", "csc"}}}}).raw == none.raw);
    }
  }
}

SCENARIO("The board chair's decisions are recorded by the board chair, or on their behalf with who decided",
         "[http][security][decisions]") {
  TwoBoards api;
  const std::string events = "/api/v1/reviews/" + api.ref() + "/events";
  const ScenarioStep& recommend = api.Step(kStepsBeforeServing);
  api.clock().Set(recommend.at);
  REQUIRE(api.As("p-panel-chair", "POST", events, json{{"event", recommend.event}, {"fields", recommend.fields}}).status == 201);
  const ScenarioStep& decide = api.Step(kStepsBeforeServing + 1);
  REQUIRE(decide.event == "ChairDecidedToProceed");
  api.clock().Set(decide.at);
  const auto count = api.EventCount();

  WHEN("the panel chair records the decision as if it were theirs") {
    Reply r = api.As("p-panel-chair", "POST", events, json{{"event", decide.event}, {"fields", decide.fields}});
    CHECK(r.status == 403);
    CHECK(Mentions(r, "on_behalf_of"));
    json fields = decide.fields;
    fields["on_behalf_of"] = "p-spoc";
    CHECK(api.As("p-panel-chair", "POST", events, json{{"event", decide.event}, {"fields", fields}}).status == 403);
    THEN("nothing is recorded") {
      CHECK(api.EventCount() == count);
      CHECK(api.Open()->GetReview(api.ref())->stage == "AwaitingChairDecision");
    }
  }
  WHEN("the business officer records it for the board chair") {
    json fields = decide.fields;
    fields["on_behalf_of"] = "p-board-chair";
    Reply r = api.As("p-spoc", "POST", events, json{{"event", decide.event}, {"fields", fields}});
    REQUIRE(r.status == 201);
    THEN("the log says who typed it and who decided") {
      auto log = *api.Open()->LoadEvents(api.ref());
      CHECK(log.back().actor == "p-spoc");
      CHECK(json::parse(log.back().payload)["on_behalf_of"]["id"] == "p-board-chair");
    }
  }
  WHEN("a board member, who records nothing, tries") {
    json fields = decide.fields;
    fields["on_behalf_of"] = "p-board-chair";
    CHECK(api.As("p-board-member", "POST", events, json{{"event", decide.event}, {"fields", fields}}).status == 404);
    CHECK(api.EventCount() == count);
  }
}

SCENARIO("One officer on two boards, with the same id and email on each, signs in to the board whose password they give",
         "[http][security][tenancy][sign-in]") {
  TwoBoards api;
  auto store = api.Open();
  const Person demo_spoc = *api.PersonOf("demo", "p-spoc");
  Person other_spoc = demo_spoc;
  other_spoc.board_id = "elsewhere";
  other_spoc.agency_id = "";
  other_spoc.name = "Sam Okafor (Elsewhere)";
  REQUIRE(store->PutPerson(other_spoc).ok());
  Access access(*store, api.clock());
  REQUIRE(access.SetPassword("elsewhere", "p-spoc", "a different passphrase entirely").ok());

  auto signed_in_as = [&](const std::string& password) -> std::optional<Person> {
    auto in = access.SignIn(demo_spoc.email, password, "127.0.0.1");
    if (!in.ok()) return std::nullopt;
    auto who = access.FromSession(in->secret);
    REQUIRE(who.ok());
    return who->person;
  };
  THEN("each password signs in its own board's person, and a wrong one signs in nobody") {
    CHECK(signed_in_as(testing::kPassword)->board_id == "demo");
    CHECK(signed_in_as("a different passphrase entirely")->board_id == "elsewhere");
    CHECK_FALSE(signed_in_as("neither of the two passwords"));
  }
  AND_THEN("a new password for one ends that board's sign-ins only") {
    auto demo_in = access.SignIn(demo_spoc.email, testing::kPassword, "127.0.0.1");
    auto other_in = access.SignIn(demo_spoc.email, "a different passphrase entirely", "127.0.0.1");
    REQUIRE(demo_in.ok());
    REQUIRE(other_in.ok());
    REQUIRE(access.SetPassword("elsewhere", "p-spoc", "yet another passphrase here").ok());
    CHECK(access.FromSession(demo_in->secret).ok());
    CHECK_FALSE(access.FromSession(other_in->secret).ok());
  }
}

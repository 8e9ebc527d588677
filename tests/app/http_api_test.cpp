// The JSON API over real HTTP (app/http/): a server on a loopback port over a SQLite file
// holding the demo board and the example review part-way through. Signing in, sessions and
// CSRF, tokens, every role against every endpoint it must be refused, a chair's decision,
// an author's IMR, refusals that change nothing, and the audit record of each access.
#include <catch2/catch.hpp>

#include <libical/ical.h>

#include <algorithm>
#include <map>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "calendar_feed.hpp"
#include "http_fixture.hpp"

using namespace casereview;
using nlohmann::json;

namespace {

using testing::Credentials;
using testing::kPassword;
using testing::kStepsBeforeServing;

struct Reply {
  int status = 0;
  json body;
  std::map<std::string, std::string> headers;
};

// The served review (http_fixture.hpp), spoken to in JSON.
class ApiFixture : public testing::ServedReview {
 public:
  Reply Call(const std::string& method, const std::string& target, const Credentials& who = {},
             const std::string& body = "") {
    testing::HttpReply raw = Send(method, target, who, body);
    return {raw.status, raw.body.empty() ? json() : json::parse(raw.body, nullptr, false), raw.headers};
  }
  Reply As(const std::string& person, const std::string& method, const std::string& target, const json& body = nullptr) {
    return Call(method, target, Credentials{token(person), "", ""}, body.is_null() ? "" : body.dump());
  }
  // The same, sent with an Idempotency-Key.
  Reply AsWithKey(const std::string& person, const std::string& method, const std::string& target, const json& body,
                  const std::string& key) {
    return Call(method, target, Credentials{token(person), "", "", "", key}, body.dump());
  }
};

json EventBody(const ScenarioStep& step) { return {{"event", step.event}, {"fields", step.fields}}; }

// The example review runs on through the API, as the chairs record it, from the step after
// serving until `stop` says a step is not to be run; returns that step's index.
template <class Stop>
std::size_t RunUntil(ApiFixture& api, Stop stop) {
  const std::string events = "/api/v1/reviews/" + api.ref() + "/events";
  std::size_t i = kStepsBeforeServing;
  for (;; ++i) {
    const ScenarioStep& step = api.Step(i);
    if (stop(i, step)) return i;
    if (step.is_tick || step.expect_refused) continue;
    api.clock().Set(step.at);
    Reply r = api.As(step.by == "p-board-chair" ? "p-board-chair" : "p-panel-chair", "POST", events, EventBody(step));
    INFO("step " << i << " " << step.event << ": " << r.body.dump());
    REQUIRE(r.status == 201);
  }
}

// The example review runs on to ImrsInProgress through the API.
void RunToImrsInProgress(ApiFixture& api) {
  RunUntil(api, [](std::size_t i, const ScenarioStep&) { return i > 18; });
  REQUIRE(api.Open()->GetReview(api.ref())->stage == "ImrsInProgress");
}

}  // namespace

SCENARIO("Every endpoint needs a signed-in caller, and errors are JSON", "[http][api]") {
  ApiFixture api;
  Reply health = api.Call("GET", "/api/v1/health");
  CHECK(health.status == 200);
  CHECK(health.body["status"] == "ok");
  CHECK(health.headers["X-Content-Type-Options"] == "nosniff");
  CHECK(health.headers["X-Frame-Options"] == "DENY");
  CHECK(health.headers["Content-Security-Policy"].find("frame-ancestors 'none'") != std::string::npos);
  CHECK(health.headers["Cache-Control"] == "no-store");

  for (auto [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/api/v1/me"},          {"GET", "/api/v1/reviews"},      {"GET", "/api/v1/reviews/SCR-2026-001"},
           {"GET", "/api/v1/reviews/SCR-2026-001/events"},                  {"POST", "/api/v1/reviews/SCR-2026-001/events"},
           {"POST", "/api/v1/reviews"},    {"POST", "/api/v1/child-deaths"}, {"GET", "/api/v1/tasks"},
           {"GET", "/api/v1/deadlines"},   {"GET", "/api/v1/action-plans"},  {"GET", "/api/v1/reports/slippage"},
           {"GET", "/api/v1/reports/cdop"}, {"GET", "/api/v1/outbox"},       {"GET", "/api/v1/people"},
           {"GET", "/api/v1/audit"},       {"GET", "/api/v1/audit/verify"},  {"POST", "/api/v1/tokens"},
           {"DELETE", "/api/v1/tokens/tok-x"}, {"GET", "/api/v1/events"},    {"DELETE", "/api/v1/session"}}) {
    INFO(method << " " << target);
    Reply r = api.Call(method, target, {}, method == "GET" ? "" : "{}");
    CHECK(r.status == 401);
    CHECK(r.body["error"].get<std::string>().find("sign in") != std::string::npos);
    Reply bad_token = api.Call(method, target, {"crt_not-a-real-token", "", ""});
    CHECK(bad_token.status == 401);
  }
  CHECK(api.Call("GET", "/api/v1/nowhere").status == 404);
  Reply wrong_method = api.Call("PUT", "/api/v1/reviews");
  CHECK(wrong_method.status == 405);
  CHECK(wrong_method.body["error"].get<std::string>().find("does not take that method") != std::string::npos);
  // An unknown path is not echoed back: it could carry anything.
  Reply named = api.Call("GET", "/api/v1/Zebedee%20Quill");
  CHECK(named.status == 404);
  CHECK(named.body.dump().find("Zebedee") == std::string::npos);
}

SCENARIO("An idle connection is closed after a short keep-alive, so idle browsers do not hold the server", "[http][api]") {
  ApiFixture api;
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", api.port()));
  const std::string request = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
  socket.sendBytes(request.data(), static_cast<int>(request.size()));
  // Poco's own default (10 s) would still hold it when this wait gives up.
  socket.setReceiveTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(
                                              http::kKeepAliveTimeout + std::chrono::seconds{5})
                                              .count()));
  std::string received;
  char buffer[4096];
  int n = 0;
  REQUIRE_NOTHROW(n = socket.receiveBytes(buffer, sizeof buffer));
  while (n > 0) {  // the answer, then the end of the stream when the server closes it
    received.append(buffer, static_cast<std::size_t>(n));
    REQUIRE_NOTHROW(n = socket.receiveBytes(buffer, sizeof buffer));
  }
  CHECK(received.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(received.find("\"status\": \"ok\"") != std::string::npos);
  CHECK(n == 0);
}

SCENARIO("A person signs in with a password, works with the session and its CSRF token, and signs out",
         "[http][api][session]") {
  ApiFixture api;
  auto before = api.AuditHead();
  Reply wrong = api.Call("POST", "/api/v1/session", {}, json{{"email", "jordan.pike@example.org"}, {"password", "not it at all"}}.dump());
  Reply unknown = api.Call("POST", "/api/v1/session", {}, json{{"email", "nobody@example.org"}, {"password", kPassword}}.dump());
  CHECK(wrong.status == 401);
  CHECK(unknown.status == 401);
  CHECK(wrong.body == unknown.body);  // neither tells which part was wrong
  CHECK(wrong.headers.count("Set-Cookie") == 0);

  Reply in = api.Call("POST", "/api/v1/session", {}, json{{"email", "Jordan.Pike@example.org"}, {"password", kPassword}}.dump());
  REQUIRE(in.status == 201);
  CHECK(in.body["person"] == "p-panel-chair");
  const std::string set_cookie = in.headers["Set-Cookie"];
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("SameSite=Strict") != std::string::npos);
  auto start = set_cookie.find('=') + 1;
  Credentials chair{"", set_cookie.substr(start, set_cookie.find(';') - start), in.body["csrf_token"]};
  REQUIRE(chair.cookie.size() == 64);

  Reply me = api.Call("GET", "/api/v1/me", chair);
  CHECK(me.status == 200);
  CHECK(me.body["roles"] == json::array({"panel-chair", "panel-member"}));

  // A change without the CSRF token is refused and records nothing.
  json decision = EventBody(api.Step(kStepsBeforeServing));
  auto last_seq = api.Open()->GetReview(api.ref())->last_seq;
  Reply forged = api.Call("POST", "/api/v1/reviews/" + api.ref() + "/events", {"", chair.cookie, ""}, decision.dump());
  CHECK(forged.status == 403);
  CHECK(forged.body["error"].get<std::string>().find("CSRF") != std::string::npos);
  CHECK(api.Open()->GetReview(api.ref())->last_seq == last_seq);
  Reply recorded = api.Call("POST", "/api/v1/reviews/" + api.ref() + "/events", chair, decision.dump());
  INFO(recorded.body.dump());
  CHECK(recorded.status == 201);
  CHECK(api.Open()->GetReview(api.ref())->last_seq == last_seq + 1);

  // Neither the password nor the session's secret is in the file.
  std::string file = testing::ReadBytes(api.path());
  CHECK(file.find(kPassword) == std::string::npos);
  CHECK(file.find(chair.cookie) == std::string::npos);

  // Sign-in attempts are audited, never with the email typed: a wrong password against the
  // account's id (which throttling counts), an unknown email against nobody.
  auto entries = api.AuditAfter(before);
  REQUIRE(entries.size() >= 3);
  CHECK(entries[0].action == "session.create");
  CHECK(entries[0].outcome == "unauthenticated");
  CHECK(entries[0].actor == "anonymous");
  CHECK(entries[0].target == "p-panel-chair");
  CHECK(entries[1].outcome == "unauthenticated");
  CHECK(entries[1].target.empty());
  for (const AuditEntry& e : entries) CHECK(e.target.find('@') == std::string::npos);

  Reply out = api.Call("DELETE", "/api/v1/session", chair);
  CHECK(out.status == 204);
  CHECK(api.Call("GET", "/api/v1/me", chair).status == 401);
}

SCENARIO("A session ends after eight hours", "[http][api][session]") {
  ApiFixture api;
  Reply in = api.Call("POST", "/api/v1/session", {}, json{{"email", "p-spoc"}, {"password", kPassword}}.dump());
  REQUIRE(in.status == 201);
  auto cookie = in.headers["Set-Cookie"];
  Credentials spoc{"", cookie.substr(cookie.find('=') + 1, 64), in.body["csrf_token"]};
  CHECK(api.Call("GET", "/api/v1/me", spoc).status == 200);
  api.clock().Advance(std::chrono::hours{8});
  CHECK(api.Call("GET", "/api/v1/me", spoc).status == 401);
}

SCENARIO("Five wrong passwords hold an account's sign-in for fifteen minutes", "[http][api][session]") {
  ApiFixture api;
  auto sign_in = [&](const char* who, const char* password) {
    return api.Call("POST", "/api/v1/session", {}, json{{"email", who}, {"password", password}}.dump());
  };
  // A right password in between starts the count again.
  for (int i = 0; i < kMaxFailedSignIns - 1; ++i) CHECK(sign_in("p-spoc", "guess number one!").status == 401);
  CHECK(sign_in("p-spoc", kPassword).status == 201);
  for (int i = 0; i < kMaxFailedSignIns; ++i) CHECK(sign_in("p-spoc", "guess number two!").status == 401);
  auto before = api.AuditHead();
  Reply held = sign_in("p-spoc", kPassword);
  CHECK(held.status == 429);
  CHECK(held.body["error"].get<std::string>().find("try again in 15 minutes") != std::string::npos);
  CHECK(held.headers.count("Set-Cookie") == 0);
  // An attempt answered "wait" is counted, not written to the audit log row by row.
  CHECK(api.AuditAfter(before).empty());
  // Another account is not held, and the window passes.
  CHECK(sign_in("p-panel-chair", kPassword).status == 201);
  api.clock().Advance(std::chrono::minutes{14});
  CHECK(sign_in("p-spoc", kPassword).status == 429);
  api.clock().Advance(std::chrono::minutes{2});
  CHECK(sign_in("p-spoc", kPassword).status == 201);
}

SCENARIO("Each role reaches what it needs and is refused the rest, every refusal audited", "[http][api][roles]") {
  ApiFixture api;
  const std::string review = "/api/v1/reviews/" + api.ref();
  const std::vector<std::string> everyone = {"p-board-chair", "p-panel-chair", "p-spoc",   "p-police-lead", "p-csc-author",
                                             "p-hospital-author", "p-csc-sm", "p-board-member", "p-admin"};
  const std::vector<std::string> case_readers = {"p-board-chair", "p-panel-chair", "p-spoc", "p-police-lead"};
  const std::vector<std::string> board_readers = {"p-board-chair", "p-panel-chair", "p-spoc", "p-board-member"};
  struct Endpoint {
    std::string target;
    std::vector<std::string> allowed;
  };
  const std::vector<Endpoint> reads = {
      {"/api/v1/reviews", case_readers},
      {review, case_readers},
      {review + "/events", case_readers},
      {"/api/v1/deadlines", case_readers},
      {"/api/v1/reports/slippage", case_readers},
      {"/api/v1/action-plans", board_readers},
      {"/api/v1/reports/cdop?from=2026-04-01&to=2027-03-31", board_readers},
      {"/api/v1/outbox", {"p-spoc", "p-admin"}},
      {"/api/v1/people", {"p-spoc", "p-admin"}},
      {"/api/v1/audit", {"p-admin"}},
      {"/api/v1/audit/verify", {"p-admin"}},
  };
  for (const Endpoint& e : reads) {
    for (const std::string& person : everyone) {
      bool allowed = std::find(e.allowed.begin(), e.allowed.end(), person) != e.allowed.end();
      auto head = api.AuditHead();
      Reply r = api.As(person, "GET", e.target);
      INFO(person << " GET " << e.target << " -> " << r.status << " " << r.body.dump());
      // A review that is nothing of the caller's is answered as one that does not exist.
      const bool one_review = e.target.rfind(review, 0) == 0;
      CHECK(r.status == (allowed ? 200 : one_review ? 404 : 403));
      auto entries = api.AuditAfter(head);
      REQUIRE(entries.size() == 1);
      CHECK(entries[0].actor == person);
      CHECK(entries[0].outcome == (allowed ? "ok" : "forbidden"));
    }
  }
  // No case details reach those who may not see them: the review list is refused outright,
  // and the board's action-plan view carries no description.
  Reply plans = api.As("p-board-member", "GET", "/api/v1/action-plans");
  CHECK(plans.body.dump().find("description") == std::string::npos);

  // Writes: who may open reviews, make tokens.
  json referral = {{"fields", api.Step(0).fields}};
  for (const std::string& person : everyone) {
    bool allowed = person == "p-spoc" || person == "p-panel-chair";
    Reply r = api.As(person, "POST", "/api/v1/reviews", referral);
    INFO(person << " refers: " << r.status << " " << r.body.dump());
    CHECK(r.status == (allowed ? 201 : 403));
    // A token acts as the person who makes it: only p-spoc makes one for p-spoc.
    Reply t = api.As(person, "POST", "/api/v1/tokens", json{{"person", "p-spoc"}, {"label", "x"}});
    CHECK(t.status == (person == "p-spoc" ? 201 : 403));
  }
  CHECK(*api.Open()->CountReviewsWithPrefix("SCR-") == 3);
}

SCENARIO("The review list comes whole or a page at a time, each row what the review's page says", "[http][api][list]") {
  ApiFixture api;
  json referral = {{"fields", api.Step(0).fields}};
  for (int i = 0; i < 4; ++i) REQUIRE(api.As("p-panel-chair", "POST", "/api/v1/reviews", referral).status == 201);
  Reply whole = api.As("p-panel-chair", "GET", "/api/v1/reviews");
  REQUIRE(whole.status == 200);
  const json& rows = whole.body["reviews"];
  REQUIRE(rows.size() == 5);
  THEN("the whole list has no next page, and each row has the list's fields, as the review's own page gives them") {
    CHECK(whole.body["next"].is_null());
    for (const json& row : rows) {
      Reply one = api.As("p-panel-chair", "GET", "/api/v1/reviews/" + row["ref"].get<std::string>());
      REQUIRE(one.status == 200);
      INFO(row.dump() << "\n" << one.body.dump());
      for (const char* key : {"stage", "open", "next_step", "overdue", "updated_at"}) CHECK(row[key] == one.body[key]);
      CHECK(row.value("next_due", json()) == one.body.value("next_due", json()));
      CHECK(row["kind"] == "scr");
      CHECK(row.size() == (row.contains("next_due") ? 8u : 7u));
    }
  }
  THEN("pages of two, each after the last one's next, give the same rows in the same order") {
    json paged = json::array();
    std::string target = "/api/v1/reviews?limit=2";
    int pages = 0;
    for (;;) {
      Reply page = api.As("p-panel-chair", "GET", target);
      REQUIRE(page.status == 200);
      REQUIRE(page.body["reviews"].size() <= 2);
      ++pages;
      for (const json& row : page.body["reviews"]) paged.push_back(row);
      if (page.body["next"].is_null()) break;
      REQUIRE(page.body["next"] == page.body["reviews"].back()["ref"]);
      target = "/api/v1/reviews?limit=2&after=" + page.body["next"].get<std::string>();
    }
    CHECK(pages == 3);
    CHECK(paged == rows);
  }
  THEN("a limit that is not a whole number of at least 1 is refused, and audited as invalid") {
    for (const char* limit : {"0", "x", "-1", "2x", "", "99999999999"}) {
      auto head = api.AuditHead();
      Reply r = api.As("p-panel-chair", "GET", std::string("/api/v1/reviews?limit=") + limit);
      INFO("limit=" << limit << ": " << r.body.dump());
      CHECK(r.status == 400);
      auto entries = api.AuditAfter(head);
      REQUIRE(entries.size() == 1);
      CHECK(entries[0].outcome == "invalid");
    }
  }
}

SCENARIO("The chair records the panel's decision; a refused or forbidden event changes nothing", "[http][api][record]") {
  ApiFixture api;
  const std::string events = "/api/v1/reviews/" + api.ref() + "/events";
  auto store = api.Open();
  const auto before = *store->GetReview(api.ref());
  const auto notices_before = store->ListNotices({})->size();

  // The board chair may not make the panel's recommendation; the engine refuses the chair's
  // own decision while the panel has not recommended yet.
  Reply forbidden = api.As("p-board-chair", "POST", events, EventBody(api.Step(kStepsBeforeServing)));
  CHECK(forbidden.status == 403);
  Reply too_early = api.As("p-board-chair", "POST", events, EventBody(api.Step(kStepsBeforeServing + 1)));
  CHECK(too_early.status == 409);
  CHECK(too_early.body["error"].get<std::string>().find(api.ref()) != std::string::npos);
  Reply malformed = api.Call("POST", events, {}, "{not json");
  CHECK(malformed.status == 401);
  Reply bad_json = api.As("p-panel-chair", "POST", events, json::array());
  CHECK(bad_json.status == 400);
  Reply missing = api.As("p-panel-chair", "POST", events, json{{"event", "ScrRecommended"}, {"fields", json::object()}});
  CHECK(missing.status == 400);
  auto after_refusals = *store->GetReview(api.ref());
  CHECK(after_refusals == before);
  CHECK(store->ListNotices({})->size() == notices_before);

  Reply recommended = api.As("p-panel-chair", "POST", events, EventBody(api.Step(kStepsBeforeServing)));
  INFO(recommended.body.dump());
  REQUIRE(recommended.status == 201);
  CHECK(recommended.body["stage"] == "AwaitingChairDecision");
  Reply decided = api.As("p-board-chair", "POST", events, EventBody(api.Step(kStepsBeforeServing + 1)));
  INFO(decided.body.dump());
  REQUIRE(decided.status == 201);
  CHECK(decided.body["stage"] == "Commissioning");

  Reply shown = api.As("p-panel-chair", "GET", "/api/v1/reviews/" + api.ref());
  CHECK(shown.body["stage"] == "Commissioning");
  Reply log = api.As("p-spoc", "GET", events);
  CHECK(log.body["events"].back()["type"] == "ChairDecidedToProceed");
  CHECK(log.body["events"].back()["by"] == "p-board-chair");
  CHECK(store->ListNotices({})->size() > notices_before);  // the decision told the people who act

  AuditFilter about;
  about.target = api.ref();
  auto entries = *store->ListAudit(about);
  std::vector<std::string> outcomes;
  for (const auto& e : entries)
    if (e.action == "review.record") outcomes.push_back(e.actor + ":" + e.outcome);
  CHECK(outcomes == std::vector<std::string>{"p-board-chair:forbidden", "p-board-chair:refused", "p-panel-chair:invalid",
                                             "p-panel-chair:invalid", "p-panel-chair:ok", "p-board-chair:ok"});
}

SCENARIO("An author sees only their own IMR, submits it, and cannot touch another agency's", "[http][api][author]") {
  ApiFixture api;
  const std::string events = "/api/v1/reviews/" + api.ref() + "/events";
  RunToImrsInProgress(api);
  Reply tasks = api.As("p-csc-author", "GET", "/api/v1/tasks");
  REQUIRE(tasks.status == 200);
  REQUIRE(tasks.body["tasks"].size() == 1);
  CHECK(tasks.body["tasks"][0]["review"] == api.ref());
  CHECK(tasks.body["tasks"][0]["agency"] == "csc");
  CHECK(tasks.body["tasks"][0]["as"] == "author");
  CHECK_FALSE(tasks.body["tasks"][0]["due"].get<std::string>().empty());
  CHECK(api.As("p-csc-author", "GET", "/api/v1/reviews/" + api.ref()).status == 403);
  Reply manager_tasks = api.As("p-csc-sm", "GET", "/api/v1/tasks");
  REQUIRE(manager_tasks.body["tasks"].size() == 1);
  CHECK(manager_tasks.body["tasks"][0]["as"] == "senior-manager");

  auto last = api.Open()->GetReview(api.ref())->last_seq;
  Reply other = api.As("p-hospital-author", "POST", events, json{{"event", "ImrSubmitted"}, {"fields", {{"agency", "csc"}}}});
  CHECK(other.status == 403);
  CHECK(api.Open()->GetReview(api.ref())->last_seq == last);
  Reply own = api.As("p-csc-author", "POST", events, json{{"event", "ImrSubmitted"}, {"fields", {{"agency", "csc"}}}});
  INFO(own.body.dump());
  CHECK(own.status == 201);
  CHECK(api.Open()->GetReview(api.ref())->last_seq == last + 1);
  Reply again = api.As("p-csc-author", "GET", "/api/v1/tasks");
  CHECK(again.body["tasks"][0]["stage"] != tasks.body["tasks"][0]["stage"]);
}

SCENARIO("The appointed overview writer sees the overview as a task and submits it; nobody else but the panel does",
         "[http][api][author]") {
  ApiFixture api;
  const std::string events = "/api/v1/reviews/" + api.ref() + "/events";
  const std::size_t i =
      RunUntil(api, [](std::size_t, const ScenarioStep& step) { return step.event == "OverviewReportSubmitted"; });
  REQUIRE(api.Open()->GetReview(api.ref())->stage == "OverviewDrafting");
  Reply tasks = api.As("p-writer", "GET", "/api/v1/tasks");
  REQUIRE(tasks.status == 200);
  REQUIRE(tasks.body["tasks"].size() == 1);
  CHECK(tasks.body["tasks"][0]["task"] == "overview");
  CHECK(tasks.body["tasks"][0]["as"] == "overview-writer");
  CHECK(tasks.body["tasks"][0]["stage"] == "OverviewDrafting");
  CHECK(tasks.body["tasks"][0]["due"].get<std::string>().size() == 10);

  const ScenarioStep& submit = api.Step(i);
  api.clock().Set(submit.at);
  auto last = api.Open()->GetReview(api.ref())->last_seq;
  Reply author = api.As("p-csc-author", "POST", events, EventBody(submit));
  CHECK(author.status == 403);
  CHECK(api.Open()->GetReview(api.ref())->last_seq == last);
  Reply writer = api.As("p-writer", "POST", events, EventBody(submit));
  INFO(writer.body.dump());
  CHECK(writer.status == 201);
  CHECK(api.Open()->GetReview(api.ref())->stage == "PanelQualityAssurance");
  Reply after = api.As("p-writer", "GET", "/api/v1/tasks");
  CHECK(after.body["tasks"][0]["stage"] == "PanelQualityAssurance");
}

SCENARIO("A retried request with its Idempotency-Key is answered with the first result, not done again",
         "[http][api][idempotency]") {
  ApiFixture api;
  const std::string events = "/api/v1/reviews/" + api.ref() + "/events";
  auto count = [&](const std::string& action, const std::string& outcome) {
    AuditFilter f;
    f.actor = "p-panel-chair";
    auto entries = api.Open()->ListAudit(f);  // kept: a range-for does not extend the life of a temporary's part
    REQUIRE(entries.ok());
    int n = 0;
    for (const auto& e : *entries) n += e.action == action && e.outcome == outcome;
    return n;
  };
  const json referral = {{"fields", api.Step(0).fields}};
  REQUIRE(referral["fields"].is_object());
  const std::size_t reviews_before = api.Open()->ListReviews({})->size();

  Reply first = api.AsWithKey("p-panel-chair", "POST", "/api/v1/reviews", referral, "7d3c0f4e-referral");
  INFO(first.body.dump());
  REQUIRE(first.status == 201);
  const std::string ref = first.body["ref"];
  CHECK(count("review.refer", "ok") == 1);  // written with the review, once

  Reply retry = api.AsWithKey("p-panel-chair", "POST", "/api/v1/reviews", referral, "7d3c0f4e-referral");
  CHECK(retry.status == 201);
  CHECK(retry.body["ref"] == ref);
  CHECK(retry.headers["Idempotent-Replayed"] == "true");
  CHECK(api.Open()->ListReviews({})->size() == reviews_before + 1);
  CHECK(count("review.refer", "ok") == 1);
  CHECK(count("review.refer", "replayed") == 1);

  json other = referral;
  other["fields"]["summary"] = "a different referral";
  Reply reused = api.AsWithKey("p-panel-chair", "POST", "/api/v1/reviews", other, "7d3c0f4e-referral");
  CHECK(reused.status == 422);
  CHECK_THAT(reused.body["error"].get<std::string>(), Catch::Contains("different request"));
  CHECK(api.Open()->ListReviews({})->size() == reviews_before + 1);

  Reply bad = api.AsWithKey("p-panel-chair", "POST", "/api/v1/reviews", referral, "has spaces in it");
  CHECK(bad.status == 400);
  CHECK_THAT(bad.body["error"].get<std::string>(), Catch::Contains("Idempotency-Key"));
  CHECK(api.Open()->ListReviews({})->size() == reviews_before + 1);

  // Recording: the event once, the same answer twice.
  const ScenarioStep& step = api.Step(kStepsBeforeServing);
  api.clock().Set(step.at);
  auto last = api.Open()->GetReview(api.ref())->last_seq;
  Reply recorded = api.AsWithKey("p-panel-chair", "POST", events, EventBody(step), "record-1");
  INFO(recorded.body.dump());
  REQUIRE(recorded.status == 201);
  Reply again = api.AsWithKey("p-panel-chair", "POST", events, EventBody(step), "record-1");
  CHECK(again.status == 201);
  CHECK(again.body == recorded.body);
  CHECK(api.Open()->GetReview(api.ref())->last_seq == last + 1);
  CHECK(count("review.record", "ok") == 1);
  // Keys are their sender's: the same key from someone else is a new request of theirs.
  CHECK(api.AsWithKey("p-spoc", "POST", events, EventBody(step), "record-1").status != 201);
  CHECK(api.Open()->GetReview(api.ref())->last_seq == last + 1);

  // A token: the secret is never shown twice, so a retry is told which token it made.
  Reply token = api.AsWithKey("p-panel-chair", "POST", "/api/v1/tokens", json{{"label", "laptop"}}, "token-1");
  REQUIRE(token.status == 201);
  Reply token_again = api.AsWithKey("p-panel-chair", "POST", "/api/v1/tokens", json{{"label", "laptop"}}, "token-1");
  CHECK(token_again.status == 409);
  CHECK(token_again.body["id"] == token.body["id"]);
  CHECK(token_again.body.dump().find(token.body["token"].get<std::string>()) == std::string::npos);
}

SCENARIO("Reviews of every kind open at one address, the kind named in the body", "[http][api][kinds]") {
  ApiFixture api;
  auto cdop = ParseScenario(testing::ReadBytes(testing::ExamplePath("cdop_unexpected_death.json")));
  REQUIRE(cdop.ok());
  const json notification = cdop->steps.front().fields;
  const std::size_t before = api.Open()->ListReviews({})->size();

  Reply opened = api.As("p-spoc", "POST", "/api/v1/reviews", json{{"kind", "cdop"}, {"fields", notification}});
  INFO(opened.body.dump());
  REQUIRE(opened.status == 201);
  CHECK_THAT(opened.body["ref"].get<std::string>(), Catch::StartsWith("CDR-"));
  CHECK(api.Open()->GetReview(opened.body["ref"].get<std::string>())->kind == "cdop");

  // Only the business officer notifies a death, whichever address is used.
  CHECK(api.As("p-panel-chair", "POST", "/api/v1/reviews", json{{"kind", "cdop"}, {"fields", notification}}).status == 403);
  for (const json& kind : {json("nope"), json(5), json("scr")}) {
    Reply bad = api.As("p-spoc", "POST", "/api/v1/child-deaths", json{{"kind", kind}, {"fields", notification}});
    INFO(kind.dump() << ": " << bad.body.dump());
    CHECK(bad.status == 400);
  }
  Reply unknown = api.As("p-spoc", "POST", "/api/v1/reviews", json{{"kind", "nope"}, {"fields", notification}});
  CHECK(unknown.status == 400);
  CHECK_THAT(unknown.body["error"].get<std::string>(), Catch::Contains("kind of review"));
  CHECK(api.Open()->ListReviews({})->size() == before + 1);
}

SCENARIO("An administrator reads and verifies their own board's audit log only", "[http][api][audit][boards]") {
  ApiFixture api;
  // A second board on the same database, with its own administrator.
  std::string admin_b;
  {
    auto store = api.Open();
    BoardData other{{"elsewhere", "Elsewhere Safeguarding Children Board", "seed-2010", {false, 3, {}}},
                    {},
                    {{"p-admin-b", "elsewhere", "Admin B", "admin-b@example.org", "", {"administrator"}}}};
    REQUIRE(store->ImportBoardData(other).ok());
    auto token = Access(*store, api.clock()).CreateToken("elsewhere", "p-admin-b", "tests");
    REQUIRE(token.ok());
    admin_b = token->secret;
  }
  const Credentials b{admin_b, "", ""};
  REQUIRE(api.As("p-panel-chair", "GET", "/api/v1/reviews/" + api.ref()).status == 200);
  REQUIRE(api.As("p-admin", "GET", "/api/v1/audit").status == 200);

  const std::vector<std::string> queries = {"", "?target=" + api.ref(), "?actor=p-panel-chair", "?actor=p-admin",
                                            "?after=0&limit=5000"};
  for (const std::string& query : queries) {
    Reply log = api.Call("GET", "/api/v1/audit" + query, b);
    INFO(query << ": " << log.body.dump());
    REQUIRE(log.status == 200);
    for (const auto& e : log.body["entries"]) {
      CHECK(e["board"] == "elsewhere");
      CHECK(e["target"] != api.ref());
      CHECK(e["actor"] == "p-admin-b");
    }
  }
  Reply mine = api.As("p-admin", "GET", "/api/v1/audit?target=" + api.ref());
  REQUIRE(mine.status == 200);
  REQUIRE_FALSE(mine.body["entries"].empty());
  for (const auto& e : mine.body["entries"]) CHECK(e["board"] == "demo");

  // The chain is checked whole; the counts and head given are the caller's board's.
  Reply verified = api.Call("GET", "/api/v1/audit/verify", b);
  REQUIRE(verified.status == 200);
  CHECK(verified.body["intact"] == true);
  AuditFilter board_b;
  board_b.board = "elsewhere";
  auto b_entries = *api.Open()->ListAudit(board_b);
  CHECK(verified.body["entries"].get<std::size_t>() + 1 == b_entries.size());  // + this verify itself
  CHECK(verified.body["head_seq"].get<std::int64_t>() < api.AuditHead());
}

SCENARIO("Administrators read and verify the audit log and revoke tokens", "[http][api][audit]") {
  ApiFixture api;
  CHECK(api.As("p-panel-chair", "GET", "/api/v1/reviews/" + api.ref()).status == 200);
  Reply log = api.As("p-admin", "GET", "/api/v1/audit?actor=p-panel-chair");
  REQUIRE(log.status == 200);
  REQUIRE(log.body["entries"].size() == 1);
  CHECK(log.body["entries"][0]["action"] == "review.read");
  CHECK(log.body["entries"][0]["target"] == api.ref());
  CHECK(api.As("p-admin", "GET", "/api/v1/audit?limit=lots").status == 400);
  Reply verified = api.As("p-admin", "GET", "/api/v1/audit/verify");
  CHECK(verified.body["intact"] == true);
  CHECK(verified.body["entries"].get<int>() >= 2);

  Reply made = api.As("p-spoc", "POST", "/api/v1/tokens", json{{"label", "reporting"}});
  REQUIRE(made.status == 201);
  Credentials spoc{made.body["token"], "", ""};
  CHECK(api.Call("GET", "/api/v1/me", spoc).status == 200);
  CHECK(api.As("p-admin", "DELETE", "/api/v1/tokens/" + made.body["id"].get<std::string>()).status == 204);
  CHECK(api.Call("GET", "/api/v1/me", spoc).status == 401);
  CHECK(api.As("p-admin", "DELETE", "/api/v1/tokens/tok-unknown").status == 404);
}

SCENARIO("Each person has a private iCalendar feed of their own due dates", "[http][api][calendar]") {
  ApiFixture api;
  const std::string events = "/api/v1/reviews/" + api.ref() + "/events";
  RunToImrsInProgress(api);
  Reply address = api.As("p-csc-author", "GET", "/api/v1/calendar");
  REQUIRE(address.status == 200);
  const std::string path = address.body["path"];
  CHECK(path.rfind("/calendar/demo/p-csc-author/", 0) == 0);

  // Fetched as a calendar program would: no sign-in, the key in the address.
  auto feed_of = [&](const std::string& target) { return api.Call("GET", target); };
  auto head = api.AuditHead();
  Reply bad = feed_of("/calendar/demo/p-csc-author/" + std::string(64, '0') + ".ics");
  CHECK(bad.status == 404);
  Reply other = feed_of("/calendar/demo/p-hospital-author/" + path.substr(path.rfind('/') + 1));
  CHECK(other.status == 404);  // one person's key does not open another's feed

  Reply fetched = api.Call("GET", path);
  CHECK(fetched.status == 200);
  CHECK(fetched.headers["Content-Type"].rfind("text/calendar", 0) == 0);
  // The text, parsed back with libical.
  std::string text = api.Raw(path);
  icalcomponent* calendar = icalparser_parse_string(text.c_str());
  REQUIRE(calendar != nullptr);
  std::vector<std::string> summaries, uids, starts;
  for (icalcomponent* e = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); e != nullptr;
       e = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
    summaries.push_back(icalcomponent_get_summary(e));
    uids.push_back(icalcomponent_get_uid(e));
    starts.push_back(icaltime_as_ical_string(icalcomponent_get_dtstart(e)));
  }
  icalcomponent_free(calendar);
  REQUIRE(summaries.size() == 1);
  CHECK(summaries[0] == api.ref() + ": IMR (csc) due");
  CHECK(uids[0] == api.ref() + "/imr:csc/author@casereview");
  auto review = api.Open()->GetReview(api.ref());
  std::string due = json::parse(review->projection)["imrs"][0]["due"];
  due.erase(std::remove(due.begin(), due.end(), '-'), due.end());
  CHECK(starts[0] == due);

  // The panel chair's feed has every deadline not yet met on the board's open reviews.
  Reply chair_address = api.As("p-panel-chair", "GET", "/api/v1/calendar");
  std::string chair_feed = api.Raw(chair_address.body["path"]);
  CHECK(chair_feed.find("SUMMARY:" + api.ref() + ": IMR") != std::string::npos);
  CHECK(chair_feed.find("BEGIN:VCALENDAR") == 0);
  // Nothing but references, tasks and agencies: no name from the board or the case.
  for (const char* name : {"Avery", "Thorne", "Jordan"}) CHECK(chair_feed.find(name) == std::string::npos);

  // A new feed secret: the address given out no longer opens the feed.
  REQUIRE(RotateCalendarFeeds(*api.Open(), api.clock().Now()).ok());
  CHECK(api.Call("GET", path).status == 404);

  auto entries = api.AuditAfter(head);
  std::vector<std::string> seen;
  for (const auto& e : entries)
    if (e.action == "calendar.read") seen.push_back(e.actor + ":" + e.outcome);
  CHECK(seen == std::vector<std::string>{"anonymous:not-found", "anonymous:not-found", "p-csc-author:ok",
                                         "p-csc-author:ok", "p-panel-chair:ok", "anonymous:not-found"});
}

SCENARIO("A path that is not UTF-8 gets a JSON 404, not a failure (found by the api_request fuzzer)", "[http][api]") {
  auto store = NewMemoryStore();
  ManualClock clock{Instant{}};
  Engine engine(*store, clock);
  http::Request req;
  req.method = "GET";
  req.path = "/api/v1/\xa2\x8a" "dit";
  http::Response r = http::Handle(req, *store, engine, clock, http::ApiOptions{});
  CHECK(r.status == 404);
  json body = json::parse(r.body, nullptr, false);
  REQUIRE_FALSE(body.is_discarded());
  CHECK(body["error"].get<std::string>().find("no such endpoint") != std::string::npos);
}

SCENARIO("The board's set-up and the outbox are kept over the API by its keepers only", "[http][api][admin]") {
  ApiFixture api;
  // The business officer adds an agency and a person to it; the board shows both.
  CHECK(api.As("p-spoc", "POST", "/api/v1/agencies", json{{"id", "ambulance"}, {"name", "Ambulance Trust"}, {"sector", "health"}}).status == 200);
  Reply added = api.As("p-spoc", "POST", "/api/v1/people",
                       json{{"id", "p-amb-author"}, {"name", "Ari Lane"}, {"email", "ari.lane@example.org"},
                            {"agency", "ambulance"}, {"roles", {"imr-author"}}});
  CHECK(added.status == 200);
  Reply board = api.As("p-spoc", "GET", "/api/v1/board");
  REQUIRE(board.status == 200);
  auto has_id = [](const json& list, const char* id) {
    return std::any_of(list.begin(), list.end(), [&](const json& x) { return x["id"] == id; });
  };
  CHECK(has_id(board.body["agencies"], "ambulance"));
  CHECK(has_id(board.body["people"], "p-amb-author"));

  // Bad input is named and changes nothing; only an administrator makes an administrator.
  Reply unknown_role = api.As("p-spoc", "POST", "/api/v1/people",
                              json{{"id", "p-x"}, {"name", "X"}, {"email", "x@example.org"}, {"roles", {"wizard"}}});
  CHECK(unknown_role.status == 400);
  CHECK(unknown_role.body["error"].get<std::string>().find("wizard") != std::string::npos);
  CHECK(api.As("p-spoc", "POST", "/api/v1/people",
               json{{"id", "p-y"}, {"name", "Y"}, {"email", "y@example.org"}, {"roles", {"administrator"}}}).status == 403);
  CHECK(api.As("p-admin", "POST", "/api/v1/people",
               json{{"id", "p-y"}, {"name", "Y"}, {"email", "y@example.org"}, {"roles", {"administrator"}}}).status == 200);
  Reply after = api.As("p-admin", "GET", "/api/v1/board");
  CHECK_FALSE(has_id(after.body["people"], "p-x"));

  // Others are refused, and each refusal audited.
  for (const char* who : {"p-panel-chair", "p-csc-author", "p-board-member"}) {
    CHECK(api.As(who, "GET", "/api/v1/board").status == 403);
    CHECK(api.As(who, "POST", "/api/v1/agencies", json{{"id", "a"}, {"name", "A"}, {"sector", "health"}}).status == 403);
    CHECK(api.As(who, "POST", "/api/v1/outbox/retry", json{{"all", true}}).status == 403);
  }
  Reply refusals = api.As("p-admin", "GET", "/api/v1/audit?actor=p-board-member");
  CHECK(refusals.body["entries"].size() == 3);

  // The whole board file: only an administrator, only their own board, all or nothing.
  json file = board.body;
  file.erase("meetings");
  CHECK(api.As("p-spoc", "PUT", "/api/v1/board", file).status == 403);
  json other = file;
  other["board"]["id"] = "elsewhere";
  CHECK(api.As("p-admin", "PUT", "/api/v1/board", other).status == 403);
  json broken = file;
  broken["people"].push_back({{"id", "p-z"}, {"name", "Z"}, {"email", "z@example.org"}, {"agency", "nowhere"}, {"roles", {"imr-author"}}});
  broken["agencies"].push_back({{"id", "fire"}, {"name", "Fire"}, {"sector", "other"}});
  CHECK(api.As("p-admin", "PUT", "/api/v1/board", broken).status == 400);
  CHECK_FALSE(has_id(api.As("p-admin", "GET", "/api/v1/board").body["agencies"], "fire"));
  CHECK(api.As("p-admin", "PUT", "/api/v1/board", file).status == 200);

  // Board meetings, for the digest.
  CHECK(api.As("p-board-chair", "POST", "/api/v1/board/meetings", json{{"date", "2026-12-10"}}).status == 201);
  CHECK(api.As("p-spoc", "POST", "/api/v1/board/meetings", json{{"date", "2026-13-01"}}).status == 400);
  CHECK(api.As("p-spoc", "GET", "/api/v1/board").body["meetings"] == json::array({"2026-12-10"}));

  // Outbox retry: one notice or all, never neither.
  CHECK(api.As("p-spoc", "POST", "/api/v1/outbox/retry", json::object()).status == 400);
  Reply retried = api.As("p-spoc", "POST", "/api/v1/outbox/retry", json{{"all", true}});
  CHECK(retried.status == 200);
  CHECK(retried.body["queued"] == 0);  // nothing has failed here
}

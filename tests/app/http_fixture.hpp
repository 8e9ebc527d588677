// A server over real HTTP for the app's tests (http_api_test.cpp, web_pages_test.cpp): a
// SQLite file holding the demo board, with an administrator and a board member added, and
// the example review run part-way; the server listens on a free loopback port.
#pragma once

#include <catch2/catch.hpp>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include <atomic>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "access.hpp"
#include "board_import.hpp"
#include "casereview/sqlite_store.hpp"
#include "http/server.hpp"
#include "scenario.hpp"
#include "support/test_support.hpp"

namespace casereview::testing {

// A clock the test moves while the server's threads read it.
class SharedClock final : public Clock {
 public:
  explicit SharedClock(Instant t) : seconds_(t.time_since_epoch().count()) {}
  Instant Now() const override { return Instant{std::chrono::seconds{seconds_.load()}}; }
  void Advance(std::chrono::seconds d) { seconds_ += d.count(); }
  void Set(Instant t) { seconds_ = t.time_since_epoch().count(); }

 private:
  std::atomic<std::int64_t> seconds_;
};

// How a request says who it is from; empty parts are not sent.
struct Credentials {
  std::string token;   // Bearer
  std::string cookie;  // casereview_session
  std::string csrf;    // X-CSRF-Token
  std::string sign_in_cookie;  // casereview_signin (the sign-in form's)
  std::string idempotency_key;  // Idempotency-Key
};

// One response as it came over the wire. Of a repeated header, the last.
struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// An event's JSON fields as a browser posts them: a list is the name repeated.
inline std::vector<std::pair<std::string, std::string>> FormFields(const nlohmann::json& fields) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : fields.items()) {
    if (value.is_array())
      for (const nlohmann::json& v : value) out.emplace_back(name, v.get<std::string>());
    else if (value.is_boolean())
      out.emplace_back(name, value.get<bool>() ? "true" : "false");
    else
      out.emplace_back(name, value.get<std::string>());
  }
  return out;
}

// application/x-www-form-urlencoded, as a browser sends a form.
inline std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    std::string n, v;
    Poco::URI::encode(name, "&=+#;/?:@", n);
    Poco::URI::encode(value, "&=+#;/?:@", v);
    body += (body.empty() ? "" : "&") + n + "=" + v;
  }
  return body;
}

inline constexpr const char* kPassword = "correct horse battery staple";
inline constexpr std::size_t kStepsBeforeServing = 5;  // the panel has met twice; ScrRecommended is next

// Everyone the fixture makes an API token for.
inline const std::vector<std::string>& PeopleWithTokens() {
  static const std::vector<std::string> people = {"p-board-chair",     "p-panel-chair", "p-spoc",
                                                  "p-police-lead",     "p-csc-author",  "p-hospital-author",
                                                  "p-csc-sm",          "p-board-member", "p-admin", "p-writer"};
  return people;
}

// The demo board with an administrator and a board member added, the example review run
// through its first `steps` steps (by default to just before the panel's recommendation),
// and a server over the same file. The clock stands an hour after the last step run.
class ServedReview {
 public:
  explicit ServedReview(std::size_t steps = kStepsBeforeServing) : clock_(Instant{}) {
    path_ = dir_.File("api.db");
    auto scenario = ParseScenario(ReadBytes(ExamplePath("scr_full_lifecycle.json")));
    REQUIRE(scenario.ok());
    scenario_ = *scenario;
    {
      auto store = OpenSqliteStore(path_);
      REQUIRE(store.ok());
      ManualClock setup_clock(scenario_.steps.front().at);
      Engine engine(**store, setup_clock);
      auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
      REQUIRE(board.ok());
      board->people.push_back({"p-admin", "demo", "Admin", "admin@example.org", "", {"administrator"}});
      board->people.push_back({"p-board-member", "demo", "Member", "member@example.org", "", {"board-member"}});
      REQUIRE(engine.ImportBoardData(*board).ok());
      ScenarioRunner runner(scenario_);
      for (std::size_t i = 0; i < steps; ++i) {
        auto out = runner.RunStep(i, engine, setup_clock, store->get());
        INFO("step " << i << ": " << out.status().message());
        REQUIRE(out.ok());
      }
      ref_ = runner.review_ref();
      clock_.Set(setup_clock.Now() + std::chrono::hours{1});
      Access access(**store, clock_);
      for (const char* person : {"p-panel-chair", "p-spoc"}) REQUIRE(access.SetPassword("demo", person, kPassword).ok());
      for (const std::string& person : PeopleWithTokens()) {
        auto t = access.CreateToken("demo", person, "tests");
        REQUIRE(t.ok());
        tokens_[person] = t->secret;
      }
    }
    http::ServerOptions options;
    options.db_path = path_;
    options.port = 0;
    server_ = std::make_unique<http::Server>(options, clock_);
    Status started = server_->Start();
    INFO(started.message());
    REQUIRE(started.ok());
  }

  // One request over HTTP, its body of `content_type`. Redirects are not followed.
  HttpReply Send(const std::string& method, const std::string& target, const Credentials& who = {},
                 const std::string& body = "", const std::string& content_type = "application/json") {
    Poco::Net::HTTPClientSession session("127.0.0.1", server_->port());
    Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!who.token.empty()) request.set("Authorization", "Bearer " + who.token);
    std::string cookies;
    if (!who.cookie.empty()) cookies = std::string(http::kSessionCookie) + "=" + who.cookie;
    if (!who.sign_in_cookie.empty())
      cookies += (cookies.empty() ? "" : "; ") + std::string(http::kSignInCookie) + "=" + who.sign_in_cookie;
    if (!cookies.empty()) request.set("Cookie", cookies);
    if (!who.csrf.empty()) request.set("X-CSRF-Token", who.csrf);
    if (!who.idempotency_key.empty()) request.set("Idempotency-Key", who.idempotency_key);
    if (!body.empty()) {
      request.setContentType(content_type);
      request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    std::ostringstream text;
    text << in.rdbuf();
    HttpReply r;
    r.status = static_cast<int>(response.getStatus());
    for (const auto& [k, v] : response) r.headers[k] = v;
    r.body = text.str();
    return r;
  }
  // The body of a GET that must succeed, with no sign-in (a calendar feed).
  std::string Raw(const std::string& target) {
    HttpReply r = Send("GET", target);
    REQUIRE(r.status == 200);
    return r.body;
  }

  // A password (kPassword) for someone the fixture did not give one.
  void GivePassword(const std::string& person) {
    auto store = Open();
    REQUIRE(Access(*store, clock_).SetPassword("demo", person, kPassword).ok());
  }
  // Runs `f(engine, store)` on a connection of its own, as a second process would.
  template <typename F>
  void WithEngine(F&& f) {
    auto store = Open();
    Engine engine(*store, clock_);
    f(engine, *store);
  }

  // Direct reads of the file, as a second process would.
  std::unique_ptr<Store> Open() {
    auto store = OpenSqliteStore(path_);
    REQUIRE(store.ok());
    return std::move(*store);
  }
  std::vector<AuditEntry> AuditAfter(std::int64_t seq) {
    AuditFilter f;
    f.after_seq = seq;
    auto entries = Open()->ListAudit(f);
    REQUIRE(entries.ok());
    return *entries;
  }
  std::int64_t AuditHead() {
    auto all = AuditAfter(0);
    return all.empty() ? 0 : all.back().seq;
  }

  const ScenarioStep& Step(std::size_t i) const { return scenario_.steps.at(i); }
  const std::string& ref() const { return ref_; }
  const std::string& token(const std::string& person) const { return tokens_.at(person); }
  SharedClock& clock() { return clock_; }
  const std::string& path() const { return path_; }
  std::uint16_t port() const { return server_->port(); }

 private:
  TempDir dir_;
  std::string path_;
  Scenario scenario_;
  std::string ref_;
  SharedClock clock_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace casereview::testing

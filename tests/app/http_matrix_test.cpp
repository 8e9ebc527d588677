// The permission matrix (docs/api.md "Roles" and "Endpoints", docs/web.md "Who sees what",
// docs/security.md "Who sees what"), generated from one table: every endpoint of the API and
// every page and form, for every role of engine/board.cpp, against the caller's own board and
// against a second board in the same database, over real HTTP. Each row says what each role
// gets on its own board and on the other one. In every cell besides: a refused write changes
// nothing (reviews and their last_seq, people, agencies, tokens, notices, meetings), an allowed
// one only its own board; a refusal of a change or of a look at a review is in the caller's
// board's audit log; a review that is not the caller's is answered exactly as one that does not
// exist (and, on another board, audited as one); no answer names another board's references or
// people's addresses, nor a child's name or NHS number outside the review's log.
// The rules are in engine/permissions.cpp; this test only asks.
#include <catch2/catch.hpp>

#include <Poco/URI.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "board_import.hpp"
#include "digest.hpp"
#include "http_fixture.hpp"

using namespace casereview;
using nlohmann::json;

namespace {

using testing::Credentials;
using testing::HttpReply;
using testing::kPassword;

// Who plays each role of KnownRoles() (engine/board.cpp), one person each: the person's id is
// the board's prefix ("p-" on the demo board, "q-" on the other) and this.
const std::map<std::string, std::string>& Cast() {
  static const std::map<std::string, std::string> cast = {
      {"board-chair", "board-chair"},       {"board-member", "board-member"}, {"panel-chair", "panel-chair"},
      {"panel-member", "police-lead"},      {"business-officer", "spoc"},     {"imr-author", "csc-author"},
      {"report-author", "report-author"},   {"senior-manager", "csc-sm"},     {"overview-writer", "writer"},
      {"lead-officer", "lead-officer"},     {"administrator", "admin"}};
  return cast;
}

using Roles = std::vector<std::string>;
const Roles kCaseReaders = {"board-chair", "panel-chair", "panel-member", "business-officer"};
const Roles kBoardReaders = {"board-chair", "board-member", "panel-chair", "business-officer"};
const Roles kRecorders = {"business-officer", "panel-chair"};
const Roles kKeepers = {"administrator", "business-officer"};
// Those with something of their own on a review (an IMR, a form, the overview, an action), who
// are told it exists but not shown it: the csc IMR's author and senior manager and the
// appointed overview writer on the SCRs; the lead officer of action A1 too once there is a plan;
// on the child death review the author of the agency forms and the csc senior manager (csc's form).
const Roles kOnScr = {"imr-author", "senior-manager", "overview-writer"};
const Roles kOnPlan = {"imr-author", "senior-manager", "overview-writer", "lead-officer"};
const Roles kOnDeath = {"report-author", "senior-manager"};

// What each role gets: the status of the roles named, `rest` for every other role.
using Expect = std::map<std::string, int>;
Expect Cells(const std::vector<std::pair<int, Roles>>& groups, int rest) {
  Expect e;
  for (std::string_view role : KnownRoles()) e[std::string(role)] = rest;
  std::set<std::string> named;
  for (const auto& [status, roles] : groups)
    for (const std::string& role : roles) {
      if (!named.insert(role).second || !e.count(role)) throw std::logic_error("the matrix names " + role + " twice or unknown");
      e[role] = status;
    }
  return e;
}
Expect All(int status) { return Cells({}, status); }

Roles Plus(Roles a, const Roles& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
// The case readers who are not in `except`.
Roles CaseReadersBut(const Roles& except) {
  Roles out;
  for (const std::string& r : kCaseReaders)
    if (std::find(except.begin(), except.end(), r) == except.end()) out.push_back(r);
  return out;
}

using testing::FormEncode;

using testing::FormFields;

// The value of a read that must succeed (a temporary the loop over it outlives).
template <typename T>
T Got(Result<T> r) {
  REQUIRE(r.ok());
  return std::move(*r);
}

// A form's body as typed ("+" a space, %-escapes decoded).
std::string FormDecoded(std::string body) {
  std::replace(body.begin(), body.end(), '+', ' ');
  std::string out;
  Poco::URI::decode(body, out);
  return out;
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// One board as the matrix uses it: its people by role, its agencies, and its reviews.
struct Side {
  std::string board;
  std::string prefix;         // of its people's ids
  std::string agency_prefix;  // of its agencies' ids
  std::string imr;            // an SCR with IMRs in progress (csc, hospital, police) and an overview writer
  std::string overview;       // an SCR whose overview report is being drafted
  std::string plan;           // an SCR whose action plan is monitored; action A1 led by the lead officer
  std::string death;          // a child death review; the report author writes the agency forms
  std::string Person(const std::string& role) const { return prefix + Cast().at(role); }
  std::string Agency(const std::string& demo_id) const { return agency_prefix + demo_id; }
};

// The request a cell sends.
struct Ask {
  std::string method;
  std::string target;
  std::string body;
  Credentials who;
  std::string content_type = "application/json";
};

class Matrix;

// One cell: a role of `caller`'s board asking about `target` (the same board, or the other).
struct Cell {
  Matrix& m;
  std::string role;
  const Side& caller;
  const Side& target;
  int n;  // a number of its own, for names and dates that must not repeat

  bool own() const { return &caller == &target; }
  std::string me() const { return caller.Person(role); }
};

struct Row {
  std::string what;
  std::function<Ask(Cell&)> ask;
  Expect own;
  Expect other;
  bool write = false;     // must change nothing when refused
  bool changes = false;   // when allowed, must change the caller's board
  bool review = false;    // addresses a review: a 404 must be the answer for one that does not exist
};

// The demo board of the fixture, with a report author and a lead officer added and each person
// of the cast given one role only, and its mirror "elsewhere" with the same roles; on each, the
// reviews of Side; every person of the cast with an API token, a browser session and a password.
class Matrix : public testing::ServedReview {
 public:
  Side a{"demo", "p-", "", "", "", "", ""};
  Side b{"elsewhere", "q-", "els-", "", "", "", ""};

  Matrix() {
    store_ = Open();
    {
      Engine engine(*store_, clock());
      REQUIRE(engine.PutPerson({"p-report-author", "demo", "Kit Rennard", "kit.rennard@example.org", "caretrust", {"report-author"}, std::nullopt}).ok());
      REQUIRE(engine.PutPerson({"p-lead-officer", "demo", "Lee Ordway", "lee.ordway@example.org", "csc", {"lead-officer"}, std::nullopt}).ok());
      // One role each, so each column of the matrix is one role's: the demo board's panel chair
      // also sits as a panel member, and its senior managers also lead actions.
      for (auto [id, role] : {std::pair{"p-panel-chair", "panel-chair"}, std::pair{"p-csc-sm", "senior-manager"}}) {
        auto people = engine.LoadBoardData("demo");
        REQUIRE(people.ok());
        for (Person p : people->people)
          if (p.id == id) {
            p.roles = {role};
            REQUIRE(engine.PutPerson(p).ok());
          }
      }
      auto demo = engine.LoadBoardData("demo");
      REQUIRE(demo.ok());
      REQUIRE(engine.ImportBoardData(Mirror(*demo)).ok());
    }
    for (Side* s : {&a, &b}) OpenReviews(*s);
    clock().Set(*ParseInstant("2026-11-10T12:00:00Z"));
    // Argon2id at libsodium's least cost, so the matrix's 88 sign-ins take milliseconds rather
    // than a minute: PasswordMatches (engine/access.cpp) reads the cost from the hash it checks.
    REQUIRE(sodium_init() >= 0);
    std::array<char, crypto_pwhash_STRBYTES> weak{};
    REQUIRE(crypto_pwhash_str(weak.data(), kPassword, std::strlen(kPassword), crypto_pwhash_OPSLIMIT_MIN,
                              crypto_pwhash_MEMLIMIT_MIN) == 0);
    const std::string hash(weak.data());
    Access access(*store_, clock());
    for (const Side* s : {&a, &b})
      for (const auto& [role, who] : Cast()) {
        const std::string id = s->Person(role);
        REQUIRE(store_->PutPasswordHash(s->board, id, hash, clock().Now()).ok());
        auto t = access.CreateToken(s->board, id, "matrix");
        REQUIRE(t.ok());
        tokens_[id] = t->secret;
        sessions_[id] = NewSession(s->board, id);
      }
  }

  Store& store() { return *store_; }
  const Side& Other(const Side& s) const { return &s == &a ? b : a; }
  const std::string& Token(const std::string& person) const { return tokens_.at(person); }
  const Credentials& Browser(const std::string& person) const { return sessions_.at(person); }

  // A browser session of the person's own, as a sign-in makes one (engine/access.cpp).
  Credentials NewSession(const std::string& board, const std::string& person) {
    const std::string secret = NewSecret();
    Session s{SecretHash(secret), board, person, NewSecret(), clock().Now(), clock().Now() + std::chrono::hours{8}};
    REQUIRE(store_->PutSession(s).ok());
    return {"", secret, s.csrf_token, ""};
  }
  std::string NewToken(const std::string& board, const std::string& person) {
    auto t = Access(*store_, clock()).CreateToken(board, person, "to revoke");
    REQUIRE(t.ok());
    return t->token.id;
  }
  // Records `event` on `ref` directly, as the business officer would (a cell's preparation).
  void Prepare(const Side& s, const std::string& ref, const std::string& event, const json& fields) {
    Engine engine(*store_, clock());
    auto r = engine.Record(ref, event, fields, s.Person("business-officer"));
    INFO(event << " on " << ref << ": " << r.status().message());
    REQUIRE(r.ok());
  }
  ReviewRecord Review(const std::string& ref) {
    auto r = store_->GetReview(ref);
    REQUIRE(r.ok());
    return *r;
  }

  // What each board holds that a request could change, section by section, by board.
  using Print = std::map<std::string, std::string>;
  std::map<std::string, Print> Fingerprints() {
    std::map<std::string, Print> out;
    for (const Side* s : {&a, &b}) {
      Print& p = out[s->board];
      for (const Person& x : Got(store_->ListPeople(s->board))) {
        p["people"] += json{x.id, x.name, x.email, x.agency_id, x.roles, x.removed_at.has_value()}.dump() + ";";
      }
      for (const Agency& x : Got(store_->ListAgencies(s->board))) p["agencies"] += json{x.id, x.name, x.sector}.dump() + ";";
      for (Date d : Got(BoardMeetings(*store_, s->board))) p["meetings"] += FormatDate(d) + ";";
      p["reviews"] = p["tokens"] = p["notices"] = "";
    }
    for (const ReviewRecord& r : Got(store_->ListReviews({})))
      out[r.board_id]["reviews"] += r.ref + ":" + r.stage + ":" + std::to_string(r.last_seq) + ";";
    for (const ApiToken& t : Got(store_->ListApiTokens("", "")))
      out[t.board_id]["tokens"] += t.id + (t.revoked_at ? ":revoked;" : ";");
    for (const Notice& x : Got(store_->ListNotices({})))
      out[x.board_id]["notices"] += x.id + ":" + x.status + ":" + std::to_string(x.attempts) + ";";
    return out;
  }
  // The review references and email addresses of a board: never in an answer to the other board.
  std::vector<std::string> Secrets(const std::string& board) {
    std::vector<std::string> out;
    ReviewFilter f;
    f.board_id = board;
    for (const ReviewRecord& r : Got(store_->ListReviews(f))) out.push_back(r.ref);
    for (const Person& p : Got(store_->ListPeople(board))) out.push_back(p.email);
    return out;
  }

  std::vector<AuditEntry> AuditSince(std::int64_t& head) {
    AuditFilter f;
    f.after_seq = head;
    auto entries = store_->ListAudit(f);
    REQUIRE(entries.ok());
    if (!entries->empty()) head = entries->back().seq;
    return *entries;
  }

 private:
  // The demo board under other ids, names and addresses: the same roles, agencies and rules.
  BoardData Mirror(const BoardData& demo) {
    BoardData m = demo;
    m.board.id = b.board;
    m.board.name = "Elsewhere Safeguarding Children Partnership (fictional)";
    for (Agency& x : m.agencies) {
      x.id = b.Agency(x.id);
      x.board_id = b.board;
      x.name = "Elsewhere " + x.name;
    }
    for (Person& p : m.people) {
      REQUIRE(p.id.rfind("p-", 0) == 0);
      p.id = b.prefix + p.id.substr(2);
      p.board_id = b.board;
      if (!p.agency_id.empty()) p.agency_id = b.Agency(p.agency_id);
      p.email = p.email.substr(0, p.email.find('@')) + "@elsewhere.example.net";
    }
    return m;
  }

  // A scenario step's fields for board `s`: people and agencies under its ids.
  json OnSide(const Side& s, const json& fields) {
    static const std::set<std::string> kAgencyFields = {"agency", "agencies", "agencies_involved", "referring_agency",
                                                        "notifying_agency"};
    std::function<json(const json&, bool)> map = [&](const json& v, bool agency) -> json {
      if (v.is_array()) {
        json out = json::array();
        for (const json& x : v) out.push_back(map(x, agency));
        return out;
      }
      if (!v.is_string()) return v;
      std::string text = v.get<std::string>();
      if (text.rfind("p-", 0) == 0) return s.prefix + text.substr(2);
      return agency ? s.Agency(text) : text;
    };
    json out = json::object();
    for (const auto& [k, v] : fields.items()) out[k] = map(v, kAgencyFields.count(k) > 0);
    return out;
  }

  // Runs the first `steps` steps of an example (those it expects recorded) on board `s`.
  std::string Replay(const Side& s, const char* example, std::size_t steps,
                     const std::function<void(ScenarioStep&)>& adjust = {}) {
    auto scenario = ParseScenario(testing::ReadBytes(testing::ExamplePath(example)));
    REQUIRE(scenario.ok());
    ManualClock at(scenario->steps.front().at);
    Engine engine(*store_, at);
    std::string ref;
    for (std::size_t i = 0; i < steps; ++i) {
      ScenarioStep step = scenario->steps.at(i);
      if (step.is_tick || step.expect_refused) continue;
      step.by = s.prefix + step.by.substr(2);
      step.fields = OnSide(s, step.fields);
      if (adjust) adjust(step);
      at.Set(step.at);
      INFO(example << " step " << i << " on " << s.board);
      if (step.is_referral) {
        auto opened = step.opens == "cdop" ? engine.Open("cdop", s.board, step.fields, step.by)
                                           : engine.Open("scr", s.board, step.fields, step.by);
        INFO(opened.status().message());
        REQUIRE(opened.ok());
        ref = *opened;
      } else {
        auto r = engine.Record(ref, step.event, step.fields, step.by);
        INFO(step.event << ": " << r.status().message());
        REQUIRE(r.ok());
      }
    }
    return ref;
  }

  void OpenReviews(Side& s) {
    s.imr = Replay(s, "scr_full_lifecycle.json", 21);  // to just before the first IMR is submitted
    s.overview = Replay(s, "scr_full_lifecycle.json", 37);
    s.plan = Replay(s, "scr_full_lifecycle.json", 54, [&](ScenarioStep& step) {
      if (step.fields.value("action", "") == "A1" && step.fields.contains("lead_officer"))
        step.fields["lead_officer"] = s.Person("lead-officer");
    });
    s.death = Replay(s, "cdop_unexpected_death.json", 13, [&](ScenarioStep& step) {
      if (step.is_referral) step.fields["nhs_number"] = &s == &a ? "4857773456" : "9434765919";
      if (step.event == "AgencyReportRequested") step.fields["author"] = s.Person("report-author");
    });
    Prepare(s, s.death, "AgencyReportRequested", {{"agency", s.Agency("caretrust")}, {"author", s.Person("report-author")}});
    REQUIRE(Review(s.imr).stage == "ImrsInProgress");
    REQUIRE(Review(s.overview).stage == "OverviewDrafting");
    REQUIRE(Review(s.plan).stage == "ActionPlanMonitoring");
  }

  std::unique_ptr<Store> store_;
  std::map<std::string, std::string> tokens_;
  std::map<std::string, Credentials> sessions_;
};

// ---- building the requests ----

Ask Api(Cell& c, const std::string& method, const std::string& target, const json& body = nullptr) {
  return {method, target, body.is_null() ? "" : body.dump(), {c.m.Token(c.me()), "", "", ""}};
}
Ask Page(Cell& c, const std::string& target) { return {"GET", target, "", c.m.Browser(c.me())}; }
Ask Form(Cell& c, const std::string& target, std::vector<std::pair<std::string, std::string>> fields) {
  const Credentials& who = c.m.Browser(c.me());
  fields.insert(fields.begin(), {"csrf_token", who.csrf});
  return {"POST", target, FormEncode(fields), {"", who.cookie, "", ""}, "application/x-www-form-urlencoded"};
}
std::string Events(const std::string& ref) { return "/api/v1/reviews/" + ref + "/events"; }

json Referral(const Side& s) {
  return {{"referring_agency", s.Agency("police")}, {"incident", "serious-injury"}, {"incident_date", "2026-11-01"},
          {"abuse_or_neglect", "suspected"}, {"agencies_involved", {s.Agency("csc"), s.Agency("police")}},
          {"subject_name", "Child M"}, {"subject_dob", "2020-02-02"}};
}
json Notification(const Side& s, int n) {
  char nhs[16];
  std::snprintf(nhs, sizeof nhs, "90%08d", n);
  return {{"notifying_agency", s.Agency("hospital")}, {"death_date", "2026-11-09"}, {"death_time", "03:10"},
          {"place_of_death", "hospital"}, {"expected", "unexpected"}, {"agencies_involved", {s.Agency("hospital"), s.Agency("csc")}},
          {"resident_in_area", true}, {"nhs_number", nhs}, {"subject_name", "Child N"}, {"subject_dob", "2025-05-05"}};
}
// A date no other cell uses.
std::string DateFor(int n) {
  char text[16];
  std::snprintf(text, sizeof text, "2027-%02d-%02d", 1 + (n / 28) % 12, 1 + n % 28);
  return text;
}

// An extension awaiting the board chair's decision on the review (made if there is none).
void PendingExtension(Cell& c, const std::string& ref) {
  json alongside = json::parse(c.m.Review(ref).projection).value("alongside", json::object());
  for (const json& e : alongside.value("extensions", json::array()))
    if (e.value("status", "") == "requested") return;
  c.m.Prepare(c.target, ref, "ExtensionRequested", {{"until", "2027-06-30"}, {"reason", "The criminal trial is listed for spring."}});
}

// The first of the report author's forms on the child death review not yet submitted (not csc's,
// which the csc senior manager may also submit).
std::string OpenForm(Cell& c) {
  json projection = json::parse(c.m.Review(c.target.death).projection);
  for (const char* agency : {"hospital", "police", "caretrust"})
    for (const json& r : projection.value("agency_reports", json::array()))
      if (r.value("agency", "") == c.target.Agency(agency) && r.value("status", "") != "submitted") return c.target.Agency(agency);
  return c.target.Agency("caretrust");
}

// The email and password a sign-in cell types: the caller's own; on the other board, the
// same-role person's email with a password that is not theirs.
std::pair<std::string, std::string> SignInAs(Cell& c) {
  const std::string who = c.own() ? c.me() : c.target.Person(c.role);
  std::string email;
  for (const Person& p : Got(c.m.store().ListPeople(c.target.board)))
    if (p.id == who) email = p.email;
  REQUIRE_FALSE(email.empty());
  return {email, c.own() ? std::string(kPassword) : std::string(kPassword) + " but not theirs"};
}

// ---- the table ----

std::vector<Row> Table() {
  const Expect case_readers = Cells({{200, kCaseReaders}}, 403);
  const Expect board_readers = Cells({{200, kBoardReaders}}, 403);
  const Expect keepers = Cells({{200, kKeepers}}, 403);
  const Expect admins = Cells({{200, {"administrator"}}}, 403);
  // A review of the caller's board: shown to case readers; "not yours" (403) to whoever has a
  // task on it; to anybody else, as a reference that does not exist.
  auto review_read = [](const Roles& on) { return Cells({{200, kCaseReaders}, {403, on}}, 404); };
  const Expect nowhere = All(404);

  std::vector<Row> t = {
      // -- anyone signed in (docs/api.md, Endpoints) --
      {"health", [](Cell& c) { return Api(c, "GET", "/api/v1/health"); }, All(200), All(200)},
      {"me", [](Cell& c) { return Api(c, "GET", "/api/v1/me"); }, All(200), All(200)},
      {"event catalogue", [](Cell& c) { return Api(c, "GET", "/api/v1/events"); }, All(200), All(200)},
      {"own calendar address", [](Cell& c) { return Api(c, "GET", "/api/v1/calendar"); }, All(200), All(200)},
      {"calendar feed: one's own, or the other board's same-role person's with one's own key",
       [](Cell& c) {
         HttpReply mine = c.m.Send("GET", "/api/v1/calendar", {c.m.Token(c.me()), "", "", ""});
         std::string path = json::parse(mine.body).value("path", "");
         if (!c.own())  // the other board's same-role person, with the caller's key
           path = "/calendar/" + c.target.board + "/" + c.target.Person(c.role) + path.substr(path.rfind('/'));
         return Ask{"GET", path, "", {}};
       },
       All(200), nowhere},
      {"own tasks", [](Cell& c) { return Api(c, "GET", "/api/v1/tasks"); }, All(200), All(200)},
      // -- case readers --
      {"review list", [](Cell& c) { return Api(c, "GET", "/api/v1/reviews?all=1"); }, case_readers, case_readers},
      {"deadlines", [](Cell& c) { return Api(c, "GET", "/api/v1/deadlines"); }, case_readers, case_readers},
      {"slippage report", [](Cell& c) { return Api(c, "GET", "/api/v1/reports/slippage"); }, case_readers, case_readers},
      {"SCR with IMRs in progress", [](Cell& c) { return Api(c, "GET", "/api/v1/reviews/" + c.target.imr); },
       review_read(kOnScr), nowhere, false, false, true},
      {"its log", [](Cell& c) { return Api(c, "GET", Events(c.target.imr)); }, review_read(kOnScr), nowhere, false, false, true},
      {"SCR with an action plan", [](Cell& c) { return Api(c, "GET", "/api/v1/reviews/" + c.target.plan); },
       review_read(kOnPlan), nowhere, false, false, true},
      {"its log", [](Cell& c) { return Api(c, "GET", Events(c.target.plan)); }, review_read(kOnPlan), nowhere, false, false, true},
      {"child death review", [](Cell& c) { return Api(c, "GET", "/api/v1/reviews/" + c.target.death); },
       review_read(kOnDeath), nowhere, false, false, true},
      {"its log", [](Cell& c) { return Api(c, "GET", Events(c.target.death)); }, review_read(kOnDeath), nowhere, false, false, true},
      // -- board readers --
      {"action plans", [](Cell& c) { return Api(c, "GET", "/api/v1/action-plans"); }, board_readers, board_readers},
      {"child death report",
       [](Cell& c) { return Api(c, "GET", "/api/v1/reports/cdop?from=2026-01-01&to=2026-12-31"); }, board_readers, board_readers},
      // -- the board's keepers --
      {"outbox", [](Cell& c) { return Api(c, "GET", "/api/v1/outbox"); }, keepers, keepers},
      {"people", [](Cell& c) { return Api(c, "GET", "/api/v1/people"); }, keepers, keepers},
      {"board file", [](Cell& c) { return Api(c, "GET", "/api/v1/board"); }, keepers, keepers},
      {"audit log", [](Cell& c) { return Api(c, "GET", "/api/v1/audit"); }, admins, admins},
      {"audit chain", [](Cell& c) { return Api(c, "GET", "/api/v1/audit/verify"); }, admins, admins},
  };

  // ---- writes ----
  auto write = [&t](std::string what, std::function<Ask(Cell&)> ask, Expect own, Expect other, bool changes, bool review = false) {
    t.push_back({std::move(what), std::move(ask), std::move(own), std::move(other), true, changes, review});
  };
  write("sign in: one's own account; the other board's same-role person's, with a password not theirs",
        [](Cell& c) {
          auto [email, password] = SignInAs(c);
          return Ask{"POST", "/api/v1/session", json{{"email", email}, {"password", password}}.dump(), {}};
        },
        All(201), All(401), false);
  write("sign out (a session of one's own)",
        [](Cell& c) {
          Credentials s = c.m.NewSession(c.caller.board, c.me());
          return Ask{"DELETE", "/api/v1/session", "", {"", s.cookie, s.csrf, ""}};
        },
        All(204), All(204), false);
  write("make a token: one's own; for the other board's same-role person",
        [](Cell& c) {
          json body = {{"label", "matrix"}};
          if (!c.own()) body["person"] = c.target.Person(c.role);
          return Api(c, "POST", "/api/v1/tokens", body);
        },
        All(201), All(403), true);
  write("revoke a token of the same-role person (oneself on one's own board)",
        [](Cell& c) { return Api(c, "DELETE", "/api/v1/tokens/" + c.m.NewToken(c.target.board, c.target.Person(c.role))); }, All(204),
        nowhere, true);
  write("revoke a token of the board's panel member",
        [](Cell& c) { return Api(c, "DELETE", "/api/v1/tokens/" + c.m.NewToken(c.target.board, c.target.Person("panel-member"))); },
        Cells({{204, {"administrator", "panel-member"}}}, 404), nowhere, true);
  write("refer a case (to the other board: naming it)",
        [](Cell& c) {
          json body = {{"fields", Referral(c.target)}};
          if (!c.own()) body["board"] = c.target.board;
          return Api(c, "POST", "/api/v1/reviews", body);
        },
        Cells({{201, kRecorders}}, 403), All(403), true);
  write("notify a child's death (to the other board: naming it)",
        [](Cell& c) {
          json body = {{"fields", Notification(c.target, c.n)}};
          if (!c.own()) body["board"] = c.target.board;
          return Api(c, "POST", "/api/v1/child-deaths", body);
        },
        Cells({{201, {"business-officer"}}}, 403), All(403), true);
  write("record a case event (a parallel proceeding's news)",
        [](Cell& c) {
          return Api(c, "POST", Events(c.target.imr),
                     {{"event", "ParallelProceedingUpdated"}, {"fields", {{"proceeding", "P1"}, {"status", "file with the CPS"}}}});
        },
        Cells({{201, kRecorders}, {403, Plus(CaseReadersBut(kRecorders), kOnScr)}}, 404), nowhere, true, true);
  write("warn that csc's IMR will be late (the csc author's and senior manager's own)",
        [](Cell& c) {
          return Api(c, "POST", Events(c.target.imr),
                     {{"event", "ImrTimeframeAtRisk"}, {"fields", {{"agency", c.target.Agency("csc")}, {"reason", "records awaited"}}}});
        },
        Cells({{201, Plus(kRecorders, {"imr-author", "senior-manager"})}, {403, {"board-chair", "panel-member", "overview-writer"}}}, 404),
        nowhere, true, true);
  write("warn that the hospital's IMR will be late (another agency's)",
        [](Cell& c) {
          return Api(c, "POST", Events(c.target.imr),
                     {{"event", "ImrTimeframeAtRisk"}, {"fields", {{"agency", c.target.Agency("hospital")}, {"reason", "records awaited"}}}});
        },
        Cells({{201, kRecorders}, {403, Plus(CaseReadersBut(kRecorders), kOnScr)}}, 404), nowhere, true, true);
  write("grant an extension as the board chair's own decision",
        [](Cell& c) {
          PendingExtension(c, c.target.imr);
          return Api(c, "POST", Events(c.target.imr), {{"event", "ExtensionGranted"}, {"fields", {{"until", "2027-06-30"}}}});
        },
        Cells({{201, {"board-chair"}}, {403, Plus({"panel-chair", "panel-member", "business-officer"}, kOnScr)}}, 404), nowhere,
        true, true);
  write("grant an extension on behalf of the board's chair",
        [](Cell& c) {
          PendingExtension(c, c.target.imr);
          return Api(c, "POST", Events(c.target.imr),
                     {{"event", "ExtensionGranted"},
                      {"fields", {{"until", "2027-06-30"}, {"on_behalf_of", c.target.Person("board-chair")}}}});
        },
        Cells({{201, {"board-chair", "panel-chair", "business-officer"}}, {403, Plus({"panel-member"}, kOnScr)}}, 404), nowhere,
        true, true);
  write("submit the overview report (the appointed writer's)",
        [](Cell& c) {
          if (c.m.Review(c.target.overview).stage != "OverviewDrafting")
            c.m.Prepare(c.target, c.target.overview, "OverviewReturnedForRevision", {{"reasons", "Once more."}});
          return Api(c, "POST", Events(c.target.overview), {{"event", "OverviewReportSubmitted"}, {"fields", {{"date", "2026-11-10"}}}});
        },
        Cells({{201, Plus(kRecorders, {"overview-writer"})}, {403, {"board-chair", "panel-member", "imr-author", "senior-manager"}}}, 404),
        nowhere, true, true);
  write("record progress on action A1 (its lead officer's)",
        [](Cell& c) {
          return Api(c, "POST", Events(c.target.plan),
                     {{"event", "ActionProgressRecorded"}, {"fields", {{"action", "A1"}, {"note", "two more teams trained"}}}});
        },
        Cells({{201, Plus(kRecorders, {"lead-officer"})}, {403, Plus({"board-chair", "panel-member"}, kOnScr)}}, 404), nowhere,
        true, true);
  write("record progress on action A2 (another lead officer's)",
        [](Cell& c) {
          return Api(c, "POST", Events(c.target.plan),
                     {{"event", "ActionProgressRecorded"}, {"fields", {{"action", "A2"}, {"note", "alert designed"}}}});
        },
        Cells({{201, kRecorders}, {403, Plus({"board-chair", "panel-member", "lead-officer"}, kOnScr)}}, 404), nowhere, true,
        true);
  write("submit an agency form of the report author's (not csc's)",
        [](Cell& c) {
          return Api(c, "POST", Events(c.target.death), {{"event", "AgencyReportSubmitted"}, {"fields", {{"agency", OpenForm(c)}}}});
        },
        Cells({{201, Plus(kRecorders, {"report-author"})}, {403, {"board-chair", "panel-member", "senior-manager"}}}, 404), nowhere,
        true, true);
  // On the other board: an id is one board's, so the caller's board gets a person (an agency)
  // of its own under the other board's id, and the other board's stays as it was.
  write("change a person without case access (the board member's name)",
        [](Cell& c) {
          const std::string id = c.target.Person("board-member");
          return Api(c, "POST", "/api/v1/people",
                     {{"id", id}, {"name", "Member " + std::to_string(c.n)}, {"email", id + "@example.org"}, {"agency", ""},
                      {"roles", {"board-member"}}});
        },
        Cells({{200, kKeepers}}, 403), Cells({{200, kKeepers}}, 403), true);
  write("give someone a role that reads case files (a new panel member; on the other board, its own)",
        [](Cell& c) {
          const std::string id = c.own() ? c.caller.prefix + "recruit-" + std::to_string(c.n) : c.target.Person("panel-member");
          return Api(c, "POST", "/api/v1/people",
                     {{"id", id}, {"name", "Recruit"}, {"email", id + "@example.org"}, {"agency", ""}, {"roles", {"panel-member"}}});
        },
        Cells({{200, {"administrator"}}}, 403), Cells({{200, {"administrator"}}}, 403), true);
  write("remove a person",
        [](Cell& c) {
          const std::string id = c.target.prefix + "leaver-" + std::to_string(c.n);
          REQUIRE(Engine(c.m.store(), c.m.clock()).PutPerson({id, c.target.board, "Leaver", id + "@example.org", "", {"board-member"}, std::nullopt}).ok());
          return Api(c, "DELETE", "/api/v1/people/" + id);
        },
        Cells({{204, kKeepers}}, 403), Cells({{404, kKeepers}}, 403), true);
  write("change an agency",
        [](Cell& c) {
          return Api(c, "POST", "/api/v1/agencies",
                     {{"id", c.target.Agency("schools")}, {"name", "Schools " + std::to_string(c.n)}, {"sector", "education"}});
        },
        Cells({{200, kKeepers}}, 403), Cells({{200, kKeepers}}, 403), true);
  write("import the board's file",
        [](Cell& c) {
          auto data = Engine(c.m.store(), c.m.clock()).LoadBoardData(c.target.board);
          REQUIRE(data.ok());
          return Api(c, "PUT", "/api/v1/board", BoardDataToJson(*data));
        },
        Cells({{200, {"administrator"}}}, 403), All(403), false);
  write("enter a board meeting",
        [](Cell& c) { return Api(c, "POST", "/api/v1/board/meetings", {{"date", DateFor(c.n)}}); },
        Cells({{201, Plus(kKeepers, {"board-chair"})}}, 403), Cells({{201, Plus(kKeepers, {"board-chair"})}}, 403), true);
  write("queue failed notices again (on the other board: one of its notices)",
        [](Cell& c) {
          if (c.own()) return Api(c, "POST", "/api/v1/outbox/retry", {{"all", true}});
          NoticeFilter f;
          f.board_id = c.target.board;
          auto notices = *c.m.store().ListNotices(f);
          REQUIRE_FALSE(notices.empty());
          return Api(c, "POST", "/api/v1/outbox/retry", {{"notice", notices.front().id}});
        },
        keepers, Cells({{404, kKeepers}}, 403), false);

  // ---- the web pages (docs/web.md) ----
  const Expect case_pages = Cells({{200, kCaseReaders}}, 403);
  t.push_back({"home page", [](Cell& c) { return Page(c, "/"); }, All(303), All(303)});
  t.push_back({"sign-in page", [](Cell& c) { return Page(c, "/sign-in"); }, All(200), All(200)});
  t.push_back({"stylesheet", [](Cell& c) { return Page(c, "/assets/casereview.css"); }, All(200), All(200)});
  t.push_back({"no such page", [](Cell& c) { return Page(c, "/nowhere"); }, All(404), All(404)});
  t.push_back({"reviews page", [](Cell& c) { return Page(c, "/reviews?all=1"); }, case_pages, case_pages});
  t.push_back({"review page", [](Cell& c) { return Page(c, "/reviews/" + c.target.imr); }, review_read(kOnScr), nowhere,
               false, false, true});
  t.push_back({"action plan review page", [](Cell& c) { return Page(c, "/reviews/" + c.target.plan); }, review_read(kOnPlan),
               nowhere, false, false, true});
  t.push_back({"record form", [](Cell& c) { return Page(c, "/reviews/" + c.target.imr + "/record?event=ParallelProceedingUpdated"); },
               Cells({{200, Plus(kCaseReaders, kOnScr)}}, 404), nowhere, false, false, true});
  t.push_back({"referral form", [](Cell& c) { return Page(c, "/reviews/new?event=CaseReferred"); },
               Cells({{200, kRecorders}}, 403), Cells({{200, kRecorders}}, 403)});
  t.push_back({"notification form", [](Cell& c) { return Page(c, "/reviews/new?event=ChildDeathNotified"); },
               Cells({{200, {"business-officer"}}}, 403), Cells({{200, {"business-officer"}}}, 403)});
  t.push_back({"my tasks", [](Cell& c) { return Page(c, "/tasks"); }, All(200), All(200)});
  t.push_back({"action plans page", [](Cell& c) { return Page(c, "/board"); }, board_readers, board_readers});
  t.push_back({"audit page", [](Cell& c) { return Page(c, "/audit"); }, admins, admins});
  write("form: record a case event",
        [](Cell& c) {
          return Form(c, "/reviews/" + c.target.imr + "/record",
                      {{"event", "ParallelProceedingUpdated"}, {"proceeding", "P1"}, {"status", "file with the CPS"}});
        },
        Cells({{303, kRecorders}, {403, Plus(CaseReadersBut(kRecorders), kOnScr)}}, 404), nowhere, true, true);
  write("form: warn that csc's IMR will be late",
        [](Cell& c) {
          return Form(c, "/reviews/" + c.target.imr + "/record",
                      {{"event", "ImrTimeframeAtRisk"}, {"agency", c.target.Agency("csc")}, {"reason", "records awaited"}});
        },
        Cells({{303, Plus(kRecorders, {"imr-author", "senior-manager"})}, {403, {"board-chair", "panel-member", "overview-writer"}}}, 404),
        nowhere, true, true);
  write("form: record progress on action A1",
        [](Cell& c) {
          return Form(c, "/reviews/" + c.target.plan + "/record",
                      {{"event", "ActionProgressRecorded"}, {"action", "A1"}, {"note", "two more teams trained"}});
        },
        Cells({{303, Plus(kRecorders, {"lead-officer"})}, {403, Plus({"board-chair", "panel-member"}, kOnScr)}}, 404), nowhere,
        true, true);
  write("form: refer a case",
        [](Cell& c) {
          auto fields = FormFields(Referral(c.caller));
          fields.insert(fields.begin(), {"event", "CaseReferred"});
          return Form(c, "/reviews/new", fields);
        },
        Cells({{303, kRecorders}}, 403), Cells({{303, kRecorders}}, 403), true);
  write("form: notify a child's death",
        [](Cell& c) {
          auto fields = FormFields(Notification(c.caller, 5000 + c.n));
          fields.insert(fields.begin(), {"event", "ChildDeathNotified"});
          return Form(c, "/reviews/new", fields);
        },
        Cells({{303, {"business-officer"}}}, 403), Cells({{303, {"business-officer"}}}, 403), true);
  write("form: sign in (the form fetched first, for its token and cookie)",
        [](Cell& c) {
          HttpReply form = c.m.Send("GET", "/sign-in");
          static const std::regex kToken(R"re(name="sign_in_token" value="([^"]+)")re");
          std::smatch token;
          REQUIRE(std::regex_search(form.body, token, kToken));
          const std::string set_cookie = form.Header("Set-Cookie"), name = std::string(http::kSignInCookie) + "=";
          REQUIRE(set_cookie.rfind(name, 0) == 0);
          Credentials who;
          who.sign_in_cookie = set_cookie.substr(name.size(), set_cookie.find(';') - name.size());
          auto [email, password] = SignInAs(c);
          return Ask{"POST", "/sign-in", FormEncode({{"email", email}, {"password", password}, {"sign_in_token", token[1].str()}}),
                     who, "application/x-www-form-urlencoded"};
        },
        All(303), All(401), false);
  write("form: sign out",
        [](Cell& c) {
          Credentials s = c.m.NewSession(c.caller.board, c.me());
          return Ask{"POST", "/sign-out", FormEncode({{"csrf_token", s.csrf}}), {"", s.cookie, "", ""}, "application/x-www-form-urlencoded"};
        },
        All(303), All(303), false);
  return t;
}

const char* const kEveryRoute[] = {
    "GET /api/v1/health",          "POST /api/v1/session",           "DELETE /api/v1/session",
    "GET /api/v1/me",              "GET /api/v1/reviews",            "POST /api/v1/reviews",
    "POST /api/v1/child-deaths",   "GET /api/v1/reviews/{ref}",      "GET /api/v1/reviews/{ref}/events",
    "POST /api/v1/reviews/{ref}/events", "GET /api/v1/tasks",        "GET /api/v1/deadlines",
    "GET /api/v1/action-plans",    "GET /api/v1/reports/slippage",   "GET /api/v1/reports/cdop",
    "GET /api/v1/outbox",          "GET /api/v1/people",             "POST /api/v1/people",
    "DELETE /api/v1/people/{id}",  "POST /api/v1/agencies",          "GET /api/v1/board",
    "PUT /api/v1/board",           "POST /api/v1/board/meetings",    "POST /api/v1/outbox/retry",
    "GET /api/v1/audit",           "GET /api/v1/audit/verify",       "POST /api/v1/tokens",
    "DELETE /api/v1/tokens/{id}",  "GET /api/v1/events",             "GET /api/v1/calendar",
    "GET /calendar/{board}/{person}/{key}",
    "GET /",                       "GET /sign-in",                   "POST /sign-in",
    "POST /sign-out",              "GET /reviews",                   "GET /reviews/new",
    "POST /reviews/new",           "GET /reviews/{ref}",             "GET /reviews/{ref}/record",
    "POST /reviews/{ref}/record",  "GET /tasks",                     "GET /board",
    "GET /audit",                  "GET /assets/casereview.css"};

// What identifies the children of the reviews (the examples' subjects, Referral's and
// Notification's): in the case record only, never in the read model, a page or a refusal.
const char* const kChildDetails[] = {"Child A", "Robin Fictional", "Child M", "Child N", "4857773456", "9434765919"};

// "METHOD /path" of a request, its query dropped and its references and ids as the routes name them.
std::string RouteOf(const Ask& a) {
  static const std::regex kRef("[A-Z]{2,5}-[0-9]{4}-[0-9]+");
  std::string path = std::regex_replace(a.target.substr(0, a.target.find('?')), kRef, "{ref}");
  for (const char* with_id : {"/api/v1/people/", "/api/v1/tokens/"})
    if (path.rfind(with_id, 0) == 0) path = std::string(with_id) + "{id}";
  if (path.rfind("/calendar/", 0) == 0) path = "/calendar/{board}/{person}/{key}";
  return a.method + " " + path;
}

}  // namespace

namespace {

// Every row of the table for every role of one board, on that board and on the other.
void CheckMatrix(bool demo_callers) {
  Matrix m;
  const Side* caller = demo_callers ? &m.a : &m.b;
  const std::vector<Row> table = Table();
  for (const auto& [role, who] : Cast()) CHECK(std::find(KnownRoles().begin(), KnownRoles().end(), role) != KnownRoles().end());
  CHECK(Cast().size() == KnownRoles().size());
  std::set<std::string> asked;

  struct UnknownAnswer {
    HttpReply reply;
    std::vector<AuditEntry> audited;
  };
  std::map<std::string, UnknownAnswer> unknown_answers;
  std::int64_t audit_head = 0;
  m.AuditSince(audit_head);
  int n = 0, cells = 0;
  for (const Row& row : table) {
    const Side& other = m.Other(*caller);
    const std::vector<std::string> secrets = m.Secrets(other.board);
    for (std::string_view role_name : KnownRoles()) {
      const std::string role(role_name);
      for (const Side* target : {caller, &other}) {
        Cell cell{m, role, *caller, *target, ++n};
        const bool own = cell.own();
        const int expected = (own ? row.own : row.other).at(role);
        Ask ask = row.ask(cell);
        const auto before = row.write ? m.Fingerprints() : std::map<std::string, Matrix::Print>{};
        m.AuditSince(audit_head);
        HttpReply got = m.Send(ask.method, ask.target, ask.who, ask.body, ask.content_type);
        ++cells;
        asked.insert(RouteOf(ask));
        INFO("role " << role << " (" << cell.me() << ") of board " << caller->board << ", on "
                     << (own ? "its own board" : "the other board, " + target->board) << ": " << row.what);
        INFO(ask.method << " " << ask.target);
        INFO("expected " << expected << ", got " << got.status << ": " << got.body.substr(0, 300));
        CHECK(got.status == expected);
        // Every refused change, and every refused look at a review, is in the audit log of the
        // caller's board (docs/security.md; a wrong password: in the account's board's).
        const std::vector<AuditEntry> audited = m.AuditSince(audit_head);
        if ((row.write || row.review) && got.status >= 400) {
          INFO("a refusal that is not in the audit log");
          CHECK_FALSE(audited.empty());
          for (const AuditEntry& e : audited) {
            INFO("audited in the log of " << e.board_id << ": " << e.action << " " << e.target << " " << e.outcome);
            CHECK(e.board_id == (got.status == 401 ? target->board : caller->board));
          }
        }

        const bool allowed = expected < 300 || (expected == 303 && row.write);
        // Nothing of the other board in any answer (what the caller typed aside).
        std::vector<std::string> named;
        const std::string asked_for = ask.target + " " + ask.body + " " + FormDecoded(ask.body);
        for (const std::string& secret : secrets)
          if (!Contains(asked_for, secret) && (Contains(got.body, secret) || Contains(got.Header("Location"), secret)))
            named.push_back(secret);
        // Nor a child's name or NHS number in any answer but the log itself to its case readers.
        if (!(RouteOf(ask) == "GET /api/v1/reviews/{ref}/events" && got.status == 200)) {
          for (const char* child : kChildDetails)
            if (Contains(got.body, child)) named.push_back(child);
        } else if (Contains(ask.target, target->imr)) {
          CHECK(Contains(got.body, "Child A"));  // the log is the case record: the check above can fire
        }
        INFO("the answer names these, of board " << other.board << " or a child: " << json(named).dump());
        CHECK(named.empty());
        if (row.write) {
          auto after = m.Fingerprints();
          const auto &before_caller = before.at(caller->board), &after_caller = after[caller->board];
          for (const auto& [part, text] : before.at(other.board)) {
            INFO("the other board's " << part << " changed");
            CHECK(after[other.board][part] == text);
          }
          if (!allowed || got.status != expected) {
            for (const auto& [part, text] : before_caller) {
              INFO("a refused call changed the caller's board's " << part);
              CHECK(after_caller.at(part) == text);
            }
          } else if (row.changes) {
            INFO("an allowed call changed nothing");
            CHECK(after_caller != before_caller);
          }
        }
        // A review that is not the caller's is answered as one that does not exist, word for
        // word, and audited as one: on another board, as an unknown reference.
        if (row.review && expected == 404) {
          const std::vector<AuditEntry>& entries = audited;
          Ask none = ask;
          for (const std::string& ref : {target->imr, target->plan, target->death, target->overview})
            if (auto at = none.target.find("/" + ref); at != std::string::npos) none.target.replace(at + 1, ref.size(), "SCR-2099-999");
          REQUIRE(none.target != ask.target);
          // The same person asking the same of a reference that does not exist: asked once.
          const std::string key = cell.me() + " " + none.who.token + " " + none.method + " " + none.target + " " + none.body;
          auto [known, fresh] = unknown_answers.try_emplace(key);
          if (fresh) {
            known->second.reply = m.Send(none.method, none.target, none.who, none.body, none.content_type);
            known->second.audited = m.AuditSince(audit_head);
          }
          const HttpReply& unknown = known->second.reply;
          const std::vector<AuditEntry>& unknown_entries = known->second.audited;
          INFO("for a reference that does not exist: " << unknown.status << " " << unknown.body.substr(0, 300));
          CHECK(got.status == unknown.status);
          CHECK(got.body == unknown.body);
          if (!own) {
            REQUIRE(entries.size() == unknown_entries.size());
            for (std::size_t i = 0; i < entries.size(); ++i) {
              INFO("audited as " << entries[i].action << " " << entries[i].target << " " << entries[i].outcome
                                 << "; an unknown reference as " << unknown_entries[i].target << " "
                                 << unknown_entries[i].outcome);
              CHECK(entries[i].target == unknown_entries[i].target);
              CHECK(entries[i].outcome == unknown_entries[i].outcome);
            }
          }
        }
      }
    }
  }
  CHECK(cells == static_cast<int>(table.size() * KnownRoles().size() * 2));
  // Every route of app/http/api.cpp (Routes(), and the health check) and every page and form
  // of app/http/web.cpp (HandleWeb) was asked by some row.
  for (const char* route : kEveryRoute) {
    INFO(route << " is in no row of the matrix");
    CHECK(asked.count(route) == 1);
  }
}

}  // namespace

// Two halves, so that ctest runs them side by side (scripts/test.sh: -j 2).
SCENARIO("Every role of the demo board, on its own board and on another, gets exactly what the permission matrix gives",
         "[http][security][matrix]") {
  CheckMatrix(true);
}

SCENARIO("Every role of the second board, on its own board and on another, gets exactly what the permission matrix gives",
         "[http][security][matrix]") {
  CheckMatrix(false);
}

// The web pages (app/http/web.cpp) over real HTTP, as a browser without JavaScript uses
// them: a server on a loopback port over a SQLite file holding the demo board and the
// example review part-way through (http_fixture.hpp). Signing in and out, the chair's list
// and review page, recording through a form (and the refusals that change nothing), an
// author's tasks, the board's action plans, escaping and confidentiality, and the headers.
#include <catch2/catch.hpp>


#include <regex>
#include <utility>
#include <vector>

#include "http_fixture.hpp"

using namespace casereview;
using nlohmann::json;
using testing::HttpReply;
using testing::kPassword;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

using testing::FormEncode;

using testing::FormFields;

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::size_t Count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

// The CSRF token a page's forms carry.
std::string CsrfOf(const std::string& html) {
  static const std::regex kToken(R"re(name="csrf_token" value="([^"]+)")re");
  std::smatch m;
  REQUIRE(std::regex_search(html, m, kToken));
  return m[1].str();
}

// A browser: the session cookie once signed in; redirects are not followed.
class WebFixture : public testing::ServedReview {
 public:
  using ServedReview::ServedReview;

  HttpReply Get(const std::string& target, const std::string& cookie = "") { return Send("GET", target, {"", cookie, ""}); }
  HttpReply Post(const std::string& target, const std::string& cookie, const Fields& fields) {
    return Send("POST", target, {"", cookie, ""}, FormEncode(fields), "application/x-www-form-urlencoded");
  }
  // Posts the sign-in form as a browser does: the form is fetched first, for the token it
  // carries and the cookie set with it.
  HttpReply PostSignIn(const Fields& fields) {
    HttpReply form = Get("/sign-in");
    static const std::regex kToken(R"re(name="sign_in_token" value="([^"]+)")re");
    std::smatch m;
    REQUIRE(std::regex_search(form.body, m, kToken));
    Fields with = fields;
    with.emplace_back("sign_in_token", m[1].str());
    const std::string set_cookie = form.Header("Set-Cookie"), name = std::string(http::kSignInCookie) + "=";
    REQUIRE(set_cookie.rfind(name, 0) == 0);
    testing::Credentials who;
    who.sign_in_cookie = set_cookie.substr(name.size(), set_cookie.find(';') - name.size());
    return Send("POST", "/sign-in", who, FormEncode(with), "application/x-www-form-urlencoded");
  }
  // Signs in through the form; the session cookie's value.
  std::string SignIn(const std::string& email) {
    HttpReply r = PostSignIn({{"email", email}, {"password", kPassword}});
    INFO(r.body);
    REQUIRE(r.status == 303);
    REQUIRE(r.Header("Location") == "/");
    return CookieOf(r.Header("Set-Cookie"));
  }
  // The review's events as stored, oldest first.
  std::vector<StoredEvent> History(const std::string& ref) {
    std::vector<StoredEvent> events;
    WithEngine([&](Engine& engine, Store&) {
      auto h = engine.History(ref);
      REQUIRE(h.ok());
      events = *h;
    });
    return events;
  }
  std::size_t Notices() { return Open()->ListNotices({})->size(); }

  static std::string CookieOf(const std::string& set_cookie) {
    const std::string name = std::string(http::kSessionCookie) + "=";
    REQUIRE(set_cookie.rfind(name, 0) == 0);
    return set_cookie.substr(name.size(), set_cookie.find(';') - name.size());
  }
};

constexpr const char* kChair = "jordan.pike@example.org";
constexpr const char* kCscAuthor = "avery.thorne@example.org";
constexpr const char* kBoardMember = "member@example.org";

}  // namespace

SCENARIO("A person signs in through the form, lands on their first page and signs out with the form's token",
         "[http][web][session]") {
  WebFixture web;
  HttpReply unsigned_in = web.Get("/reviews");
  CHECK(unsigned_in.status == 303);
  CHECK(unsigned_in.Header("Location") == "/sign-in");
  HttpReply form = web.Get("/sign-in");
  CHECK(form.status == 200);
  CHECK(Has(form.body, R"(<form method="post" action="/sign-in")"));

  auto head = web.AuditHead();
  HttpReply wrong = web.PostSignIn({{"email", kChair}, {"password", "not the password at all"}});
  CHECK(wrong.status == 401);
  CHECK(Has(wrong.body, "govuk-error-summary"));
  CHECK(Has(wrong.body, R"(<a href="#email">Enter the email address and password your board holds for you</a>)"));
  CHECK(Has(wrong.body, "<title>Error: Sign in"));
  CHECK_FALSE(Has(wrong.body, "not the password at all"));
  CHECK_FALSE(Has(wrong.Header("Set-Cookie"), http::kSessionCookie));
  auto entries = web.AuditAfter(head);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].action == "session.create");
  CHECK(entries[0].outcome == "unauthenticated");

  // A sign-in posted from another site comes without the form's cookie: refused, nobody signed in.
  HttpReply cross_site = web.Post("/sign-in", "", {{"email", kChair}, {"password", kPassword}, {"sign_in_token", "guess"}});
  CHECK(cross_site.status == 403);
  CHECK_FALSE(Has(cross_site.Header("Set-Cookie"), http::kSessionCookie));

  HttpReply in = web.PostSignIn({{"email", kChair}, {"password", kPassword}});
  REQUIRE(in.status == 303);
  CHECK(in.Header("Location") == "/");
  const std::string set_cookie = in.Header("Set-Cookie");
  CHECK(Has(set_cookie, "HttpOnly"));
  CHECK(Has(set_cookie, "SameSite=Strict"));
  const std::string cookie = WebFixture::CookieOf(set_cookie);
  REQUIRE(cookie.size() == 64);

  HttpReply home = web.Get("/", cookie);
  CHECK(home.status == 303);
  CHECK(home.Header("Location") == "/reviews");
  HttpReply reviews = web.Get("/reviews", cookie);
  REQUIRE(reviews.status == 200);
  CHECK(Has(reviews.body, "Sign out Jordan Pike"));
  const std::string csrf = CsrfOf(reviews.body);

  // Signing out needs the form's token: without it (a forged form) the session goes on.
  HttpReply forged = web.Post("/sign-out", cookie, {});
  CHECK(forged.status == 403);
  CHECK(Has(forged.body, "This form has expired"));
  HttpReply wrong_token = web.Post("/sign-out", cookie, {{"csrf_token", std::string(64, '0')}});
  CHECK(wrong_token.status == 403);
  CHECK(web.Get("/reviews", cookie).status == 200);

  HttpReply out = web.Post("/sign-out", cookie, {{"csrf_token", csrf}});
  CHECK(out.status == 303);
  CHECK(out.Header("Location") == "/sign-in?signed_out=1");
  CHECK(Has(out.Header("Set-Cookie"), "Max-Age=0"));
  HttpReply after = web.Get("/reviews", cookie);
  CHECK(after.status == 303);
  CHECK(after.Header("Location") == "/sign-in");
  CHECK(Has(web.Get("/sign-in?signed_out=1").body, "You have signed out."));
}

SCENARIO("The chair's list links each review, shows overdue ones first in red, and a review's page has its timeline",
         "[http][web][reviews]") {
  WebFixture web;
  std::string cookie = web.SignIn(kChair);
  const std::string link = "<a class=\"govuk-link\" href=\"/reviews/" + web.ref() + "\">" + web.ref() + "</a>";

  HttpReply list = web.Get("/reviews", cookie);
  REQUIRE(list.status == 200);
  CHECK(Has(list.body, R"(<table class="govuk-table" id="reviews">)"));
  CHECK(Has(list.body, link));
  CHECK_FALSE(Has(list.body, "cr-overdue"));
  CHECK(Has(list.body, "1 open review."));

  // A year on, the review's deadlines have passed; a case referred today has none overdue.
  web.clock().Advance(std::chrono::hours{24 * 365});
  std::string fresh;
  web.WithEngine([&](Engine& engine, Store&) {
    auto opened = engine.Open("scr", "demo", web.Step(0).fields, "p-spoc");
    INFO(opened.status().message());
    REQUIRE(opened.ok());
    fresh = *opened;
  });
  cookie = web.SignIn(kChair);  // the session ended with the year
  list = web.Get("/reviews", cookie);
  REQUIRE(list.status == 200);
  CHECK(Count(list.body, "cr-overdue") == 1);
  auto overdue_row = list.body.find(R"(<tr class="govuk-table__row cr-overdue">)");
  REQUIRE(overdue_row != std::string::npos);
  CHECK(list.body.find(link) > overdue_row);
  CHECK(list.body.find(link) < list.body.find("href=\"/reviews/" + fresh + "\""));  // overdue first
  CHECK(Has(list.body, "1 with overdue items"));
  CHECK(Has(list.body, "2 open reviews."));

  HttpReply review = web.Get("/reviews/" + web.ref(), cookie);
  REQUIRE(review.status == 200);
  CHECK(Has(review.body, "<h1 class=\"govuk-heading-l\">" + web.ref() + "</h1>"));
  auto timeline = review.body.find(R"(<ol class="govuk-list govuk-list--number" id="timeline">)");
  REQUIRE(timeline != std::string::npos);
  std::string items = review.body.substr(timeline, review.body.find("</ol>", timeline) - timeline);
  CHECK(Count(items, "<li>") == web.History(web.ref()).size());
  CHECK(Has(items, "CaseReferred, recorded by p-spoc"));
  CHECK(Has(items, "PanelMeetingHeld, recorded by p-spoc"));
  CHECK(Has(review.body, "<form method=\"get\" action=\"/reviews/" + web.ref() + "/record\""));
  // The events the next step names (the panel's recommendation either way) come first.
  auto expected = review.body.find(R"(<optgroup label="Expected next">)");
  REQUIRE(expected != std::string::npos);
  std::string group = review.body.substr(expected, review.body.find("</optgroup>", expected) - expected);
  CHECK(Has(group, R"(<option value="ScrRecommended">)"));
  CHECK(Has(group, R"(<option value="NoScrRecommended">)"));
  CHECK_FALSE(Has(group, R"(<option value="ReviewClosed">)"));
  CHECK(Has(review.body, R"(<option value="ReviewClosed">)"));
  CHECK(Has(review.body, "govuk-tag--red\">Overdue</strong>"));
  CHECK(std::regex_search(review.body, std::regex(R"(<dd class="govuk-summary-list__value">[-0-9]+: [^<]*\([0-9]+ days overdue\)</dd>)")));
  CHECK_FALSE(Has(review.body, "days left)"));

  CHECK(web.Get("/reviews/SCR-2099-999", cookie).status == 404);
}

SCENARIO("The chair records through a form, and a forged, refused or malformed form changes nothing",
         "[http][web][record]") {
  WebFixture web;
  const std::string cookie = web.SignIn(kChair);
  const std::string record = "/reviews/" + web.ref() + "/record";
  const std::string reasons = web.Step(testing::kStepsBeforeServing).fields["reasons"];

  HttpReply form = web.Get(record + "?event=ScrRecommended", cookie);
  REQUIRE(form.status == 200);
  CHECK(Has(form.body, "<form method=\"post\" action=\"" + record + "\" id=\"record-form\""));
  CHECK(Has(form.body, R"(<input type="hidden" name="event" value="ScrRecommended">)"));
  CHECK(Has(form.body, R"(id="f-reasons" name="reasons")"));
  const std::string csrf = CsrfOf(form.body);

  const auto before = web.History(web.ref());
  const auto notices = web.Notices();
  auto unchanged = [&] {
    CHECK(web.History(web.ref()) == before);
    CHECK(web.Notices() == notices);
  };

  WHEN("the form does not carry the session's token") {
    HttpReply forged = web.Post(record, cookie, {{"event", "ScrRecommended"}, {"reasons", reasons}});
    CHECK(forged.status == 403);
    CHECK(Has(forged.body, "This form has expired"));
    unchanged();
  }
  WHEN("the event does not fit the review's stage") {
    HttpReply refused =
        web.Post(record, cookie, {{"csrf_token", csrf}, {"event", "ReviewClosed"}, {"date", "2026-01-19"}});
    CHECK(refused.status == 409);
    CHECK(Has(refused.body, "govuk-error-summary"));
    CHECK(Has(refused.body, "Nothing was recorded."));
    CHECK(Has(refused.body, web.ref()));
    CHECK(Has(refused.body, R"(<a href="#record-form">)"));
    unchanged();
  }
  WHEN("a date is not a date") {
    HttpReply malformed = web.Post(record, cookie,
                                   {{"csrf_token", csrf}, {"event", "PanelMeetingHeld"}, {"date", "2026-02-31"},
                                    {"attendees", "p-panel-chair"}, {"attendees", "p-csc-lead"}});
    CHECK(malformed.status == 400);
    CHECK(Has(malformed.body, R"(<a href="#f-date">)"));
    CHECK(Has(malformed.body, R"(<p id="f-date-error" class="govuk-error-message">)"));
    CHECK(Has(malformed.body, R"(value="2026-02-31")"));  // what was typed is kept
    CHECK(Has(malformed.body, R"(value="p-csc-lead" checked)"));
    CHECK(Has(malformed.body, "Nothing was recorded."));
    unchanged();
  }
  WHEN("the panel's recommendation is posted with its reasons") {
    HttpReply recorded = web.Post(record, cookie, {{"csrf_token", csrf}, {"event", "ScrRecommended"}, {"reasons", reasons}});
    INFO(recorded.body);
    REQUIRE(recorded.status == 303);
    CHECK(recorded.Header("Location") == "/reviews/" + web.ref() + "?recorded=ScrRecommended");
    auto after = web.History(web.ref());
    REQUIRE(after.size() == before.size() + 1);
    CHECK(after.back().type == "ScrRecommended");
    CHECK(after.back().actor == "p-panel-chair");
    CHECK(json::parse(after.back().payload)["reasons"] == reasons);
    HttpReply page = web.Get(recorded.Header("Location"), cookie);
    CHECK(Has(page.body, "ScrRecommended recorded. The stage is now AwaitingChairDecision."));
  }
  WHEN("the same form is sent twice (a double click, a reload)") {
    static const std::regex kKey(R"re(name="request_key" value="(form-[0-9a-f]{32})")re");
    std::smatch m;
    REQUIRE(std::regex_search(form.body, m, kKey));
    const Fields sent = {{"csrf_token", csrf}, {"request_key", m[1].str()}, {"event", "ScrRecommended"}, {"reasons", reasons}};
    HttpReply first = web.Post(record, cookie, sent);
    HttpReply second = web.Post(record, cookie, sent);
    THEN("both land on the review, and the recommendation is recorded once") {
      CHECK(first.status == 303);
      CHECK(second.status == 303);
      CHECK(second.Header("Location") == first.Header("Location"));
      CHECK(web.History(web.ref()).size() == before.size() + 1);
    }
    THEN("a form rendered again carries a new key") {
      HttpReply again = web.Get(record + "?event=ScrRecommended", cookie);
      std::smatch n;
      REQUIRE(std::regex_search(again.body, n, kKey));
      CHECK(n[1].str() != m[1].str());
    }
  }
}

SCENARIO("The appointed overview writer sees the overview report on My tasks, with the way to record it",
         "[http][web][author]") {
  WebFixture web(37);  // the writer appointed, the overview report being drafted
  REQUIRE(web.Open()->GetReview(web.ref())->stage == "OverviewDrafting");
  web.GivePassword("p-writer");
  const std::string cookie = web.SignIn("sidney.carrow@example.org");
  HttpReply tasks = web.Get("/tasks", cookie);
  REQUIRE(tasks.status == 200);
  CHECK(Has(tasks.body, "Overview report and executive summary"));
  CHECK(Has(tasks.body, "/reviews/" + web.ref() + "/record?event=OverviewReportSubmitted"));
  CHECK(Has(tasks.body, "Record that the overview report is submitted"));
}

SCENARIO("An author sees their own IMR on My tasks, submits it in one click and sees nothing else",
         "[http][web][author]") {
  WebFixture web(19);  // the IMRs are commissioned: ImrsInProgress
  REQUIRE(web.Open()->GetReview(web.ref())->stage == "ImrsInProgress");
  web.GivePassword("p-csc-author");
  const std::string cookie = web.SignIn(kCscAuthor);
  CHECK(web.Get("/", cookie).Header("Location") == "/tasks");

  HttpReply tasks = web.Get("/tasks", cookie);
  REQUIRE(tasks.status == 200);
  CHECK(Has(tasks.body, R"(<table class="govuk-table" id="tasks">)"));
  CHECK(Has(tasks.body, "<th scope=\"row\" class=\"govuk-table__header\">" + web.ref() + "</th>"));
  CHECK(Has(tasks.body, "Individual management review (csc)"));
  CHECK(Has(tasks.body, "<form method=\"post\" action=\"/reviews/" + web.ref() + "/record\">"));
  CHECK(Has(tasks.body, R"(<input type="hidden" name="event" value="ImrSubmitted">)"));
  CHECK(Has(tasks.body, R"(<input type="hidden" name="agency" value="csc">)"));
  CHECK(Has(tasks.body, "Submit the IMR"));
  CHECK(Has(tasks.body, "/reviews/" + web.ref() + "/record?event=ImrTimeframeAtRisk&amp;agency=csc"));
  CHECK(Has(tasks.body, "Warn the panel that the IMR will be late"));
  // Another agency's IMR, on the same review, is not theirs to see.
  CHECK_FALSE(Has(tasks.body, "(hospital)"));
  CHECK_FALSE(Has(tasks.body, "(police)"));
  CHECK_FALSE(Has(tasks.body, R"(value="hospital")"));
  const std::string csrf = CsrfOf(tasks.body);

  HttpReply review = web.Get("/reviews/" + web.ref(), cookie);
  CHECK(review.status == 403);
  CHECK(web.Get("/reviews", cookie).status == 403);

  const auto before = web.History(web.ref());
  HttpReply other = web.Post("/reviews/" + web.ref() + "/record", cookie,
                             {{"csrf_token", csrf}, {"event", "ImrSubmitted"}, {"agency", "hospital"}});
  CHECK(other.status == 403);
  CHECK(web.History(web.ref()) == before);

  HttpReply submitted = web.Post("/reviews/" + web.ref() + "/record", cookie,
                                 {{"csrf_token", csrf}, {"event", "ImrSubmitted"}, {"agency", "csc"}});
  INFO(submitted.body);
  REQUIRE(submitted.status == 303);
  CHECK(submitted.Header("Location") == "/tasks?recorded=ImrSubmitted&review=" + web.ref());
  auto after = web.History(web.ref());
  REQUIRE(after.size() == before.size() + 1);
  CHECK(after.back().type == "ImrSubmitted");
  CHECK(after.back().actor == "p-csc-author");
  CHECK(json::parse(after.back().payload)["agency"] == "csc");

  HttpReply again = web.Get(submitted.Header("Location"), cookie);
  REQUIRE(again.status == 200);
  CHECK(Has(again.body, "ImrSubmitted recorded on " + web.ref() + "."));
  CHECK_FALSE(Has(again.body, "Submit the IMR"));  // nothing more to submit
}

SCENARIO("A board member sees the action plans with their RAG status and charts, and no case",
         "[http][web][board]") {
  GIVEN("no review has an action plan yet") {
    WebFixture web;
    web.GivePassword("p-board-member");
    const std::string cookie = web.SignIn(kBoardMember);
    CHECK(web.Get("/", cookie).Header("Location") == "/board");
    HttpReply board = web.Get("/board", cookie);
    REQUIRE(board.status == 200);
    CHECK(Has(board.body, "No review has an action plan yet."));
    CHECK_FALSE(Has(board.body, "<svg"));
    CHECK(web.Get("/reviews", cookie).status == 403);
    // A review that is nothing of theirs is answered as one that does not exist.
    CHECK(web.Get("/reviews/" + web.ref(), cookie).status == 404);
  }
  GIVEN("the example review's action plan is agreed, and later one action is overdue") {
    WebFixture web(52);  // through ActionPlanAgreed: A1, A2 and A3 open
    REQUIRE(web.Open()->GetReview(web.ref())->stage == "ActionPlanMonitoring");
    web.GivePassword("p-board-member");
    std::string cookie = web.SignIn(kBoardMember);
    const std::string plan_heading = "<h2 class=\"govuk-heading-m\">" + web.ref() + " <span class=\"cr-rag cr-rag--";

    HttpReply board = web.Get("/board", cookie);
    REQUIRE(board.status == 200);
    CHECK(Count(board.body, R"(<svg xmlns="http://www.w3.org/2000/svg" class="cr-chart")") == 2);
    CHECK(Has(board.body, plan_heading + "green\">Green</span>"));
    CHECK(Count(board.body, R"(<span class="cr-rag cr-rag--green">Green</span></td>)") == 3);
    CHECK_FALSE(Has(board.body, "No review has an action plan yet."));
    // The plan's status, never its descriptions: they can carry case details.
    CHECK_FALSE(Has(board.body, "neglect toolkit"));

    web.clock().Set(web.Step(54).at + std::chrono::hours{24 * 15});  // 5 December: A2 was due on 30 November
    cookie = web.SignIn(kBoardMember);
    board = web.Get("/board", cookie);
    REQUIRE(board.status == 200);
    CHECK(Has(board.body, plan_heading + "red\">Red</span>"));
    CHECK(Count(board.body, R"(<span class="cr-rag cr-rag--red">Red</span></td>)") == 1);
    CHECK(Count(board.body, R"(<span class="cr-rag cr-rag--amber">Amber</span></td>)") == 2);
    CHECK(web.Get("/reviews", cookie).status == 403);
  }
}

SCENARIO("Names are escaped on every page, and a child's name never reaches one", "[http][web][escaping]") {
  WebFixture web;
  web.WithEngine([](Engine& engine, Store&) {
    REQUIRE(engine.PutPerson({"p-script", "demo", "<script>alert(1)</script>", "script@example.org", "", {"panel-member"}})
                .ok());
  });
  web.GivePassword("p-script");
  HttpReply own_page = web.Get("/reviews", web.SignIn("script@example.org"));
  REQUIRE(own_page.status == 200);
  CHECK(Has(own_page.body, "Sign out &lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK_FALSE(Has(own_page.body, "<script>"));

  const std::string cookie = web.SignIn(kChair);
  const std::string record = "/reviews/" + web.ref() + "/record";
  HttpReply form = web.Get(record + "?event=PanelMeetingHeld", cookie);
  REQUIRE(form.status == 200);
  CHECK(Has(form.body, R"(value="p-script")"));
  CHECK(Has(form.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK_FALSE(Has(form.body, "<script>"));
  // What a link puts in a field is escaped too.
  HttpReply prefilled = web.Get(record + "?event=ScrRecommended&reasons=%3C%2Ftextarea%3E%3Cscript%3Ex%3C%2Fscript%3E", cookie);
  REQUIRE(prefilled.status == 200);
  CHECK(Has(prefilled.body, "&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;"));
  CHECK_FALSE(Has(prefilled.body, "<script>"));

  // A referral through the form, with the child's name: held in the case record only.
  HttpReply open = web.Get("/reviews/new?event=CaseReferred", cookie);
  REQUIRE(open.status == 200);
  CHECK(Has(open.body, R"(action="/reviews/new")"));
  json fields = web.Step(0).fields;
  fields["subject_name"] = "Zebedee Quill";
  Fields posted = FormFields(fields);
  posted.insert(posted.begin(), {"event", "CaseReferred"});
  HttpReply forged = web.Post("/reviews/new", cookie, posted);
  CHECK(forged.status == 403);
  CHECK(Has(forged.body, "This form has expired"));
  CHECK(*web.Open()->CountReviewsWithPrefix("SCR-") == 1);  // nothing opened
  posted.insert(posted.begin(), {"csrf_token", CsrfOf(open.body)});
  HttpReply referred = web.Post("/reviews/new", cookie, posted);
  INFO(referred.body);
  REQUIRE(referred.status == 303);
  const std::string location = referred.Header("Location");
  static const std::regex kOpened(R"(/reviews/(SCR-[0-9]{4}-[0-9]+)\?recorded=CaseReferred)");
  std::smatch m;
  REQUIRE(std::regex_match(location, m, kOpened));
  const std::string ref = m[1].str();
  REQUIRE(ref != web.ref());
  auto history = web.History(ref);
  REQUIRE(history.size() == 1);
  CHECK(history[0].actor == "p-panel-chair");
  CHECK(Has(history[0].payload, "Zebedee Quill"));  // it is in the record

  const std::vector<std::string> pages = {location, "/reviews/" + ref, "/reviews", "/reviews?all=1",
                                          "/reviews/" + ref + "/record?event=PanelMeetingConvened"};
  for (const std::string& page : pages) {
    HttpReply r = web.Get(page, cookie);
    INFO(page);
    CHECK(r.status == 200);
    CHECK(Has(r.body, ref));
    CHECK_FALSE(Has(r.body, "Zebedee"));
  }
}

SCENARIO("Pages carry the security headers, the stylesheet is served, and an unknown page is a 404 that does not echo it",
         "[http][web][headers]") {
  WebFixture web;
  HttpReply sign_in = web.Get("/sign-in");
  const std::string cookie = web.SignIn(kChair);
  HttpReply reviews = web.Get("/reviews", cookie);
  const std::vector<const HttpReply*> pages = {&sign_in, &reviews};
  for (const HttpReply* page : pages) {
    CHECK(page->status == 200);
    CHECK(page->Header("Content-Type") == "text/html; charset=utf-8");
    CHECK(Has(page->Header("Content-Security-Policy"), "frame-ancestors 'none'"));
    CHECK(Has(page->Header("Content-Security-Policy"), "script-src 'self'"));
    CHECK(page->Header("X-Frame-Options") == "DENY");
    CHECK(page->Header("X-Content-Type-Options") == "nosniff");
    CHECK(page->Header("Cache-Control") == "no-store");
  }

  HttpReply css = web.Get("/assets/casereview.css");
  CHECK(css.status == 200);
  CHECK(css.Header("Content-Type").rfind("text/css", 0) == 0);
  CHECK(css.body.size() > 1000);
  CHECK(Has(css.body, ".govuk-table"));

  HttpReply unknown = web.Get("/Zebedee%20Quill/%3Cscript%3E", cookie);
  CHECK(unknown.status == 404);
  CHECK(unknown.Header("Content-Type") == "text/html; charset=utf-8");
  CHECK(Has(unknown.body, "Page not found"));
  CHECK_FALSE(Has(unknown.body, "Zebedee"));
  CHECK_FALSE(Has(unknown.body, "<script>"));
  CHECK(web.Get("/Zebedee%20Quill").Header("Location") == "/sign-in");  // not signed in: nothing told
}

SCENARIO("Administrators alone read the audit log page", "[http][web][audit]") {
  WebFixture web;
  web.GivePassword("p-admin");
  const std::string admin = web.SignIn("admin@example.org");
  CHECK(web.Get("/", admin).Header("Location") == "/audit");
  CHECK(web.Get("/reviews", admin).status == 403);
  HttpReply log = web.Get("/audit", admin);
  REQUIRE(log.status == 200);
  CHECK(Has(log.body, R"(<table class="govuk-table" id="audit">)"));
  CHECK(Has(log.body, "The log is intact"));
  CHECK(Has(log.body, "session.create"));

  const std::string chair = web.SignIn(kChair);
  HttpReply refused = web.Get("/audit", chair);
  CHECK(refused.status == 403);
  CHECK(Has(refused.body, "You cannot see or do this"));
  CHECK_FALSE(Has(refused.body, R"(id="audit")"));
}

SCENARIO("A form that is not UTF-8 is refused and changes nothing (found by the web_request fuzzer)", "[http][web][record]") {
  WebFixture web;
  const std::string chair = web.SignIn(kChair);
  const std::string csrf = CsrfOf(web.Get("/reviews/" + web.ref(), chair).body);
  const std::size_t events = web.History(web.ref()).size();
  HttpReply r = web.Send("POST", "/reviews/" + web.ref() + "/record", {"", chair, ""},
                         "csrf_token=" + csrf + "&event=ScrRecommended&reasons=%C8%C8%C8", "application/x-www-form-urlencoded");
  CHECK(r.status == 400);
  CHECK(Has(r.body, "not UTF-8 text"));
  CHECK(web.History(web.ref()).size() == events);
}

SCENARIO("A board with more open reviews than a page lists them a page at a time", "[http][web][reviews]") {
  WebFixture web;
  web.WithEngine([&](Engine& engine, Store&) {
    for (int i = 0; i < 500; ++i) REQUIRE(engine.Open("scr", "demo", web.Step(0).fields, "p-spoc").ok());
  });
  const std::string chair = web.SignIn(kChair);
  HttpReply first = web.Get("/reviews", chair);
  REQUIRE(first.status == 200);
  CHECK(Count(first.body, "<th scope=\"row\"") == 500);
  static const std::regex kNext(R"re(href="/reviews\?after=([A-Z0-9-]+)" rel="next")re");
  std::smatch m;
  REQUIRE(std::regex_search(first.body, m, kNext));
  HttpReply second = web.Get("/reviews?after=" + m[1].str(), chair);
  REQUIRE(second.status == 200);
  CHECK(Count(second.body, "<th scope=\"row\"") == 1);  // 501 open reviews in all
  CHECK_FALSE(Has(second.body, "rel=\"next\""));
}

// Browser requests to the web pages (app/http/web.cpp): what a browser (or someone forging
// one) sends, answered by the same HandleWeb the server calls, over a memory store holding
// the demo board with one SCR and one child death review open, the panel chair signed in by
// a session cookie whose CSRF token is "csrf".
//
// Input: a first line "METHOD PATH[?QUERY]" (and, after a space, "as PERSON" to be signed in
// as someone else, or "as nobody" to send no cookie), then the body (a form, urlencoded).
//
// Every answer is a known status with an HTML page (or the stylesheet, or a redirect); a
// page never shows the child's name; an answer of 400 or more writes nothing but the audit
// log, whose chain still holds.
#include <set>

#include "access.hpp"
#include "fuzz_support.hpp"
#include "http_fuzz_support.hpp"
#include "http/web.hpp"

using namespace casereview;

namespace {

constexpr const char* kCookie = "fuzz-session-secret";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  auto parsed = fuzz::ParseFuzzRequest(text, "p-panel-chair");
  if (!parsed) return -1;
  http::Request& req = parsed->req;
  const std::string& person = parsed->person;
  if (!http::IsWebPath(req.path)) return -1;  // the API's own fuzzer covers the rest

  fuzz::DemoService service;
  auto& store = service.store;
  ManualClock& clock = service.clock;
  Engine& engine = service.engine;
  if (person != "nobody") {
    auto people = store->ListPeople("demo");
    bool known = false;
    for (const Person& p : fuzz::Must(std::move(people), "ListPeople")) known = known || p.id == person;
    if (!known) return -1;
    Instant now = clock.Now();
    FUZZ_CHECK(store->PutSession({SecretHash(kCookie), "demo", person, "csrf", now, now + std::chrono::hours{8}}).ok(),
               "the session is stored");
    req.session_cookie = kCookie;
  }
  clock.Advance(std::chrono::hours{26});
  const fuzz::StoreContents before = fuzz::Snapshot(*store);

  http::Response r = http::HandleWeb(req, *store, engine, clock, http::ApiOptions{});
  static const std::set<int> kKnown = {200, 303, 400, 401, 403, 404, 405, 409, 429, 503};
  FUZZ_CHECK(kKnown.count(r.status) == 1, "an answer has a known status");
  FUZZ_CHECK(r.content_type == "text/html" || r.content_type == "text/css", "an answer is a page or the stylesheet");
  if (r.status == 303) {
    bool located = false;
    for (const auto& [name, value] : r.headers) located = located || (name == "Location" && value.rfind("/", 0) == 0);
    FUZZ_CHECK(located, "a redirect stays on this server");
  } else if (r.content_type == "text/html") {
    FUZZ_CHECK(r.body.rfind("<!DOCTYPE html>", 0) == 0, "a page is a whole page");
    fuzz::ShowRefusal(std::to_string(r.status) + " " + req.method + " " + req.path);
  }
  if (!fuzz::RequestNamesChild(text))
    FUZZ_CHECK(r.body.find(fuzz::kExampleSubjectName) == std::string::npos, "no page names the child");
  if (r.status >= 400) FUZZ_CHECK(fuzz::Snapshot(*store) == before, "a refused request writes nothing");
  auto chain = VerifyAuditChain(*store);
  FUZZ_CHECK(chain.ok() && chain->problem.empty(), "the audit chain holds");
  return 0;
}

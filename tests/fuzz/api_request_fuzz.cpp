// JSON API requests (app/http/api.cpp): what an HTTP client sends, answered by the same
// Handle the server calls, over a memory store holding the demo board with one SCR and one
// child death review open, the caller signed in by an API token.
//
// Input: a first line "METHOD PATH[?QUERY]" (and, after a space, "as PERSON" to call as
// someone other than the business officer), then the body.
//
// Every answer is a known status with a JSON body (a calendar is text); an error names what
// was wrong and never the child's name; an answer of 400 or more writes nothing but the
// audit log, whose chain still holds.
#include <set>

#include "access.hpp"
#include "fuzz_support.hpp"
#include "http_fuzz_support.hpp"
#include "http/api.hpp"

using namespace casereview;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  auto parsed = fuzz::ParseFuzzRequest(text, "p-spoc");
  if (!parsed) return -1;
  http::Request& req = parsed->req;
  const std::string& person = parsed->person;

  fuzz::DemoService service;
  auto& store = service.store;
  ManualClock& clock = service.clock;
  Engine& engine = service.engine;
  Access access(*store, clock);
  auto token = access.CreateToken("demo", person, "fuzz");
  if (!token.ok()) return -1;  // not a person of the board
  req.bearer_token = token->secret;
  clock.Advance(std::chrono::hours{26});
  const fuzz::StoreContents before = fuzz::Snapshot(*store);

  http::Response r = http::Handle(req, *store, engine, clock, http::ApiOptions{});
  static const std::set<int> kKnown = {200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 429, 500, 503};
  FUZZ_CHECK(kKnown.count(r.status) == 1, "an answer has a known status");
  if (r.status != 204 && r.content_type == "application/json") {
    nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
    FUZZ_CHECK(!body.is_discarded(), "a JSON answer is JSON");
    if (r.status >= 400) {
      FUZZ_CHECK(body.contains("error") && body["error"].is_string() && !body["error"].get<std::string>().empty(),
                 "an error says what was wrong");
      fuzz::ShowRefusal(std::to_string(r.status) + " " + body["error"].get<std::string>());
    }
  }
  FUZZ_CHECK(r.status != 500, "no request makes the server fail");
  if (r.status >= 400) {
    if (!fuzz::RequestNamesChild(text))
      FUZZ_CHECK(r.body.find(fuzz::kExampleSubjectName) == std::string::npos, "an error never names the child");
    FUZZ_CHECK(fuzz::Snapshot(*store) == before, "a refused request writes nothing");
  }
  auto chain = VerifyAuditChain(*store);
  FUZZ_CHECK(chain.ok() && chain->problem.empty(), "the audit chain holds");
  return 0;
}

// What the HTTP fuzzers (api_request, web_request) share: the request line they read (a
// first line "METHOD PATH[?QUERY][ as PERSON]", then the body) and the service they ask.
#pragma once

#include <Poco/URI.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "casereview/clock.hpp"
#include "casereview/engine.hpp"
#include "fuzz_support.hpp"
#include "http/api.hpp"

namespace casereview::fuzz {

struct FuzzRequest {
  http::Request req;   // method, path, query and body
  std::string person;  // who sends it: `as PERSON`, or the default
};

// InputNamesChild for a request: also once or twice URL-decoded ('+' as a space), as the
// server and the pages decode paths, queries and forms. Undecodable input counts as naming it.
inline bool RequestNamesChild(std::string_view input) {
  std::string text(input);
  for (int round = 0; round < 3; ++round) {
    std::replace(text.begin(), text.end(), '+', ' ');
    if (InputNamesChild(text)) return true;
    std::string decoded;
    try {
      Poco::URI::decode(text, decoded);
    } catch (const std::exception&) {
      return true;
    }
    text = std::move(decoded);
  }
  return InputNamesChild(text);
}

// nullopt when the first line has no space between method and path.
inline std::optional<FuzzRequest> ParseFuzzRequest(std::string_view text, std::string default_person) {
  const std::size_t eol = text.find('\n');
  std::string line{text.substr(0, eol)};
  FuzzRequest out;
  out.req.body = eol == std::string_view::npos ? "" : std::string(text.substr(eol + 1));
  out.person = std::move(default_person);
  if (auto as = line.find(" as "); as != std::string::npos) {
    out.person = line.substr(as + 4);
    line.resize(as);
  }
  const std::size_t space = line.find(' ');
  if (space == std::string::npos) return std::nullopt;
  out.req.method = line.substr(0, space);
  std::string target = line.substr(space + 1);
  if (auto q = target.find('?'); q != std::string::npos) {
    std::string query = target.substr(q + 1);
    target.resize(q);
    std::size_t start = 0;
    while (start < query.size()) {
      std::size_t end = query.find('&', start);
      if (end == std::string::npos) end = query.size();
      std::string pair = query.substr(start, end - start);
      std::size_t eq = pair.find('=');
      out.req.query[pair.substr(0, eq)] = eq == std::string::npos ? "" : pair.substr(eq + 1);
      start = end + 1;
    }
  }
  out.req.path = target;
  return out;
}

// A memory store with the demo board, an administrator added, and one SCR and one child
// death review open (OpenDemoReviews), with the engine over it.
struct DemoService {
  std::unique_ptr<Store> store = NewMemoryStore();
  ManualClock clock{Instant{}};
  Engine engine{*store, clock};

  DemoService() {
    OpenDemoReviews(engine, clock);
    FUZZ_CHECK(store->PutPerson({"p-admin", "demo", "Admin", "admin@example.org", "", {"administrator"}}).ok(),
               "the administrator is added");
  }
};

}  // namespace casereview::fuzz

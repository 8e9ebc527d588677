// Event fields given as JSON: what an HTTP API body or `--json` becomes before the engine
// sees it (Engine::Open of an SCR or a child death review / Record over a memory store holding the demo
// board, one SCR and one child death review open).
//
// Input: a first line naming the command, then the body.
//   "refer" | "notify"            opens a review with the body's fields
//   "<review ref> <EventName>"    records the event, e.g. "SCR-2026-001 PanelMeetingConvened"
//   "<EventName>"                 records it on the SCR
// A body that is not JSON never reaches the engine (the API answers 400), so it is skipped.
//
// Refused: a Status with a message that never carries the child's name, and nothing written.
// Accepted: exactly one event more on the review (two reviews for ReferredForScr), the log
// otherwise unchanged.
#include <algorithm>

#include "fuzz_support.hpp"

using namespace casereview;

namespace {

std::size_t EventCount(const fuzz::StoreContents& c) {
  std::size_t n = 0;
  for (const auto& log : c.events) n += log.size();
  return n;
}

std::size_t ReviewIndex(const fuzz::StoreContents& c, const std::string& ref) {
  for (std::size_t i = 0; i < c.reviews.size(); ++i)
    if (c.reviews[i].ref == ref) return i;
  FUZZ_CHECK(false, "a review is never lost");
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  const std::size_t eol = text.find('\n');
  const std::string command{text.substr(0, eol)};
  const std::string_view body = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
  nlohmann::json fields = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (fields.is_discarded()) return -1;  // not worth keeping in the corpus
  if (fields.is_object() && fields.contains("subject_name")) fields["subject_name"] = fuzz::kExampleSubjectName;

  auto store = NewMemoryStore();
  ManualClock clock{Instant{}};
  Engine engine(*store, clock);
  const fuzz::DemoReviews demo = fuzz::OpenDemoReviews(engine, clock);
  clock.Advance(std::chrono::hours{26});
  const fuzz::StoreContents before = fuzz::Snapshot(*store);

  Status s;
  std::size_t added = 1;
  if (command == "refer") {
    s = engine.Open("scr", "", fields, "p-spoc").status();
  } else if (command == "notify") {
    s = engine.Open("cdop", "", fields, "p-spoc").status();
  } else {
    const std::size_t space = command.find(' ');
    const std::string ref = space == std::string::npos ? demo.scr_ref : command.substr(0, space);
    const std::string event = space == std::string::npos ? command : command.substr(space + 1);
    if (event == "ReferredForScr") added = 2;  // the SCR opened with it
    s = engine.Record(ref, event, fields, "p-spoc").status();
  }
  const fuzz::StoreContents after = fuzz::Snapshot(*store);
  if (!s.ok()) {
    fuzz::CheckRefusal(s);
    if (!fuzz::InputNamesChild(text))
      FUZZ_CHECK(s.message().find(fuzz::kExampleSubjectName) == std::string::npos, "a refusal never names the child");
    FUZZ_CHECK(after == before, "a refused command writes nothing");
    return 0;
  }
  FUZZ_CHECK(EventCount(after) == EventCount(before) + added, "an accepted command appends its event(s)");
  for (std::size_t i = 0; i < before.reviews.size(); ++i) {
    const auto& old_log = before.events[i];
    const auto& new_log = after.events[ReviewIndex(after, before.reviews[i].ref)];
    FUZZ_CHECK(new_log.size() >= old_log.size() &&
                   std::equal(old_log.begin(), old_log.end(), new_log.begin()),
               "the log is append-only");
  }
  return 0;
}

// What every fuzz target shares: a check that aborts (so libFuzzer keeps the input), the
// invariant every refusal must meet, a snapshot of everything a Store holds (to show that a
// refused input wrote nothing), and the demo board the examples use.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "board_import.hpp"
#include "casereview/engine.hpp"
#include "casereview/status.hpp"
#include "casereview/store.hpp"

namespace casereview::fuzz {

// An invariant that does not hold is a crash: libFuzzer writes the input as crash-<sha1>.
#define FUZZ_CHECK(cond, what)                                                         \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "fuzz invariant broken: %s (%s) at %s:%d\n", (what), #cond, \
                   __FILE__, __LINE__);                                                \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)

// The child's name in the example referral (examples/scr_full_lifecycle.json) that
// OpenDemoReviews opens: no refusal, answer or page may carry it.
inline constexpr std::string_view kExampleSubjectName = "Child A";

// Whether the fuzz input itself carries that name (in an event's name, a field that is not
// the child's name, an email typed at sign-in): a refusal or page may then rightly echo what
// was sent, so only an input without it can tell a leak of the stored name from an echo.
inline bool InputNamesChild(std::string_view input) { return input.find(kExampleSubjectName) != std::string_view::npos; }

// A folder of its own under the temp dir ("casereview-fuzz-TAG-XXXXXX"), removed when the
// fuzzer exits.
class ScratchFolder {
 public:
  explicit ScratchFolder(std::string_view tag) {
    std::string templ =
        (std::filesystem::temp_directory_path() / ("casereview-fuzz-" + std::string(tag) + "-XXXXXX")).string();
    FUZZ_CHECK(mkdtemp(templ.data()) != nullptr, "a scratch folder");
    path_ = templ;
  }
  ~ScratchFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A refusal is a value that says what is wrong: never Ok, never silent. With
// CASEREVIEW_FUZZ_SHOW=1 in the environment it is printed, so running a target on one file
// shows what that input gets (docs/reliability.md's table was made that way).
inline void ShowRefusal(const std::string& what) {
  static const bool show = std::getenv("CASEREVIEW_FUZZ_SHOW") != nullptr;
  if (show) std::fprintf(stderr, "refused: %s\n", what.c_str());
}
inline void CheckRefusal(const Status& s) {
  FUZZ_CHECK(!s.ok(), "a refusal must not be Ok");
  FUZZ_CHECK(!s.message().empty(), "a refusal must say what is wrong");
  ShowRefusal("(code " + std::to_string(static_cast<int>(s.code())) + ") " + s.message());
}

// Everything a Store holds that a command could change.
struct StoreContents {
  std::vector<Board> boards;
  std::vector<Agency> agencies;
  std::vector<Person> people;
  std::vector<ReviewRecord> reviews;
  std::vector<std::vector<StoredEvent>> events;
  std::vector<std::vector<Timer>> timers;
  std::vector<Notice> notices;
  std::optional<std::string> bank_holidays;
  bool operator==(const StoreContents&) const = default;
};

template <class T>
T Must(Result<T> r, const char* what) {
  FUZZ_CHECK(r.ok(), what);
  return std::move(r).value();
}

inline StoreContents Snapshot(Store& store) {
  StoreContents c;
  c.boards = Must(store.ListBoards(), "ListBoards");
  for (const auto& b : c.boards) {
    for (auto& a : Must(store.ListAgencies(b.id), "ListAgencies")) c.agencies.push_back(std::move(a));
    for (auto& p : Must(store.ListPeople(b.id), "ListPeople")) c.people.push_back(std::move(p));
  }
  c.reviews = Must(store.ListReviews({}), "ListReviews");
  for (const auto& r : c.reviews) {
    c.events.push_back(Must(store.LoadEvents(r.ref), "LoadEvents"));
    c.timers.push_back(Must(store.PendingTimers(r.ref), "PendingTimers"));
  }
  c.notices = Must(store.ListNotices({}), "ListNotices");
  c.bank_holidays = Must(store.GetSetting("bank-holidays"), "GetSetting");
  return c;
}

inline std::string ReadExample(const std::string& name) {
  std::ifstream in(std::string(CASEREVIEW_EXAMPLES_DIR) + "/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// examples/demo-board.json, parsed once.
inline const BoardData& DemoBoard() {
  static const BoardData board = Must(ParseBoardJson(ReadExample("demo-board.json")), "demo board parses");
  return board;
}

// A store holding the demo board with one review of each kind open, as the examples open
// them: an SCR (SCR-2026-001) and a child death review (CDR-2026-001). `clock` reads
// 2026-02-02T08:00:00Z afterwards.
struct DemoReviews {
  std::string scr_ref;
  std::string cdr_ref;
};
inline DemoReviews OpenDemoReviews(Engine& engine, ManualClock& clock) {
  static const nlohmann::json kOpenings = [] {
    nlohmann::json scr = nlohmann::json::parse(ReadExample("scr_full_lifecycle.json"));
    nlohmann::json cdr = nlohmann::json::parse(ReadExample("cdop_unexpected_death.json"));
    return nlohmann::json{{"refer", scr["steps"][0]["refer"]}, {"notify", cdr["steps"][0]["notify"]}};
  }();
  clock.Set(Instant{std::chrono::seconds{1770019200}});  // 2026-02-02T08:00:00Z
  FUZZ_CHECK(engine.ImportBoardData(DemoBoard()).ok(), "the demo board imports");
  DemoReviews out;
  out.scr_ref = Must(engine.Open("scr", "", kOpenings["refer"], "p-spoc"), "the example referral opens an SCR");
  out.cdr_ref = Must(engine.Open("cdop", "", kOpenings["notify"], "p-spoc"), "the example notification opens a CDR");
  return out;
}

}  // namespace casereview::fuzz

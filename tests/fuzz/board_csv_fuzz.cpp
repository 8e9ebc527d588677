// Board files as CSV (`casereview board import agencies.csv|people.csv`; fast-cpp-csv-parser
// in engine/board_import.cpp), added to the demo board. Refused: a Status, and the import
// writes nothing. Accepted: every row validates, and the import stores it (or refuses whole).
#include "casereview/engine.hpp"
#include "fuzz_support.hpp"

using namespace casereview;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const BoardData& demo = fuzz::DemoBoard();
  Result<BoardData> d = ParseBoardCsv(fuzz::AsText(data, size), demo.board, "fuzz.csv");
  if (!d.ok()) {
    fuzz::CheckRefusal(d.status());
    return 0;
  }
  FUZZ_CHECK(d->board == demo.board, "the rows are added to the board given");
  for (const auto& a : d->agencies) FUZZ_CHECK(Validate(a).ok(), "an accepted agency validates");
  for (const auto& p : d->people) FUZZ_CHECK(Validate(p).ok(), "an accepted person validates");

  auto store = NewMemoryStore();
  ManualClock clock{Instant{std::chrono::seconds{1767607200}}};  // 2026-01-05T10:00:00Z
  Engine engine(*store, clock);
  FUZZ_CHECK(engine.ImportBoardData(demo).ok(), "the demo board imports");
  fuzz::StoreContents before = fuzz::Snapshot(*store);
  Status s = engine.ImportBoardData(*d);
  if (!s.ok()) {
    fuzz::CheckRefusal(s);
    FUZZ_CHECK(fuzz::Snapshot(*store) == before, "a refused import writes nothing");
  }
  return 0;
}

// Board files as JSON (`casereview board import board.json`; engine/board_import.*).
// Refused: a Status, and the import writes nothing. Accepted: the board round-trips through
// BoardDataToJson, and importing it into an empty store stores exactly it.
#include "casereview/engine.hpp"
#include "fuzz_support.hpp"

using namespace casereview;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Result<BoardData> d = ParseBoardJson(fuzz::AsText(data, size));
  if (!d.ok()) {
    fuzz::CheckRefusal(d.status());
    return 0;
  }
  FUZZ_CHECK(Validate(*d).ok(), "an accepted board validates");
  Result<BoardData> again = ParseBoardJson(BoardDataToJson(*d).dump());
  FUZZ_CHECK(again.ok(), "an accepted board, written out, parses again");
  FUZZ_CHECK(again->board == d->board && again->agencies == d->agencies && again->people == d->people,
             "an accepted board round-trips unchanged");

  auto store = NewMemoryStore();
  ManualClock clock{Instant{std::chrono::seconds{1767607200}}};  // 2026-01-05T10:00:00Z
  Engine engine(*store, clock);
  fuzz::StoreContents before = fuzz::Snapshot(*store);
  Status s = engine.ImportBoardData(*d);
  if (!s.ok()) {
    fuzz::CheckRefusal(s);
    FUZZ_CHECK(fuzz::Snapshot(*store) == before, "a refused import writes nothing");
    return 0;
  }
  fuzz::StoreContents after = fuzz::Snapshot(*store);
  FUZZ_CHECK(after.boards.size() == 1 && after.boards[0] == d->board, "the board is stored as parsed");
  FUZZ_CHECK(after.agencies.size() == d->agencies.size(), "every agency is stored");
  FUZZ_CHECK(after.people.size() == d->people.size(), "every person is stored");
  return 0;
}

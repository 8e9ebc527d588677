// The command line run in-process (app/cli.hpp, cli::Run): each run starts from its options'
// defaults, so one run's options never leak into the next (they are kept in the run's Context,
// not in statics).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "casereview/sqlite_store.hpp"
#include "cli.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::TempDir;

namespace {

int RunCli(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  return cli::Run(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

SCENARIO("The command line run twice in one process starts the second run from the options' defaults", "[cli]") {
  TempDir dir;
  const std::string db = dir.File("boards.db");
  REQUIRE(RunCli({"casereview", "--db", db, "board", "create", "--id", "north", "--name", "North", "--profile",
                  "wt2018", "--quorum-min-agencies", "6", "--quorum-no-chair"}) == 0);
  REQUIRE(RunCli({"casereview", "--db", db, "board", "create", "--id", "south", "--name", "South"}) == 0);

  auto store = OpenSqliteStore(db);
  REQUIRE(store.ok());
  auto boards = (*store)->ListBoards();
  REQUIRE(boards.ok());
  REQUIRE(boards->size() == 2);
  for (const Board& b : *boards) {
    INFO(b.id);
    const bool north = b.id == "north";
    CHECK(b.policy_profile == (north ? "wt2018" : "seed-2010"));
    CHECK(b.quorum.min_agencies == (north ? 6 : 4));
    CHECK(b.quorum.chair_required == !north);
  }
}

// casereview's command line with the tiny test kind registered (support/tiny_kind.hpp): the
// walkthrough tests/app/tiny_kind_cli_test.sh opens, records, lists, shows and reports one
// through it, with nothing in app/ knowing the kind.
#include "cli.hpp"
#include "support/tiny_kind.hpp"

int main(int argc, char** argv) {
  casereview::testing::RegisteredTiny();
  return casereview::cli::Run(argc, argv);
}

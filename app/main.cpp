// casereview: run Serious Case Reviews from the command line. docs/cli.md has the guide.
#include "cli.hpp"

int main(int argc, char** argv) { return casereview::cli::Run(argc, argv); }

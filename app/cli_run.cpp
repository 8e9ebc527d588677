// casereview's command line: every command, for the kinds of review registered when it runs.
#include <CLI/CLI.hpp>

#include "casereview/sqlite_store.hpp"
#include "cli.hpp"

namespace casereview::cli {

int Run(int argc, char** argv) {
  CLI::App app{
      "casereview — Serious Case Reviews for Local Safeguarding Children Boards.\n"
      "Every fact is kept in an SQLite database (--db). See docs/cli.md."};
  app.require_subcommand(1);
  app.fallthrough();  // --db and --json may also follow the subcommand
  Context ctx;
  int exit_code = 0;
  // "sqlite:PATH" or a PATH (ParseStoreLocation); every command then works on the file.
  app.add_option("--db", ctx.db_path, "The database: a file path, or sqlite:PATH")
      ->capture_default_str()
      ->transform(CLI::Validator(
          [](std::string& db) {
            auto where = ParseStoreLocation(db);
            if (!where.ok()) return where.status().message();
            db = where->path;
            return std::string();
          },
          "", "store location"));
  app.add_flag("--json", ctx.json, "Print JSON instead of text");
  app.add_option("--audit-key", ctx.audit_key_path,
                 "The audit log's key file, kept apart from the database (default: <db>.audit-key)");
  AddBoardCommands(app, ctx, exit_code);
  AddReviewCommands(app, ctx, exit_code);
  AddSchedulerCommands(app, ctx, exit_code);
  AddReportCommands(app, ctx, exit_code);
  AddCalendarCommands(app, ctx, exit_code);
  AddOutboxCommands(app, ctx, exit_code);
  AddBackupCommands(app, ctx, exit_code);
  AddAccessCommands(app, ctx, exit_code);
  AddServeCommand(app, ctx, exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}

}  // namespace casereview::cli

// casereview backup | restore: a consistent copy of the database while it is in use, and
// putting one back, each checked (SQLite's integrity check, then every review replayed).
// The audit key is never copied into a backup (whoever held both could rewrite the log); a
// restore checks the restored audit log with the key in place and moves the head witness to
// it, then records the restore in the log (docs/cli.md).
#include <iostream>

#include "access.hpp"
#include "casereview/sqlite_store.hpp"
#include "cli.hpp"

namespace casereview::cli {
namespace {

void PrintSummary(const std::string& verb, const std::string& path, const BackupSummary& s) {
  std::cout << verb << " " << path << ": " << s.reviews << " reviews, " << s.events << " events, " << s.notices
            << " notices, " << s.bytes << " bytes; SQLite integrity check ok\n";
}

// Every review of the copy rebuilt from its log and compared with its record.
int Verify(const std::string& path) {
  Context copy;
  copy.db_path = path;
  if (Status s = copy.Open(false); !s.ok()) return Fail(s);
  auto report = copy.engine->Recover(/*include_closed=*/true);
  if (!report.ok()) return Fail(report.status());
  PrintRecovery(*report);
  return 0;
}

// The restored audit log checked with the key, the witness moved to its head, the restore
// itself recorded.
int ReanchorAudit(Context& ctx, const std::string& from) {
  auto v = ReanchorAuditWitness(ctx.db_path, ctx.StoreOptions(false));
  if (!v.ok()) return Fail(v.status());
  if (!v->problem.empty())
    return Fail(Status::Corruption("the restored audit log does not hold, so its head witness was not moved: " + v->problem));
  if (Status s = ctx.Open(false); !s.ok()) return Fail(s);
  Access access(*ctx.store, ctx.clock);
  if (Status s = access.Audit({"cli", ""}, "database.restore", from, "ok"); !s.ok()) return Fail(s);
  std::cout << "audit log: " << v->entries << " entries verified"
            << (v->keyed_from ? " with the key" : " (none keyed yet)") << "; the head witness now vouches for entry "
            << v->head_seq << ", and the restore is entry " << v->head_seq + 1 << "\n";
  return 0;
}

}  // namespace

void AddBackupCommands(CLI::App& app, Context& ctx, int& exit_code) {
  std::string& to = ctx.Keep<std::string>();
  std::string& from = ctx.Keep<std::string>();
  bool& replace = ctx.Keep<bool>(false);
  auto* backup = app.add_subcommand("backup", "Copy the database to a new file, safely while it is in use");
  backup->add_option("file", to, "The new backup file")->required();
  backup->callback([&] {
    auto s = BackupSqliteDatabase(ctx.db_path, to);
    if (!s.ok()) { exit_code = Fail(s.status()); return; }
    PrintSummary("backed up " + ctx.db_path + " to", to, *s);
    exit_code = Verify(to);
  });
  auto* restore = app.add_subcommand("restore", "Put a backup back as the database (--db), after checking it");
  restore->add_option("file", from, "The backup file")->required();
  restore->add_flag("--replace", replace, "Overwrite an existing database");
  restore->callback([&] {
    auto s = RestoreSqliteDatabase(from, ctx.db_path, replace);
    if (!s.ok()) { exit_code = Fail(s.status()); return; }
    PrintSummary("restored " + from + " into", ctx.db_path, *s);
    exit_code = Verify(ctx.db_path);
    if (exit_code == 0) exit_code = ReanchorAudit(ctx, from);
  });
}

}  // namespace casereview::cli

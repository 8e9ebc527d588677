// Shared plumbing of the `casereview` command line: the database, the engine, output.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "casereview/clock.hpp"
#include "casereview/engine.hpp"
#include "casereview/sqlite_store.hpp"
#include "casereview/status.hpp"
#include "casereview/store.hpp"

namespace casereview::cli {

// Options every command shares, and what they open.
struct Context {
  std::string db_path = "casereview.db";
  std::string audit_key_path;  // --audit-key; empty: "<db>.audit-key" (SqliteStoreOptions)
  bool json = false;

  // A command's options, kept as long as the command line (cli::Run): each callback reads
  // them after parsing. Owned here rather than in statics, so each Run starts from defaults.
  template <class T, class... Args>
  T& Keep(Args&&... args) {
    auto kept = std::make_shared<T>(std::forward<Args>(args)...);
    T& ref = *kept;
    kept_options.push_back(std::move(kept));
    return ref;
  }
  std::vector<std::shared_ptr<void>> kept_options;

  ProcessClock clock;  // the system clock, or the test clock $CASEREVIEW_CLOCK describes (docs/cli.md)
  std::unique_ptr<Store> store;
  std::unique_ptr<Engine> engine;

  // Opens the database (creating it only when `create`) and an engine over it.
  Status Open(bool create);
  // How every store of this command opens the database: the audit key's place included.
  SqliteStoreOptions StoreOptions(bool create) const;

  // Who runs the command line, as the audit log names them: "cli:" and the operating-system
  // user's login name. The command line is the operator's; what it reads and changes of
  // case data is audited like any API call.
  std::string Operator() const;
  // Appends an audit entry as Operator(), in the log of `board_id` (the board of the review or
  // person it is about; empty when it is about several). REQUIRES: Open.
  Status Audit(std::string_view board_id, std::string_view action, std::string_view target, std::string_view outcome);
  // The "ok" audit entry of a command that changes a review, as Operator(), written with the
  // change in its transaction (engine.hpp, CommandTrail): the review's reference is its target.
  CommandTrail TrailFor(std::string_view board_id, std::string_view action) const;
  // The person `--by` names, who must be on the board and not removed, and may record `event`
  // on `review` by the same rules as the API (engine/permissions.hpp). REQUIRES: Open.
  Status MayRecordAs(const std::string& by, const ReviewRecord& review, std::string_view event,
                     const nlohmann::json& fields);
  // The same for opening a review of `kind` ("scr", "cdop"): the board `--by`'s person is on,
  // which `board_id` (if given) must be.
  Result<std::string> MayOpenAs(const std::string& by, const std::string& board_id, std::string_view kind);

 private:
  // The person `by` names on `board_id`, or on whichever board has them when it is empty (an
  // error if several do).
  Result<Person> Acting(const std::string& board_id, const std::string& by);
};

// Turns `--set key=value` pairs into an event's fields, typed by the event's table: lists
// are comma-separated, booleans true/false. `json_fields` (a JSON object) is merged first.
Result<nlohmann::json> FieldsFrom(std::string_view event, const std::vector<std::string>& sets,
                                  const std::string& json_fields);

// "a,b,,c" -> {"a", "b", "c"}
std::vector<std::string> SplitCommas(const std::string& s);
// The whole file, or NotFound naming the path.
Result<std::string> ReadFile(const std::string& path);

// "verified N reviews ...", and any read models found stale or rebuilt.
void PrintRecovery(const RecoveryReport& r);

// Prints an error (to stderr) and returns the process exit code for it.
int Fail(const Status& s);

void AddBoardCommands(CLI::App& app, Context& ctx, int& exit_code);
void AddReviewCommands(CLI::App& app, Context& ctx, int& exit_code);
void AddSchedulerCommands(CLI::App& app, Context& ctx, int& exit_code);
// The whole command line: parses `argv`, runs the command, returns the exit code. The kinds of
// review it offers are those registered by then (workflows/common/review_kind.hpp); a test
// registers one of its own first (tests/support/tiny_kind_cli.cpp). Each call starts from the
// options' defaults (they are kept in its Context). Not thread-safe: it writes std::cout.
int Run(int argc, char** argv);

void AddReportCommands(CLI::App& app, Context& ctx, int& exit_code);
void AddCalendarCommands(CLI::App& app, Context& ctx, int& exit_code);
void AddOutboxCommands(CLI::App& app, Context& ctx, int& exit_code);
void AddBackupCommands(CLI::App& app, Context& ctx, int& exit_code);
void AddAccessCommands(CLI::App& app, Context& ctx, int& exit_code);
void AddServeCommand(CLI::App& app, Context& ctx, int& exit_code);

}  // namespace casereview::cli

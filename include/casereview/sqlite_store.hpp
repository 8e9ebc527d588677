// The embedded default Store: one SQLite file.
//
// Durability: WAL journal with synchronous=FULL, so a notice can never describe a
// transition that a power cut rolled back. Writers in one process take turns (one mutex
// per file, waited for up to `busy_timeout`), then take the lock up front (BEGIN IMMEDIATE)
// and wait up to `busy_timeout` for another process to finish, then fail with a
// StorageError that says the database is busy.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "casereview/status.hpp"
#include "casereview/store.hpp"

namespace casereview {

struct SqliteStoreOptions {
  std::chrono::milliseconds busy_timeout{5000};
  // Create the file and schema if missing. When false, a missing file is NotFound.
  bool create_if_missing = true;
  // The audit log's key file (access.hpp), made (mode 0600) at the first append; empty:
  // "<path>.audit-key". The head witness is always "<path>.audit-head". Keep the key off the
  // database's backups, and back it up on its own (docs/cli.md).
  std::string audit_key_path;
};

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteStoreOptions& options = {});

// Where a store is, as `--db` names it: "sqlite:PATH", or a plain PATH, is the SQLite file
// at PATH. Any other scheme ("postgresql://...") is InvalidArgument naming the schemes this
// build opens; so is an empty path.
struct StoreLocation {
  std::string scheme;  // "sqlite"
  std::string path;
};
Result<StoreLocation> ParseStoreLocation(std::string_view db);
// The store `db` names (ParseStoreLocation), opened.
Result<std::unique_ptr<Store>> OpenStore(std::string_view db, const SqliteStoreOptions& options = {});

// What a backup or restore copied, once checked.
struct BackupSummary {
  std::int64_t reviews = 0;
  std::int64_t events = 0;
  std::int64_t notices = 0;
  std::int64_t bytes = 0;  // the copy's size
};

// Copies the database `from` into the new file `to`, consistently, while other processes
// may go on writing (SQLite's online backup API, in one pass under a read snapshot), then
// checks the copy (PRAGMA integrity_check). InvalidArgument if `to` exists, NotFound if
// `from` does not; on any failure the partial copy is removed and StorageError says why.
Result<BackupSummary> BackupSqliteDatabase(const std::string& from, const std::string& to,
                                           std::chrono::milliseconds busy_timeout = std::chrono::seconds{5});

// Restores a backup into `to`: the backup is checked first and left untouched. `to` must
// not exist unless `replace` (then its contents are replaced in one step, through SQLite,
// so a process holding it open sees either the old or the restored database; a `to` so
// damaged that SQLite cannot write through it is replaced as a file instead).
Result<BackupSummary> RestoreSqliteDatabase(const std::string& backup, const std::string& to, bool replace,
                                            std::chrono::milliseconds busy_timeout = std::chrono::seconds{5});

// After a restore (the CLI's `restore` runs it): the restored audit log checked with the key
// from its first entry on, ignoring the witness (that of the database it replaced, or none),
// then the witness rewritten at the restored head, backwards if need be. Returns the check;
// a log that does not hold (its `problem` set) leaves the witness as it was. StorageError if
// the log has keyed entries and the key is not at its place (options.audit_key_path or
// "<path>.audit-key").
Result<AuditVerification> ReanchorAuditWitness(const std::string& path, const SqliteStoreOptions& options = {});

}  // namespace casereview

// Online backup and restore of the SQLite store (include/casereview/sqlite_store.hpp),
// through SQLite's backup API: a consistent copy even while the server is writing.
#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>

#include "casereview/sqlite_store.hpp"
#include "sqlite_schema.hpp"

namespace casereview {
namespace {

namespace fs = std::filesystem;

// Checks a copy and counts what it holds. Throws SQLite::Exception on a file SQLite cannot read.
Result<BackupSummary> Check(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  std::string integrity = db.execAndGet("PRAGMA integrity_check").getString();
  if (integrity != "ok") return Status::Corruption(path + " fails SQLite's integrity check: " + integrity);
  if (!db.tableExists("schema_version") || !db.tableExists("review_events"))
    return Status::InvalidArgument(path + " is not a casereview database");
  int version = db.execAndGet("SELECT MAX(version) FROM schema_version").getInt();
  if (version > storage::LatestSchemaVersion())
    return Status::InvalidArgument(path + " has schema version " + std::to_string(version) +
                                   ", written by a newer casereview");
  BackupSummary s;
  s.reviews = db.execAndGet("SELECT COUNT(*) FROM reviews").getInt64();
  s.events = db.execAndGet("SELECT COUNT(*) FROM review_events").getInt64();
  s.notices = db.tableExists("outbox") ? db.execAndGet("SELECT COUNT(*) FROM outbox").getInt64() : 0;
  std::error_code ec;
  s.bytes = static_cast<std::int64_t>(fs::file_size(path, ec));
  return s;
}

// The backup API from `source` into `dest`, all pages in one step. Throws SQLite::Exception,
// or std::runtime_error when the databases stay locked.
void Copy(SQLite::Database& dest, SQLite::Database& source) {
  SQLite::Backup backup(dest, source);
  for (int attempt = 0; attempt < 20; ++attempt) {
    // SQLITE_BUSY or SQLITE_LOCKED: another connection holds a lock; the busy timeout has
    // already waited, so try the pass again.
    if (backup.executeStep(-1) == SQLITE_DONE) return;
  }
  throw std::runtime_error("the database stayed locked by another process");
}

void RemoveQuietly(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
}

// Restores `backup` into a new file beside `to`, then renames it over `to`, dropping the
// damaged database's journal files.
Result<BackupSummary> ReplaceFile(const std::string& backup, const std::string& to, const std::string& why) {
  const std::string fresh = to + ".restoring";
  RemoveQuietly(fresh);
  try {
    {
      SQLite::Database source(backup, SQLite::OPEN_READONLY);
      SQLite::Database dest(fresh, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      Copy(dest, source);
    }
    auto checked = Check(fresh);
    if (!checked.ok()) {
      RemoveQuietly(fresh);
      return checked.status();
    }
    for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(to + suffix);
    fs::rename(fresh, to);
    return Check(to);
  } catch (const std::exception& e) {
    RemoveQuietly(fresh);
    return Status::StorageError("restore of " + backup + " over the damaged " + to + " (" + why + ") failed: " + e.what());
  }
}

}  // namespace

Result<BackupSummary> BackupSqliteDatabase(const std::string& from, const std::string& to,
                                           std::chrono::milliseconds busy_timeout) {
  std::error_code ec;
  if (!fs::exists(from, ec)) return Status::NotFound("no database at " + from);
  if (fs::exists(to, ec)) return Status::InvalidArgument("backup: " + to + " already exists; choose a new file");
  try {
    {
      SQLite::Database source(from, SQLite::OPEN_READONLY, static_cast<int>(busy_timeout.count()));
      SQLite::Database dest(to, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      Copy(dest, source);
    }
    auto checked = Check(to);
    if (!checked.ok()) RemoveQuietly(to);
    return checked;
  } catch (const std::exception& e) {
    RemoveQuietly(to);
    return Status::StorageError("backup of " + from + " to " + to + " failed: " + e.what());
  }
}

Result<BackupSummary> RestoreSqliteDatabase(const std::string& backup, const std::string& to, bool replace,
                                            std::chrono::milliseconds busy_timeout) {
  std::error_code ec;
  if (!fs::exists(backup, ec)) return Status::NotFound("no backup at " + backup);
  const bool existed = fs::exists(to, ec);
  if (existed && !replace)
    return Status::InvalidArgument("restore: " + to + " already exists (give --replace to overwrite it)");
  try {
    auto checked = Check(backup);
    if (!checked.ok()) return checked.status();
  } catch (const std::exception& e) {
    return Status::StorageError("restore of " + backup + " into " + to + " failed: the backup cannot be read: " + e.what());
  }
  try {
    {
      SQLite::Database source(backup, SQLite::OPEN_READONLY);
      SQLite::Database dest(to, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, static_cast<int>(busy_timeout.count()));
      Copy(dest, source);
    }
    return Check(to);
  } catch (const std::exception& e) {
    if (!existed) {
      RemoveQuietly(to);
      return Status::StorageError("restore of " + backup + " into " + to + " failed: " + e.what());
    }
    // The database being replaced is itself damaged, so SQLite cannot write through it:
    // replace the file instead (nobody can be using a database SQLite cannot read).
    return ReplaceFile(backup, to, e.what());
  }
}

}  // namespace casereview

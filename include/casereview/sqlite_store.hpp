// The embedded default Store: one SQLite file.
//
// Durability: WAL journal with synchronous=FULL, so a notice can never describe a
// transition that a power cut rolled back. Writers take the lock up front (BEGIN
// IMMEDIATE) and wait up to `busy_timeout` for another process to finish, then fail with
// a StorageError that says the database is busy.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "casereview/status.hpp"
#include "casereview/store.hpp"

namespace casereview {

struct SqliteStoreOptions {
  std::chrono::milliseconds busy_timeout{5000};
  // Create the file and schema if missing. When false, a missing file is NotFound.
  bool create_if_missing = true;
};

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteStoreOptions& options = {});

}  // namespace casereview

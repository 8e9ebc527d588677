#include "sqlite_statements.hpp"

#include <map>
#include <mutex>
#include <unordered_map>

namespace casereview::storage {

struct Prepared::Kept {
  SQLite::Statement statement;
  bool in_use = false;
};

namespace {

using Cache = std::unordered_map<std::string, std::unique_ptr<Prepared::Kept>>;

std::mutex& RegistryLock() {
  static std::mutex mu;
  return mu;
}
std::map<const SQLite::Database*, Cache>& Registry() {
  static std::map<const SQLite::Database*, Cache> registry;
  return registry;
}

}  // namespace

void KeepStatements(SQLite::Database& db) {
  std::lock_guard lock(RegistryLock());
  Registry()[&db];
}

void ForgetStatements(SQLite::Database& db) {
  std::lock_guard lock(RegistryLock());
  Registry().erase(&db);  // finalizes every kept statement
}

Prepared::Prepared(SQLite::Database& db, const std::string& sql) {
  {
    std::lock_guard lock(RegistryLock());
    auto cache = Registry().find(&db);
    if (cache != Registry().end()) {
      auto& slot = cache->second[sql];
      if (!slot) slot = std::make_unique<Kept>(Kept{SQLite::Statement(db, sql)});
      if (!slot->in_use) {
        kept_ = slot.get();
        kept_->in_use = true;
        statement_ = &kept_->statement;
        return;
      }
    }
  }
  own_ = std::make_unique<SQLite::Statement>(db, sql);
  statement_ = own_.get();
}

Prepared::~Prepared() {
  if (kept_ == nullptr) return;
  try {
    statement_->reset();
    statement_->clearBindings();
  } catch (...) {
    // reset reports the last step's error again; the statement is reset all the same.
  }
  kept_->in_use = false;
}

}  // namespace casereview::storage

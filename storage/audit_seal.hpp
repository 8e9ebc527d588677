// Where a store keeps what verifies its audit log (access.hpp): the key and the head witness,
// in two files outside the database, or in memory. Private to storage/.
//
// The files: the key as 64 hex digits, the witness as a few "name value" lines ending in its
// own MAC (AuditWitnessCheck). Both are made with mode 0600 and replaced only by rename, so a
// reader sees a whole file or the one before it. Several processes (the server, the command
// line) and several connections of one process append to one log: a witness is moved under
// an exclusive flock of the key file, and never backwards.
//
// Thread-safe: the file mode keeps no state between calls; the memory mode takes a mutex.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "casereview/access.hpp"
#include "casereview/status.hpp"
#include "casereview/store.hpp"

namespace casereview::storage {

class AuditSealKeeper {
 public:
  // In files: the key at `key_path`, the witness at `witness_path`.
  AuditSealKeeper(std::string key_path, std::string witness_path);
  // In memory: the key and witness live as long as the keeper (the memory store's).
  AuditSealKeeper();

  // The key and witness as found now; a witness that fails its check is named in `problem`.
  Result<AuditSeal> Read();

  // The key to MAC the entry after (last_seq, last_hash) with. When no key exists and the log
  // has no keyed entry (`log_has_keyed` false), makes it, then the first witness
  // {keyed_from = last_seq + 1, last_seq, last_hash}. StorageError when the key is missing
  // but the log has keyed entries or a witness, or the witness is missing or fails its
  // check: appending then would hide a tampered log.
  // REQUIRES: the caller holds the log's write lock, so nobody appends meanwhile.
  Result<AuditKey> KeyForAppend(std::int64_t last_seq, const std::string& last_hash, bool log_has_keyed);

  // Moves the witness to (seq, hash), unless it already vouches for `seq` or a later entry.
  // REQUIRES: entry `seq` is committed with `hash`.
  Status Advance(const AuditKey& key, std::int64_t seq, const std::string& hash);

  // Replaces the witness with `w`, even backwards: for a restore, once the restored log has
  // been verified with the key.
  Status Reanchor(const AuditKey& key, const AuditWitness& w);

 private:
  Result<AuditKey> CreateKey(std::int64_t last_seq, const std::string& last_hash);
  Status WriteWitness(const AuditKey& key, const AuditWitness& w);

  bool in_memory_ = false;
  std::string key_path_;
  std::string witness_path_;
  std::mutex memory_mutex_;
  std::optional<AuditKey> memory_key_;          // GUARDED_BY(memory_mutex_)
  std::optional<AuditWitness> memory_witness_;  // GUARDED_BY(memory_mutex_)
};

// VerifyAuditChain over `seal` as given; `witness_required` false for a log restored from a
// backup, whose witness (if any) is the replaced database's: the chain is checked from its
// own keyed entries, and the head is whatever the log holds.
Result<AuditVerification> VerifyAuditLog(Store& store, const AuditSeal& seal, std::optional<std::string_view> board,
                                         bool witness_required);

// The witness beside the database: "<db>.audit-head"; the default key, "<db>.audit-key".
std::string DefaultAuditKeyPath(const std::string& db_path);
std::string DefaultAuditWitnessPath(const std::string& db_path);

}  // namespace casereview::storage

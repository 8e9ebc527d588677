// The audit log's chain (plain SHA-256 before schema version 8, HMAC-SHA-256 from it on), its
// verification against the witness, and the hashes of secrets (access.hpp), with libsodium.
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "casereview/access.hpp"
#include "casereview/store.hpp"
#include "audit_seal.hpp"

namespace casereview {
namespace {

std::string Hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

// Appends `field` as its length in decimal, ':', then its bytes.
void Feed(crypto_hash_sha256_state& state, std::string_view field) {
  std::string length = std::to_string(field.size()) + ":";
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(length.data()), length.size());
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(field.data()), field.size());
}

// The same framing under HMAC-SHA-256.
void Feed(crypto_auth_hmacsha256_state& state, std::string_view field) {
  std::string length = std::to_string(field.size()) + ":";
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(length.data()), length.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(field.data()), field.size());
}

// libsodium must be initialised once before use; sodium_init is thread-safe and idempotent.
void EnsureSodium() {
  static const bool kReady = sodium_init() >= 0;
  (void)kReady;
}

}  // namespace

std::string_view GenesisAuditHash() {
  static const std::string kGenesis(64, '0');
  return kGenesis;
}

std::string AuditHash(std::string_view prev_hash, const AuditEntry& e) {
  EnsureSodium();
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  Feed(state, "casereview-audit-v1");
  Feed(state, prev_hash);
  Feed(state, std::to_string(e.seq));
  Feed(state, FormatInstant(e.at));
  Feed(state, e.actor);
  Feed(state, e.action);
  Feed(state, e.target);
  Feed(state, e.outcome);
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(&state, digest.data());
  return Hex(digest.data(), digest.size());
}

AuditKey AuditKey::Generate() {
  EnsureSodium();
  AuditKey key;
  crypto_auth_hmacsha256_keygen(key.bytes.data());
  return key;
}

std::string AuditMac(const AuditKey& key, std::string_view prev_hash, const AuditEntry& e) {
  EnsureSodium();
  static_assert(sizeof(key.bytes) == crypto_auth_hmacsha256_KEYBYTES);
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.bytes.data(), key.bytes.size());
  Feed(state, "casereview-audit-v2");
  Feed(state, prev_hash);
  Feed(state, std::to_string(e.seq));
  Feed(state, FormatInstant(e.at));
  Feed(state, e.board_id);
  Feed(state, e.actor);
  Feed(state, e.action);
  Feed(state, e.target);
  Feed(state, e.outcome);
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  return Hex(mac.data(), mac.size());
}

std::string AuditWitnessCheck(const AuditKey& key, const AuditWitness& w) {
  EnsureSodium();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.bytes.data(), key.bytes.size());
  Feed(state, "casereview-audit-witness-v1");
  Feed(state, std::to_string(w.keyed_from));
  Feed(state, std::to_string(w.seq));
  Feed(state, w.hash);
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  return Hex(mac.data(), mac.size());
}

std::string SecretHash(std::string_view secret) {
  EnsureSodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  return Hex(digest.data(), digest.size());
}

namespace {

// The walk over the log, one entry at a time, in seq order. `broken` is set at the first
// entry that breaks the chain; the walk stops there.
class ChainCheck {
 public:
  ChainCheck(const AuditSeal& seal, std::optional<std::string_view> board) : seal_(seal), board_(board) {
    v_.head_hash = std::string(GenesisAuditHash());
    if (seal.witness) {
      v_.keyed_from = seal.witness->keyed_from;
      v_.witness_seq = seal.witness->seq;
    }
  }

  // False once the chain is broken (v().problem says where and how).
  bool Next(const AuditEntry& e) {
    if (e.seq != v_.head_seq + 1)
      return Broken(e, v_.head_seq + 1 == e.seq - 1
                           ? "entry " + std::to_string(v_.head_seq + 1) + " is missing (deleted)"
                           : "entries " + std::to_string(v_.head_seq + 1) + " to " + std::to_string(e.seq - 1) +
                                 " are missing (deleted)");
    if (e.prev_hash != v_.head_hash)
      return Broken(e, "entry " + std::to_string(e.seq) + " does not follow the entry before it (its chain link was changed)");
    if (std::string why = KeyingProblem(e); !why.empty()) return Broken(e, why);
    std::string expected = e.keyed ? AuditMac(*seal_.key, e.prev_hash, e) : AuditHash(e.prev_hash, e);
    if (expected != e.hash)
      return Broken(e, "entry " + std::to_string(e.seq) + " was changed after it was written (its " +
                           (e.keyed ? "MAC" : "hash") + " no longer matches)");
    if (seal_.witness && e.seq == seal_.witness->seq && e.hash != seal_.witness->hash)
      return Broken(e, "entry " + std::to_string(e.seq) + " is not the entry the head witness (" + seal_.witness_place +
                           ") vouched for (the log was rewritten from there)");
    if (e.keyed && v_.keyed_from == 0) v_.keyed_from = e.seq;
    seen_keyed_ = seen_keyed_ || e.keyed;
    v_.entries++;
    v_.head_seq = e.seq;
    v_.head_hash = e.hash;
    if (board_ && e.board_id == *board_) {
      v_.board_entries++;
      v_.board_head_seq = e.seq;
      v_.board_head_hash = e.hash;
    }
    return true;
  }

  // After the last entry: the log must reach the witness, and a key needs its witness.
  AuditVerification Finish(bool witness_required) {
    if (!v_.problem.empty()) return v_;
    if (seal_.key && !seal_.witness && witness_required) {
      v_.bad_seq = v_.head_seq + 1;
      v_.problem = "the head witness " + seal_.witness_place +
                   " is missing while the key exists (deleted with the entries it vouched for?)";
    } else if (seal_.witness && v_.head_seq < seal_.witness->seq) {
      v_.bad_seq = v_.head_seq + 1;
      v_.problem = "the log ends at entry " + std::to_string(v_.head_seq) + " but the head witness (" +
                   seal_.witness_place + ") vouches for entry " + std::to_string(seal_.witness->seq) +
                   ": the entries after " + std::to_string(v_.head_seq) + " were deleted";
    }
    return v_;
  }

 private:
  bool Broken(const AuditEntry& e, std::string why) {
    v_.bad_seq = std::min(e.seq, v_.head_seq + 1);
    v_.problem = std::move(why);
    return false;
  }

  // Keyed entries from the witness's keyed_from on and never before it; none unkeyed after.
  std::string KeyingProblem(const AuditEntry& e) const {
    const std::string which = "entry " + std::to_string(e.seq);
    if (seal_.witness && e.keyed && e.seq < seal_.witness->keyed_from)
      return which + " claims to be keyed but the chain is keyed only from entry " + std::to_string(seal_.witness->keyed_from);
    if (seal_.witness && !e.keyed && e.seq >= seal_.witness->keyed_from)
      return which + " is not keyed but the chain is keyed from entry " + std::to_string(seal_.witness->keyed_from) +
             " (it was rewritten without the key)";
    if (!e.keyed && seen_keyed_)
      return which + " is not keyed but follows keyed entries (it was rewritten without the key)";
    return "";
  }

  const AuditSeal& seal_;
  std::optional<std::string_view> board_;
  AuditVerification v_;
  bool seen_keyed_ = false;
};

Status KeyMissing(const AuditSeal& seal, const std::string& evidence) {
  return Status::StorageError("the audit key " + seal.key_place + " is missing but " + evidence +
                              ": restore the key file from its backup (casereview never makes a new key for a "
                              "log that has one, since that would hide every entry before it)");
}

}  // namespace

Result<AuditVerification> VerifyAuditChain(Store& store, std::optional<std::string_view> board) {
  // The seal first: the log is committed before its witness moves, so a log read after the
  // witness is never behind it.
  auto seal = store.ReadAuditSeal();
  if (!seal.ok()) return seal.status();
  return storage::VerifyAuditLog(store, *seal, board, /*witness_required=*/true);
}

namespace storage {

Result<AuditVerification> VerifyAuditLog(Store& store, const AuditSeal& sealed, std::optional<std::string_view> board,
                                         bool witness_required) {
  const AuditSeal* seal = &sealed;
  if (!seal->key && seal->witness)
    return KeyMissing(*seal, "the head witness " + seal->witness_place + " says the log is keyed from entry " +
                                 std::to_string(seal->witness->keyed_from));
  ChainCheck check(*seal, board);
  if (!seal->problem.empty()) {
    AuditVerification v = check.Finish(witness_required);
    v.bad_seq = 0;
    v.problem = seal->problem;
    return v;
  }
  AuditFilter page;
  page.limit = 5000;
  while (true) {
    auto entries = store.ListAudit(page);
    if (!entries.ok()) return entries.status();
    if (entries->empty()) return check.Finish(witness_required);
    for (const AuditEntry& e : *entries) {
      if (e.keyed && !seal->key) return KeyMissing(*seal, "entry " + std::to_string(e.seq) + " is keyed");
      if (!check.Next(e)) return check.Finish(witness_required);
    }
    page.after_seq = entries->back().seq;
  }
}

}  // namespace storage

}  // namespace casereview

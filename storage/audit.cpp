// The audit log's hash chain and the hashes of secrets (access.hpp), with libsodium's SHA-256.
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "casereview/access.hpp"
#include "casereview/store.hpp"

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

std::string SecretHash(std::string_view secret) {
  EnsureSodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  return Hex(digest.data(), digest.size());
}

Result<AuditVerification> VerifyAuditChain(Store& store) {
  AuditVerification v;
  v.head_hash = std::string(GenesisAuditHash());
  AuditFilter page;
  page.limit = 5000;
  while (true) {
    auto entries = store.ListAudit(page);
    if (!entries.ok()) return entries.status();
    if (entries->empty()) return v;
    for (const AuditEntry& e : *entries) {
      auto broken = [&](std::string why) {
        v.bad_seq = std::min(e.seq, v.head_seq + 1);
        v.problem = std::move(why);
        return v;
      };
      if (e.seq != v.head_seq + 1)
        return broken(v.head_seq + 1 == e.seq - 1
                          ? "entry " + std::to_string(v.head_seq + 1) + " is missing (deleted)"
                          : "entries " + std::to_string(v.head_seq + 1) + " to " + std::to_string(e.seq - 1) +
                                " are missing (deleted)");
      if (e.prev_hash != v.head_hash)
        return broken("entry " + std::to_string(e.seq) + " does not follow the entry before it (its chain link was changed)");
      if (AuditHash(e.prev_hash, e) != e.hash)
        return broken("entry " + std::to_string(e.seq) + " was changed after it was written (its hash no longer matches)");
      v.entries++;
      v.head_seq = e.seq;
      v.head_hash = e.hash;
    }
    page.after_seq = v.head_seq;
  }
}

}  // namespace casereview

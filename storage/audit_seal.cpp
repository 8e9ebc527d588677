#include "audit_seal.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace casereview::storage {
namespace {

namespace fs = std::filesystem;

std::string Why() { return std::strerror(errno); }

// An open file descriptor, closed when it goes.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

// Writes `text` to a new file (mode 0600) beside `path`, synced, and returns its name.
Result<std::string> WriteTemp(const std::string& path, const std::string& text) {
  std::array<unsigned char, 8> r{};
  randombytes_buf(r.data(), r.size());
  std::string suffix(r.size() * 2 + 1, '\0');
  sodium_bin2hex(suffix.data(), suffix.size(), r.data(), r.size());
  suffix.pop_back();
  const std::string temp = path + ".tmp-" + suffix;
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.ok()) return Status::StorageError("cannot write " + temp + ": " + Why());
  if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()) || ::fsync(fd.get()) != 0) {
    Status s = Status::StorageError("cannot write " + temp + ": " + Why());
    ::unlink(temp.c_str());
    return s;
  }
  return temp;
}

// So a rename or link just made survives a power cut.
void SyncDirectoryOf(const std::string& path) {
  fs::path dir = fs::path(path).parent_path();
  Fd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.ok()) (void)::fsync(fd.get());
}

Result<std::optional<std::string>> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(path, ec) && !ec) return std::optional<std::string>{};
    return Status::StorageError("cannot read " + path);
  }
  std::ostringstream out;
  out << in.rdbuf();
  return std::optional<std::string>{out.str()};
}

Result<AuditKey> ParseKey(const std::string& path, const std::string& text) {
  AuditKey key;
  std::size_t n = 0;
  const char* end = nullptr;
  std::string hex = text;
  while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.back()))) hex.pop_back();
  if (hex.size() != key.bytes.size() * 2 ||
      sodium_hex2bin(key.bytes.data(), key.bytes.size(), hex.data(), hex.size(), nullptr, &n, &end) != 0 ||
      n != key.bytes.size())
    return Status::StorageError("the audit key file " + path + " does not hold a key (64 hex digits)");
  return key;
}

std::string KeyText(const AuditKey& key) {
  std::string hex(key.bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), key.bytes.data(), key.bytes.size());
  hex.back() = '\n';
  return hex;
}

std::string WitnessText(const AuditKey& key, const AuditWitness& w) {
  return "casereview audit head witness\nkeyed-from " + std::to_string(w.keyed_from) + "\nseq " +
         std::to_string(w.seq) + "\nhash " + w.hash + "\ncheck " + AuditWitnessCheck(key, w) + "\n";
}

struct ParsedWitness {
  AuditWitness witness;
  std::string check;
};

std::optional<ParsedWitness> ParseWitness(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != "casereview audit head witness") return std::nullopt;
  ParsedWitness p;
  int seen = 0;
  for (std::string name, value; in >> name >> value;) {
    try {
      if (name == "keyed-from") p.witness.keyed_from = std::stoll(value), seen |= 1;
      else if (name == "seq") p.witness.seq = std::stoll(value), seen |= 2;
      else if (name == "hash") p.witness.hash = value, seen |= 4;
      else if (name == "check") p.check = value, seen |= 8;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (seen != 15) return std::nullopt;
  return p;
}

}  // namespace

std::string DefaultAuditKeyPath(const std::string& db_path) { return db_path + ".audit-key"; }
std::string DefaultAuditWitnessPath(const std::string& db_path) { return db_path + ".audit-head"; }

AuditSealKeeper::AuditSealKeeper(std::string key_path, std::string witness_path)
    : key_path_(std::move(key_path)), witness_path_(std::move(witness_path)) {}

AuditSealKeeper::AuditSealKeeper() : in_memory_(true), key_path_("(in memory)"), witness_path_("(in memory)") {}

Result<AuditSeal> AuditSealKeeper::Read() {
  AuditSeal seal;
  seal.key_place = key_path_;
  seal.witness_place = witness_path_;
  if (in_memory_) {
    std::lock_guard lock(memory_mutex_);
    seal.key = memory_key_;
    seal.witness = memory_witness_;
    return seal;
  }
  auto key_text = ReadWhole(key_path_);
  if (!key_text.ok()) return key_text.status();
  if (*key_text) {
    auto key = ParseKey(key_path_, **key_text);
    if (!key.ok()) return key.status();
    seal.key = *key;
  }
  auto witness_text = ReadWhole(witness_path_);
  if (!witness_text.ok()) return witness_text.status();
  if (!*witness_text) return seal;
  auto parsed = ParseWitness(**witness_text);
  if (!parsed) {
    seal.witness = AuditWitness{};
    seal.problem = "the head witness " + witness_path_ + " is not a witness file (it was changed)";
    return seal;
  }
  seal.witness = parsed->witness;
  if (seal.key && AuditWitnessCheck(*seal.key, parsed->witness) != parsed->check)
    seal.problem = "the head witness " + witness_path_ + " does not match the key " + key_path_ +
                   " (the witness was changed, or the key is not this database's)";
  return seal;
}

Result<AuditKey> AuditSealKeeper::KeyForAppend(std::int64_t last_seq, const std::string& last_hash, bool log_has_keyed) {
  auto seal = Read();
  if (!seal.ok()) return seal.status();
  if (!seal->key) {
    if (seal->witness || log_has_keyed)
      return Status::StorageError("the audit key " + key_path_ + " is missing but the audit log " +
                                  (log_has_keyed ? "has keyed entries" : "has a head witness (" + witness_path_ + ")") +
                                  ": restore the key file from its backup; nothing was written (a new key would "
                                  "hide every entry before it)");
    return CreateKey(last_seq, last_hash);
  }
  if (!seal->witness)
    return Status::StorageError("the audit log's head witness " + witness_path_ +
                                " is missing while its key exists: run 'casereview audit verify'; nothing was written");
  if (!seal->problem.empty())
    return Status::StorageError(seal->problem + ": run 'casereview audit verify'; nothing was written");
  return *seal->key;
}

Result<AuditKey> AuditSealKeeper::CreateKey(std::int64_t last_seq, const std::string& last_hash) {
  AuditKey key = AuditKey::Generate();
  AuditWitness first{last_seq + 1, last_seq, last_hash};
  if (in_memory_) {
    std::lock_guard lock(memory_mutex_);
    memory_key_ = key;
    memory_witness_ = first;
    return key;
  }
  // Written whole beside its place, then linked in: link fails if a key appeared meanwhile,
  // where a rename would silently replace it.
  auto temp = WriteTemp(key_path_, KeyText(key));
  if (!temp.ok()) return temp.status();
  int linked = ::link(temp->c_str(), key_path_.c_str());
  std::string why = Why();
  ::unlink(temp->c_str());
  if (linked != 0)
    return Status::StorageError("cannot make the audit key " + key_path_ + ": " + why + "; nothing was written");
  SyncDirectoryOf(key_path_);
  CR_RETURN_IF_ERROR(WriteWitness(key, first));
  return key;
}

Status AuditSealKeeper::WriteWitness(const AuditKey& key, const AuditWitness& w) {
  auto temp = WriteTemp(witness_path_, WitnessText(key, w));
  if (!temp.ok()) return temp.status();
  if (::rename(temp->c_str(), witness_path_.c_str()) != 0) {
    Status s = Status::StorageError("cannot write the audit head witness " + witness_path_ + ": " + Why());
    ::unlink(temp->c_str());
    return s;
  }
  SyncDirectoryOf(witness_path_);
  return Status::Ok();
}

Status AuditSealKeeper::Advance(const AuditKey& key, std::int64_t seq, const std::string& hash) {
  if (in_memory_) {
    std::lock_guard lock(memory_mutex_);
    if (memory_witness_ && memory_witness_->seq < seq) {
      memory_witness_->seq = seq;
      memory_witness_->hash = hash;
    }
    return Status::Ok();
  }
  // Every appender locks the key file (which is never replaced), so the read-compare-write
  // below is one step among processes and among the connections of one process.
  Fd lock(::open(key_path_.c_str(), O_RDONLY | O_CLOEXEC));
  if (!lock.ok() || ::flock(lock.get(), LOCK_EX) != 0)
    return Status::StorageError("cannot lock the audit key " + key_path_ + " to move the head witness: " + Why());
  auto seal = Read();
  if (!seal.ok()) return seal.status();
  if (!seal->witness || !seal->problem.empty())
    return Status::StorageError("the audit head witness " + witness_path_ +
                                " is missing or changed, so it was not moved: run 'casereview audit verify'");
  if (seal->witness->seq >= seq) return Status::Ok();
  return WriteWitness(key, {seal->witness->keyed_from, seq, hash});
}

Status AuditSealKeeper::Reanchor(const AuditKey& key, const AuditWitness& w) {
  if (in_memory_) {
    std::lock_guard lock(memory_mutex_);
    memory_witness_ = w;
    return Status::Ok();
  }
  Fd lock(::open(key_path_.c_str(), O_RDONLY | O_CLOEXEC));
  if (!lock.ok() || ::flock(lock.get(), LOCK_EX) != 0)
    return Status::StorageError("cannot lock the audit key " + key_path_ + ": " + Why());
  return WriteWitness(key, w);
}

}  // namespace casereview::storage

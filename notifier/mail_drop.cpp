// The mail drop: each message an RFC 5322 file `<dir>/<notice>.eml`, for a site without an
// SMTP server (a mail pickup folder, or a person reading the files).
//
// A file appears whole or not at all: the message is written to a temp file in the same
// folder, flushed to disk (fsync), then renamed over `<notice>.eml`, so a redelivery of a
// notice replaces its file and a crash leaves at most a stray `.<notice>.eml.XXXXXX`. The
// files are mode 0640: owner and group (a pickup process) read them, nobody else.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <Poco/Exception.h>

#include <cerrno>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "casereview/mailers.hpp"
#include "mime_message.hpp"

namespace casereview {
namespace {

namespace fs = std::filesystem;

// "SCR-2026-001#12.0" -> "SCR-2026-001_12.0.eml": [A-Za-z0-9._-] kept, anything else '_'.
std::string FileNameFor(const std::string& notice_id) {
  std::string name = notice_id;
  for (char& c : name) {
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                c == '_' || c == '-';
    if (!keep) c = '_';
  }
  return name + ".eml";
}

std::string ErrorText(int err) { return std::generic_category().message(err); }

Status CreateFolder(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::StorageError("mail drop cannot create the folder " + dir.string() + ": " + ec.message());
  if (!fs::is_directory(dir, ec)) {
    return Status::StorageError("mail drop cannot use " + dir.string() + ": it exists and is not a folder");
  }
  return Status::Ok();
}

// An open file descriptor, closed when it goes.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }
  // Returns errno of a failed close, else 0.
  int Close() {
    int rc = ::close(std::exchange(fd_, -1));
    return rc == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// Returns errno of the first failure, else 0.
int WriteAllAndSync(Descriptor& file, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(file.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    done += static_cast<std::size_t>(n);
  }
  if (::fchmod(file.get(), 0640) != 0) return errno;
  if (::fsync(file.get()) != 0) return errno;
  return file.Close();
}

// Makes the rename itself durable. Best effort: the file is complete either way.
void SyncFolder(const fs::path& dir) {
  Descriptor folder(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (folder.get() >= 0) (void)::fsync(folder.get());
}

// Writes `bytes` to `target` through a temp file in the same folder and a rename.
Status ReplaceFile(const fs::path& target, const std::string& bytes) {
  std::string pattern = (target.parent_path() / ("." + target.filename().string() + ".XXXXXX")).string();
  std::vector<char> temp(pattern.begin(), pattern.end());
  temp.push_back('\0');
  Descriptor file(::mkostemp(temp.data(), O_CLOEXEC));
  if (file.get() < 0) return Status::StorageError("mail drop cannot write " + target.string() + ": " + ErrorText(errno));
  int err = WriteAllAndSync(file, bytes);
  if (err == 0 && ::rename(temp.data(), target.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(temp.data());
    return Status::StorageError("mail drop cannot write " + target.string() + ": " + ErrorText(err));
  }
  SyncFolder(target.parent_path());
  return Status::Ok();
}

class MailDrop final : public Mailer {
 public:
  explicit MailDrop(fs::path dir) : dir_(std::move(dir)) {}

  Status Send(const Email& m) override {
    if (m.notice_id.empty()) {
      return Status::InvalidArgument("mail drop " + dir_.string() + ": a message without a notice id has no file name");
    }
    CR_RETURN_IF_ERROR(CreateFolder(dir_));  // again: someone may have tidied it away
    std::string bytes;
    try {
      bytes = notifier::ToRfc5322(m);
    } catch (const Poco::Exception& e) {
      return Status::InvalidArgument("mail drop " + dir_.string() + ": cannot render notice " + m.notice_id + ": " +
                                     e.displayText());
    }
    return ReplaceFile(dir_ / FileNameFor(m.notice_id), bytes);
  }

  std::string Describe() const override { return "mail drop " + dir_.string(); }

 private:
  fs::path dir_;
};

}  // namespace

Result<std::unique_ptr<Mailer>> OpenMailDrop(const std::string& dir) {
  if (dir.empty()) return Status::InvalidArgument("mail drop: no folder given");
  CR_RETURN_IF_ERROR(CreateFolder(dir));
  std::unique_ptr<Mailer> drop = std::make_unique<MailDrop>(dir);
  return drop;
}

}  // namespace casereview

// A real SMTP server for tests: tests/support/smtp_sink.py (aiosmtpd) run as a child process
// on 127.0.0.1, recording each accepted message as JSON in a temp folder.
//
//   SmtpSink sink;                                  // listening once constructed
//   settings.host = "127.0.0.1"; settings.port = sink.port();
//   ... NewSmtpMailer(settings)->Send(email) ...
//   auto messages = sink.Messages();                // oldest first
//
// Options offer STARTTLS (a certificate from MakeSelfSignedCertificate), require AUTH,
// refuse given recipients, or make the server die after its N-th message, as a crashed
// mail server would. Restart() brings it back on the same port (without the stop-after),
// so a mailer configured for the port reconnects. Failing to start throws
// std::runtime_error carrying the server's log.
//
// The script needs Debian's interpreter (python3-aiosmtpd lives in /usr/bin/python3's
// dist-packages); `python3` from PATH is the fallback.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/test_support.hpp"

extern char** environ;

namespace casereview::testing {

namespace detail {

inline std::string PythonWithAiosmtpd() {
  return std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

// Starts argv[0] (searched in PATH) with stdin from /dev/null and stdout and stderr
// appended to `log`. Throws std::runtime_error when it cannot be started.
inline pid_t Spawn(const std::vector<std::string>& args, const std::string& log) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(rc));
  return pid;
}

// Waits for the child; returns its exit status (as waitpid gives it).
inline int WaitFor(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace detail

// A self-signed certificate (so also its own CA file) for CN=`host`, SAN DNS:`host` and,
// for localhost, IP:127.0.0.1. Made with the openssl command line; valid two days.
struct SelfSignedCertificate {
  std::string cert_file;
  std::string key_file;
};

inline SelfSignedCertificate MakeSelfSignedCertificate(const TempDir& dir, const std::string& host = "localhost") {
  SelfSignedCertificate c{dir.File(host + ".crt"), dir.File(host + ".key")};
  std::string names = "subjectAltName=DNS:" + host + (host == "localhost" ? ",IP:127.0.0.1" : "");
  std::string log = dir.File("openssl.log");
  pid_t pid = detail::Spawn({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + host,
                             "-addext", names, "-days", "2", "-keyout", c.key_file, "-out", c.cert_file},
                            log);
  int status = detail::WaitFor(pid);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("openssl could not make a certificate: " + ReadBytes(log));
  }
  return c;
}

// Reads an .eml file with Python's email package (the sink's --parse-eml): the record the
// sink keeps for a message, without the envelope ("headers", "text", "html", "raw").
inline nlohmann::json ParseEml(const std::string& path) {
  TempDir out;
  std::string output = out.File("parsed.json");
  pid_t pid = detail::Spawn({detail::PythonWithAiosmtpd(), CASEREVIEW_SMTP_SINK, "--parse-eml", path}, output);
  int status = detail::WaitFor(pid);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("python could not parse " + path + ": " + ReadBytes(output));
  }
  return nlohmann::json::parse(ReadBytes(output));
}

struct SmtpSinkOptions {
  std::string tls_cert;  // with tls_key: offer STARTTLS and require it
  std::string tls_key;
  std::string auth_user;  // require AUTH LOGIN or PLAIN with these
  std::string auth_password;
  int stop_after = 0;  // > 0: die right after acknowledging this many messages
  std::vector<std::string> refuse_rcpt;  // RCPT TO these gets "550 5.1.1"
};

class SmtpSink {
 public:
  explicit SmtpSink(SmtpSinkOptions options = {}) : options_(std::move(options)) { Start(0); }
  ~SmtpSink() { Stop(); }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }

  // Every message accepted so far (across restarts), oldest first.
  std::vector<nlohmann::json> Messages() const {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(messages_dir())) {
      std::string name = entry.path().filename().string();
      if (name.front() != '.' && entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<nlohmann::json> messages;
    for (const auto& f : files) messages.push_back(nlohmann::json::parse(ReadBytes(f.string())));
    return messages;
  }

  // SIGTERM, then waits for the process. Never throws; a no-op when not running.
  void Stop() noexcept {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    detail::WaitFor(pid_);
    pid_ = -1;
  }

  // True once the process has gone by itself (a --stop-after crash) within `timeout`.
  bool WaitUntilExited(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (pid_ > 0) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return true;
      }
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }

  // A healthy server again (no stop-after), on the same port, recording into the same
  // folder.
  void Restart() {
    Stop();
    options_.stop_after = 0;
    Start(port_);
  }

  // What the server printed: for a failing test's INFO.
  std::string Log() const { return ReadBytes(dir_.File("sink.log")); }

 private:
  std::string messages_dir() const { return dir_.File("messages"); }

  void Start(int port) {
    std::string ready = dir_.File("ready");
    std::filesystem::remove(ready);
    std::vector<std::string> args{detail::PythonWithAiosmtpd(), CASEREVIEW_SMTP_SINK, "--dir", messages_dir(),
                                  "--port", std::to_string(port), "--ready", ready};
    if (options_.stop_after > 0) args.insert(args.end(), {"--stop-after", std::to_string(options_.stop_after)});
    for (const std::string& address : options_.refuse_rcpt) args.insert(args.end(), {"--refuse-rcpt", address});
    if (!options_.tls_cert.empty()) {
      args.insert(args.end(), {"--tls-cert", options_.tls_cert, "--tls-key", options_.tls_key});
    }
    if (!options_.auth_user.empty()) {
      args.insert(args.end(), {"--auth-user", options_.auth_user, "--auth-password", options_.auth_password});
    }
    pid_ = detail::Spawn(args, dir_.File("sink.log"));
    port_ = WaitForReady(ready);
  }

  // The port from the ready file, once the server listens (up to ~10 s).
  int WaitForReady(const std::string& ready) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (std::filesystem::exists(ready)) return std::stoi(ReadBytes(ready));
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("the SMTP sink exited before listening:\n" + Log());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Stop();
    throw std::runtime_error("the SMTP sink did not listen within 10 s:\n" + Log());
  }

  SmtpSinkOptions options_;
  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace casereview::testing

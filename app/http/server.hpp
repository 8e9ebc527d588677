// The HTTP server (Boost.Beast): one I/O thread reads every connection within the deadlines
// below, and carries each whole request to the API (api.hpp) on one of `threads` workers,
// each with a database connection of its own; it sets the security headers on every
// response. Binds to 127.0.0.1 unless told otherwise; serves HTTPS when given a certificate.
// Limits and timeouts: docs/api.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "api.hpp"
#include "casereview/clock.hpp"
#include "casereview/status.hpp"

namespace casereview::http {

// How long the server keeps an idle connection open for the next request. An idle
// connection no longer holds a worker, but each is a socket kept open; browsers reconnect
// cheaply.
inline constexpr std::chrono::seconds kKeepAliveTimeout{2};

// How long a client has to send a request's head (the request line and headers), and then
// its body: a connection that has not done so by then is closed, so a slow client cannot
// hold the server.
inline constexpr std::chrono::seconds kRequestHeadTimeout{10};
inline constexpr std::chrono::seconds kRequestBodyTimeout{10};

struct ServerOptions {
  std::string db_path;
  std::string audit_key_path;  // empty: "<db_path>.audit-key" (SqliteStoreOptions)
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (tests)
  std::string tls_certificate;  // PEM; with tls_key, serve HTTPS only
  std::string tls_key;
  int threads = 8;  // workers, and so database connections
  ApiOptions api;
};

class Server {
 public:
  // REQUIRES: clock outlives the server and is thread-safe.
  Server(ServerOptions options, const Clock& clock);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Listens and serves on background threads. StorageError if the database cannot be
  // opened; Unavailable if the address cannot be bound (naming it).
  Status Start();
  void Stop();
  std::uint16_t port() const;  // the bound port, once started
  std::string url() const;     // "http://127.0.0.1:8080"

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace casereview::http

#include "server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>

#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/URI.h>

#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "casereview/engine.hpp"
#include "casereview/sqlite_store.hpp"
#include "connection.hpp"
#include "review_list_memo.hpp"
#include "web.hpp"

namespace casereview::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// More connections than this at once: the newest is closed at once. Each one open is
// cheap (a socket and a few KiB) and is closed by its deadlines; this keeps the process
// within its file descriptors under a flood.
constexpr int kMaxConnections = 512;
// Whole requests waiting for a worker; beyond this, 503.
constexpr std::size_t kMaxWaitingRequests = 256;

// A database connection and an engine over it, used by one request at a time.
struct Slot {
  std::unique_ptr<Store> store;
  std::unique_ptr<Engine> engine;
};

class SlotPool {
 public:
  SlotPool(std::string path, std::string audit_key_path, const Clock& clock)
      : path_(std::move(path)), clock_(clock) {
    options_.audit_key_path = std::move(audit_key_path);
  }

  Result<std::unique_ptr<Slot>> Acquire() {
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        auto slot = std::move(free_.back());
        free_.pop_back();
        return slot;
      }
    }
    auto store = OpenSqliteStore(path_, options_);
    if (!store.ok()) return store.status();
    auto slot = std::make_unique<Slot>();
    slot->store = std::move(*store);
    slot->engine = std::make_unique<Engine>(*slot->store, clock_);
    return slot;
  }
  void Release(std::unique_ptr<Slot> slot) {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(slot));
  }

 private:
  std::string path_;
  SqliteStoreOptions options_;  // the audit key's place
  const Clock& clock_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Slot>> free_;
};

// Carries a whole request to the API or the web pages on a database slot. Thread-safe.
class Handler {
 public:
  Handler(SlotPool& pool, const Clock& clock, const ServerOptions& options)
      : pool_(pool), clock_(clock), options_(options) {}

  Response Answer(const WireRequest& in, const std::string& client_address) {
    Request req;
    req.method = std::string(in.method_string());
    try {
      Poco::URI uri{std::string(in.target())};
      req.path = uri.getPath();
      for (const auto& [k, v] : uri.getQueryParameters()) req.query[k] = v;
    } catch (const std::exception&) {
      return ErrorResponse(400, "the request's address is malformed");
    }
    req.body = in.body();
    Poco::Net::NameValueCollection cookies;
    for (auto [it, end] = in.equal_range(beast::http::field::cookie); it != end; ++it) {
      const std::string value(it->value());
      Poco::Net::MessageHeader::splitParameters(value.begin(), value.end(), cookies);
    }
    req.session_cookie = cookies.get(kSessionCookie, "");
    req.sign_in_cookie = cookies.get(kSignInCookie, "");
    req.client_address = client_address;
    const std::string auth(in[beast::http::field::authorization]);
    if (auth.rfind("Bearer ", 0) == 0) req.bearer_token = auth.substr(7);
    req.csrf_header = std::string(in["X-CSRF-Token"]);
    req.idempotency_key = std::string(in["Idempotency-Key"]);

    auto slot = pool_.Acquire();
    if (!slot.ok()) return ErrorResponse(503, "the database cannot be opened: " + slot.status().message());
    Response response;
    try {
      response = IsWebPath(req.path) ? HandleWeb(req, *(*slot)->store, *(*slot)->engine, clock_, options_.api)
                                     : Handle(req, *(*slot)->store, *(*slot)->engine, clock_, options_.api);
    } catch (const std::exception& e) {
      std::cerr << "casereview serve: " << req.method << " " << req.path << " failed: " << e.what() << "\n";
      response = ErrorResponse(500, "casereview could not answer this request; nothing was changed");
    }
    pool_.Release(std::move(*slot));
    return response;
  }

 private:
  SlotPool& pool_;
  const Clock& clock_;
  const ServerOptions& options_;
};

}  // namespace

// Members in the order they may be destroyed last to first: the connections (held by
// handlers in `io`) use `context`, `tls` and, through `context`, the handler and workers.
struct Server::Impl {
  ServerOptions options;
  const Clock& clock;
  SlotPool pool;
  Handler handler;
  std::unique_ptr<RequestWorkers> workers;
  std::unique_ptr<ConnectionContext> context;
  std::unique_ptr<asio::ssl::context> tls;
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  asio::steady_timer accept_retry{io};
  std::thread io_thread;
  std::uint16_t port = 0;

  Impl(ServerOptions o, const Clock& c)
      : options(std::move(o)), clock(c), pool(options.db_path, options.audit_key_path, c), handler(pool, c, options) {
    if (!options.api.review_list) options.api.review_list = std::make_shared<ReviewListMemo>();
  }

  void Listen() {
    tcp::resolver resolver(io);
    tcp::endpoint endpoint =
        resolver.resolve(options.bind, std::to_string(options.port), tcp::resolver::passive)->endpoint();
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    port = acceptor.local_endpoint().port();
  }

  // Each connection on a strand of its own, so it stays correct with more I/O threads.
  void Accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;  // stopped
      if (!ec) {
        if (context->open.load() < kMaxConnections) Serve(std::move(socket));
        return Accept();
      }
      // Out of file descriptors, most likely: try again shortly rather than spin.
      accept_retry.expires_after(std::chrono::milliseconds{100});
      accept_retry.async_wait([this](beast::error_code e) {
        if (!e) Accept();
      });
    });
  }

  void Serve(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    if (tls) {
      auto c = std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(
          beast::ssl_stream<beast::tcp_stream>(std::move(stream), *tls), *context);
      asio::dispatch(c->executor(), [c] { c->Start(); });
    } else {
      auto c = std::make_shared<Connection<beast::tcp_stream>>(std::move(stream), *context);
      asio::dispatch(c->executor(), [c] { c->Start(); });
    }
  }
};

Server::Server(ServerOptions options, const Clock& clock) : impl_(std::make_unique<Impl>(std::move(options), clock)) {}
Server::~Server() { Stop(); }

Status Server::Start() {
  auto first = impl_->pool.Acquire();  // fail now, not on the first request
  if (!first.ok()) return first.status();
  impl_->pool.Release(std::move(*first));
  Impl& s = *impl_;
  const ServerOptions& o = s.options;
  try {
    if (!o.tls_certificate.empty()) {
      s.tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
      s.tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
      s.tls->use_certificate_chain_file(o.tls_certificate);
      s.tls->use_private_key_file(o.tls_key, asio::ssl::context::pem);
    }
    s.Listen();
  } catch (const std::exception& e) {
    return Status::Unavailable("cannot serve on " + o.bind + ":" + std::to_string(o.port) + ": " + e.what());
  }
  s.workers = std::make_unique<RequestWorkers>(o.threads, kMaxWaitingRequests);
  // Braces, not make_unique's parentheses: clang 14 (the fuzz build) has no parenthesised
  // aggregate initialisation.
  s.context.reset(new ConnectionContext{
      [&s](const WireRequest& r, const std::string& client) { return s.handler.Answer(r, client); }, *s.workers, s.clock,
      s.tls != nullptr});
  s.Accept();
  s.io_thread = std::thread([&s] {
    for (;;) {  // a handler that throws loses its connection, not the server
      try {
        s.io.run();
        return;
      } catch (const std::exception&) {
      }
    }
  });
  return Status::Ok();
}

void Server::Stop() {
  if (!impl_ || !impl_->io_thread.joinable()) return;
  Impl& s = *impl_;
  s.io.stop();
  s.io_thread.join();
  beast::error_code ignored;
  s.acceptor.close(ignored);
  // A worker still answering posts to the stopped `io`; the connections waiting there, or
  // in the workers' queue, are closed when `io` goes, with the Server.
  s.workers->Stop();
}

std::uint16_t Server::port() const { return impl_->port; }

std::string Server::url() const {
  return std::string(impl_->options.tls_certificate.empty() ? "http" : "https") + "://" + impl_->options.bind + ":" +
         std::to_string(impl_->port);
}

}  // namespace casereview::http

#include "server.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>

#include <iostream>
#include <mutex>
#include <vector>

#include "casereview/engine.hpp"
#include "casereview/sqlite_store.hpp"
#include "review_list_memo.hpp"
#include "web.hpp"

namespace casereview::http {
namespace {

constexpr std::size_t kMaxBody = 1 << 20;  // 1 MiB: no event is near it

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

void SetSecurityHeaders(Poco::Net::HTTPServerResponse& out, bool tls) {
  out.set("Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; "
          "form-action 'self'; base-uri 'none'");
  out.set("X-Content-Type-Options", "nosniff");
  out.set("X-Frame-Options", "DENY");
  out.set("Referrer-Policy", "no-referrer");
  out.set("Cache-Control", "no-store");
  out.set("Cross-Origin-Opener-Policy", "same-origin");
  if (tls) out.set("Strict-Transport-Security", "max-age=31536000");
}

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  Handler(SlotPool& pool, const Clock& clock, const ServerOptions& options)
      : pool_(pool), clock_(clock), options_(options) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
    Response response = Answer(in);
    SetSecurityHeaders(out, !options_.tls_certificate.empty());
    for (const auto& [name, value] : response.headers) {
      if (name == "Cache-Control") out.set(name, value);  // the stylesheet may be cached
      else out.add(name, value);
    }
    out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
    if (response.status == 204 || response.status == 303) {
      out.setContentLength(0);
      out.send();
      return;
    }
    out.setContentType(response.content_type + "; charset=utf-8");
    out.setContentLength(static_cast<std::streamsize>(response.body.size()));
    out.send() << response.body;
  }

 private:
  Response Answer(Poco::Net::HTTPServerRequest& in) {
    Request req;
    req.method = in.getMethod();
    try {
      Poco::URI uri(in.getURI());
      req.path = uri.getPath();
      for (const auto& [k, v] : uri.getQueryParameters()) req.query[k] = v;
    } catch (const std::exception&) {
      return Plain(400, "the request's address is malformed");
    }
    if (in.getContentLength() > static_cast<std::streamsize>(kMaxBody))
      return Plain(413, "the request body is larger than 1 MiB");
    std::string body;
    char buffer[8192];
    auto& stream = in.stream();
    while (stream.read(buffer, sizeof buffer) || stream.gcount() > 0) {
      body.append(buffer, static_cast<std::size_t>(stream.gcount()));
      if (body.size() > kMaxBody) return Plain(413, "the request body is larger than 1 MiB");
    }
    req.body = std::move(body);
    Poco::Net::NameValueCollection cookies;
    in.getCookies(cookies);
    req.session_cookie = cookies.get(kSessionCookie, "");
    req.sign_in_cookie = cookies.get(kSignInCookie, "");
    req.client_address = in.clientAddress().host().toString();
    std::string auth = in.get("Authorization", "");
    if (auth.rfind("Bearer ", 0) == 0) req.bearer_token = auth.substr(7);
    req.csrf_header = in.get("X-CSRF-Token", "");

    auto slot = pool_.Acquire();
    if (!slot.ok()) return Plain(503, "the database cannot be opened: " + slot.status().message());
    Response response;
    try {
      response = IsWebPath(req.path) ? HandleWeb(req, *(*slot)->store, *(*slot)->engine, clock_, options_.api)
                                     : Handle(req, *(*slot)->store, *(*slot)->engine, clock_, options_.api);
    } catch (const std::exception& e) {
      std::cerr << "casereview serve: " << req.method << " " << req.path << " failed: " << e.what() << "\n";
      response = Plain(500, "casereview could not answer this request; nothing was changed");
    }
    pool_.Release(std::move(*slot));
    return response;
  }

  static Response Plain(int status, const std::string& message) {
    Response r;
    r.status = status;
    r.body = nlohmann::json{{"error", message}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
  }

  SlotPool& pool_;
  const Clock& clock_;
  const ServerOptions& options_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(SlotPool& pool, const Clock& clock, const ServerOptions& options)
      : pool_(pool), clock_(clock), options_(options) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(pool_, clock_, options_);
  }

 private:
  SlotPool& pool_;
  const Clock& clock_;
  const ServerOptions& options_;
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  const Clock& clock;
  SlotPool pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::uint16_t port = 0;

  Impl(ServerOptions o, const Clock& c) : options(std::move(o)), clock(c), pool(options.db_path, options.audit_key_path, c) {
    if (!options.api.review_list) options.api.review_list = std::make_shared<ReviewListMemo>();
  }
};

Server::Server(ServerOptions options, const Clock& clock) : impl_(std::make_unique<Impl>(std::move(options), clock)) {}
Server::~Server() { Stop(); }

Status Server::Start() {
  auto first = impl_->pool.Acquire();  // fail now, not on the first request
  if (!first.ok()) return first.status();
  impl_->pool.Release(std::move(*first));
  const ServerOptions& o = impl_->options;
  try {
    Poco::Net::SocketAddress address(o.bind, o.port);
    std::unique_ptr<Poco::Net::ServerSocket> socket;
    if (!o.tls_certificate.empty()) {
      Poco::Net::Context::Ptr context =
          new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, o.tls_key, o.tls_certificate, "",
                                 Poco::Net::Context::VERIFY_NONE);
      socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 64, context);
    } else {
      socket = std::make_unique<Poco::Net::ServerSocket>(address);
    }
    impl_->port = socket->address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(o.threads);
    params->setMaxQueued(128);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(kKeepAliveTimeout).count()));
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(impl_->pool, impl_->clock, impl_->options),
                                                            *socket, params);
    impl_->server->start();
  } catch (const std::exception& e) {
    return Status::Unavailable("cannot serve on " + o.bind + ":" + std::to_string(o.port) + ": " + e.what());
  }
  return Status::Ok();
}

void Server::Stop() {
  if (impl_ && impl_->server) {
    impl_->server->stopAll(true);
    impl_->server.reset();
  }
}

std::uint16_t Server::port() const { return impl_->port; }

std::string Server::url() const {
  return std::string(impl_->options.tls_certificate.empty() ? "http" : "https") + "://" + impl_->options.bind + ":" +
         std::to_string(impl_->port);
}

}  // namespace casereview::http

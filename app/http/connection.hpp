// One client's connection to the server (server.cpp), over TCP or TLS, on the server's I/O
// thread (Boost.Beast). It reads a request within its deadlines (the head, then the body;
// server.hpp), hands the whole request to the request workers and writes their answer
// back, then waits kKeepAliveTimeout for the next one. Requests that could be read more
// than one way, or are too large, are refused here and the connection closed; a client too
// slow to finish is dropped. Internal to app/http.
#pragma once

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "api.hpp"
#include "request_workers.hpp"
#include "server.hpp"

namespace casereview::http {

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;
using WireResponse = boost::beast::http::response<boost::beast::http::string_body>;

inline constexpr std::size_t kMaxBody = 1 << 20;         // 1 MiB: no event is near it
inline constexpr std::uint32_t kMaxHead = 64 * 1024;     // the request line and headers
inline constexpr std::chrono::seconds kWriteTimeout{10};  // for the client to take an answer
inline constexpr std::chrono::seconds kCloseTimeout{1};   // for the client to close after the last

// What every connection of one server shares. Thread-safe.
struct ConnectionContext {
  // Answers a whole request, from the client at the address given (for sign-in throttling),
  // on a worker thread; must not throw.
  std::function<Response(const WireRequest&, const std::string& client_address)> answer;
  RequestWorkers& workers;
  const Clock& clock;
  bool tls = false;
  std::atomic<int> open{0};  // connections alive now
};

// A JSON error, {"error": message}, as the API writes them.
inline Response ErrorResponse(int status, const std::string& message) {
  Response r;
  r.status = status;
  r.body = nlohmann::json{{"error", message}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

// The wire form of `answer`, with the security headers every response carries.
WireResponse ToWire(Response answer, const WireRequest& request, bool tls, const Clock& clock);

// The answer to a request the parser refused; nothing when the client only went away
// (or was too slow), which gets no answer.
std::optional<Response> AnswerToUnreadable(const boost::beast::error_code& ec);

// The answer to a head that reads, but says its body's length more than one way (a
// request smuggling attempt: RFC 9112 section 6.3); nothing when it is clear.
std::optional<Response> AnswerToUnclearLength(const boost::beast::http::request_parser<boost::beast::http::string_body>& p);

// Stream: boost::beast::tcp_stream, or boost::beast::ssl_stream of one.
template <class Stream>
class Connection : public std::enable_shared_from_this<Connection<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, boost::beast::tcp_stream>;

 public:
  Connection(Stream stream, ConnectionContext& context) : stream_(std::move(stream)), context_(context) {
    ++context_.open;
    boost::beast::error_code ec;
    auto peer = Tcp().socket().remote_endpoint(ec);
    if (!ec) client_address_ = peer.address().to_string();
  }
  ~Connection() { --context_.open; }

  auto executor() { return stream_.get_executor(); }

  // REQUIRES: called on executor() (the connection's strand).
  void Start() {
    if constexpr (kTls) {
      Tcp().expires_after(kRequestHeadTimeout);
      stream_.async_handshake(boost::asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](boost::beast::error_code ec) {
                                if (!ec) self->ReadRequest();  // else not TLS, or too slow: dropped
                              });
    } else {
      ReadRequest();
    }
  }

 private:
  boost::beast::tcp_stream& Tcp() { return boost::beast::get_lowest_layer(stream_); }

  void ReadRequest() {
    parser_.emplace();
    parser_->header_limit(kMaxHead);
    parser_->body_limit(kMaxBody);
    if (answered_ == 0 || buffer_.size() > 0) return ReadHead();
    // Between requests: the next must start within kKeepAliveTimeout, or the idle
    // connection is closed.
    Tcp().expires_after(kKeepAliveTimeout);
    stream_.async_read_some(buffer_.prepare(4096), [self = this->shared_from_this()](boost::beast::error_code ec,
                                                                                     std::size_t n) {
      if (ec) return;
      self->buffer_.commit(n);
      self->ReadHead();
    });
  }

  void ReadHead() {
    Tcp().expires_after(kRequestHeadTimeout);
    boost::beast::http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](boost::beast::error_code ec, std::size_t) { self->OnHead(ec); });
  }

  void OnHead(const boost::beast::error_code& ec) {
    if (ec) return Refuse(ec);
    if (auto refusal = AnswerToUnclearLength(*parser_)) return WriteLast(std::move(*refusal));
    const auto& head = parser_->get();
    if (boost::beast::iequals(head[boost::beast::http::field::expect], "100-continue") && !parser_->is_done()) {
      continue_ = {boost::beast::http::status::continue_, head.version()};
      Tcp().expires_after(kWriteTimeout);
      return boost::beast::http::async_write(
          stream_, continue_, [self = this->shared_from_this()](boost::beast::error_code e, std::size_t) {
            if (!e) self->ReadBody();
          });
    }
    ReadBody();
  }

  void ReadBody() {
    if (parser_->is_done()) return Dispatch();
    Tcp().expires_after(kRequestBodyTimeout);
    boost::beast::http::async_read(stream_, buffer_, *parser_,
                                   [self = this->shared_from_this()](boost::beast::error_code ec, std::size_t) {
                                     if (ec) return self->Refuse(ec);
                                     self->Dispatch();
                                   });
  }

  // The whole request goes to a worker; its answer comes back to this connection's strand.
  void Dispatch() {
    Tcp().expires_never();
    auto request = std::make_shared<WireRequest>(parser_->release());
    bool queued = context_.workers.TryPost([self = this->shared_from_this(), request] {
      Response answer = self->context_.answer(*request, self->client_address_);
      auto executor = self->stream_.get_executor();
      boost::asio::post(executor, [self, request, answer = std::move(answer)]() mutable {
        self->Write(ToWire(std::move(answer), *request, kTls, self->context_.clock));
      });
    });
    if (!queued) WriteLast(ErrorResponse(503, "the server is busy: try again in a moment; nothing was changed"));
  }

  void Refuse(const boost::beast::error_code& ec) {
    if (auto answer = AnswerToUnreadable(ec)) WriteLast(std::move(*answer));
  }

  // An answer after which the connection is closed (whatever the request asked).
  void WriteLast(Response answer) {
    WireRequest none;
    if (parser_) none.version(parser_->get().version());
    WireResponse wire = ToWire(std::move(answer), none, kTls, context_.clock);
    wire.keep_alive(false);
    Write(std::move(wire));
  }

  void Write(WireResponse response) {
    response_ = std::move(response);
    Tcp().expires_after(kWriteTimeout);
    boost::beast::http::async_write(stream_, response_,
                                    [self = this->shared_from_this()](boost::beast::error_code ec, std::size_t) {
                                      if (ec) return;
                                      if (!self->response_.keep_alive()) return self->Close();
                                      ++self->answered_;
                                      self->ReadRequest();
                                    });
  }

  // Closes gently, so the last answer is not lost to a reset: TLS close_notify, or over
  // TCP our end shut and whatever the client still sends read and dropped, both for at most
  // kCloseTimeout.
  void Close() {
    Tcp().expires_after(kCloseTimeout);
    if constexpr (kTls) {
      stream_.async_shutdown([self = this->shared_from_this()](boost::beast::error_code) {});
    } else {
      boost::beast::error_code ignored;
      Tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
      Drain();
    }
  }
  void Drain() {
    Tcp().async_read_some(boost::asio::buffer(scratch_),
                          [self = this->shared_from_this()](boost::beast::error_code ec, std::size_t) {
                            if (!ec) self->Drain();
                          });
  }

  Stream stream_;
  ConnectionContext& context_;
  std::string client_address_;  // the peer's IP address; empty if the socket could not say
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::empty_body> continue_;
  WireResponse response_;
  std::array<char, 4096> scratch_{};
  int answered_ = 0;
};

}  // namespace casereview::http

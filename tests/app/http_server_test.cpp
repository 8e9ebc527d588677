// The HTTP server itself (app/http/server.cpp) over real sockets: slow clients cannot hold
// it, a request that could be read two ways (Content-Length and Transfer-Encoding) is
// refused, one connection carries several requests, and TLS serves HTTPS only. Every wait
// here is bounded: by a socket timeout or by the server's own deadlines plus a margin.
#include <catch2/catch.hpp>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/SocketStream.h>
#include <Poco/Net/StreamSocket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "http_fixture.hpp"
#include "support/smtp_sink.hpp"

using namespace casereview;
using nlohmann::json;
using Steady = std::chrono::steady_clock;

namespace {

// A loopback connection written to a few bytes at a time, as a slow client writes.
// Sends never raise SIGPIPE: a connection the server has closed just says so.
class SlowConnection {
 public:
  explicit SlowConnection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  }
  ~SlowConnection() { ::close(fd_); }
  SlowConnection(const SlowConnection&) = delete;
  SlowConnection& operator=(const SlowConnection&) = delete;

  void Send(const std::string& bytes) {
    if (closed_) return;
    if (::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN) closed_ = true;
  }
  // True once the server has closed its end (whatever it sent first is read and dropped).
  bool Closed() {
    char buffer[4096];
    while (!closed_) {
      ssize_t n = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n > 0) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      closed_ = true;  // 0: the server's FIN; an error: its RST
    }
    return closed_;
  }

 private:
  int fd_;
  bool closed_ = false;
};

struct TimedReply {
  int status = 0;  // 0: no answer within the limit
  std::string body;
  Steady::duration took{};
};

// A GET on a fresh connection that gives up after `limit`.
TimedReply TimedGet(std::uint16_t port, const std::string& target, const std::string& token,
                    std::chrono::milliseconds limit) {
  TimedReply r;
  auto start = Steady::now();
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(limit).count()));
    Poco::Net::HTTPRequest request("GET", target, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    std::ostringstream text;
    text << in.rdbuf();
    r.status = static_cast<int>(response.getStatus());
    r.body = text.str();
  } catch (const Poco::Exception&) {
    r.status = 0;
  }
  r.took = Steady::now() - start;
  return r;
}

// One raw connection that reads the server's answers in order (a pipelined client).
class WireConnection {
 public:
  explicit WireConnection(std::uint16_t port) : socket_(Poco::Net::SocketAddress("127.0.0.1", port)), in_(socket_) {
    socket_.setReceiveTimeout(Poco::Timespan(5, 0));
  }
  void Send(const std::string& bytes) { socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size())); }
  testing::HttpReply Read() {
    Poco::Net::HTTPResponse head;
    head.read(in_);
    testing::HttpReply r;
    r.status = static_cast<int>(head.getStatus());
    for (const auto& [k, v] : head) r.headers[k] = v;
    std::string body(static_cast<std::size_t>(head.getContentLength()), '\0');
    in_.read(body.data(), static_cast<std::streamsize>(body.size()));
    REQUIRE(in_.gcount() == static_cast<std::streamsize>(body.size()));
    r.body = body;
    return r;
  }
  // True when the server closes the connection (within the receive timeout).
  bool ClosedByServer() {
    char c;
    try {
      return socket_.receiveBytes(&c, 1) == 0;
    } catch (const Poco::Net::ConnectionResetException&) {
      return true;
    }
  }

 private:
  Poco::Net::StreamSocket socket_;
  Poco::Net::SocketStream in_;
};

std::string Get(const std::string& target, const std::string& token = "", const std::string& extra = "") {
  std::string r = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!token.empty()) r += "Authorization: Bearer " + token + "\r\n";
  return r + extra + "\r\n";
}

}  // namespace

SCENARIO("Two hundred slow clients leave the server answering everyone else, and are closed by the deadline",
         "[http][server][slow]") {
  testing::ServedReview served;
  constexpr int kSlowHeads = 180;  // each sends its head a line at a time
  constexpr int kSlowBodies = 20;  // each sends its head at once, then its body a byte at a time
  std::vector<std::unique_ptr<SlowConnection>> slow;
  for (int i = 0; i < kSlowHeads + kSlowBodies; ++i) {
    slow.push_back(std::make_unique<SlowConnection>(served.port()));
    if (i < kSlowHeads) slow.back()->Send("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    else slow.back()->Send("POST /api/v1/reviews HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{");
  }
  const auto opened = Steady::now();
  int round = 0;
  auto trickle = [&] {  // one more header line, or one more byte of body, on every connection
    ++round;
    for (int i = 0; i < kSlowHeads + kSlowBodies; ++i) slow[i]->Send(i < kSlowHeads ? "X-Slow-" + std::to_string(round) + ": 1\r\n" : " ");
  };
  for (int i = 0; i < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::seconds{1});
    trickle();
  }

  WHEN("someone asks for the health check and a review while they trickle") {
    TimedReply health = TimedGet(served.port(), "/api/v1/health", "", std::chrono::seconds{1});
    TimedReply review = TimedGet(served.port(), "/api/v1/reviews/" + served.ref(), served.token("p-panel-chair"),
                                 std::chrono::seconds{1});
    THEN("both are answered within a second") {
      CHECK(health.status == 200);
      CHECK(health.body.find("\"ok\"") != std::string::npos);
      CHECK(std::chrono::duration<double>(health.took).count() < 1.0);
      CHECK(review.status == 200);
      CHECK(review.body.find(served.ref()) != std::string::npos);
      CHECK(std::chrono::duration<double>(review.took).count() < 1.0);

      AND_THEN("every slow connection is closed by the server once its deadline has passed") {
        const auto give_up = opened + http::kRequestHeadTimeout + http::kRequestBodyTimeout;
        int open = 0;
        do {
          std::this_thread::sleep_for(std::chrono::seconds{1});
          trickle();
          open = 0;
          for (auto& c : slow) open += c->Closed() ? 0 : 1;
        } while (open > 0 && Steady::now() < give_up);
        CHECK(open == 0);
        // Every head and body began within a second of opening, so each deadline has
        // passed a trickle's round (and a margin) after the longer of the two.
        CHECK(Steady::now() - opened <=
              std::max(http::kRequestHeadTimeout, http::kRequestBodyTimeout) + std::chrono::seconds{3});
      }
    }
  }
}

SCENARIO("A request with both Content-Length and Transfer-Encoding is refused, and nothing is recorded",
         "[http][server][smuggling]") {
  testing::ServedReview served;
  const ScenarioStep& step = served.Step(testing::kStepsBeforeServing);
  served.clock().Set(step.at);
  const std::string body = json{{"event", step.event}, {"fields", step.fields}}.dump();
  const std::string by = step.by == "p-board-chair" ? "p-board-chair" : "p-panel-chair";
  auto events_before = served.Open()->LoadEvents(served.ref());
  REQUIRE(events_before.ok());
  const std::string head = "POST /api/v1/reviews/" + served.ref() + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                           "Authorization: Bearer " + served.token(by) + "\r\nContent-Type: application/json\r\n";
  std::ostringstream chunked;
  chunked << std::hex << body.size() << "\r\n" << body << "\r\n0\r\n\r\n";
  const std::string length = "Content-Length: " + std::to_string(body.size()) + "\r\n";

  for (const auto& [name, framing] : std::vector<std::pair<std::string, std::string>>{
           {"length first", length + "Transfer-Encoding: chunked\r\n"},
           {"chunked first", "Transfer-Encoding: chunked\r\n" + length},
           {"another coding", "Transfer-Encoding: gzip\r\n" + length}}) {
    WHEN("the framing is " + name) {
      WireConnection c(served.port());
      c.Send(head + framing + "\r\n" + chunked.str());
      testing::HttpReply r = c.Read();
      THEN("the answer is 400 in plain words, the connection is closed and the review is as it was") {
        CHECK(r.status == 400);
        json error = json::parse(r.body, nullptr, false);
        REQUIRE(error.is_object());
        CHECK(error["error"].get<std::string>().find("Transfer-Encoding") != std::string::npos);
        CHECK(r.Header("X-Content-Type-Options") == "nosniff");
        CHECK(c.ClosedByServer());
        auto events_after = served.Open()->LoadEvents(served.ref());
        REQUIRE(events_after.ok());
        CHECK(events_after->size() == events_before->size());
      }
    }
  }
  WHEN("the same event comes with Content-Length alone") {
    WireConnection c(served.port());
    c.Send(head + length + "\r\n" + body);
    THEN("it is recorded") {
      CHECK(c.Read().status == 201);
      CHECK(served.Open()->LoadEvents(served.ref())->size() == events_before->size() + 1);
    }
  }
}

SCENARIO("One connection carries several requests, pipelined or one after another", "[http][server]") {
  testing::ServedReview served;
  const std::string token = served.token("p-panel-chair");
  WireConnection c(served.port());
  c.Send(Get("/api/v1/health") + Get("/api/v1/reviews/" + served.ref(), token));
  testing::HttpReply first = c.Read();
  testing::HttpReply second = c.Read();
  CHECK(first.status == 200);
  CHECK(first.body.find("\"ok\"") != std::string::npos);
  CHECK(second.status == 200);
  CHECK(second.body.find(served.ref()) != std::string::npos);
  CHECK(second.Header("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos);

  c.Send(Get("/api/v1/me", token));
  testing::HttpReply third = c.Read();
  CHECK(third.status == 200);
  CHECK(third.body.find("p-panel-chair") != std::string::npos);

  c.Send(Get("/api/v1/health", "", "Connection: close\r\n"));
  CHECK(c.Read().status == 200);
  CHECK(c.ClosedByServer());
}

SCENARIO("A body over 1 MiB is refused with 413 before it is read", "[http][server]") {
  testing::ServedReview served;
  WireConnection c(served.port());
  c.Send("POST /api/v1/reviews HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string((1 << 20) + 1) + "\r\n\r\n{");
  testing::HttpReply r = c.Read();
  CHECK(r.status == 413);
  CHECK(json::parse(r.body, nullptr, false)["error"].get<std::string>().find("1 MiB") != std::string::npos);
}

SCENARIO("Given a certificate, the server speaks HTTPS only", "[http][server][tls]") {
  testing::ServedReview served;
  testing::TempDir dir;
  auto cert = testing::MakeSelfSignedCertificate(dir);
  http::ServerOptions options;
  options.db_path = served.path();
  options.port = 0;
  options.tls_certificate = cert.cert_file;
  options.tls_key = cert.key_file;
  http::Server server(options, served.clock());
  Status started = server.Start();
  INFO(started.message());
  REQUIRE(started.ok());
  CHECK(server.url().rfind("https://127.0.0.1:", 0) == 0);

  Poco::Net::initializeSSL();
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", cert.cert_file,
                                                           Poco::Net::Context::VERIFY_RELAXED);
  {
    Poco::Net::HTTPSClientSession session("127.0.0.1", server.port(), context);
    session.setTimeout(Poco::Timespan(5, 0));
    for (int i = 0; i < 2; ++i) {  // twice on one connection
      Poco::Net::HTTPRequest request("GET", "/api/v1/health", Poco::Net::HTTPMessage::HTTP_1_1);
      session.sendRequest(request);
      Poco::Net::HTTPResponse response;
      std::istream& in = session.receiveResponse(response);
      std::ostringstream text;
      text << in.rdbuf();
      CHECK(response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK);
      CHECK(text.str().find("\"ok\"") != std::string::npos);
      CHECK(response.get("Strict-Transport-Security", "") == "max-age=31536000");
    }
  }
  // Plain HTTP on the same port gets no HTTP answer.
  TimedReply plain = TimedGet(server.port(), "/api/v1/health", "", std::chrono::seconds{5});
  CHECK(plain.status == 0);
  server.Stop();
}

// The SMTP mailer against a real SMTP server (tests/support/smtp_sink.py): what arrives,
// one connection per batch, STARTTLS with a verified certificate and AUTH, refusals, and
// a mail server that dies mid-batch and comes back.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "casereview/mailers.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;
using casereview::testing::MakeSelfSignedCertificate;
using casereview::testing::SmtpSink;
using casereview::testing::SmtpSinkOptions;
using casereview::testing::TempDir;

namespace {

Email Reminder(const std::string& notice_id) {
  Email e;
  e.message_id = "<" + notice_id + ".notice@mail.example.org>";
  e.from = {"Northbridge LSCB", "lscb@example.org"};
  e.to = {{"Panel Chair (Northbridge)", "chair@example.org"}, {"Zoë Ångström", "spoc@police.example.org"}};
  e.subject = "SCR-2026-001 — the IMR for Police is due on 2026-03-02";
  e.text = "The IMR for Police is due on 2026-03-02.\nPlease submit it to the panel.\n";
  e.html = "<p>The IMR for Police is due on <b>2026-03-02</b>.</p>\n<p>Please submit it to the panel.</p>\n";
  e.date = *ParseInstant("2026-01-05T09:30:00Z");
  e.notice_id = notice_id;
  return e;
}

SmtpSinkOptions TlsAndLogin(const casereview::testing::SelfSignedCertificate& cert) {
  SmtpSinkOptions o;
  o.tls_cert = cert.cert_file;
  o.tls_key = cert.key_file;
  o.auth_user = "casereview";
  o.auth_password = "correct horse";
  return o;
}

SmtpSinkOptions LoginOnly() {
  SmtpSinkOptions o;
  o.auth_user = "casereview";
  o.auth_password = "pw";
  return o;
}

SmtpSinkOptions StopAfter(int messages) {
  SmtpSinkOptions o;
  o.stop_after = messages;
  return o;
}

SmtpSinkOptions Refusing(const std::string& address) {
  SmtpSinkOptions o;
  o.refuse_rcpt = {address};
  return o;
}

SmtpSettings To(const SmtpSink& sink) {
  SmtpSettings s;
  s.host = "127.0.0.1";
  s.port = sink.port();
  s.timeout = 5s;
  return s;
}

}  // namespace

SCENARIO("A notice sent over SMTP arrives with its envelope, headers and both parts", "[notifier][smtp]") {
  GIVEN("a mail server and a mailer for it") {
    SmtpSink sink;
    auto mailer = NewSmtpMailer(To(sink));
    WHEN("a reminder is sent") {
      Status s = mailer->Send(Reminder("SCR-2026-001#12.0"));
      mailer->EndBatch();
      THEN("the server has it, addressed to both recipients, with every header and part") {
        INFO(s.message() << "\n" << sink.Log());
        REQUIRE(s.ok());
        auto messages = sink.Messages();
        REQUIRE(messages.size() == 1);
        const auto& m = messages[0];
        CHECK(m["mail_from"] == "lscb@example.org");
        CHECK(m["rcpt_tos"] == nlohmann::json({"chair@example.org", "spoc@police.example.org"}));
        const auto& h = m["headers"];
        CHECK(h["From"] == "Northbridge LSCB <lscb@example.org>");
        CHECK_THAT(h["To"].get<std::string>(), Contains("\"Panel Chair (Northbridge)\" <chair@example.org>"));
        CHECK_THAT(h["To"].get<std::string>(), Contains("Zoë Ångström <spoc@police.example.org>"));
        CHECK(h["Subject"] == "SCR-2026-001 — the IMR for Police is due on 2026-03-02");
        CHECK(h["Message-ID"] == "<SCR-2026-001#12.0.notice@mail.example.org>");
        CHECK(h["X-Casereview-Notice"] == "SCR-2026-001#12.0");
        CHECK(h["Auto-Submitted"] == "auto-generated");
        CHECK(h["Date"] == "Mon, 05 Jan 2026 09:30:00 +0000");
        CHECK_THAT(h["Content-Type"].get<std::string>(), Contains("multipart/alternative"));
        CHECK(m["text"] == Reminder("x").text);
        CHECK(m["html"] == Reminder("x").html);
        CHECK(m["tls"] == false);
      }
    }
  }
}

SCENARIO("A batch of Sends travels on one connection until EndBatch", "[notifier][smtp]") {
  GIVEN("a mail server and a mailer for it") {
    SmtpSink sink;
    auto mailer = NewSmtpMailer(To(sink));
    WHEN("three notices are sent, the batch is ended, and one more is sent") {
      for (const char* id : {"SCR-2026-001#1.0", "SCR-2026-001#2.0", "SCR-2026-001#3.0"}) {
        Status s = mailer->Send(Reminder(id));
        INFO(id << ": " << s.message());
        REQUIRE(s.ok());
      }
      mailer->EndBatch();
      mailer->EndBatch();  // a second EndBatch is harmless
      REQUIRE(mailer->Send(Reminder("SCR-2026-001#4.0")).ok());
      mailer->EndBatch();
      THEN("the three shared one session and the fourth had a new one") {
        auto messages = sink.Messages();
        REQUIRE(messages.size() == 4);
        CHECK(messages[1]["session"] == messages[0]["session"]);
        CHECK(messages[2]["session"] == messages[0]["session"]);
        CHECK(messages[3]["session"] != messages[0]["session"]);
        CHECK(messages[2]["headers"]["X-Casereview-Notice"] == "SCR-2026-001#3.0");
      }
    }
  }
}

SCENARIO("STARTTLS with a verified certificate and AUTH LOGIN deliver the message", "[notifier][smtp][tls]") {
  GIVEN("a mail server that requires STARTTLS and a login, with a self-signed certificate") {
    TempDir certs;
    auto cert = MakeSelfSignedCertificate(certs);
    SmtpSink sink(TlsAndLogin(cert));
    SmtpSettings settings = To(sink);
    settings.host = "localhost";  // the name on the certificate
    settings.starttls = true;
    settings.ca_file = cert.cert_file;
    settings.username = "casereview";
    settings.password = "correct horse";
    WHEN("a mailer trusting that certificate sends a notice") {
      auto mailer = NewSmtpMailer(settings);
      Status s = mailer->Send(Reminder("SCR-2026-001#12.0"));
      mailer->EndBatch();
      THEN("it arrived over TLS from the logged-in user") {
        INFO(s.message() << "\n" << sink.Log());
        REQUIRE(s.ok());
        auto messages = sink.Messages();
        REQUIRE(messages.size() == 1);
        CHECK(messages[0]["tls"] == true);
        CHECK(messages[0]["auth_user"] == "casereview");
        CHECK(mailer->Describe() == "smtp://localhost:" + std::to_string(sink.port()) + " (STARTTLS, AUTH)");
      }
    }
    WHEN("the password is wrong") {
      settings.password = "wrong";
      auto mailer = NewSmtpMailer(settings);
      Status s = mailer->Send(Reminder("SCR-2026-001#12.0"));
      THEN("the Send fails, saying the server refused the login, and nothing is delivered") {
        CHECK(s.code() == Status::Code::kUnavailable);
        CHECK_THAT(s.message(), Contains("smtp://localhost:" + std::to_string(sink.port())));
        CHECK_THAT(s.message(), Contains("refused"));
        CHECK_THAT(s.message(), Contains("'casereview'"));
        CHECK_THAT(s.message(), Contains("535"));
        CHECK_THAT(s.message(), !Contains("wrong"));
        CHECK(sink.Messages().empty());
      }
    }
    WHEN("the mailer does not trust the certificate (system CAs only)") {
      settings.ca_file.clear();
      auto mailer = NewSmtpMailer(settings);
      Status s = mailer->Send(Reminder("SCR-2026-001#12.0"));
      THEN("the TLS handshake fails, the mail server is Unavailable and no password was sent") {
        CHECK(s.code() == Status::Code::kUnavailable);
        CHECK_THAT(s.message(), Contains("STARTTLS"));
        CHECK_THAT(s.message(), Contains("certificate"));
        CHECK(sink.Messages().empty());
      }
    }
  }
}

SCENARIO("A certificate for another host name is refused even when its CA is trusted", "[notifier][smtp][tls]") {
  GIVEN("a mail server presenting a certificate for mail.elsewhere.example") {
    TempDir certs;
    auto cert = MakeSelfSignedCertificate(certs, "mail.elsewhere.example");
    SmtpSinkOptions options;
    options.tls_cert = cert.cert_file;
    options.tls_key = cert.key_file;
    SmtpSink sink(options);
    WHEN("a mailer that trusts that certificate connects to it as localhost") {
      SmtpSettings settings = To(sink);
      settings.host = "localhost";
      settings.starttls = true;
      settings.ca_file = cert.cert_file;
      Status s = NewSmtpMailer(settings)->Send(Reminder("SCR-2026-001#12.0"));
      THEN("the certificate is refused and nothing is delivered") {
        CHECK(s.code() == Status::Code::kUnavailable);
        CHECK_THAT(s.message(), Contains("STARTTLS"));
        CHECK_THAT(s.message(), Contains("Unacceptable certificate from localhost"));
        CHECK(sink.Messages().empty());
      }
    }
  }
}

SCENARIO("Credentials are not sent without TLS unless plain authentication is allowed", "[notifier][smtp]") {
  GIVEN("a mail server that requires a login but offers no TLS") {
    SmtpSink sink(LoginOnly());
    SmtpSettings settings = To(sink);
    settings.username = "casereview";
    settings.password = "pw";
    WHEN("a mailer with a username but no STARTTLS sends") {
      auto mailer = NewSmtpMailer(settings);
      Status s = mailer->Send(Reminder("SCR-2026-001#12.0"));
      THEN("it refuses before connecting, explaining why") {
        CHECK_FALSE(s.ok());
        CHECK_THAT(s.message(), Contains("without STARTTLS"));
        CHECK_THAT(s.message(), Contains("allow_plain_auth"));
        CHECK_THAT(s.message(), !Contains("pw"));
        CHECK(sink.Messages().empty());
      }
      AND_THEN("the same holds when nothing listens at all (it never got as far as connecting)") {
        sink.Stop();
        Status again = mailer->Send(Reminder("SCR-2026-001#12.0"));
        CHECK_THAT(again.message(), Contains("without STARTTLS"));
      }
    }
    WHEN("plain authentication is explicitly allowed") {
      settings.allow_plain_auth = true;
      auto mailer = NewSmtpMailer(settings);
      Status s = mailer->Send(Reminder("SCR-2026-001#12.0"));
      mailer->EndBatch();
      THEN("the message goes, logged in, without TLS") {
        INFO(s.message() << "\n" << sink.Log());
        REQUIRE(s.ok());
        auto messages = sink.Messages();
        REQUIRE(messages.size() == 1);
        CHECK(messages[0]["auth_user"] == "casereview");
        CHECK(messages[0]["tls"] == false);
        CHECK(mailer->Describe() == "smtp://127.0.0.1:" + std::to_string(sink.port()) + " (AUTH)");
      }
    }
  }
}

SCENARIO("A mail server that is not there is Unavailable", "[notifier][smtp]") {
  GIVEN("a port where nothing listens any more") {
    SmtpSink sink;
    SmtpSettings settings = To(sink);
    sink.Stop();
    WHEN("a notice is sent to it") {
      auto mailer = NewSmtpMailer(settings);
      Status s = mailer->Send(Reminder("SCR-2026-001#12.0"));
      THEN("the Send is Unavailable and names the server") {
        CHECK(s.code() == Status::Code::kUnavailable);
        CHECK_THAT(s.message(), Contains("mail server smtp://127.0.0.1:" + std::to_string(settings.port) +
                                         " unreachable"));
        CHECK(mailer->Describe() == "smtp://127.0.0.1:" + std::to_string(settings.port));
      }
    }
  }
}

SCENARIO("A recipient the server refuses fails that message only", "[notifier][smtp]") {
  GIVEN("a mail server that has no mailbox gone@example.org, and a mailer for it") {
    SmtpSink sink(Refusing("gone@example.org"));
    auto mailer = NewSmtpMailer(To(sink));
    WHEN("a notice goes to that address, then a good one is sent") {
      Email bad = Reminder("SCR-2026-001#5.0");
      bad.to = {{"", "gone@example.org"}};
      Status refused = mailer->Send(bad);
      Status next = mailer->Send(Reminder("SCR-2026-001#6.0"));
      mailer->EndBatch();
      THEN("the first is refused for itself (not Unavailable) and the next one goes") {
        CHECK(refused.code() == Status::Code::kInvalidArgument);
        CHECK_THAT(refused.message(), Contains("SCR-2026-001#5.0"));
        CHECK_THAT(refused.message(), Contains("550"));
        CHECK_THAT(refused.message(), Contains("smtp://127.0.0.1:"));
        CHECK_THAT(refused.message(), !Contains("IMR"));  // never the content
        INFO(next.message());
        CHECK(next.ok());
        auto messages = sink.Messages();
        REQUIRE(messages.size() == 1);
        CHECK(messages[0]["headers"]["X-Casereview-Notice"] == "SCR-2026-001#6.0");
      }
    }
  }
}

SCENARIO("A mail server that dies mid-batch is Unavailable and the mailer reconnects once it is back",
         "[notifier][smtp]") {
  GIVEN("a mail server that dies after acknowledging its second message") {
    SmtpSink sink(StopAfter(2));
    auto mailer = NewSmtpMailer(To(sink));
    WHEN("four notices are sent in one batch") {
      std::vector<Status> results;
      for (int i = 1; i <= 4; ++i) results.push_back(mailer->Send(Reminder("SCR-2026-001#" + std::to_string(i) + ".0")));
      THEN("the first two go and the third (at the latest the fourth) is Unavailable") {
        INFO(results[0].message() << " | " << results[1].message());
        CHECK(results[0].ok());
        CHECK(results[1].ok());
        bool third = results[2].code() == Status::Code::kUnavailable;
        bool fourth = results[3].code() == Status::Code::kUnavailable;
        CHECK((third || fourth));
        const Status& failed = third ? results[2] : results[3];
        CHECK_THAT(failed.message(), Contains("smtp://127.0.0.1:" + std::to_string(sink.port())));
        CHECK(sink.WaitUntilExited(5s));
        CHECK(sink.Messages().size() == 2);
      }
      AND_WHEN("the server is back on the same port and the next notice is sent") {
        REQUIRE(sink.WaitUntilExited(5s));
        sink.Restart();
        Status s = mailer->Send(Reminder("SCR-2026-001#5.0"));
        mailer->EndBatch();
        THEN("it goes, on a new connection") {
          INFO(s.message() << "\n" << sink.Log());
          REQUIRE(s.ok());
          auto messages = sink.Messages();
          REQUIRE(messages.size() == 3);
          CHECK(messages[2]["headers"]["X-Casereview-Notice"] == "SCR-2026-001#5.0");
          CHECK(messages[2]["session"] != messages[1]["session"]);
        }
      }
    }
  }
}

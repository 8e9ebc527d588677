// The whole path, for real: the example review's outbox delivered by the dispatcher through
// the Poco SMTP mailer to a real SMTP server on loopback (Debian's python3-aiosmtpd, started
// and stopped by the test). Checks what arrives: recipients, subject, body, Message-ID; and
// that a server stopped during a batch loses nothing once it is back.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "casereview/mailers.hpp"
#include "casereview/notifier.hpp"
#include "support/example_run.hpp"
#include "support/smtp_sink.hpp"

using namespace casereview;
using casereview::testing::ExampleRun;
using casereview::testing::SmtpSink;
using casereview::testing::SmtpSinkOptions;
using Json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

// The example review run to the end: its outbox holds every kind of event notice.
struct DeliveredExample {
  ExampleRun run;
  MailIdentity identity{{"Northbridge casereview", "casereview@northbridge.example.org"}, "https://cr.example.org", ""};
  NoticeTemplates templates = *NoticeTemplates::Load();
  std::map<std::string, std::string> email_of;  // person id -> address

  DeliveredExample() {
    for (std::size_t i = 0; i < run.scenario.steps.size(); ++i) run.RunStep(i);
    auto people = run.store->ListPeople("demo");
    REQUIRE(people.ok());
    for (const Person& p : *people) email_of[p.id] = p.email;
  }

  std::vector<Notice> Notices(std::optional<std::string> status = {}) {
    auto n = run.store->ListNotices({{}, std::move(status), {}});
    REQUIRE(n.ok());
    return *n;
  }

  std::unique_ptr<Mailer> SmtpTo(const SmtpSink& sink) {
    SmtpSettings s;
    s.host = "127.0.0.1";
    s.port = sink.port();
    s.timeout = 5s;
    return NewSmtpMailer(s);
  }
};

DeliveryReport Pass(OutboxDispatcher& d) {
  auto r = d.DeliverDue();
  INFO(r.status().message());
  REQUIRE(r.ok());
  return *r;
}

std::set<std::string> Sorted(const Json& list) {
  std::set<std::string> out;
  for (const Json& v : list) out.insert(v.get<std::string>());
  return out;
}

}  // namespace

SCENARIO("The outbox is delivered over SMTP to the people each notice names", "[notifier][smtp][integration]") {
  GIVEN("the example review's notices and a real SMTP server") {
    DeliveredExample example;
    auto queued = example.Notices();
    REQUIRE(queued.size() > 20);
    SmtpSink sink;
    auto mailer = example.SmtpTo(sink);
    DeliveryPolicy policy;
    policy.batch_size = 100;
    OutboxDispatcher dispatcher(*example.run.store, *mailer, example.run.clock, example.templates,
                                example.identity, policy);
    WHEN("the dispatcher runs") {
      DeliveryReport report = Pass(dispatcher);
      auto messages = sink.Messages();
      INFO(sink.Log());
      THEN("every notice arrived once, on one connection, and is marked sent") {
        CHECK(report.sent == queued.size());
        REQUIRE(messages.size() == queued.size());
        CHECK(example.Notices("sent").size() == queued.size());
        std::set<std::string> sessions;
        for (const Json& m : messages) sessions.insert(m["session"].dump());
        CHECK(sessions.size() == 1);
      }
      THEN("each message goes to its notice's recipients, with its subject, body and Message-ID") {
        std::map<std::string, Json> by_notice;
        for (const Json& m : messages) by_notice[m["headers"]["X-Casereview-Notice"].get<std::string>()] = m;
        for (const Notice& n : queued) {
          INFO(n.id);
          REQUIRE(by_notice.count(n.id) == 1);
          const Json& m = by_notice[n.id];
          std::set<std::string> expected;
          for (const auto& id : n.recipients) expected.insert(example.email_of[id]);
          CHECK(Sorted(m["rcpt_tos"]) == expected);
          CHECK(m["headers"]["Message-ID"] == MessageIdFor(n.id, example.identity));
          CHECK_THAT(m["headers"]["Subject"].get<std::string>(), Catch::StartsWith("[SCR-2026-001]"));
          CHECK_THAT(m["headers"]["From"].get<std::string>(), Catch::Contains("casereview@northbridge.example.org"));
          CHECK_THAT(m["text"].get<std::string>(), Catch::Contains("https://cr.example.org/reviews/SCR-2026-001"));
          CHECK_THAT(m["html"].get<std::string>(), Catch::Contains("<!DOCTYPE html>"));
        }
      }
      THEN("the IMR commissioned from the police reached its author and senior manager") {
        bool found = false;
        for (const Json& m : messages) {
          if (m["headers"]["Subject"] != "[SCR-2026-001] IMR commissioned from Northbridge Borough Police, due 2026-03-13")
            continue;
          found = true;
          CHECK(Sorted(m["rcpt_tos"]) == std::set<std::string>{example.email_of["p-police-author"],
                                                               example.email_of["p-police-sm"]});
          CHECK_THAT(m["text"].get<std::string>(), Catch::Contains("Due:     2026-03-13"));
        }
        CHECK(found);
      }
    }
  }
}

SCENARIO("A mail server stopped during a batch loses no notice", "[notifier][smtp][integration]") {
  GIVEN("the example review's notices and a server that dies after its fifth message") {
    DeliveredExample example;
    auto queued = example.Notices();
    SmtpSinkOptions options;
    options.stop_after = 5;
    SmtpSink sink(options);
    auto mailer = example.SmtpTo(sink);
    DeliveryPolicy policy;
    policy.batch_size = 100;
    OutboxDispatcher dispatcher(*example.run.store, *mailer, example.run.clock, example.templates,
                                example.identity, policy);
    WHEN("the dispatcher runs while it is down") {
      DeliveryReport first = Pass(dispatcher);
      REQUIRE(sink.WaitUntilExited(5s));
      THEN("the batch stops at the first failure, with what was acknowledged marked sent") {
        CHECK(first.mail_unavailable);
        CHECK(first.sent == 5);
        CHECK(first.retrying == 1);
        CHECK(example.Notices("pending").size() == queued.size() - first.sent);
        CHECK(example.Notices("failed").empty());
      }
      AND_WHEN("the server is started again and the dispatcher runs after the pause and the retry delay") {
        sink.Restart();
        example.run.clock.Advance(policy.pause_when_unavailable + policy.first_retry);
        DeliveryReport second = Pass(dispatcher);
        auto messages = sink.Messages();
        INFO(sink.Log());
        THEN("every notice has arrived, and the outbox is empty") {
          CHECK(first.sent + second.sent == queued.size());
          CHECK(example.Notices("sent").size() == queued.size());
          // At least once: only a message in flight when the server died could come twice,
          // and then with the same Message-ID, so it is recognisable.
          std::multiset<std::string> ids;
          for (const Json& m : messages) ids.insert(m["headers"]["Message-ID"].get<std::string>());
          for (const Notice& n : queued) CHECK(ids.count(MessageIdFor(n.id, example.identity)) >= 1);
          CHECK(messages.size() <= queued.size() + 1);
        }
      }
    }
  }
}

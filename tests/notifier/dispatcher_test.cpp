// The outbox dispatcher: each due notice rendered and handed over once, its attempt recorded
// first; failures retried with exponential backoff and, after the last attempt, kept as
// failed until retried; a mail server that cannot be reached pauses the batch, losing
// nothing.
#include <catch2/catch.hpp>

#include "board_import.hpp"
#include "casereview/engine.hpp"
#include "casereview/notifier.hpp"
#include "support/recording_mailer.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::ExamplePath;
using casereview::testing::ReadBytes;
using casereview::testing::RecordingMailer;
using namespace std::chrono_literals;

namespace {

Instant At(const char* text) { return *ParseInstant(text); }

// The demo board with `referrals` cases referred: one case-referred notice each.
struct Outbox {
  std::unique_ptr<Store> store = NewMemoryStore();
  ManualClock clock{At("2026-01-05T09:00:00Z")};
  Engine engine{*store, clock};
  NoticeTemplates templates = *NoticeTemplates::Load();
  RecordingMailer mailer;
  MailIdentity identity{{"Northbridge casereview", "casereview@northbridge.example.org"}, "https://cr.example.org", ""};
  DeliveryPolicy policy{.max_attempts = 3, .first_retry = 60s, .longest_retry = 600s, .batch_size = 50,
                        .pause_when_unavailable = 120s};
  OutboxDispatcher dispatcher{*store, mailer, clock, templates, identity, policy};
  std::vector<std::string> refs;

  explicit Outbox(int referrals = 1) {
    auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
    REQUIRE(board.ok());
    REQUIRE(engine.ImportBoardData(*board).ok());
    for (int i = 0; i < referrals; ++i) {
      auto r = engine.Open("scr", "", {{"referring_agency", "police"}, {"incident", "death"},
                                     {"incident_date", "2026-01-02"}, {"abuse_or_neglect", "suspected"},
                                     {"agencies_involved", {"csc", "police"}}},
                                "p-spoc");
      REQUIRE(r.ok());
      refs.push_back(*r);
    }
  }

  Notice Only(const std::string& ref) {
    auto n = store->ListNotices({ref, {}, {}});
    REQUIRE(n.ok());
    REQUIRE(n->size() == 1);
    return n->front();
  }

  DeliveryReport Pass() {
    auto r = dispatcher.DeliverDue();
    INFO(r.status().message());
    REQUIRE(r.ok());
    return *r;
  }
};

}  // namespace

SCENARIO("A notice queued with its event is delivered once", "[notifier][dispatcher]") {
  GIVEN("a referral, whose notice waits in the outbox") {
    Outbox box;
    Notice queued = box.Only(box.refs[0]);
    CHECK(queued.status == "pending");
    CHECK(queued.kind == "case-referred");
    WHEN("the dispatcher runs") {
      DeliveryReport report = box.Pass();
      THEN("one message went to the standing panel, and the notice is sent") {
        CHECK(report.sent == 1);
        REQUIRE(box.mailer.sent.size() == 1);
        const Email& m = box.mailer.sent[0];
        CHECK(m.to.size() == queued.recipients.size());
        CHECK(m.message_id == MessageIdFor(queued.id, box.identity));
        CHECK_THAT(m.subject, Catch::Contains(box.refs[0]));
        Notice sent = box.Only(box.refs[0]);
        CHECK(sent.status == "sent");
        CHECK(sent.attempts == 1);
        CHECK(sent.sent_at == box.clock.Now());
        CHECK(box.mailer.batches_ended == 1);
      }
      AND_WHEN("it runs again") {
        box.clock.Advance(24h);
        DeliveryReport again = box.Pass();
        THEN("nothing is sent twice") {
          CHECK(again.sent == 0);
          CHECK(box.mailer.sent.size() == 1);
        }
      }
    }
  }
}

SCENARIO("A failed attempt is retried with exponential backoff and then kept as failed", "[notifier][dispatcher]") {
  GIVEN("a mail server that refuses the message every time") {
    Outbox box;
    for (int i = 0; i < 10; ++i) box.mailer.outcomes.push_back(Status::InvalidArgument("550 mailbox unavailable"));
    const std::string ref = box.refs[0];
    WHEN("the first attempt fails") {
      DeliveryReport first = box.Pass();
      Notice n = box.Only(ref);
      THEN("the notice stays pending, with the error, due again after the first delay") {
        CHECK(first.retrying == 1);
        CHECK(n.status == "pending");
        CHECK(n.attempts == 1);
        CHECK_THAT(n.last_error, Catch::Contains("550 mailbox unavailable"));
        CHECK(n.next_attempt_at == box.clock.Now() + 60s);
      }
      AND_WHEN("the dispatcher runs before the delay is over") {
        box.clock.Advance(59s);
        box.Pass();
        THEN("it does not try again") { CHECK(box.mailer.attempts.size() == 1); }
      }
      AND_WHEN("the delays pass") {
        box.clock.Advance(60s);
        box.Pass();
        Notice second = box.Only(ref);
        CHECK(second.attempts == 2);
        CHECK(second.next_attempt_at == box.clock.Now() + 120s);  // doubled
        box.clock.Advance(120s);
        DeliveryReport last = box.Pass();
        THEN("after the last attempt it is failed, listed, and never tried again on its own") {
          CHECK(last.failed == 1);
          Notice failed = box.Only(ref);
          CHECK(failed.status == "failed");
          CHECK(failed.attempts == 3);
          CHECK(box.store->ListNotices({{}, "failed", {}})->size() == 1);
          box.clock.Advance(24h * 30);
          box.Pass();
          CHECK(box.mailer.attempts.size() == 3);
          CHECK(*box.store->NextNoticeDue() == std::nullopt);
        }
        AND_WHEN("someone asks for it to be retried once the server is fixed") {
          box.clock.Advance(120s);
          box.Pass();
          box.mailer.outcomes.clear();
          REQUIRE(*box.store->RequeueFailed(std::nullopt, box.clock.Now(), std::nullopt) == 1);
          box.Pass();
          THEN("it is delivered, with the same Message-ID as every attempt before") {
            CHECK(box.Only(ref).status == "sent");
            REQUIRE(box.mailer.sent.size() == 1);
            for (const Email& tried : box.mailer.attempts) CHECK(tried.message_id == box.mailer.sent[0].message_id);
          }
        }
      }
    }
  }
}

SCENARIO("A mail server that cannot be reached pauses the batch and loses nothing", "[notifier][dispatcher]") {
  GIVEN("three notices and a mail server that is down") {
    Outbox box(3);
    box.mailer.outcomes.push_back(Status::Unavailable("mail server smtp://127.0.0.1:1 unreachable"));
    WHEN("the dispatcher runs") {
      DeliveryReport report = box.Pass();
      THEN("it stops at the first, and the others keep their place untried") {
        CHECK(report.mail_unavailable);
        CHECK(box.mailer.attempts.size() == 1);
        CHECK(box.Only(box.refs[0]).attempts == 1);
        CHECK(box.Only(box.refs[1]).attempts == 0);
        CHECK(box.Only(box.refs[2]).attempts == 0);
      }
      THEN("the next pass waits for the pause") {
        auto next = box.dispatcher.NextPassDue();
        REQUIRE(next.ok());
        CHECK(**next == box.clock.Now() + 120s);
        box.clock.Advance(60s);
        CHECK(box.Pass().sent == 0);
      }
      AND_WHEN("the server is back after the pause") {
        box.clock.Advance(120s);
        DeliveryReport back = box.Pass();
        THEN("every notice arrives") {
          CHECK(back.sent == 3);
          for (const auto& ref : box.refs) CHECK(box.Only(ref).status == "sent");
        }
      }
    }
  }
}

SCENARIO("A dispatcher that died mid-send redelivers with the same Message-ID", "[notifier][dispatcher]") {
  GIVEN("an attempt recorded, then no outcome (the process died while sending)") {
    Outbox box;
    Notice n = box.Only(box.refs[0]);
    REQUIRE(box.store->RecordAttempt(n.id, 0, box.clock.Now(), box.clock.Now() + 60s).ok());
    WHEN("a new dispatcher runs before and after the retry time") {
      box.Pass();
      CHECK(box.mailer.attempts.empty());
      box.clock.Advance(60s);
      box.Pass();
      THEN("the notice is delivered on its second attempt, with its own Message-ID") {
        Notice sent = box.Only(box.refs[0]);
        CHECK(sent.status == "sent");
        CHECK(sent.attempts == 2);
        REQUIRE(box.mailer.sent.size() == 1);
        CHECK(box.mailer.sent[0].message_id == MessageIdFor(n.id, box.identity));
      }
    }
  }
}

SCENARIO("A notice nobody can receive fails visibly instead of vanishing", "[notifier][dispatcher]") {
  GIVEN("a referral, and then every panel member's email removed") {
    Outbox box;
    auto people = box.store->ListPeople("demo");
    REQUIRE(people.ok());
    for (Person p : *people) {
      p.email = "";
      REQUIRE(box.store->PutPerson(p).ok());
    }
    WHEN("the dispatcher has made every attempt") {
      for (int i = 0; i < 3; ++i) {
        box.Pass();
        box.clock.Advance(1h);
      }
      THEN("the notice is failed, and its error names the people without an address") {
        Notice n = box.Only(box.refs[0]);
        CHECK(n.status == "failed");
        CHECK_THAT(n.last_error, Catch::Contains("p-panel-chair") && Catch::Contains("email address"));
        CHECK(box.mailer.attempts.empty());
      }
    }
  }
}

SCENARIO("Retry delays double up to the longest", "[notifier][dispatcher]") {
  DeliveryPolicy p{.max_attempts = 10, .first_retry = 60s, .longest_retry = 3600s};
  CHECK(RetryDelay(p, 1) == 60s);
  CHECK(RetryDelay(p, 2) == 120s);
  CHECK(RetryDelay(p, 6) == 1920s);
  CHECK(RetryDelay(p, 7) == 3600s);
  CHECK(RetryDelay(p, 40) == 3600s);
}

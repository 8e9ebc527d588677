// Notice templates: every kind renders a subject, a text part and an HTML part from the
// notice alone; a deployment's own templates replace the shipped ones without recompiling;
// a broken or misspelt template is refused with its file named.
#include <catch2/catch.hpp>

#include <fstream>

#include "casereview/notifier.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::TempDir;
using Json = nlohmann::json;

namespace {

Notice ReminderNotice() {
  Notice n;
  n.id = "SCR-2026-001#12.0";
  n.review_ref = "SCR-2026-001";
  n.board_id = "northbridge";
  n.kind = "deadline-reminder";
  n.recipients = {"p-author", "p-sm", "p-no-email"};
  n.payload = Json{{"review", "SCR-2026-001"}, {"stage", "ImrsInProgress"}, {"task", "IMR (Police & <Partners>)"},
                   {"due_date", "2026-03-20"}, {"agency", "Police & <Partners>"}}
                  .dump();
  n.created_at = n.next_attempt_at = *ParseInstant("2026-03-06T09:00:00Z");
  return n;
}

NoticeTemplates::Context BoardContext() {
  NoticeTemplates::Context ctx;
  ctx.board_name = "Northbridge LSCB";
  ctx.people["p-author"] = {"p-author", "northbridge", "Pat Author", "pat@example.org", "police", {"imr-author"}};
  ctx.people["p-sm"] = {"p-sm", "northbridge", "Sam Senior", "sam@example.org", "police", {"senior-manager"}};
  ctx.people["p-no-email"] = {"p-no-email", "northbridge", "No Email", "", "police", {}};
  ctx.identity.from = {"Northbridge casereview", "casereview@northbridge.example.org"};
  ctx.identity.base_url = "https://casereview.example.org/";
  ctx.now = *ParseInstant("2026-03-06T09:00:05Z");
  return ctx;
}

NoticeTemplates Shipped() {
  auto t = NoticeTemplates::Load();
  INFO(t.status().message());
  REQUIRE(t.ok());
  return *t;
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

}  // namespace

SCENARIO("A notice renders into a message that says only what a notice may say", "[notifier][templates]") {
  GIVEN("the shipped templates and a deadline reminder") {
    NoticeTemplates templates = Shipped();
    auto email = templates.Render(ReminderNotice(), BoardContext());
    INFO(email.status().message());
    REQUIRE(email.ok());
    THEN("it goes to the recipients with an address, from the board's identity") {
      CHECK(email->to == std::vector<MailAddress>{{"Pat Author", "pat@example.org"}, {"Sam Senior", "sam@example.org"}});
      CHECK(email->from.email == "casereview@northbridge.example.org");
      CHECK(email->notice_id == "SCR-2026-001#12.0");
      CHECK(email->date == *ParseInstant("2026-03-06T09:00:05Z"));
    }
    THEN("its Message-ID is derived from the notice, at the sender's domain") {
      CHECK(email->message_id == "<SCR-2026-001_2312.0@northbridge.example.org>");
      CHECK(email->message_id == MessageIdFor("SCR-2026-001#12.0", BoardContext().identity));
    }
    THEN("the subject is one line naming the review, the task and the due date") {
      CHECK(email->subject == "[SCR-2026-001] Reminder: IMR (Police & <Partners>) due 2026-03-20");
    }
    THEN("the text part is not HTML-escaped and the HTML part is") {
      CHECK_THAT(email->text, Catch::Contains("Task:    IMR (Police & <Partners>)"));
      CHECK_THAT(email->text, Catch::Contains("Due:     2026-03-20"));
      CHECK_THAT(email->text, Catch::Contains("https://casereview.example.org/reviews/SCR-2026-001"));
      CHECK_THAT(email->html, Catch::Contains("<td>IMR (Police &amp; &lt;Partners&gt;)</td>"));
      CHECK_THAT(email->html, Catch::Contains("href=\"https://casereview.example.org/reviews/SCR-2026-001\""));
      CHECK_THAT(email->html, Catch::Contains("Northbridge LSCB"));
    }
  }
  GIVEN("a notice without a due date") {
    Notice n = ReminderNotice();
    n.payload = Json{{"review", "SCR-2026-001"}, {"stage", "Referred"}, {"task", "t"}, {"due_date", ""}}.dump();
    auto email = Shipped().Render(n, BoardContext());
    REQUIRE(email.ok());
    THEN("no Due line is shown") {
      CHECK_THAT(email->text, !Catch::Contains("Due:"));
      CHECK(email->subject == "[SCR-2026-001] Reminder: t");
    }
  }
}

SCENARIO("Every notice kind has its three templates", "[notifier][templates]") {
  NoticeTemplates templates = Shipped();
  std::vector<std::string> kinds = NoticeTemplates::Kinds();
  REQUIRE(kinds.size() >= 12);
  for (const std::string& kind : kinds) {
    Notice n = ReminderNotice();
    n.kind = kind;
    auto email = templates.Render(n, BoardContext());
    INFO(kind << ": " << email.status().message());
    REQUIRE(email.ok());
    CHECK_THAT(email->subject, Catch::Contains("SCR-2026-001") || Catch::Contains("Northbridge LSCB"));
    CHECK(email->subject.find('\n') == std::string::npos);
    CHECK_FALSE(email->text.empty());
    CHECK_THAT(email->html, Catch::StartsWith("<!DOCTYPE html>"));
  }
}

SCENARIO("A notice that reaches nobody is refused with the people named", "[notifier][templates]") {
  Notice n = ReminderNotice();
  n.recipients = {"p-no-email", "p-unknown"};
  auto email = Shipped().Render(n, BoardContext());
  REQUIRE_FALSE(email.ok());
  CHECK_THAT(email.status().message(), Catch::Contains("p-no-email") && Catch::Contains("p-unknown") &&
                                           Catch::Contains("SCR-2026-001#12.0"));
  n.kind = "no-such-kind";
  n.recipients = {"p-author"};
  auto unknown = Shipped().Render(n, BoardContext());
  REQUIRE_FALSE(unknown.ok());
  CHECK_THAT(unknown.status().message(), Catch::Contains("no-such-kind"));
}

SCENARIO("A deployment edits its templates without recompiling", "[notifier][templates]") {
  TempDir dir;
  GIVEN("the shipped templates exported to a folder") {
    auto written = NoticeTemplates::Export(dir.path());
    REQUIRE(written.ok());
    CHECK(written->size() == NoticeTemplates::Kinds().size() * 3 + 4);  // and the partials summary and footer
    WHEN("one subject is edited and the folder loaded") {
      Write(dir.File("deadline-reminder.subject"), "{{review}}: please act on {{task}} by {{due_date}}\n");
      auto templates = NoticeTemplates::Load(dir.path());
      REQUIRE(templates.ok());
      THEN("messages use the edited template and the rest are unchanged") {
        auto email = templates->Render(ReminderNotice(), BoardContext());
        REQUIRE(email.ok());
        CHECK(email->subject == "SCR-2026-001: please act on IMR (Police & <Partners>) by 2026-03-20");
        CHECK(email->text == Shipped().Render(ReminderNotice(), BoardContext())->text);
      }
      THEN("exporting again leaves the edited file alone") {
        auto again = NoticeTemplates::Export(dir.path());
        REQUIRE(again.ok());
        CHECK(again->empty());
        CHECK(casereview::testing::ReadBytes(dir.File("deadline-reminder.subject")).starts_with("{{review}}: please"));
      }
    }
  }
  GIVEN("a folder with a template that does not parse") {
    Write(dir.File("imr-returned.txt"), "Dear {{#review}} never closed\n");
    auto templates = NoticeTemplates::Load(dir.path());
    THEN("loading is refused naming the file") {
      REQUIRE_FALSE(templates.ok());
      CHECK_THAT(templates.status().message(), Catch::Contains("imr-returned.txt") && Catch::Contains("does not parse"));
    }
  }
  GIVEN("a folder with a misspelt template name") {
    Write(dir.File("deadline-remider.subject"), "x");
    auto templates = NoticeTemplates::Load(dir.path());
    THEN("loading is refused naming the file, rather than ignoring it") {
      REQUIRE_FALSE(templates.ok());
      CHECK_THAT(templates.status().message(), Catch::Contains("deadline-remider.subject"));
    }
  }
  // Found by fuzzing: a partial that includes itself recursed until the stack overflowed.
  GIVEN("a folder whose summary partial includes itself") {
    Write(dir.File("_summary.txt"), "Review: {{review}}\n{{> summary}}\n");
    auto templates = NoticeTemplates::Load(dir.path());
    THEN("loading is refused, saying why, instead of overflowing the stack when a notice is due") {
      REQUIRE_FALSE(templates.ok());
      CHECK_THAT(templates.status().message(), Catch::Contains("does a partial include itself?"));
    }
  }
  GIVEN("a folder whose summary partial includes itself only inside a section") {
    Write(dir.File("_summary.txt"), "{{#due_date}}Due {{due_date}}\n{{> summary}}{{/due_date}}\n");
    auto templates = NoticeTemplates::Load(dir.path());
    REQUIRE(templates.ok());  // the trial render has no due date, so it cannot see the loop
    THEN("a notice with a due date is refused when rendered, naming the notice, not a crash") {
      auto email = templates->Render(ReminderNotice(), BoardContext());
      REQUIRE_FALSE(email.ok());
      CHECK_THAT(email.status().message(),
                 Catch::Contains("SCR-2026-001#12.0") && Catch::Contains("does a partial include itself?"));
    }
  }
  GIVEN("a folder that does not exist") {
    auto templates = NoticeTemplates::Load(dir.File("missing"));
    REQUIRE_FALSE(templates.ok());
    CHECK_THAT(templates.status().message(), Catch::Contains("missing"));
  }
}

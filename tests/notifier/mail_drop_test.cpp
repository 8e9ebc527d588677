// The mail drop: each notice an RFC 5322 file that a mail program (here Python's email
// package) reads back, written atomically, one file per notice, and a clear error when the
// folder cannot be made.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "casereview/mailers.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using casereview::testing::ParseEml;
using casereview::testing::ReadBytes;
using casereview::testing::TempDir;

namespace {

Email Reminder(const std::string& subject) {
  Email e;
  e.message_id = "<SCR-2026-001.12.0.notice@mail.example.org>";
  e.from = {"Northbridge LSCB", "lscb@example.org"};
  e.to = {{"Panel Chair (Northbridge)", "chair@example.org"}};
  e.subject = subject;
  e.text = "The IMR for Police is due on 2026-03-02.\n";
  e.html = "<p>The IMR for Police is due on <b>2026-03-02</b>.</p>\n";
  e.date = *ParseInstant("2026-01-05T09:30:00Z");
  e.notice_id = "SCR-2026-001#12.0";
  return e;
}

std::vector<std::string> FileNames(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  return names;
}

std::unique_ptr<Mailer> Open(const std::string& dir) {
  auto drop = OpenMailDrop(dir);
  INFO(drop.status().message());
  REQUIRE(drop.ok());
  return std::move(*drop);
}

}  // namespace

SCENARIO("The mail drop writes each notice as an .eml file a mail program can read", "[notifier][maildrop]") {
  GIVEN("a mail drop in a folder that does not exist yet") {
    TempDir tmp;
    std::string dir = tmp.File("outbox/mail");
    auto mailer = Open(dir);
    THEN("the folder is there and the mailer says where it delivers") {
      CHECK(std::filesystem::is_directory(dir));
      CHECK(mailer->Describe() == "mail drop " + dir);
    }
    WHEN("a reminder is sent") {
      REQUIRE(mailer->Send(Reminder("SCR-2026-001 — IMR due")).ok());
      THEN("<notice>.eml holds it, with its headers, Date from the Email and both parts") {
        REQUIRE(FileNames(dir) == std::vector<std::string>{"SCR-2026-001_12.0.eml"});
        std::string path = dir + "/SCR-2026-001_12.0.eml";
        CHECK_THAT(ReadBytes(path), Contains("\r\n"));
        auto eml = ParseEml(path);
        const auto& h = eml["headers"];
        CHECK(h["Message-ID"] == "<SCR-2026-001.12.0.notice@mail.example.org>");
        CHECK(h["X-Casereview-Notice"] == "SCR-2026-001#12.0");
        CHECK(h["Date"] == "Mon, 05 Jan 2026 09:30:00 +0000");
        CHECK(h["Subject"] == "SCR-2026-001 — IMR due");
        CHECK(h["From"] == "Northbridge LSCB <lscb@example.org>");
        CHECK(h["To"] == "\"Panel Chair (Northbridge)\" <chair@example.org>");
        CHECK(h["Auto-Submitted"] == "auto-generated");
        CHECK_THAT(h["Content-Type"].get<std::string>(), StartsWith("multipart/alternative"));
        CHECK(eml["text"] == Reminder("").text);
        CHECK(eml["html"] == Reminder("").html);
      }
    }
  }
}

SCENARIO("A notice without html is a single text/plain message", "[notifier][maildrop]") {
  GIVEN("a mail drop") {
    TempDir tmp;
    auto mailer = Open(tmp.File("drop"));
    WHEN("a plain-text notice is sent") {
      Email e = Reminder("Plain");
      e.html.clear();
      REQUIRE(mailer->Send(e).ok());
      THEN("its body is text/plain in UTF-8, not multipart") {
        auto eml = ParseEml(tmp.File("drop/SCR-2026-001_12.0.eml"));
        CHECK_THAT(eml["headers"]["Content-Type"].get<std::string>(), StartsWith("text/plain"));
        CHECK_THAT(eml["headers"]["Content-Type"].get<std::string>(), Contains("UTF-8"));
        CHECK(eml["text"] == e.text);
        CHECK(eml["html"] == "");
      }
    }
  }
}

SCENARIO("A redelivered notice replaces its file", "[notifier][maildrop]") {
  GIVEN("a mail drop that already holds a notice") {
    TempDir tmp;
    std::string dir = tmp.File("drop");
    auto mailer = Open(dir);
    REQUIRE(mailer->Send(Reminder("First delivery")).ok());
    WHEN("the same notice is sent again") {
      REQUIRE(mailer->Send(Reminder("Second delivery")).ok());
      THEN("the folder holds one file, the second delivery, and no temp file") {
        REQUIRE(FileNames(dir) == std::vector<std::string>{"SCR-2026-001_12.0.eml"});
        CHECK(ParseEml(dir + "/SCR-2026-001_12.0.eml")["headers"]["Subject"] == "Second delivery");
      }
    }
  }
}

SCENARIO("A notice id is made safe as a file name", "[notifier][maildrop]") {
  GIVEN("a mail drop") {
    TempDir tmp;
    std::string dir = tmp.File("drop");
    auto mailer = Open(dir);
    WHEN("a notice id has slashes, dots and at-signs") {
      Email e = Reminder("Odd id");
      e.notice_id = "../SCR/2026@x#1.0";
      REQUIRE(mailer->Send(e).ok());
      THEN("they become underscores and the file stays in the folder") {
        CHECK(FileNames(dir) == std::vector<std::string>{".._SCR_2026_x_1.0.eml"});
      }
    }
  }
}

SCENARIO("A mail drop folder that cannot be created is a clear error naming it", "[notifier][maildrop]") {
  GIVEN("a regular file where the folder's parent should be") {
    TempDir tmp;
    std::string blocker = tmp.File("blocker");
    std::ofstream(blocker) << "not a folder";
    std::string dir = blocker + "/mail";
    WHEN("a mail drop is opened there") {
      auto drop = OpenMailDrop(dir);
      THEN("it fails with a storage error that names the folder") {
        REQUIRE_FALSE(drop.ok());
        CHECK(drop.status().code() == Status::Code::kStorageError);
        CHECK_THAT(drop.status().message(), Contains(dir));
      }
    }
    WHEN("the folder of an open mail drop is replaced by a file") {
      std::string moved = tmp.File("moved");
      auto mailer = Open(moved);
      std::filesystem::remove(moved);
      std::ofstream(moved) << "not a folder";
      Status s = mailer->Send(Reminder("Lost"));
      THEN("the Send fails with a storage error that names the path") {
        CHECK(s.code() == Status::Code::kStorageError);
        CHECK_THAT(s.message(), Contains(moved));
      }
    }
  }
}

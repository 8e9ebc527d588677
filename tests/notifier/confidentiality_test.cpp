// Email is not a secure channel: no message, header, log line or error may carry a child's
// name or address. The example review is run with a distinctive name, date of birth and
// address put into the referral and into every free-text field an event has; then every
// notice is delivered to a real SMTP server and to the mail drop, and everything that came
// out is searched.
#include <catch2/catch.hpp>

#include <filesystem>

#include "casereview/mailers.hpp"
#include "casereview/notifier.hpp"
#include "digest.hpp"
#include "scheduler.hpp"
#include "support/example_run.hpp"
#include "support/smtp_sink.hpp"

using namespace casereview;
using casereview::testing::ExampleRun;
using casereview::testing::ReadBytes;
using casereview::testing::SmtpSink;
using casereview::testing::TempDir;
using Json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

constexpr const char* kName = "Ottoline Wexcombe";
constexpr const char* kAddress = "14 Quillfeather Row";
constexpr const char* kPostcode = "NB7 3QX";
constexpr const char* kBirth = "2019-06-14";

// Every piece of the child's details, each searched for on its own.
const std::vector<std::string> kSecrets = {kName, "Ottoline", "Wexcombe", kAddress, "Quillfeather", kPostcode, kBirth};

void PutDetailsIntoEveryFreeText(Scenario& scenario) {
  const std::string details = std::string(kName) + ", " + kAddress + ", Northbridge " + kPostcode;
  for (ScenarioStep& step : scenario.steps) {
    if (step.is_referral) {
      step.fields["subject_name"] = kName;
      step.fields["subject_dob"] = kBirth;
      step.fields["other_lscbs"] = details;
    }
    for (const char* free_text : {"reasons", "reason", "description", "note", "evidence", "summary", "status"})
      if (step.fields.contains(free_text)) step.fields[free_text] = step.fields[free_text].get<std::string>() + " (" + details + ")";
  }
}

void CheckCarriesNoDetails(const std::string& what, const std::string& text) {
  for (const std::string& secret : kSecrets) {
    INFO(what << " carries '" << secret << "'");
    CHECK(text.find(secret) == std::string::npos);
  }
}

}  // namespace

SCENARIO("No message, header, log line or error carries the child's details", "[notifier][confidentiality]") {
  GIVEN("the example review with the child's name, birth date and address in every free text") {
    ExampleRun run;
    PutDetailsIntoEveryFreeText(run.scenario);
    std::string errors;
    for (std::size_t i = 0; i < run.scenario.steps.size(); ++i) {
      auto out = run.runner.RunStep(i, run.engine, run.clock, run.store.get());
      INFO(out.status().message());
      REQUIRE(out.ok());
      errors += out->refusal + "\n";  // every refusal the panel chair met on the way
    }
    REQUIRE(run.engine.GetReview("SCR-2026-001").ok());
    // The details are in the case record (the log), as they must be...
    auto log = run.store->LoadEvents("SCR-2026-001");
    REQUIRE(log.ok());
    CHECK(log->front().payload.find(kName) != std::string::npos);
    // ...and a board meeting adds the digest.
    REQUIRE(AddBoardMeeting(*run.store, "demo", *ParseDate("2027-03-25"), run.clock.Now()).ok());
    run.clock.Set(*ParseInstant("2027-03-18T10:00:00Z"));
    Scheduler scheduler(*run.store, run.engine, run.clock);
    REQUIRE(scheduler.FireDue().ok());

    WHEN("every notice is delivered over SMTP, after a failed attempt, and to the mail drop") {
      auto notices = run.store->ListNotices({});
      REQUIRE(notices.ok());
      REQUIRE(notices->size() > 20);
      NoticeTemplates templates = *NoticeTemplates::Load();
      MailIdentity identity;

      // First to a server that is not there: the errors it leaves are searched too.
      SmtpSettings nowhere;
      nowhere.host = "127.0.0.1";
      nowhere.port = 1;
      auto unreachable = NewSmtpMailer(nowhere);
      OutboxDispatcher failing(*run.store, *unreachable, run.clock, templates, identity);
      auto failed = failing.DeliverDue();
      REQUIRE(failed.ok());
      for (const auto& e : failed->errors) errors += e + "\n";
      run.clock.Advance(1h);

      SmtpSink sink;
      SmtpSettings loopback;
      loopback.host = "127.0.0.1";
      loopback.port = sink.port();
      auto smtp = NewSmtpMailer(loopback);
      OutboxDispatcher dispatcher(*run.store, *smtp, run.clock, templates, identity);
      auto sent = dispatcher.DeliverDue();
      REQUIRE(sent.ok());
      REQUIRE(sent->sent == notices->size());

      TempDir dir;
      auto drop = OpenMailDrop(dir.File("drop"));
      REQUIRE(drop.ok());
      auto people = run.store->ListPeople("demo");
      REQUIRE(people.ok());
      NoticeTemplates::Context ctx;
      for (const Person& p : *people) ctx.people.emplace(p.id, p);
      for (const Notice& n : *notices) {
        auto email = templates.Render(n, ctx);
        REQUIRE(email.ok());
        REQUIRE((*drop)->Send(*email).ok());
      }

      THEN("none of it carries the child's name, birth date or address") {
        auto messages = sink.Messages();
        REQUIRE(messages.size() == notices->size());
        for (const Json& m : messages) CheckCarriesNoDetails("the message " + m["headers"]["Message-ID"].dump(), m["raw"].get<std::string>());
        for (const auto& f : std::filesystem::directory_iterator(dir.File("drop")))
          CheckCarriesNoDetails(f.path().filename().string(), ReadBytes(f.path().string()));
        CheckCarriesNoDetails("the SMTP server's log", sink.Log());
        CheckCarriesNoDetails("the errors and refusals", errors);
        auto stored = run.store->ListNotices({});
        REQUIRE(stored.ok());
        for (const Notice& n : *stored) CheckCarriesNoDetails("notice " + n.id, n.payload + n.last_error);
      }
    }
  }
}

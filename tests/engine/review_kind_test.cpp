// A kind of review is a folder of its own plus one registration line: a tiny kind, defined and
// registered here alone, is opened, recorded on, replayed, refused and listed by the engine,
// and its event's notice addressed, with nothing in engine/ or storage/ knowing its name
// (workflows/common/review_kind.hpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

#include "board_import.hpp"
#include "permissions.hpp"
#include "casereview/engine.hpp"
#include "casereview/sqlite_store.hpp"
#include "common/review_kind.hpp"
#include "common/review_workflow.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using casereview::testing::ExamplePath;
using casereview::testing::ReadBytes;
using casereview::testing::TempDir;

namespace {

Instant At(const char* text) { return *ParseInstant(text); }

// Left out of a command, the engine records today's date in it.
FieldSpec WrittenOn() {
  FieldSpec f{"written_on", FieldType::kDate, false, "when it was written up (default: today)"};
  f.today_by_default = true;
  return f;
}

// A learning review in two steps: opened, then concluded; referred for an SCR on the way.
const std::vector<EventSpec>& TinySpecs() {
  static const std::vector<EventSpec> specs = {
      {"TinyOpened", "a learning review is opened", {{"lead", FieldType::kPerson, true, "who leads it"}}},
      {"TinyConcluded", "the learning is written up",
       {{"date", FieldType::kDate, true, "when"}, WrittenOn(),
        {"signed_off_by", FieldType::kPerson, false, "the board chair who signed it off"}}},
      // Opens an SCR with it (the kind's linked opening below).
      {"TinyReferred", "the case is referred for an SCR",
       {{"date", FieldType::kDate, true, "when the child was harmed"},
        {"scr_ref", FieldType::kText, false, "the SCR opened (filled in by casereview)"}}},
  };
  return specs;
}

class TinyWorkflow final : public ReviewWorkflow {
 public:
  explicit TinyWorkflow(std::string ref) : ref_(std::move(ref)) {}
  std::unique_ptr<ReviewWorkflow> Clone() const override { return std::make_unique<TinyWorkflow>(*this); }
  std::string_view Kind() const override { return "tiny"; }
  int DefinitionVersion() const override { return 3; }
  const std::string& Ref() const override { return ref_; }
  std::string_view Stage() const override { return concluded_ ? "Concluded" : "Open"; }
  bool IsFinal() const override { return concluded_; }
  Status Apply(std::string_view event, const nlohmann::json&) override {
    if ((event != "TinyConcluded" && event != "TinyReferred") || concluded_)
      return Status::Refused(ref_ + " (stage: " + std::string(Stage()) + "): " + std::string(event) + " cannot be recorded now");
    if (event == "TinyConcluded") concluded_ = true;
    return Status::Ok();
  }
  std::span<const EventSpec> Events() const override { return TinySpecs(); }
  NextStep Next() const override { return {concluded_ ? "" : "write up the learning (TinyConcluded)", nlohmann::json::array()}; }
  nlohmann::json Projection() const override { return {{"ref", ref_}, {"kind", "tiny"}, {"stage", Stage()}}; }

 private:
  std::string ref_;
  bool concluded_ = false;
};

const ReviewKind& TinyKind() {
  static const ReviewKind kind{
      .name = "tiny",
      .title = "Tiny learning review",
      .a_title = "a tiny learning review",
      .ref_prefix = "TNY",
      .opening_event = "TinyOpened",
      .opening_noun = "opening",
      .open_action = "review.open-tiny",
      .open_command = "open-tiny",
      .open_roles = {"business-officer"},
      .opening_gerund = "opening a tiny learning review",
      .open_link_text = "Open a tiny learning review",
      .definition_version = 3,
      .reports = {},
      .appointed = {},
      .action_plan_key = "",
      .deadline_moves = {},
      // Signing the learning off is the board chair's (recorded for them, it names them).
      .board_chair_decisions = {{"TinyConcluded", "signed_off_by"}},
      // Its one notice, built from the generic selectors alone (common/notice_rule.hpp).
      .notices = {{.event = "TinyConcluded",
                   .notice = "decision-needed",
                   .to = {BoardChair()},
                   .task = "sign off the learning written up on {date}",
                   .due = {.field = "date"}}},
      // Its referral opens an SCR, built from the tiny review's fields (common/review_kind.hpp).
      .linked_openings = {{.event = "TinyReferred",
                           .opens = "scr",
                           .ref_field = "scr_ref",
                           .opening = [](const std::string& ref, const nlohmann::json&, const nlohmann::json& fields) {
                             return nlohmann::json{{"referring_agency", "csc"},
                                                   {"incident", "serious-injury"},
                                                   {"incident_date", fields.at("date")},
                                                   {"abuse_or_neglect", "suspected"},
                                                   {"agencies_involved", {"csc", "police"}},
                                                   {"linked_review", ref}};
                           }}},
      .events = [] { return std::span<const EventSpec>(TinySpecs()); },
      .begin = [](const std::string& ref, const QuorumRule&, const std::string&,
                  const nlohmann::json&) -> Result<std::unique_ptr<ReviewWorkflow>> {
        return std::unique_ptr<ReviewWorkflow>(std::make_unique<TinyWorkflow>(ref));
      },
      // Its own check before opening, which the engine runs without naming the kind: at most
      // one tiny review in the database.
      .check_opening = [](Store& store, const nlohmann::json&) -> Status {
        auto count = store.CountReviewsWithPrefix("TNY-");
        if (!count.ok()) return count.status();
        return *count == 0 ? Status::Ok() : Status::InvalidArgument("there is a tiny learning review already");
      },
  };
  return kind;
}

// Registered once for the whole test binary (the registry is filled before use and kept).
const ReviewKind& RegisteredTiny() {
  static const bool registered = RegisterReviewKind(TinyKind()).ok();
  REQUIRE(registered);
  return TinyKind();
}

}  // namespace

SCENARIO("A kind of review registered outside engine/ and storage/ is opened, recorded, replayed and listed",
         "[engine][kinds]") {
  const ReviewKind& tiny = RegisteredTiny();
  REQUIRE(FindReviewKind("tiny") == &tiny);
  REQUIRE(ReviewKindOpenedBy("TinyOpened") == &tiny);

  TempDir dir;
  const std::string path = dir.File("tiny.db");
  ManualClock clock(At("2026-03-02T10:00:00Z"));
  std::string ref;
  {
    auto store = OpenSqliteStore(path);
    REQUIRE(store.ok());
    Engine engine(**store, clock);
    auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
    REQUIRE(board.ok());
    REQUIRE(engine.ImportBoardData(*board).ok());

    auto opened = engine.Open("tiny", "", {{"lead", "p-spoc"}}, "p-spoc");
    INFO(opened.status().message());
    REQUIRE(opened.ok());
    ref = *opened;
    CHECK(ref == "TNY-2026-001");
    auto record = engine.GetReview(ref);
    REQUIRE(record.ok());
    CHECK(record->kind == "tiny");
    CHECK(record->stage == "Open");
    CHECK(record->machine_version == 3);

    THEN("an event the machine refuses is refused, and nothing is written") {
      auto refused = engine.Record(ref, "TinyOpened", {{"lead", "p-spoc"}}, "p-spoc");
      CHECK(refused.status().code() == Status::Code::kRefused);
      CHECK(engine.GetReview(ref)->last_seq == 1);
    }
    THEN("an event of another kind is not one of its events") {
      auto other = engine.Record(ref, "PanelMeetingHeld", {{"date", "2026-03-02"}}, "p-spoc");
      CHECK(other.status().code() == Status::Code::kInvalidArgument);
      CHECK_THAT(other.status().message(), Catch::Contains("not an event of a tiny learning review"));
    }
    THEN("its own opening check refuses a second one, naming why, and nothing is written") {
      auto second = engine.Open("tiny", "", {{"lead", "p-spoc"}}, "p-spoc");
      CHECK(second.status().code() == Status::Code::kInvalidArgument);
      CHECK(second.status().message() == "opening: there is a tiny learning review already");
      CHECK(engine.ListReviews({})->size() == 1);
    }
    THEN("a missing field is named") {
      auto missing = engine.Open("tiny", "", nlohmann::json::object(), "p-spoc");
      CHECK(missing.status().code() == Status::Code::kInvalidArgument);
      CHECK_THAT(missing.status().message(), Catch::StartsWith("opening: ") && Catch::Contains("lead"));
    }
  }
  WHEN("it is concluded by another engine on the file reopened (its log replayed)") {
    auto store = OpenSqliteStore(path);
    REQUIRE(store.ok());
    Engine engine(**store, clock);
    auto done = engine.Record(ref, "TinyConcluded", {{"date", "2026-03-02"}}, "p-spoc");
    INFO(done.status().message());
    REQUIRE(done.ok());
    THEN("it is in its final stage, closed, and verifies against its log") {
      CHECK(done->stage == "Concluded");
      CHECK_FALSE(done->open);
      auto open = engine.ListReviews({std::nullopt, /*open_only=*/true});
      REQUIRE(open.ok());
      CHECK(open->empty());
      auto recovered = engine.Recover(/*include_closed=*/true);
      INFO(recovered.status().message());
      REQUIRE(recovered.ok());
      CHECK(recovered->reviews_checked == 1);
    }
  }
}

SCENARIO("A kind that clashes with a registered one is refused", "[engine][kinds]") {
  ReviewKind clash = RegisteredTiny();
  clash.name = "tiny-2";
  clash.ref_prefix = "SCR";  // the SCR's
  clash.opening_event = "TinyOpened2";
  Status s = RegisterReviewKind(clash);
  CHECK(s.code() == Status::Code::kInvalidArgument);
  CHECK_THAT(s.message(), Catch::Contains("'scr'"));
  CHECK(FindReviewKind("tiny-2") == nullptr);
  ReviewKind empty;
  CHECK(RegisterReviewKind(empty).code() == Status::Code::kInvalidArgument);
}

SCENARIO("A kind's own notice rule addresses the notice its event causes, with nothing in engine/ naming it",
         "[engine][kinds][notices]") {
  RegisteredTiny();
  GIVEN("a tiny learning review opened on the demo board") {
    auto store = NewMemoryStore();
    ManualClock clock(At("2026-03-02T10:00:00Z"));
    Engine engine(*store, clock);
    auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
    REQUIRE(board.ok());
    REQUIRE(engine.ImportBoardData(*board).ok());
    auto opened = engine.Open("tiny", "", {{"lead", "p-spoc"}}, "p-spoc");
    REQUIRE(opened.ok());
    THEN("its opening, which has no rule, causes no notice") {
      auto outbox = store->ListNotices({});
      REQUIRE(outbox.ok());
      CHECK(outbox->empty());
    }
    WHEN("the learning is written up") {
      REQUIRE(engine.Record(*opened, "TinyConcluded", {{"date", "2026-03-09"}}, "p-spoc").ok());
      THEN("the board chair is asked to sign it off, as its rule says") {
        auto outbox = store->ListNotices({});
        REQUIRE(outbox.ok());
        REQUIRE(outbox->size() == 1);
        const Notice& n = outbox->front();
        CHECK(n.kind == "decision-needed");
        CHECK(n.recipients == std::vector<std::string>{"p-board-chair"});
        CHECK(n.review_ref == *opened);
        CHECK(n.board_id == "demo");
        auto about = nlohmann::json::parse(n.payload);
        CHECK(about == nlohmann::json{{"review", *opened},
                                      {"stage", "Concluded"},
                                      {"task", "sign off the learning written up on 2026-03-09"},
                                      {"due_date", "2026-03-09"}});
      }
    }
  }
}

SCENARIO("Every kind's notice rules are for its own events", "[engine][kinds][notices]") {
  RegisteredTiny();
  for (const ReviewKind* kind : ReviewKinds()) {
    auto events = kind->events();
    for (const NoticeRule& rule : kind->notices) {
      INFO(kind->name << ": " << rule.event << " -> " << rule.notice);
      CHECK(std::any_of(events.begin(), events.end(), [&](const EventSpec& e) { return e.name == rule.event; }));
      CHECK_FALSE(rule.to.empty());
    }
  }
  WHEN("a kind names another kind's event in a rule") {
    ReviewKind stray = RegisteredTiny();
    stray.name = "tiny-stray";
    stray.ref_prefix = "TNS";
    stray.opening_event = "TinyStrayOpened";
    stray.notices = {{.event = "ImrCommissioned", .notice = "imr-commissioned", .to = {PanelChair()}}};
    THEN("it is refused, and not registered") {
      Status s = RegisterReviewKind(stray);
      CHECK(s.code() == Status::Code::kInvalidArgument);
      CHECK_THAT(s.message(), Catch::Contains("'ImrCommissioned'"));
      CHECK(FindReviewKind("tiny-stray") == nullptr);
    }
  }
}

SCENARIO("A kind's date field left out of a command is today's when the kind says so", "[engine][kinds]") {
  RegisteredTiny();
  auto store = NewMemoryStore();
  ManualClock clock(At("2026-03-02T23:30:00Z"));  // 23:30 in London (GMT): still 2 March
  Engine engine(*store, clock);
  auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
  REQUIRE(board.ok());
  REQUIRE(engine.ImportBoardData(*board).ok());
  auto opened = engine.Open("tiny", "", {{"lead", "p-spoc"}}, "p-spoc");
  REQUIRE(opened.ok());
  WHEN("the learning is written up without saying when") {
    REQUIRE(engine.Record(*opened, "TinyConcluded", {{"date", "2026-03-09"}}, "p-spoc").ok());
    THEN("today's date is recorded with the event") {
      auto log = store->LoadEvents(*opened);
      REQUIRE(log.ok());
      CHECK(nlohmann::json::parse(log->back().payload).value("written_on", "") == "2026-03-02");
    }
  }
  WHEN("the command says when") {
    REQUIRE(engine.Record(*opened, "TinyConcluded", {{"date", "2026-03-09"}, {"written_on", "2026-02-27"}}, "p-spoc").ok());
    THEN("its date is kept") {
      auto log = store->LoadEvents(*opened);
      REQUIRE(log.ok());
      CHECK(nlohmann::json::parse(log->back().payload).value("written_on", "") == "2026-02-27");
    }
  }
}

SCENARIO("A kind's event that opens a review of another kind opens it in the same commit, with nothing in engine/ "
         "naming either",
         "[engine][kinds]") {
  RegisteredTiny();
  auto store = NewMemoryStore();
  ManualClock clock(At("2026-03-02T10:00:00Z"));
  Engine engine(*store, clock);
  auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
  REQUIRE(board.ok());
  REQUIRE(engine.ImportBoardData(*board).ok());
  auto opened = engine.Open("tiny", "", {{"lead", "p-spoc"}}, "p-spoc");
  REQUIRE(opened.ok());
  WHEN("the tiny review is referred for an SCR") {
    auto referred = engine.Record(*opened, "TinyReferred", {{"date", "2026-02-20"}}, "p-spoc");
    INFO(referred.status().message());
    REQUIRE(referred.ok());
    THEN("the SCR is open in its first stage, linked both ways") {
      auto scr = engine.GetReview("SCR-2026-001");
      REQUIRE(scr.ok());
      CHECK(scr->kind == "scr");
      CHECK(scr->stage == "Referred");
      auto scr_log = store->LoadEvents("SCR-2026-001");
      REQUIRE(scr_log.ok());
      auto referral = nlohmann::json::parse(scr_log->front().payload);
      CHECK(referral.value("linked_review", "") == *opened);
      CHECK(referral.value("incident_date", "") == "2026-02-20");
      auto log = store->LoadEvents(*opened);
      REQUIRE(log.ok());
      CHECK(log->back().type == "TinyReferred");
      CHECK(nlohmann::json::parse(log->back().payload).value("scr_ref", "") == "SCR-2026-001");
      CHECK(referred->last_seq == 2);
    }
  }
  WHEN("the SCR's opening fields the kind builds are refused (a date that is not one)") {
    auto refused = engine.Record(*opened, "TinyReferred", {{"date", "2026-02-30"}}, "p-spoc");
    THEN("neither review changes, and the refusal names the opening refused") {
      CHECK_FALSE(refused.ok());
      CHECK(engine.ListReviews({})->size() == 1);
      CHECK(engine.GetReview(*opened)->last_seq == 1);
    }
  }
  WHEN("the tiny review is concluded first") {
    REQUIRE(engine.Record(*opened, "TinyConcluded", {{"date", "2026-03-09"}}, "p-spoc").ok());
    auto refused = engine.Record(*opened, "TinyReferred", {{"date", "2026-02-20"}}, "p-spoc");
    THEN("its own machine refuses the referral, and no SCR is opened") {
      CHECK(refused.status().code() == Status::Code::kRefused);
      CHECK(engine.ListReviews({})->size() == 1);
      CHECK(engine.GetReview(*opened)->last_seq == 2);
    }
  }
  WHEN("a kind's linked opening is by an event without the field for the new review's reference") {
    ReviewKind stray = RegisteredTiny();
    stray.name = "tiny-linked";
    stray.ref_prefix = "TNL";
    stray.opening_event = "TinyLinkedOpened";
    stray.linked_openings[0].ref_field = "no_such_field";
    THEN("it is refused, and not registered") {
      Status s = RegisterReviewKind(stray);
      CHECK(s.code() == Status::Code::kInvalidArgument);
      CHECK_THAT(s.message(), Catch::Contains("'TinyReferred'"));
      CHECK(FindReviewKind("tiny-linked") == nullptr);
    }
  }
}

SCENARIO("Who may record a kind's events is the kind's data: its board chair's decisions", "[engine][kinds][permissions]") {
  RegisteredTiny();
  auto board = ParseBoardJson(ReadBytes(ExamplePath("demo-board.json")));
  REQUIRE(board.ok());
  auto person = [&](const std::string& id) {
    auto it = std::find_if(board->people.begin(), board->people.end(), [&](const Person& p) { return p.id == id; });
    REQUIRE(it != board->people.end());
    return *it;
  };
  ReviewRecord tiny;
  tiny.ref = "TNY-2026-001";
  tiny.board_id = "demo";
  tiny.kind = "tiny";
  tiny.stage = "Open";
  tiny.projection = R"({"ref": "TNY-2026-001", "kind": "tiny", "stage": "Open"})";
  THEN("the board chair signs the learning off") {
    CHECK(MayRecord(person("p-board-chair"), tiny, "TinyConcluded", {{"date", "2026-03-09"}}, board->people).ok());
  }
  THEN("the business officer records it for them only by naming them") {
    Status unnamed = MayRecord(person("p-spoc"), tiny, "TinyConcluded", {{"date", "2026-03-09"}}, board->people);
    CHECK(unnamed.code() == Status::Code::kForbidden);
    CHECK_THAT(unnamed.message(), Catch::Contains("board chair's decision") && Catch::Contains("signed_off_by"));
    CHECK(MayRecord(person("p-spoc"), tiny, "TinyConcluded",
                    {{"date", "2026-03-09"}, {"signed_off_by", "p-board-chair"}}, board->people)
              .ok());
  }
  THEN("an IMR author may not") {
    CHECK(MayRecord(person("p-csc-author"), tiny, "TinyConcluded", {{"date", "2026-03-09"}}, board->people).code() ==
          Status::Code::kForbidden);
  }
  THEN("a decision by an event the kind lacks, or without the field naming who decided, is refused at registration") {
    ReviewKind stray = RegisteredTiny();
    stray.name = "tiny-chair";
    stray.ref_prefix = "TNC";
    stray.opening_event = "TinyChairOpened";
    stray.board_chair_decisions = {{"TinyConcluded", "no_such_field"}};
    Status s = RegisterReviewKind(stray);
    CHECK(s.code() == Status::Code::kInvalidArgument);
    CHECK_THAT(s.message(), Catch::Contains("'TinyConcluded'"));
    CHECK(FindReviewKind("tiny-chair") == nullptr);
  }
}

SCENARIO("A kind's events that move deadlines are its own, with date fields", "[engine][kinds]") {
  ReviewKind stray = RegisteredTiny();
  stray.name = "tiny-moves";
  stray.ref_prefix = "TNM";
  stray.opening_event = "TinyMovesOpened";
  WHEN("an extension's new due date is not a date field") {
    stray.deadline_moves = {.extended = "TinyConcluded", .extended_until = "signed_off_by"};
    Status s = RegisterReviewKind(stray);
    THEN("the kind is refused, naming the event") {
      CHECK(s.code() == Status::Code::kInvalidArgument);
      CHECK_THAT(s.message(), Catch::Contains("'TinyConcluded'"));
      CHECK(FindReviewKind("tiny-moves") == nullptr);
    }
  }
  WHEN("the clock is paused by an event of another kind") {
    stray.deadline_moves = {.paused = "SuspensionStarted"};
    Status s = RegisterReviewKind(stray);
    THEN("the kind is refused") {
      CHECK(s.code() == Status::Code::kInvalidArgument);
      CHECK_THAT(s.message(), Catch::Contains("'SuspensionStarted'"));
    }
  }
}

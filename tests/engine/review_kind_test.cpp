// A kind of review is a folder of its own plus one registration line: a tiny kind, defined and
// registered here alone, is opened, recorded on, replayed, refused and listed by the engine,
// and its event's notice addressed, with nothing in engine/ or storage/ knowing its name
// (workflows/common/review_kind.hpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

#include "board_import.hpp"
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

// A learning review in two steps: opened, then concluded.
const std::vector<EventSpec>& TinySpecs() {
  static const std::vector<EventSpec> specs = {
      {"TinyOpened", "a learning review is opened", {{"lead", FieldType::kPerson, true, "who leads it"}}},
      {"TinyConcluded", "the learning is written up", {{"date", FieldType::kDate, true, "when"}}},
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
    if (event != "TinyConcluded" || concluded_)
      return Status::Refused(ref_ + " (stage: " + std::string(Stage()) + "): " + std::string(event) + " cannot be recorded now");
    concluded_ = true;
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
      // Its one notice, built from the generic selectors alone (common/notice_rule.hpp).
      .notices = {{.event = "TinyConcluded",
                   .notice = "decision-needed",
                   .to = {BoardChair()},
                   .task = "sign off the learning written up on {date}",
                   .due = {.field = "date"}}},
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

// The tiny test kind (support/tiny_kind.hpp): defined here alone, in tests/.
#include "support/tiny_kind.hpp"

#include <memory>
#include <stdexcept>

#include "casereview/store.hpp"
#include "common/review_workflow.hpp"

namespace casereview::testing {
namespace {

// Its report: the tiny reviews opened in the period (London date), and of them those concluded.
nlohmann::json TinyReport(const std::vector<ReviewRecord>& reviews, Date from, Date to, Instant) {
  int opened = 0, concluded = 0;
  for (const ReviewRecord& r : reviews) {
    auto day = std::chrono::sys_days{LondonDate(r.opened_at)};
    if (r.kind != "tiny" || day < std::chrono::sys_days{from} || day > std::chrono::sys_days{to}) continue;
    ++opened;
    if (!r.open) ++concluded;
  }
  return {{"from", FormatDate(from)}, {"to", FormatDate(to)}, {"opened", opened}, {"concluded", concluded}};
}

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

const ReviewKind& TinyKindDefinition() {
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
      // Its one report over a period: how many were opened and concluded.
      .period_reports = {{.name = "tiny-learning",
                          .summary = "Tiny learning reviews: how many were opened and concluded",
                          .title = "the tiny learning report",
                          .build = TinyReport,
                          .csv = [](const nlohmann::json& r) {
                            return "measure,value\r\nopened," + r["opened"].dump() + "\r\nconcluded," +
                                   r["concluded"].dump() + "\r\n";
                          },
                          .text = [](const nlohmann::json& r) {
                            return "Tiny learning reviews opened: " + r["opened"].dump() + ", concluded: " +
                                   r["concluded"].dump() + "\n";
                          }}},
      .api_collection = "tiny-reviews",
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

}  // namespace

const ReviewKind& TinyKind() { return TinyKindDefinition(); }

// Registered once for the whole test binary (the registry is filled before use and kept).
const ReviewKind& RegisteredTiny() {
  static const Status registered = RegisterReviewKind(TinyKind());
  if (!registered.ok()) throw std::logic_error("the tiny kind was not registered: " + registered.message());
  return TinyKind();
}


}  // namespace casereview::testing

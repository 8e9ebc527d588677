#include "scenario.hpp"

#include "casereview/json_input.hpp"
#include "common/review_kind.hpp"
#include "scheduler.hpp"

namespace casereview {
namespace {

using Json = nlohmann::json;

Result<ScenarioStep> ParseStep(const Json& j, std::size_t n) {
  std::string where = "scenario step " + std::to_string(n) + ": ";
  if (!j.is_object()) return Status::InvalidArgument(where + "must be an object");
  ScenarioStep step;
  auto at = ParseInstant(j.value("at", ""));
  if (!at.ok()) return Status::InvalidArgument(where + "'at' " + at.status().message());
  step.at = *at;
  step.note = j.value("note", "");
  step.is_tick = j.value("tick", false);
  if (step.is_tick) return step;
  step.by = j.value("by", "");
  if (step.by.empty()) return Status::InvalidArgument(where + "'by' (who records it) is required");
  // A step opens a review under its kind's command ("refer", "notify"), or records an event.
  const ReviewKind* opens = nullptr;
  int steps = j.contains("event") ? 1 : 0;
  std::string choices;
  for (const ReviewKind* k : ReviewKinds()) {
    choices += "'" + std::string(k->open_command) + "', ";
    if (j.contains(std::string(k->open_command))) opens = k, ++steps;
  }
  if (steps != 1) return Status::InvalidArgument(where + "needs exactly one of " + choices + "or 'event'");
  step.is_referral = opens != nullptr;
  if (opens) {
    step.opens = opens->name;
    step.fields = j[std::string(opens->open_command)];
  } else {
    step.event = j.value("event", "");
    step.fields = j.value("fields", Json::object());
  }
  std::string expect = j.value("expect", "recorded");
  if (expect != "recorded" && expect != "refused")
    return Status::InvalidArgument(where + "'expect' is 'recorded' or 'refused'");
  step.expect_refused = expect == "refused";
  step.expect_stage = j.value("expect_stage", "");
  return step;
}

}  // namespace

Result<Scenario> ParseScenario(std::string_view text) {
  auto parsed = ParseJsonInput(text, "the scenario", "the scenario is not a JSON object");
  if (!parsed.ok()) return parsed.status();
  Json j = std::move(*parsed);
  if (!j.is_object()) return Status::InvalidArgument("the scenario is not a JSON object");
  try {
    Scenario s;
    s.title = j.value("title", "");
    s.board_file = j.value("board_file", "");
    if (!j.contains("steps") || !j["steps"].is_array() || j["steps"].empty())
      return Status::InvalidArgument("the scenario needs a non-empty 'steps' list");
    for (std::size_t i = 0; i < j["steps"].size(); ++i) {
      auto step = ParseStep(j["steps"][i], i + 1);
      if (!step.ok()) return step.status();
      s.steps.push_back(std::move(*step));
    }
    if (!s.steps.front().is_referral)
      return Status::InvalidArgument("scenario step 1 must open the review ('refer' or 'notify')");
    return s;
  } catch (const Json::exception& e) {
    return Status::InvalidArgument(std::string("the scenario has a field of the wrong type: ") + e.what());
  }
}

Result<StepOutcome> ScenarioRunner::RunStep(std::size_t index, Engine& engine, ManualClock& clock,
                                            Store* store) {
  const ScenarioStep& step = scenario_.steps.at(index);
  const ReviewKind* kind = FindReviewKind(step.opens);
  std::string what = step.is_referral ? std::string(kind ? kind->opening_noun : "opening")
                     : step.is_tick   ? "tick"
                                      : step.event;
  std::string where = "scenario step " + std::to_string(index + 1) + " (" + what + "): ";
  clock.Set(step.at);
  StepOutcome out;
  Status s;
  if (step.is_tick) {
    if (store == nullptr) return Status::InvalidArgument(where + "a tick needs the store to find due timers");
    Scheduler scheduler(*store, engine, clock);
    auto report = scheduler.FireDue();
    if (!report.ok()) return Status::InvalidArgument(where + report.status().message());
    out.fired = report->fired;
  } else if (step.is_referral) {
    auto ref = engine.Open(step.opens, "", step.fields, step.by);
    if (ref.ok()) review_ref_ = *ref;
    s = ref.status();
  } else {
    s = engine.Record(review_ref_, step.event, step.fields, step.by).status();
  }
  if (step.expect_refused && s.ok())
    return Status::InvalidArgument(where + "was expected to be refused but was recorded");
  if (!step.expect_refused && !s.ok()) return Status::InvalidArgument(where + s.message());
  if (step.expect_refused) out.refusal = s.message();
  auto review = engine.GetReview(review_ref_);
  if (!review.ok()) return review.status();
  out.review_ref = review_ref_;
  out.stage = review->stage;
  if (!step.expect_stage.empty() && step.expect_stage != out.stage)
    return Status::InvalidArgument(where + "expected stage " + step.expect_stage + ", reached " + out.stage);
  return out;
}

}  // namespace casereview

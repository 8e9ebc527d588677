#include "replay.hpp"

#include "common/review_kind.hpp"

namespace casereview {

nlohmann::json RulesToJson(const ReviewRules& r) {
  const QuorumRule& q = r.quorum;
  return {{"policy_profile", r.policy_profile},
          {"profile", PolicyProfileToJson(r.profile)},
          {"quorum",
           {{"chair_required", q.chair_required},
            {"min_agencies", q.min_agencies},
            {"required_sectors", q.required_sectors}}}};
}

Result<ReviewRules> RulesFromJson(const nlohmann::json& j) {
  try {
    ReviewRules r;
    r.policy_profile = j.at("policy_profile").get<std::string>();
    const auto& q = j.at("quorum");
    r.quorum.chair_required = q.at("chair_required").get<bool>();
    r.quorum.min_agencies = q.at("min_agencies").get<int>();
    r.quorum.required_sectors = q.at("required_sectors").get<std::vector<std::string>>();
    // Reviews referred before profiles were snapshotted name their profile only.
    auto profile = j.contains("profile") ? PolicyProfileFromJson(j["profile"])
                                         : BuiltInProfile(r.policy_profile);
    if (!profile.ok()) return Status::Corruption("the review's policy profile: " + profile.status().message());
    r.profile = std::move(*profile);
    return r;
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(std::string("the review's stored rules are malformed: ") + e.what());
  }
}

std::string_view OpeningEvent(std::string_view kind) {
  const ReviewKind* k = FindReviewKind(kind);
  return k ? k->opening_event : std::string_view();
}

std::span<const EventSpec> EventSpecsOf(std::string_view kind) {
  const ReviewKind* k = FindReviewKind(kind);
  return k ? k->events() : std::span<const EventSpec>();
}

int DefinitionVersionOf(std::string_view kind) {
  const ReviewKind* k = FindReviewKind(kind);
  return k ? k->definition_version : 0;
}

Result<ReviewState> BeginReview(const ReviewKind& kind, const std::string& ref, const ReviewRules& rules,
                                const nlohmann::json& opening, Instant at, const BusinessCalendar& calendar) {
  auto w = kind.begin(ref, rules.quorum, rules.policy_profile, opening);
  if (!w.ok()) return w.status();
  ReviewState state{std::move(*w), DeadlineTracker(rules.profile, calendar)};
  state.deadlines.Apply(kind.opening_event, opening, at, kind.deadline_moves);
  return state;
}

Status ApplyToReview(ReviewState& state, std::string_view event, const nlohmann::json& fields, Instant at) {
  CR_RETURN_IF_ERROR(state.workflow->Apply(event, fields));
  // Only events the machine accepted; a review's kind is registered (its machine began).
  const ReviewKind* kind = FindReviewKind(state.workflow->Kind());
  state.deadlines.Apply(event, fields, at, kind ? kind->deadline_moves : DeadlineMoves{});
  return Status::Ok();
}

Result<ReviewState> Replay(const std::vector<StoredEvent>& log, const BusinessCalendar& calendar) {
  if (log.empty()) return Status::Corruption("the review's log is empty");
  const std::string& ref = log.front().review_ref;
  auto corrupt = [&](const StoredEvent& e, const std::string& why) {
    return Status::Corruption("the log of " + ref + " does not replay at event " +
                              std::to_string(e.seq) + " (" + e.type + "): " + why);
  };
  nlohmann::json referral = nlohmann::json::parse(log.front().payload, nullptr, false);
  if (referral.is_discarded() || !referral.is_object() || !referral.contains("rules"))
    return corrupt(log.front(), "payload is not the expected JSON");
  auto rules = RulesFromJson(referral["rules"]);
  if (!rules.ok()) return corrupt(log.front(), rules.status().message());
  referral.erase("rules");
  const ReviewKind* kind = ReviewKindOpenedBy(log.front().type);
  if (kind == nullptr) return corrupt(log.front(), "no kind of review opens with it");
  auto state = BeginReview(*kind, ref, *rules, referral, log.front().recorded_at, calendar);
  if (!state.ok()) return corrupt(log.front(), state.status().message());
  for (std::size_t i = 1; i < log.size(); ++i) {
    const StoredEvent& e = log[i];
    if (e.seq != static_cast<std::int64_t>(i + 1)) return corrupt(e, "sequence has a gap");
    nlohmann::json fields = nlohmann::json::parse(e.payload, nullptr, false);
    if (fields.is_discarded()) return corrupt(e, "payload is not JSON");
    Status s = ApplyToReview(*state, e.type, fields, e.recorded_at);
    if (!s.ok()) return corrupt(e, s.message());
  }
  // A replayed review is often held (Recover, figure 2 of docs/performance.md): it keeps
  // only the room its deadlines use.
  state->deadlines.ShrinkToFit();
  return state;
}

namespace {

// `object`'s compact dump (nlohmann::json::dump()) with `value_text`, a compact JSON text,
// as the value of `key`, replacing any value it had: what dump() writes after
// object[key] = parse(value_text), without building that value. An object dumps as its keys
// in order, each escaped, a colon and the value's dump, with commas between.
std::string DumpWith(const nlohmann::json& object, std::string_view key, const std::string& value_text) {
  std::string out = "{";
  bool placed = false;
  auto put = [&](const std::string& k, const std::string& v) {
    if (out.size() > 1) out += ',';
    out += nlohmann::json(k).dump();
    out += ':';
    out += v;
  };
  for (const auto& [k, v] : object.items()) {
    if (!placed && k >= key) {
      put(std::string(key), value_text);
      placed = true;
      if (k == key) continue;
    }
    put(k, v.dump());
  }
  if (!placed) put(std::string(key), value_text);
  out += '}';
  return out;
}

}  // namespace

DeadlinesText DeadlinesTextOf(const DeadlineTracker& t) {
  nlohmann::json deadlines = t.ToJson();
  // As SummarizeProjection keeps them: each deadline not met, with what, due and due_date.
  nlohmann::json summary = nlohmann::json::array();
  for (const nlohmann::json& d : deadlines) {
    if (d.value("status", "") == "met") continue;
    nlohmann::json kept = nlohmann::json::object();
    for (const char* key : {"what", "due", "due_date"})
      if (auto field = d.find(key); field != d.end()) kept[key] = *field;
    summary.push_back(std::move(kept));
  }
  return {deadlines.dump(), summary.dump()};
}

ReviewRecord RecordOf(const ReviewState& s, const std::string& board_id, Instant opened_at,
                      Instant updated_at, std::int64_t last_seq) {
  return RecordOf(s, board_id, opened_at, updated_at, last_seq, DeadlinesTextOf(s.deadlines));
}

ReviewRecord RecordOf(const ReviewState& s, const std::string& board_id, Instant opened_at,
                      Instant updated_at, std::int64_t last_seq, const DeadlinesText& deadlines) {
  const ReviewWorkflow& w = *s.workflow;
  ReviewRecord r;
  r.ref = w.Ref();
  r.board_id = board_id;
  r.kind = std::string(w.Kind());
  r.stage = std::string(w.Stage());
  r.machine_version = w.DefinitionVersion();
  r.last_seq = last_seq;
  r.open = !w.IsFinal();
  r.opened_at = opened_at;
  r.updated_at = updated_at;
  nlohmann::json projection = w.Projection();
  if (!projection.contains("next_step")) {  // what every list and page reads (review_workflow.hpp)
    NextStep next = w.Next();
    projection["next_step"] = {{"what", next.what}, {"holders", next.holders}};
  }
  r.projection = DumpWith(projection, "deadlines", deadlines.projection);
  // SummarizeProjection(r.projection), made from its parts: {"deadlines":...,"next_step":...}.
  r.summary = "{\"deadlines\":" + deadlines.summary + ",\"next_step\":" + projection["next_step"].dump() + "}";
  return r;
}

}  // namespace casereview

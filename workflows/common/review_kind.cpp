#include "common/review_kind.hpp"

#include <algorithm>
#include <vector>

namespace casereview {
namespace {

std::vector<const ReviewKind*>& Registry() {
  static std::vector<const ReviewKind*> kinds = [] {
    auto built_in = BuiltInReviewKinds();
    return std::vector<const ReviewKind*>(built_in.begin(), built_in.end());
  }();
  return kinds;
}

template <class Pred>
const ReviewKind* Find(Pred pred) {
  const auto& kinds = Registry();
  auto it = std::find_if(kinds.begin(), kinds.end(), [&](const ReviewKind* k) { return pred(*k); });
  return it == kinds.end() ? nullptr : *it;
}

// Each notice rule is for one of the kind's own events, names its notice and selects someone.
Status CheckNoticeRules(const ReviewKind& kind) {
  auto events = kind.events();
  for (const NoticeRule& rule : kind.notices) {
    bool known = std::any_of(events.begin(), events.end(), [&](const EventSpec& e) { return e.name == rule.event; });
    bool selects = !rule.to.empty() &&
                   std::all_of(rule.to.begin(), rule.to.end(), [](const RecipientSelector& r) { return r.select; });
    if (!known || rule.notice.empty() || !selects)
      return Status::InvalidArgument("kind of review '" + std::string(kind.name) + "': the notice rule for '" +
                                     std::string(rule.event) + "' needs one of its events, a notice and a recipient");
  }
  return Status::Ok();
}

// Each linked opening is by one of the kind's own events, whose spec has the field the new
// review's reference is given in, and says how the other kind's opening is built.
Status CheckLinkedOpenings(const ReviewKind& kind) {
  for (const LinkedOpening& link : kind.linked_openings) {
    const EventSpec* spec = FindSpec(kind.events(), link.event);
    if (spec == nullptr || link.opens.empty() || spec->Field(link.ref_field) == nullptr || link.opening == nullptr)
      return Status::InvalidArgument("kind of review '" + std::string(kind.name) + "': the linked opening by '" +
                                     std::string(link.event) + "' needs one of its events with the field for the "
                                     "new review's reference, the kind it opens and how its opening is built");
  }
  return Status::Ok();
}

}  // namespace

const LinkedOpening* ReviewKind::LinkedOpeningBy(std::string_view event) const {
  for (const LinkedOpening& link : linked_openings)
    if (link.event == event) return &link;
  return nullptr;
}

const ChairDecision* ReviewKind::BoardChairDecisionBy(std::string_view event) const {
  for (const ChairDecision& d : board_chair_decisions)
    if (d.event == event) return &d;
  return nullptr;
}

const ReviewKind* FindReviewKind(std::string_view name) {
  return Find([&](const ReviewKind& k) { return k.name == name; });
}

const ReviewKind* ReviewKindOpenedBy(std::string_view event) {
  return Find([&](const ReviewKind& k) { return k.opening_event == event; });
}

std::span<const ReviewKind* const> ReviewKinds() { return Registry(); }

Status RegisterReviewKind(const ReviewKind& kind) {
  if (kind.name.empty() || kind.ref_prefix.empty() || kind.opening_event.empty() || kind.events == nullptr ||
      kind.begin == nullptr)
    return Status::InvalidArgument("a kind of review needs a name, a reference prefix, an opening event, its events "
                                   "and a way to begin");
  CR_RETURN_IF_ERROR(CheckNoticeRules(kind));
  CR_RETURN_IF_ERROR(CheckLinkedOpenings(kind));
  const DeadlineMoves& m = kind.deadline_moves;
  for (auto [event, field] : {std::pair{m.extended, m.extended_until}, std::pair{m.paused, std::string_view()},
                              std::pair{m.resumed, m.resumed_on}}) {
    if (event.empty()) continue;
    const EventSpec* spec = FindSpec(kind.events(), event);
    const FieldSpec* date = field.empty() ? nullptr : (spec ? spec->Field(field) : nullptr);
    if (spec == nullptr || (!field.empty() && (date == nullptr || date->type != FieldType::kDate)))
      return Status::InvalidArgument("kind of review '" + std::string(kind.name) + "': the deadline move by '" +
                                     std::string(event) + "' needs one of its events, with its date field");
  }
  for (const ChairDecision& d : kind.board_chair_decisions) {
    const EventSpec* spec = FindSpec(kind.events(), d.event);
    if (spec == nullptr || spec->Field(d.decider_field) == nullptr)
      return Status::InvalidArgument("kind of review '" + std::string(kind.name) + "': the board chair's decision '" +
                                     std::string(d.event) + "' needs one of its events with the field naming who decided");
  }
  for (const ReviewKind* k : Registry())
    if (k->name == kind.name || k->ref_prefix == kind.ref_prefix || k->opening_event == kind.opening_event)
      return Status::InvalidArgument("kind of review '" + std::string(kind.name) + "' shares its name, prefix or "
                                     "opening event with '" + std::string(k->name) + "'");
  Registry().push_back(&kind);
  return Status::Ok();
}

}  // namespace casereview

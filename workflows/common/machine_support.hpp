// Support shared by the Boost.MSM machines. Include only from a machine's own .cpp, after
// casereview/msm_config.hpp and the MSM headers.
#pragma once

#include <boost/msm/back/state_machine.hpp>
#include <boost/mpl/for_each.hpp>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "casereview/status.hpp"
#include "common/event_spec.hpp"

namespace casereview::machine {

// Carries a state type through mpl::for_each without constructing it. (Not `type`: MPL
// would take a nested `type` for a metafunction result and unwrap it.)
template <class T>
struct TypeTag {
  using state = T;
};

// Stable state names indexed by MSM's numeric state id. The id follows row order and must
// never be persisted; the name (each state's kName) is the file format.
template <class Fsm>
std::vector<std::string_view> StateNames() {
  using Stt = typename Fsm::stt;
  using States = typename boost::msm::back::generate_state_set<Stt>::type;
  std::vector<std::string_view> names(boost::mpl::size<States>::value);
  boost::mpl::for_each<States, TypeTag<boost::mpl::placeholders::_1>>(
      [&names](auto wrapped) {
        using S = typename decltype(wrapped)::state;
        names[boost::msm::back::get_state_id<Stt, S>::value] = S::kName;
      });
  return names;
}

// Where a machine's guards and handlers leave word of a refusal. Every front end derives
// from it and overrides no_transition / exception_caught to write here (a refusal that names the review, the stage and the event).
struct RefusalSlots {
  std::string why_not_;  // a guard said no, and why
  std::string failure_;  // an action threw: a programming error, reported, never swallowed
};

// A non-owning reference to a callable that writes a refusal's text: passed through the
// dispatch tables' function pointers without building the text or allocating.
class FallbackRef {
 public:
  template <class F>
  FallbackRef(const F& f)  // NOLINT(google-explicit-constructor): a lambda converts in place
      : object_(&f), call_([](const void* o) { return std::string((*static_cast<const F*>(o))()); }) {}
  std::string operator()() const { return call_(object_); }

 private:
  const void* object_;
  std::string (*call_)(const void*);
};

// Sends one event and turns anything but a handled transition into a refusal. When no row
// matched and no guard explained itself, `fallback()` says the event does not fit the stage:
// it is called only then, so an accepted event builds no message (docs/performance.md, figure 2).
template <class Fsm, class Event, class Fallback>
Status Dispatch(Fsm& fsm, const Event& e, const Fallback& fallback) {
  fsm.why_not_.clear();
  fsm.failure_.clear();
  boost::msm::back::HandledEnum handled = fsm.process_event(e);
  if (!fsm.failure_.empty()) return Status::Refused(fsm.failure_);
  if (handled == boost::msm::back::HANDLED_TRUE) return Status::Ok();
  return Status::Refused(fsm.why_not_.empty() ? std::string(fallback()) : fsm.why_not_);
}

// The events a machine takes, by name: each one's spec (to validate its fields) and how to
// send it. Built once per machine, so an event costs one hash lookup instead of a scan of the
// event table (docs/performance.md, figure 2). An event type without a spec is left out, so
// it is refused as unknown.
template <class Fsm>
class EventHandlers {
 public:
  struct Handler {
    const EventSpec* spec;
    Status (*dispatch)(Fsm&, const nlohmann::json& fields, const FallbackRef& fallback);
  };

  // `events`: a null pointer to a std::tuple of the machine's event types.
  template <class... Event>
  EventHandlers(std::span<const EventSpec> specs, std::tuple<Event...>* /*events*/) {
    for (const auto& [name, dispatch] : {std::pair{Event::kName, &Send<Event>}...})
      if (const EventSpec* spec = FindSpec(specs, name)) by_name_.emplace(name, Handler{spec, dispatch});
  }

  // nullptr for an event the machine does not take.
  const Handler* Find(std::string_view event) const {
    auto it = by_name_.find(event);
    return it == by_name_.end() ? nullptr : &it->second;
  }

 private:
  template <class Event>
  static Status Send(Fsm& fsm, const nlohmann::json& fields, const FallbackRef& fallback) {
    return Dispatch(fsm, Event{fields}, fallback);
  }

  std::unordered_map<std::string_view, Handler> by_name_;
};

}  // namespace casereview::machine

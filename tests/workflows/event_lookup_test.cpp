// Each machine finds an event's spec by hash (docs/performance.md, figure 2): the lookup must
// give exactly what the scan of the event table gave, and refuse what it refused, in the
// same words.
#include <catch2/catch.hpp>

#include <string>

#include "cdop/cdop_events.hpp"
#include "cdop/cdop_workflow.hpp"
#include "scr/scr_events.hpp"
#include "scr/scr_workflow.hpp"
#include "support/test_support.hpp"

using namespace casereview;
using Json = nlohmann::json;

namespace {

ScrWorkflow Referred() {
  Json referral = {{"referring_agency", "police"}, {"incident", "death"},
                   {"incident_date", "2026-01-02"}, {"abuse_or_neglect", "suspected"},
                   {"agencies_involved", {"csc", "police"}}};
  auto w = ScrWorkflow::Begin("SCR-2026-001", ScrRules{}, referral);
  REQUIRE(w.ok());
  return std::move(*w);
}

CdopWorkflow Notified() {
  Json notification = {{"notifying_agency", "caretrust"}, {"death_date", "2026-01-02"},
                       {"place_of_death", "home"},        {"expected", "expected"},
                       {"agencies_involved", {"caretrust"}}, {"resident_in_area", true}};
  auto w = CdopWorkflow::Begin("CDR-2026-001", CdopRules{}, notification);
  INFO(w.status().message());
  REQUIRE(w.ok());
  return std::move(*w);
}

}  // namespace

SCENARIO("An SCR finds every event of its table by name, and no other", "[scr][events][lookup]") {
  GIVEN("the SCR's event table") {
    THEN("every event but the opening one gives the very spec the table scan gives") {
      for (const EventSpec& spec : ScrEventSpecs()) {
        INFO(spec.name);
        if (spec.name == kCaseReferred)
          REQUIRE(ScrWorkflow::MachineEventSpec(spec.name) == nullptr);
        else
          REQUIRE(ScrWorkflow::MachineEventSpec(spec.name) == FindSpec(ScrEventSpecs(), spec.name));
      }
    }
    THEN("a name not in the table, a child death review's opening event or a near miss is not found") {
      for (std::string_view name : {"NoSuchEvent", "", "imrsubmitted", "ImrSubmitted ", "ChildDeathNotified"})
        REQUIRE(ScrWorkflow::MachineEventSpec(name) == nullptr);
    }
  }
  GIVEN("an open SCR") {
    ScrWorkflow w = Referred();
    WHEN("it is sent an unknown event or its own opening event") {
      THEN("each is refused as not an event of an SCR, in the words the scan used") {
        for (std::string name : {"NoSuchEvent", "CaseReferred"}) {
          Status s = w.Apply(name, Json::object());
          REQUIRE(s.code() == Status::Code::kInvalidArgument);
          REQUIRE(s.message() == "'" + name + "' is not an event of a Serious Case Review (see 'casereview events')");
        }
        REQUIRE(w.Stage() == "Referred");
      }
    }
    WHEN("it is sent a known event with a field its spec does not have") {
      Status s = w.Apply("PanelMeetingConvened", {{"date", "2026-01-10"}, {"colour", "blue"}});
      THEN("the fields are checked against that event's spec") {
        REQUIRE(s.message() == "PanelMeetingConvened: unknown field 'colour' (see 'casereview events')");
      }
    }
  }
}

SCENARIO("A child death review finds every event of its table by name, and no other", "[cdop][events][lookup]") {
  GIVEN("the child death review's event table") {
    THEN("every event but the opening one gives the very spec the table scan gives") {
      for (const EventSpec& spec : CdopEventSpecs()) {
        INFO(spec.name);
        if (spec.name == kChildDeathNotified)
          REQUIRE(CdopWorkflow::MachineEventSpec(spec.name) == nullptr);
        else
          REQUIRE(CdopWorkflow::MachineEventSpec(spec.name) == FindSpec(CdopEventSpecs(), spec.name));
      }
    }
    THEN("a name not in the table, an SCR's own event or a near miss is not found") {
      for (std::string_view name : {"NoSuchEvent", "", "CaseReferred", "ImrSubmitted", "reviewclosed"})
        REQUIRE(CdopWorkflow::MachineEventSpec(name) == nullptr);
    }
  }
  GIVEN("an open child death review") {
    CdopWorkflow w = Notified();
    WHEN("it is sent an unknown event") {
      Status s = w.Apply("ImrSubmitted", Json::object());
      THEN("it is refused as not an event of a child death review, in the words the scan used") {
        REQUIRE(s.code() == Status::Code::kInvalidArgument);
        REQUIRE(s.message() ==
                "'ImrSubmitted' is not an event of a child death review (see 'casereview events')");
      }
    }
    WHEN("it is sent its opening event again") {
      Status s = w.Apply("ChildDeathNotified", Json::object());
      THEN("it is refused as already notified") {
        REQUIRE(s.message() == "ChildDeathNotified opens a child death review; CDR-2026-001 was notified "
                               "already (stage: Notified)");
      }
    }
  }
}

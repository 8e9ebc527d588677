// Accessors for validated payloads, shared by the machines (workflows/common/event_spec.*).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/event_spec.hpp"

using casereview::AppendEscalation;
using Json = nlohmann::json;

SCENARIO("An escalation is kept as deadline and recipient, sized to fit", "[events][escalation]") {
  GIVEN("a review that has seen one escalation") {
    std::vector<std::string> escalations;
    AppendEscalation(escalations, {{"deadline", "cdop-agency-report:caretrust"}, {"to", "senior-manager"},
                                   {"step", "escalation-1"}, {"due_date", "2026-03-02"}});
    WHEN("a second one fires") {
      AppendEscalation(escalations, {{"deadline", "scr-completion"}, {"to", "board-chair"}});
      THEN("both are kept in order, as \"deadline -> to\"") {
        REQUIRE(escalations == std::vector<std::string>{"cdop-agency-report:caretrust -> senior-manager",
                                                        "scr-completion -> board-chair"});
      }
      THEN("neither the entries nor the list keep spare room (an open review holds them)") {
        REQUIRE(escalations.capacity() == 2);
        for (const auto& e : escalations) REQUIRE(e.capacity() == e.size());
      }
    }
  }
}

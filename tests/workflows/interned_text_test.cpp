// The shared copies of texts that reviews repeat (rule ids, the board's ids): equal texts
// share one copy, which never moves or goes away.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/interned_text.hpp"

using casereview::InternedText;

SCENARIO("Equal texts share one copy that outlives the strings they came from", "[interned]") {
  GIVEN("a text interned from a string that then goes away") {
    std::string_view first;
    {
      std::string temporary = "cdop-agency-report-due";
      first = InternedText(temporary);
      temporary.assign("overwritten, then freed");
    }
    THEN("the view still reads the text") { REQUIRE(first == "cdop-agency-report-due"); }
    WHEN("an equal text is interned again, from another string") {
      std::string_view second = InternedText(std::string("cdop-agency-report-due"));
      THEN("both are views of the same copy") { REQUIRE(second.data() == first.data()); }
    }
    WHEN("many other texts are interned after it") {
      std::vector<std::string_view> others;
      for (int i = 0; i < 5000; ++i) others.push_back(InternedText("interned-text-test-" + std::to_string(i)));
      THEN("the first copy has not moved and each new one reads its own text") {
        REQUIRE(InternedText("cdop-agency-report-due").data() == first.data());
        REQUIRE(first == "cdop-agency-report-due");
        REQUIRE(others[4321] == "interned-text-test-4321");
      }
    }
  }
  GIVEN("texts that differ only in case or a trailing space, and the empty text") {
    THEN("each has its own copy") {
      REQUIRE(InternedText("police").data() != InternedText("Police").data());
      REQUIRE(InternedText("police").data() != InternedText("police ").data());
      REQUIRE(InternedText("") == "");
    }
  }
}

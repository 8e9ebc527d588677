// The test clock ($CASEREVIEW_CLOCK): simulated time that processes started at different
// moments agree on, parsed strictly, and a real sleeper that waits the scaled-down time.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <stop_token>
#include <thread>

#include "casereview/clock.hpp"
#include "scheduler.hpp"

using namespace casereview;
using namespace std::chrono_literals;

namespace {

Instant At(const char* text) { return *ParseInstant(text); }

// Unix seconds of a real moment, as the harness writes the anchor.
std::string UnixSeconds(std::chrono::system_clock::time_point t) {
  return std::to_string(std::chrono::duration<double>(t.time_since_epoch()).count());
}

}  // namespace

TEST_CASE("a scaled clock shows start at its anchor and runs rate times real time", "[clock]") {
  auto anchor = std::chrono::system_clock::now() - 10s;  // ten real seconds ago
  ScaledClock clock(At("2026-01-05T09:00:00Z"), 3600, anchor);
  Instant now = clock.Now();
  // Ten real seconds at 3600 simulated seconds each: ten hours later (a second's slack for
  // the time this test takes).
  CHECK(now >= At("2026-01-05T19:00:00Z"));
  CHECK(now <= At("2026-01-05T19:00:00Z") + 3600s);
  // The real moment it will show an instant: the anchor plus the scaled-down distance.
  auto wall = clock.WallTimeAt(At("2026-01-05T10:00:00Z"));
  CHECK(wall - anchor >= 1s);
  CHECK(wall - anchor < 1s + 10ms);
}

TEST_CASE("processes given the same test clock agree on now however late each starts", "[clock]") {
  auto anchor = std::chrono::system_clock::now() - 5s;
  std::string text = "2026-01-05T09:00:00Z*60@" + UnixSeconds(anchor);
  auto first = ScaledClock::Parse(text);
  REQUIRE(first.ok());
  std::this_thread::sleep_for(20ms);
  auto second = ScaledClock::Parse(text);  // "restarted" later
  REQUIRE(second.ok());
  auto a = first->Now(), b = second->Now();
  CHECK((b - a) <= 2s);
  // Five real seconds at 60x: five simulated minutes after the start.
  CHECK(a >= At("2026-01-05T09:05:00Z"));
  CHECK(a <= At("2026-01-05T09:05:03Z"));
}

TEST_CASE("a test clock's parts default sensibly and an anchor may be an instant", "[clock]") {
  auto plain = ScaledClock::Parse("2026-01-05T09:00:00Z");  // rate 1 from now
  REQUIRE(plain.ok());
  CHECK(plain->Now() - At("2026-01-05T09:00:00Z") <= 1s);
  auto fast = ScaledClock::Parse("2026-01-05*86400");  // a day a second, from now
  REQUIRE(fast.ok());
  CHECK(fast->Now() < At("2026-01-06T00:00:00Z"));
  auto anchored = ScaledClock::Parse("2026-01-05T09:00:00Z*2@2020-01-01T00:00:00Z");
  REQUIRE(anchored.ok());
  CHECK(anchored->Now() > At("2038-01-01T00:00:00Z"));  // twice the years since 2020
}

TEST_CASE("a malformed test clock is refused, saying what is wrong", "[clock]") {
  for (const char* text : {"tomorrow", "2026-01-05T09:00:00Z*", "2026-01-05T09:00:00Z*fast", "2026-01-05T09:00:00Z*0",
                           "2026-01-05T09:00:00Z*-5", "2026-01-05T09:00:00Z*3600@", "2026-01-05T09:00:00Z*3600@soon",
                           "2026-02-30T09:00:00Z*2", "2026-01-05T09:00:00Z*inf"}) {
    INFO(text);
    auto c = ScaledClock::Parse(text);
    REQUIRE_FALSE(c.ok());
    CHECK(c.status().code() == Status::Code::kInvalidArgument);
    CHECK(c.status().message().find("is not a test clock") != std::string::npos);
  }
  CHECK(ScaledClock::Parse("2026-01-05T09:00:00Z*fast").status().message().find("RATE") != std::string::npos);
  CHECK(ScaledClock::Parse("2026-01-05T09:00:00Z*2@soon").status().message().find("ANCHOR") != std::string::npos);
}

TEST_CASE("the process clock reads its variable: unset is the system clock, malformed names it", "[clock]") {
  const char* var = "CASEREVIEW_CLOCK_TEST_ONLY";
  unsetenv(var);
  ProcessClock system(var);
  CHECK(system.status().ok());
  CHECK_FALSE(system.simulated());
  CHECK(system.Now() > At("2025-01-01T00:00:00Z"));

  setenv(var, "2026-01-05T09:00:00Z*3600@1000", 1);
  ProcessClock scaled(var);
  CHECK(scaled.status().ok());
  CHECK(scaled.simulated());
  CHECK(scaled.Now() > At("2100-01-01T00:00:00Z"));  // decades of real time at 3600x

  setenv(var, "next tuesday", 1);
  ProcessClock bad(var);
  REQUIRE_FALSE(bad.status().ok());
  CHECK(bad.status().message().rfind("$CASEREVIEW_CLOCK_TEST_ONLY: 'next tuesday' is not a test clock", 0) == 0);
  unsetenv(var);
}

TEST_CASE("a real sleeper on a fast clock waits the scaled-down real time, never spinning", "[clock][scheduler]") {
  ScaledClock clock(At("2026-01-05T09:00:00Z"), 3600, std::chrono::system_clock::now());
  RealSleeper sleeper(clock);
  std::stop_source never;
  // An hour of simulated time is one real second: not a real hour.
  auto before = std::chrono::steady_clock::now();
  sleeper.SleepUntil(clock.Now() + 900s, never.get_token());  // a quarter of a real second
  auto slept = std::chrono::steady_clock::now() - before;
  CHECK(slept >= 200ms);
  CHECK(slept < 2s);
  CHECK(clock.Now() >= At("2026-01-05T09:15:00Z"));
  // An instant already past still waits the minimum, so a loop cannot spin.
  before = std::chrono::steady_clock::now();
  sleeper.SleepUntil(At("2020-01-01T00:00:00Z"), never.get_token());
  CHECK(std::chrono::steady_clock::now() - before >= RealSleeper::kMinWait);
  // Wake() ends a long sleep at once.
  std::jthread waker([&] {
    std::this_thread::sleep_for(50ms);
    sleeper.Wake();
  });
  before = std::chrono::steady_clock::now();
  sleeper.SleepUntil(clock.Now() + std::chrono::hours{24 * 365}, never.get_token());
  CHECK(std::chrono::steady_clock::now() - before < 2s);
}

SCENARIO("Dates and moments are written and read back as YYYY-MM-DD and YYYY-MM-DDTHH:MM:SSZ", "[clock][date]") {
  GIVEN("every day from 1900 to 2100") {
    using namespace std::chrono;
    THEN("each is written in ten characters, read back as itself, and its moments likewise") {
      for (sys_days day = sys_days{1900y / January / 1}; day <= sys_days{2100y / December / 31}; day += days{1}) {
        const Date d{day};
        const std::string text = FormatDate(d);
        REQUIRE(text.size() == 10);
        REQUIRE(*ParseDate(text) == d);
        const Instant t = Instant{day} + 13h + 5min + 9s;
        REQUIRE(FormatInstant(t) == text + "T13:05:09Z");
        REQUIRE(*ParseInstant(FormatInstant(t)) == t);
      }
    }
  }
  THEN("known days and moments are written as people read them") {
    using namespace std::chrono;
    CHECK(FormatDate(Date{2024y / February / 29}) == "2024-02-29");
    CHECK(FormatDate(Date{2026y / January / 5}) == "2026-01-05");
    CHECK(FormatInstant(At("2026-01-05T09:30:00Z")) == "2026-01-05T09:30:00Z");
    CHECK(FormatInstant(At("1999-12-31T23:59:59Z")) == "1999-12-31T23:59:59Z");
    CHECK(FormatInstant(At("2026-03-29")) == "2026-03-29T00:00:00Z");
  }
  THEN("a day that does not exist, or is not written YYYY-MM-DD, is refused") {
    for (const char* bad : {"2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-05", "26-01-05",
                            "2026/01/05", "2026-01-05x", " 2026-01-05", "", "2026-01-32", "2026-01-00",
                            "2026-01-2", "2026-01-02 ", "20260102", "2026-01-0x", "next week"}) {
      auto parsed = ParseDate(bad);
      INFO(bad);
      REQUIRE_FALSE(parsed.ok());
      CHECK(parsed.status().message() == "'" + std::string(bad) + "' is not a date written YYYY-MM-DD");
    }
  }
}

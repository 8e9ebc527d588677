// Policy profiles (engine/policy_profile.*): a profile file a board chooses, as outside input.
// Refused: a Status naming what is wrong. Accepted: the profile round-trips through
// PolicyProfileToJson unchanged, and every duration is the number written in the file (never
// one it wrapped round to) inside the range the parser promises.
#include "fuzz_support.hpp"
#include "policy_profile.hpp"

using namespace casereview;

namespace {

// Compared as text: nlohmann's == would wrap 2^64 - 1 round to -1 just as the bug did.
bool Written(const nlohmann::json& number, const Duration& d) { return number.dump() == std::to_string(d.value); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Result<PolicyProfile> p = ParsePolicyProfile(fuzz::AsText(data, size));
  if (!p.ok()) {
    fuzz::CheckRefusal(p.status());
    return 0;
  }
  FUZZ_CHECK(!p->name.empty(), "an accepted profile has a name");
  auto in_range = [](const Duration& d) { return d.value >= -1000 && d.value <= 10000; };
  for (const auto& r : p->deadlines) {
    FUZZ_CHECK(!r.length || in_range(*r.length), "deadline length in range");
    FUZZ_CHECK(!r.met_by.empty(), "an accepted deadline is met by some event");
  }
  for (const auto& d : p->reminders) FUZZ_CHECK(in_range(d), "reminder in range");
  for (const auto& e : p->escalation) FUZZ_CHECK(in_range(e.after), "escalation in range");
  // The ladder's numbers as written: an accepted duration is the file's own number.
  const nlohmann::json written = nlohmann::json::parse(fuzz::AsText(data, size));
  for (std::size_t i = 0; i < p->reminders.size(); ++i)
    FUZZ_CHECK(Written(written["reminders"][i]["value"], p->reminders[i]), "a reminder is the number written");
  for (std::size_t i = 0; i < p->escalation.size(); ++i)
    FUZZ_CHECK(Written(written["escalation"][i]["after"]["value"], p->escalation[i].after),
               "an escalation step is the number written");
  for (std::size_t i = 0; i < p->deadlines.size(); ++i)
    if (p->deadlines[i].length)
      FUZZ_CHECK(Written(written["deadlines"][i]["length"]["value"], *p->deadlines[i].length),
                 "a deadline's length is the number written");
  Result<PolicyProfile> again = ParsePolicyProfile(PolicyProfileToJson(*p).dump());
  FUZZ_CHECK(again.ok(), "an accepted profile, written out, parses again");
  FUZZ_CHECK(*again == *p, "an accepted profile round-trips unchanged");
  return 0;
}

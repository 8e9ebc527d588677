#include "calendar_feed.hpp"

#include <libical/ical.h>
#include <sodium.h>

#include <array>
#include <memory>

#include "access.hpp"
#include "permissions.hpp"
#include "review_view.hpp"

namespace casereview {
namespace {

constexpr std::string_view kFeedSecretSetting = "calendar-feed-secret";

std::string Text(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

struct Item {
  std::string uid, summary, due_date, description;
};

// Due items for `p`: their tasks, and the board's deadlines for those who see case details.
std::vector<Item> ItemsFor(const Person& p, const std::vector<ReviewRecord>& reviews) {
  std::vector<Item> items;
  for (const auto& t : TasksOf(p, reviews)) {
    std::string due = Text(t, "due");
    if (due.empty()) continue;
    std::string what = Text(t, "task") == "action" ? "action " + Text(t, "action") + " (" + Text(t, "agency") + ")"
                       : Text(t, "task") == "imr"  ? "IMR (" + Text(t, "agency") + ")"
                                                   : "agency reporting form (" + Text(t, "agency") + ")";
    items.push_back({Text(t, "review") + "/" + Text(t, "task") + ":" + Text(t, "agency") + Text(t, "action") + "/" +
                         Text(t, "as"),
                     Text(t, "review") + ": " + what + " due", due,
                     "Your " + what + " on " + Text(t, "review") + " is due. Stage: " + Text(t, "stage") + "."});
  }
  for (const ReviewRecord& r : reviews) {
    if (!SeesCaseDetails(p, r.board_id)) break;
    for (const auto& d : ReviewJson(r).value("deadlines", nlohmann::json::array())) {
      if (Text(d, "status") == "met" || Text(d, "due_date").empty()) continue;
      items.push_back({r.ref + "/" + Text(d, "key"), r.ref + ": " + Text(d, "what"), Text(d, "due_date"),
                       "Due on " + r.ref + " (held by the " + Text(d, "holder_role") + ")."});
    }
  }
  return items;
}

// "2026-03-13" -> an all-day DATE value.
icaltimetype AllDay(const std::string& date) {
  std::string compact;
  for (char ch : date)
    if (ch != '-') compact += ch;
  icaltimetype t = icaltime_from_string(compact.c_str());
  t.is_date = 1;
  return t;
}

std::string Hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

Result<std::string> FeedSecret(Store& store, Instant now) {
  auto secret = store.GetSetting(kFeedSecretSetting);
  if (!secret.ok()) return secret.status();
  if (*secret) return **secret;
  std::string made = NewSecret();
  CR_RETURN_IF_ERROR(store.PutSetting(kFeedSecretSetting, made, now));
  return made;
}

// Over the board id, length-prefixed, then the person id: no two (board, person) pairs alike.
std::string Hmac(const std::string& secret, std::string_view board_id, std::string_view person_id) {
  const std::string message = std::to_string(board_id.size()) + ":" + std::string(board_id) + std::string(person_id);
  static const bool kSodiumReady = sodium_init() >= 0;
  (void)kSodiumReady;
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  std::array<unsigned char, crypto_auth_hmacsha256_KEYBYTES> key{};
  crypto_hash_sha256(key.data(), reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         key.data());
  return Hex(mac.data(), mac.size());
}

}  // namespace

std::string CalendarFeed(const Person& p, const std::vector<ReviewRecord>& open_reviews, Instant now) {
  std::unique_ptr<icalcomponent, decltype(&icalcomponent_free)> calendar(icalcomponent_new_vcalendar(),
                                                                        &icalcomponent_free);
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_prodid("-//casereview//due dates//EN"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_method(ICAL_METHOD_PUBLISH));
  icaltimetype stamp = icaltime_from_timet_with_zone(static_cast<time_t>(now.time_since_epoch().count()), 0,
                                                     icaltimezone_get_utc_timezone());
  for (const Item& item : ItemsFor(p, open_reviews)) {
    icalcomponent* event = icalcomponent_new_vevent();
    icalcomponent_add_property(event, icalproperty_new_uid((item.uid + "@casereview").c_str()));
    icalcomponent_add_property(event, icalproperty_new_dtstamp(stamp));
    icalcomponent_add_property(event, icalproperty_new_dtstart(AllDay(item.due_date)));
    icalcomponent_add_property(event, icalproperty_new_summary(item.summary.c_str()));
    icalcomponent_add_property(event, icalproperty_new_description(item.description.c_str()));
    icalcomponent_add_property(event, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
    icalcomponent_add_component(calendar.get(), event);
  }
  char* text = icalcomponent_as_ical_string_r(calendar.get());
  std::string out(text);
  free(text);  // NOLINT: libical's _r strings are the caller's to free
  return out;
}

Result<std::string> CalendarFeedKey(Store& store, std::string_view board_id, std::string_view person_id, Instant now) {
  auto secret = FeedSecret(store, now);
  if (!secret.ok()) return secret.status();
  return Hmac(*secret, board_id, person_id);
}

Result<bool> CalendarFeedKeyMatches(Store& store, std::string_view board_id, std::string_view person_id,
                                    std::string_view key, Instant now) {
  auto expected = CalendarFeedKey(store, board_id, person_id, now);
  if (!expected.ok()) return expected.status();
  return key.size() == expected->size() && sodium_memcmp(key.data(), expected->data(), key.size()) == 0;
}

Status RotateCalendarFeeds(Store& store, Instant now) { return store.PutSetting(kFeedSecretSetting, NewSecret(), now); }

}  // namespace casereview

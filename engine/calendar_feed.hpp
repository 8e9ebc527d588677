// A person's private calendar feed (iCalendar, RFC 5545, written with libical): their due
// dates as all-day events that Outlook or Google Calendar can subscribe to.
//
// What a person sees is what the API shows them (permissions.hpp): their own IMRs, forms
// and actions; and, for the chairs, panel members and business officer, every deadline not
// yet met on the board's open reviews. Each event names the review reference, the task and
// the agency: never a child's detail, nor any free text. UIDs are stable, so a moved due date
// moves the event in the subscriber's calendar rather than adding one.
//
// The feed's address carries a key only its person's URL has: HMAC-SHA-256 (libsodium) of
// the person id under the deployment's feed secret (a setting made on first use). Rotating
// the secret (`casereview calendar rotate-feeds`) invalidates every feed address at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "casereview/board.hpp"
#include "casereview/clock.hpp"
#include "casereview/status.hpp"
#include "casereview/store.hpp"

namespace casereview {

// The feed, as text/calendar, for `p` over the board's open reviews, stamped `now`.
std::string CalendarFeed(const Person& p, const std::vector<ReviewRecord>& open_reviews, Instant now);

// The key in the feed address of the board's person (64 hex digits), making the secret if
// there is none. A person id is one board's, so the key is over both.
Result<std::string> CalendarFeedKey(Store& store, std::string_view board_id, std::string_view person_id, Instant now);
// Whether `key` is the board's person's current feed key (compared in constant time).
Result<bool> CalendarFeedKeyMatches(Store& store, std::string_view board_id, std::string_view person_id,
                                    std::string_view key, Instant now);
// A new feed secret: every earlier feed address stops working.
Status RotateCalendarFeeds(Store& store, Instant now);

}  // namespace casereview

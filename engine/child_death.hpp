// Child death reviews in the engine: a notification opens one (a death notified twice is
// found by its NHS number), and a referral for an SCR opens the linked SCR with it.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "casereview/store.hpp"

namespace casereview {

inline constexpr std::string_view kReferredForScr = "ReferredForScr";
inline constexpr std::string_view kReviewMeetingScheduled = "ReviewMeetingScheduled";

// The SCR referral a child death review's notification gives: referring agency, incident
// (death) and its date, agencies involved, the child's details (case record only), and
// the link back. `notification`: the ChildDeathNotified payload as stored.
nlohmann::json ScrReferralFrom(const std::string& cdop_ref, const nlohmann::json& notification,
                               const nlohmann::json& referral);

}  // namespace casereview

// Who hears what in a Serious Case Review: its notice rules and the holders of its IMRs, as
// its entry in the registry carries them (scr/scr_kind.cpp, common/notice_rule.hpp).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "common/notice_rule.hpp"

namespace casereview {

// The notices the SCR's events cause (docs/notices.md, "Who hears what").
std::vector<NoticeRule> ScrNoticeRules();

// The IMR commissioned from `agency`: its author and the agency's senior manager, as named when
// it was commissioned; nullopt when none was (or `review` is not an SCR).
std::optional<ReportHolders> ImrHolders(const ReviewWorkflow& review, std::string_view agency);

}  // namespace casereview

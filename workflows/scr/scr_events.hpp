// The events of a Serious Case Review, in the order of the process, with their fields.
#pragma once

#include <span>

#include "common/event_spec.hpp"

namespace casereview {

// The first event of every SCR; it creates the review.
inline constexpr std::string_view kCaseReferred = "CaseReferred";

std::span<const EventSpec> ScrEventSpecs();

}  // namespace casereview

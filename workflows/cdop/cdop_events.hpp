// The events of a child death review, in the order of the process, with their fields; and
// the ten categories of death of the English analysis form.
#pragma once

#include <span>
#include <string_view>

#include "common/event_spec.hpp"

namespace casereview {

// The first event of every child death review; it creates the review.
inline constexpr std::string_view kChildDeathNotified = "ChildDeathNotified";

std::span<const EventSpec> CdopEventSpecs();

// One category of death on the analysis form. Where several apply, the panel records the
// first in the form's order.
struct DeathCategory {
  int number;              // 1..10, the form's numbering
  std::string_view id;     // stable, stored: "malignancy"
  std::string_view title;  // as the form words it
};

// The ten categories, in the form's order.
std::span<const DeathCategory> DeathCategories();
// The category with this id, or nullptr.
const DeathCategory* FindDeathCategory(std::string_view id);

}  // namespace casereview

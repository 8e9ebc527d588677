// The Serious Case Review's entry in the registry of kinds (common/review_kind.hpp).
#pragma once

#include "common/review_kind.hpp"

namespace casereview {

const ReviewKind& ScrKind();

}  // namespace casereview

// The kinds of review this build knows: one line each (common/review_kind.hpp).
#include "cdop/cdop_kind.hpp"
#include "common/review_kind.hpp"
#include "scr/scr_kind.hpp"

namespace casereview {

std::span<const ReviewKind* const> BuiltInReviewKinds() {
  static const ReviewKind* const kinds[] = {
      &ScrKind(),
      &CdopKind(),
  };
  return kinds;
}

}  // namespace casereview

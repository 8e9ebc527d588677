// One shared, immutable copy of texts that many reviews repeat: the ids and descriptions of
// a policy profile's rules. An open review keeps a view of the shared copy instead of its
// own string (docs/performance.md, figure 2: memory per open review).
#pragma once

#include <string_view>

namespace casereview {

// The shared copy of `text`: equal texts give the same view. The copy lives as long as the
// process, so the view never dangles. Thread-safe.
//
// REQUIRES: `text` is drawn from a bounded set (a profile's rule texts, not a review's free
// text or its ids): nothing interned is ever freed.
std::string_view InternedText(std::string_view text);

}  // namespace casereview

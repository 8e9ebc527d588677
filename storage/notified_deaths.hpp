// Which death a child death review was opened for, as Store::FindNotifiedDeath looks it up:
// one rule shared by every store and by the SQLite back-fill, so they cannot disagree.
// Private to storage/.
#pragma once

#include <string>
#include <string_view>

#include "casereview/store.hpp"

namespace casereview::storage {

// The NHS number a review's opening event gives: its payload's "nhs_number" when `kind` is a
// child death review's ("cdop") and that field is a non-empty JSON string; empty otherwise
// (an SCR, a notification without one, a payload that is not JSON).
std::string NotifiedNhsNumber(std::string_view kind, std::string_view opening_payload);

// The same for a change: non-empty only when `c` opens a child death review (no stored log
// yet, its first event seq 1).
std::string NotifiedNhsNumber(const ReviewChange& c);

}  // namespace casereview::storage

// A tiny kind of review, defined and registered in tests/ alone: a learning review opened,
// then concluded (or referred for an SCR on the way), with a notice, a board chair's decision,
// a linked opening, a date a command may leave out, a period report and an API address of its
// own. The tests open and record it through the engine, the CLI, the API and the pages to show
// that a new kind is a new folder plus one registration line (workflows/common/review_kind.hpp).
#pragma once

#include "common/review_kind.hpp"

namespace casereview::testing {

// Its descriptor: "tiny", references TNY-YEAR-NNN, opened by "TinyOpened" (field "lead", a
// person), concluded by "TinyConcluded" (fields "date", "written_on", "signed_off_by").
const ReviewKind& TinyKind();
// The same, registered once for the whole test binary (the registry is filled before use and
// kept): call it before the first request of a server that should know it.
const ReviewKind& RegisteredTiny();

}  // namespace casereview::testing

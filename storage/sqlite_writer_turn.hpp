// Writers in this process to one database file take turns here, before BEGIN IMMEDIATE.
//
// Without it, connections of one process (the server's request threads, its scheduler)
// wait for each other in SQLite's busy handler, which sleeps between tries (up to 100 ms at
// a time) and so can leave a writer waiting for seconds while the lock is free; a mutex
// wakes the next writer when the last one commits (docs/performance.md, figure 5). Writers
// in other processes are still waited for by the busy timeout, as before.
#pragma once

#include <memory>
#include <mutex>
#include <string>

namespace casereview::storage {

// The turn shared by every connection of this process to the file at `path` (however the
// path is spelt); a turn of its own for ":memory:" or a path that cannot be resolved.
std::shared_ptr<std::timed_mutex> WriterTurnFor(const std::string& path);

}  // namespace casereview::storage

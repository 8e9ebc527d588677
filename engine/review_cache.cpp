#include "review_cache.hpp"

#include <utility>

namespace casereview {

std::optional<ReviewState> ReviewCache::Take(const ReviewRecord& stored,
                                             const std::shared_ptr<const BusinessCalendar>& calendar) {
  std::optional<DeadlinesWritten> written;
  return Take(stored, calendar, written);
}

std::optional<ReviewState> ReviewCache::Take(const ReviewRecord& stored,
                                             const std::shared_ptr<const BusinessCalendar>& calendar,
                                             std::optional<DeadlinesWritten>& written) {
  written.reset();
  auto found = by_ref_.find(stored.ref);
  if (found == by_ref_.end()) return std::nullopt;
  Entries::iterator entry = found->second;
  std::optional<ReviewState> state;
  if (entry->last_seq == stored.last_seq && entry->updated_at == stored.updated_at && entry->calendar == calendar) {
    state.emplace(std::move(entry->state));
    written = std::move(entry->written);
  }
  by_ref_.erase(found);
  entries_.erase(entry);
  return state;
}

void ReviewCache::Keep(const ReviewRecord& committed, std::shared_ptr<const BusinessCalendar> calendar,
                       ReviewState state) {
  Keep(committed, std::move(calendar), std::move(state), std::nullopt);
}

void ReviewCache::Keep(const ReviewRecord& committed, std::shared_ptr<const BusinessCalendar> calendar,
                       ReviewState state, std::optional<DeadlinesWritten> written) {
  if (capacity_ == 0) return;
  if (auto found = by_ref_.find(committed.ref); found != by_ref_.end()) {
    entries_.erase(found->second);
    by_ref_.erase(found);
  }
  entries_.push_front(Entry{committed.ref, committed.last_seq, committed.updated_at, std::move(calendar), std::move(state),
                           std::move(written)});
  by_ref_.emplace(committed.ref, entries_.begin());
  if (entries_.size() > capacity_) {
    by_ref_.erase(entries_.back().ref);
    entries_.pop_back();
  }
}

void ReviewCache::Clear() {
  by_ref_.clear();
  entries_.clear();
}

}  // namespace casereview

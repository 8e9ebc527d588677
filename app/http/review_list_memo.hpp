// The body of the review list (GET /api/v1/reviews), with each review's row remembered
// between requests (docs/performance.md, figure 5).
//
// A row is a pure function of the review's summary, London's date and how many of its
// deadlines are past due at that moment (ReviewListRow). The memo keeps each review's last
// row as JSON text with those inputs and makes it again only when one of them differs, so a
// list of 10,000 open reviews that have not changed costs reading their summaries and
// copying text. It reads nothing itself: every request reads the summaries afresh, so a
// change written by any engine or process is shown at once.
#pragma once

#include <cstddef>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "casereview/clock.hpp"
#include "casereview/store.hpp"

namespace casereview::http {

// Thread-safe: one server shares one memo between its request threads.
class ReviewListMemo {
 public:
  // More rows than this are not kept: the memo is emptied and starts again (a list of every
  // review ever, closed ones included, can be larger; it is then made afresh each time).
  static constexpr std::size_t kMaxRows = 50'000;

  // {"next": next, "reviews": [the row of each summary, in order]} exactly as the API writes
  // JSON (dump(2), invalid UTF-8 replaced): byte for byte the text of building the whole tree.
  std::string Body(const std::vector<ReviewSummary>& summaries, Instant now, const nlohmann::json& next);

  std::size_t size() const;

 private:
  struct Row {
    ReviewSummary summary;     // the inputs it was made from ...
    Date today;                // ... London's date then ...
    std::vector<Instant> due;  // ... its deadlines' due instants (from the summary) ...
    long overdue = 0;          // ... and how many were past due then
    std::string text;          // the row, indented for its place in the body
  };
  const std::string& RowText(const ReviewSummary& s, Instant now, Date today);

  mutable std::mutex mu_;
  std::unordered_map<std::string, Row> rows_;  // by ref
};

}  // namespace casereview::http

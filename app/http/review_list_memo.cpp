#include "review_list_memo.hpp"

#include <algorithm>

#include "calendar.hpp"
#include "review_view.hpp"

namespace casereview::http {
namespace {

using nlohmann::json;

std::string Dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

// A row's text as it sits in the body: each of its lines indented two levels deeper (the
// body's object, then its "reviews" array). JSON text has no raw newline inside a string.
std::string Indented(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char ch : text) {
    out += ch;
    if (ch == '\n') out += "    ";
  }
  return out;
}

long CountBefore(const std::vector<Instant>& due, Instant now) {
  return std::count_if(due.begin(), due.end(), [now](Instant d) { return d < now; });
}

}  // namespace

const std::string& ReviewListMemo::RowText(const ReviewSummary& s, Instant now, Date today) {
  auto it = rows_.find(s.ref);
  if (it != rows_.end() && it->second.summary == s && it->second.today == today &&
      it->second.overdue == CountBefore(it->second.due, now))
    return it->second.text;
  if (it == rows_.end() && rows_.size() >= kMaxRows) rows_.clear();
  Row row{s, today, DueInstantsOf(s), 0, Indented(Dump(ReviewListRow(s, now)))};
  row.overdue = CountBefore(row.due, now);
  return rows_.insert_or_assign(s.ref, std::move(row)).first->second.text;
}

std::string ReviewListMemo::Body(const std::vector<ReviewSummary>& summaries, Instant now, const json& next) {
  const Date today = LondonDate(now);
  std::string body = "{\n  \"next\": " + Dump(next) + ",\n  \"reviews\": [";
  if (summaries.empty()) return body + "]\n}";
  std::lock_guard lock(mu_);
  const char* separator = "\n    ";
  for (const ReviewSummary& s : summaries) {
    body += separator;
    body += RowText(s, now, today);
    separator = ",\n    ";
  }
  return body + "\n  ]\n}";
}

std::size_t ReviewListMemo::size() const {
  std::lock_guard lock(mu_);
  return rows_.size();
}

}  // namespace casereview::http

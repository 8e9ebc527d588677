#include "sqlite_summaries.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "casereview/review_summary.hpp"
#include "sqlite_rows.hpp"
#include "sqlite_statements.hpp"

namespace casereview::storage {
namespace {

constexpr const char* kUpsertSummary =
    "INSERT INTO review_summaries (ref, board_id, kind, stage, open, updated_at, summary)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (ref) DO UPDATE SET board_id = excluded.board_id, kind = excluded.kind,"
    " stage = excluded.stage, open = excluded.open, updated_at = excluded.updated_at,"
    " summary = excluded.summary";

void BindSummary(SQLite::Statement& s, const ReviewRecord& r, const std::string& summary) {
  s.bind(1, r.ref);
  s.bind(2, r.board_id);
  s.bind(3, r.kind);
  s.bind(4, r.stage);
  s.bind(5, r.open ? 1 : 0);
  s.bind(6, SecondsOf(r.updated_at));
  s.bind(7, summary);
}

ReviewSummary ReadSummary(const SQLite::Statement& s) {
  ReviewSummary r;
  r.ref = s.getColumn(0).getString();
  r.board_id = s.getColumn(1).getString();
  r.kind = s.getColumn(2).getString();
  r.stage = s.getColumn(3).getString();
  r.open = s.getColumn(4).getInt() != 0;
  r.updated_at = InstantAt(s.getColumn(5).getInt64());
  r.summary = s.getColumn(6).getString();
  return r;
}

}  // namespace

void UpsertReviewSummary(SQLite::Database& db, const ReviewRecord& r) {
  Prepared upsert(db, kUpsertSummary);
  BindSummary(*upsert, r, r.summary);
  (*upsert).exec();
}

// One SQL text per filter shape, so each stays prepared (sqlite_statements.hpp). With a
// board, the index (board_id, open, ref) gives the rows in ref order from the first one
// after `after`: a page reads only its own rows.
std::vector<ReviewSummary> SelectReviewSummaries(SQLite::Database& db, const ReviewFilter& f,
                                                 const ReviewPage& page) {
  std::string sql = "SELECT ref, board_id, kind, stage, open, updated_at, summary FROM review_summaries WHERE ref > ?";
  if (f.board_id) sql += " AND board_id = ?";
  if (f.open_only) sql += " AND open = 1";
  sql += " ORDER BY ref LIMIT ?";
  Prepared prepared(db, sql);
  SQLite::Statement& q = *prepared;
  int index = 0;
  q.bind(++index, page.after);
  if (f.board_id) q.bind(++index, *f.board_id);
  q.bind(++index, static_cast<std::int64_t>(std::min<std::size_t>(page.limit, INT64_MAX)));
  std::vector<ReviewSummary> rows;
  while (q.executeStep()) rows.push_back(ReadSummary(q));
  return rows;
}

void BackfillReviewSummaries(SQLite::Database& db) {
  SQLite::Statement reviews(db, "SELECT ref, board_id, kind, stage, open, updated_at, projection FROM reviews");
  SQLite::Statement upsert(db, kUpsertSummary);
  while (reviews.executeStep()) {
    ReviewRecord r;
    r.ref = reviews.getColumn(0).getString();
    r.board_id = reviews.getColumn(1).getString();
    r.kind = reviews.getColumn(2).getString();
    r.stage = reviews.getColumn(3).getString();
    r.open = reviews.getColumn(4).getInt() != 0;
    r.updated_at = InstantAt(reviews.getColumn(5).getInt64());
    std::string projection = reviews.getColumn(6).getString();
    upsert.reset();
    BindSummary(upsert, r, SummarizeProjection(std::string_view(projection)));
    upsert.exec();
  }
}

}  // namespace casereview::storage

// The review_summaries table (schema version 6): each review's row in a list, written by
// Commit beside the review's record, read by ListReviewSummaries without touching the read
// models. Private to storage/.
//
// Every function throws SQLite::Exception on a database error; the caller translates it.
#pragma once

#include <vector>

#include "casereview/store.hpp"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace casereview::storage {

// Inserts or replaces the summary row of `r`. REQUIRES: inside Commit's write transaction,
// after the review's own row is written (the foreign key points at it).
void UpsertReviewSummary(SQLite::Database& db, const ReviewRecord& r);

// The summaries the filter selects, refs after page.after, by ref, at most page.limit.
std::vector<ReviewSummary> SelectReviewSummaries(SQLite::Database& db, const ReviewFilter& f,
                                                 const ReviewPage& page);

// Writes a summary row for every stored review, from its stored projection
// (SummarizeProjection). The migration to version 6 runs it once, in its transaction.
void BackfillReviewSummaries(SQLite::Database& db);

}  // namespace casereview::storage

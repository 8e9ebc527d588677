// Store: where every fact about a board and its reviews is kept.
//
// The append-only event log of each review is the truth; the review record (stage,
// projection) serves reads and can be rebuilt from the log. Implementations:
// storage/sqlite_store (embedded default) and storage/memory_store (tests). Every
// implementation passes tests/storage/store_contract_test.cpp.
//
// Thread safety: an implementation may be used from one thread at a time.
// Portability: implementations keep their SQL portable (a PostgreSQL implementation
// will share one database between several engine processes).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casereview/board.hpp"
#include "casereview/clock.hpp"
#include "casereview/status.hpp"

namespace casereview {

// One fact in a review's log. seq starts at 1 and has no gaps.
struct StoredEvent {
  std::string review_ref;
  std::int64_t seq = 0;
  std::string type;     // the event's stable name, e.g. "ImrSubmitted"
  std::string payload;  // JSON object
  std::string actor;    // person id who recorded it
  Instant recorded_at{};

  bool operator==(const StoredEvent&) const = default;
};

// The read model of one review, rebuilt from its log.
struct ReviewRecord {
  std::string ref;  // "SCR-2026-001"
  std::string board_id;
  std::string kind;   // "scr"
  std::string stage;  // stable state name, e.g. "ImrsInProgress"
  int machine_version = 0;  // definition version of the machine that produced `stage`
  std::int64_t last_seq = 0;
  bool open = true;  // false once in a final stage (Closed, NotToProceed)
  Instant opened_at{};
  Instant updated_at{};
  std::string projection;  // JSON object: the review's current facts for reads

  bool operator==(const ReviewRecord&) const = default;
};

// What one accepted command changes, written in ONE transaction.
struct ReviewChange {
  // The record after the change. REQUIRES: review.last_seq == events.back().seq.
  ReviewRecord review;
  // The new events, seq continuing from expected_last_seq + 1.
  std::vector<StoredEvent> events;
  // The last_seq the caller loaded; 0 for a new review. If the stored review has moved on
  // (another process recorded an event meanwhile) Commit returns Conflict and writes nothing.
  std::int64_t expected_last_seq = 0;
};

struct ReviewFilter {
  std::optional<std::string> board_id;
  bool open_only = false;
};

class Store {
 public:
  virtual ~Store() = default;

  // Board set-up. Put* insert or replace by id.
  virtual Status PutBoard(const Board& b) = 0;
  virtual Result<std::vector<Board>> ListBoards() = 0;
  virtual Status PutAgency(const Agency& a) = 0;
  virtual Result<std::vector<Agency>> ListAgencies(std::string_view board_id) = 0;
  virtual Status PutPerson(const Person& p) = 0;
  virtual Result<std::vector<Person>> ListPeople(std::string_view board_id) = 0;
  // Board, agencies and people in one transaction: all or nothing.
  virtual Status ImportBoardData(const BoardData& d) = 0;

  // Reviews.
  virtual Result<ReviewRecord> GetReview(std::string_view ref) = 0;  // NotFound if absent
  virtual Result<std::vector<ReviewRecord>> ListReviews(const ReviewFilter& f) = 0;  // by ref
  virtual Result<std::vector<StoredEvent>> LoadEvents(std::string_view ref) = 0;  // by seq
  // How many reviews have a ref starting with `prefix` (to number the next one).
  virtual Result<std::int64_t> CountReviewsWithPrefix(std::string_view prefix) = 0;
  // Appends the events and writes the record, atomically and durably.
  virtual Status Commit(const ReviewChange& change) = 0;
};

// An in-memory Store for tests. Same contract, nothing durable.
std::unique_ptr<Store> NewMemoryStore();

}  // namespace casereview

// The in-memory Store for tests: the SQLite store's contract, held in std::map, nothing
// durable. It checks the same rules with the same messages (sqlite_rows.hpp), so a test
// that passes here says something about the real store.
#include <cassert>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "casereview/store.hpp"
#include "sqlite_rows.hpp"

namespace casereview {
namespace {

using namespace casereview::storage;

template <class T>
using ById = std::map<std::string, T, std::less<>>;  // iterates in id order, as SQL ORDER BY id

// Board set-up, kept apart from the reviews so an import can be staged on a copy.
struct BoardTables {
  ById<Board> boards;
  ById<Agency> agencies;
  ById<Person> people;
};

Status WriteBoard(BoardTables& t, const Board& b) {
  CR_RETURN_IF_ERROR(CheckListItems(b.quorum.required_sectors, "board " + b.id + ": required sector"));
  t.boards[b.id] = b;
  return Status::Ok();
}

Status WriteAgency(BoardTables& t, const Agency& a) {
  if (!t.boards.count(a.board_id)) return MissingReference("agency " + a.id, "board '" + a.board_id + "'");
  t.agencies[a.id] = a;
  return Status::Ok();
}

Status WritePerson(BoardTables& t, const Person& p) {
  CR_RETURN_IF_ERROR(CheckListItems(p.roles, "person " + p.id + ": role"));
  if (!t.boards.count(p.board_id)) return MissingReference("person " + p.id, "board '" + p.board_id + "'");
  if (!p.agency_id.empty()) {
    auto agency = t.agencies.find(p.agency_id);
    if (agency == t.agencies.end() || agency->second.board_id != p.board_id)
      return MissingReference("person " + p.id, "agency '" + p.agency_id + "' on board " + p.board_id);
  }
  t.people[p.id] = p;
  return Status::Ok();
}

// The rows of `table` that belong to `board_id`, in id order.
template <class T>
std::vector<T> OnBoard(const ById<T>& table, std::string_view board_id) {
  std::vector<T> rows;
  for (const auto& [id, row] : table)
    if (row.board_id == board_id) rows.push_back(row);
  return rows;
}

class MemoryStore final : public Store {
 public:
  Status PutBoard(const Board& b) override { return WriteBoard(tables_, b); }
  Status PutAgency(const Agency& a) override { return WriteAgency(tables_, a); }
  Status PutPerson(const Person& p) override { return WritePerson(tables_, p); }

  Status ImportBoardData(const BoardData& d) override {
    BoardTables staged = tables_;  // all or nothing: only a complete import is kept
    CR_RETURN_IF_ERROR(WriteBoard(staged, d.board));
    for (const Agency& a : d.agencies) CR_RETURN_IF_ERROR(WriteAgency(staged, a));
    for (const Person& p : d.people) CR_RETURN_IF_ERROR(WritePerson(staged, p));
    tables_ = std::move(staged);
    return Status::Ok();
  }

  Result<std::vector<Board>> ListBoards() override {
    std::vector<Board> rows;
    for (const auto& [id, b] : tables_.boards) rows.push_back(b);
    return rows;
  }
  Result<std::vector<Agency>> ListAgencies(std::string_view board_id) override {
    return OnBoard(tables_.agencies, board_id);
  }
  Result<std::vector<Person>> ListPeople(std::string_view board_id) override {
    return OnBoard(tables_.people, board_id);
  }

  Result<ReviewRecord> GetReview(std::string_view ref) override {
    auto it = reviews_.find(ref);
    if (it == reviews_.end()) return Status::NotFound("no review " + std::string(ref));
    return it->second;
  }

  Result<std::vector<ReviewRecord>> ListReviews(const ReviewFilter& f) override {
    std::vector<ReviewRecord> rows;
    for (const auto& [ref, r] : reviews_) {
      if (f.board_id && r.board_id != *f.board_id) continue;
      if (f.open_only && !r.open) continue;
      rows.push_back(r);
    }
    return rows;
  }

  Result<std::vector<StoredEvent>> LoadEvents(std::string_view ref) override {
    auto it = events_.find(ref);
    if (it == events_.end()) return std::vector<StoredEvent>{};
    return it->second;
  }

  Result<std::int64_t> CountReviewsWithPrefix(std::string_view prefix) override {
    std::int64_t n = 0;
    for (auto it = reviews_.lower_bound(prefix); it != reviews_.end() && it->first.starts_with(prefix); ++it)
      ++n;
    return n;
  }

  Status Commit(const ReviewChange& c) override {
    assert(ContinuesLog(c) && "a ReviewChange must continue the log without gaps (store.hpp)");
    const std::string& ref = c.review.ref;
    auto it = reviews_.find(ref);
    std::int64_t found = it == reviews_.end() ? 0 : it->second.last_seq;
    if (found != c.expected_last_seq) return ReviewChangedMeanwhile(ref, c.expected_last_seq, found);
    if (!tables_.boards.count(c.review.board_id))
      return MissingReference("review " + ref, "board '" + c.review.board_id + "'");
    // Every check is done: from here nothing can refuse, so the change is all or nothing.
    reviews_[ref] = c.review;
    auto& log = events_[ref];
    log.insert(log.end(), c.events.begin(), c.events.end());
    return Status::Ok();
  }

 private:
  BoardTables tables_;
  ById<ReviewRecord> reviews_;
  ById<std::vector<StoredEvent>> events_;
};

}  // namespace

std::unique_ptr<Store> NewMemoryStore() { return std::make_unique<MemoryStore>(); }

}  // namespace casereview

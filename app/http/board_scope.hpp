// The one way an API handler reaches board data: a BoardScope is made for the board of the
// person acting (or, for a calendar feed, the board its address was made for, once its key is
// checked) and reads and writes that board's data only. Every filter it is given is narrowed
// to the board, every record it writes is put on the board, and another board's review answers
// as one that does not exist. So no handler can read or change another board's data by passing
// the wrong board id: there is none to pass (docs/security.md, "Who sees what").
//
// Not thread-safe; one per request. The store and engine must outlive it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casereview/access.hpp"
#include "casereview/board.hpp"
#include "casereview/engine.hpp"
#include "casereview/store.hpp"

namespace casereview::http {

class BoardScope {
 public:
  BoardScope(Store& store, Engine& engine, std::string board_id)
      : store_(store), engine_(engine), board_(std::move(board_id)) {}

  const std::string& id() const { return board_; }

  // ---- reviews ----
  // NotFound, the same as for a reference nobody holds, if the review is another board's.
  Result<ReviewRecord> Review(const std::string& ref);
  Result<std::vector<ReviewRecord>> Reviews(ReviewFilter f);
  Result<std::vector<ReviewSummary>> ReviewSummaries(ReviewFilter f, const ReviewPage& page);
  // On a review already read (by Review): NotFound if it is another board's, with nothing read.
  Result<std::vector<StoredEvent>> History(const ReviewRecord& review);
  // The engine checks the event, and that `actor` is a person of the review's board.
  Result<ReviewRecord> Record(const ReviewRecord& review, const std::string& event, const nlohmann::json& fields,
                              const std::string& actor, const CommandTrail& trail);
  // A review of `kind` opened on this board.
  Result<std::string> Open(std::string_view kind, const nlohmann::json& fields, const std::string& actor,
                           const CommandTrail& trail);
  Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& actor, const std::string& key,
                                                           Instant since);
  Status PutIdempotency(IdempotencyRecord r, Instant forget_before);

  // ---- people, agencies, the board file and its meetings ----
  Result<std::vector<Person>> People();
  Result<std::vector<Agency>> Agencies();
  // The board's person with this id (removed or not), or nullopt.
  Result<std::optional<Person>> FindPerson(const std::string& id);
  Result<BoardData> Data();
  Result<std::vector<Date>> Meetings();
  Status AddMeeting(Date date, Instant now);
  // Refused (Forbidden) if the file is another board's.
  Status Import(const BoardData& d);
  Status PutAgency(Agency a);
  Status PutPerson(Person p);
  Status RemovePerson(const std::string& id, Instant at);

  // ---- tokens, notices, the audit log, calendar feeds ----
  Result<std::vector<ApiToken>> Tokens();
  Result<std::vector<Notice>> Notices(NoticeFilter f);
  Result<std::size_t> RequeueFailed(std::optional<std::string> notice_id, Instant at);
  Result<std::vector<AuditEntry>> Audit(AuditFilter f);
  Result<AuditVerification> VerifyAudit();
  Result<std::string> CalendarKey(const std::string& person_id, Instant now);
  Result<bool> CalendarKeyMatches(const std::string& person_id, std::string_view key, Instant now);

 private:
  Store& store_;
  Engine& engine_;
  std::string board_;
};

}  // namespace casereview::http

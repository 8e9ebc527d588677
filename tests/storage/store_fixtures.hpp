// What the Store contract suites share: the stores under test and a small demo board with
// reviews, timers and notices to put in them.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "casereview/review_summary.hpp"
#include "casereview/sqlite_store.hpp"
#include "casereview/store.hpp"
#include "support/test_support.hpp"

namespace casereview::testing {

// One implementation under test, with what it needs to live. `dir` outlives `store`.
struct StoreUnderTest {
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<Store> store;
};

// kind: "memory" or "sqlite" (a new file in a temp dir).
inline StoreUnderTest MakeStore(const std::string& kind) {
  if (kind == "memory") return {nullptr, NewMemoryStore()};
  auto dir = std::make_unique<TempDir>();
  auto opened = OpenSqliteStore(dir->File("contract.db"));
  INFO(opened.status().message());
  REQUIRE(opened.ok());
  return {std::move(dir), std::move(*opened)};
}

inline Instant At(std::int64_t seconds) { return Instant{std::chrono::seconds{seconds}}; }
inline constexpr std::int64_t kJan5 = 1767605400;  // 2026-01-05T09:30:00Z
inline constexpr std::int64_t kDay = 86400;

inline Board DemoBoard() { return {"demo", "Demo Local Safeguarding Children Board", "seed-2010", {}}; }
inline Board OtherBoard() { return {"other", "Other Board", "seed-2010", {false, 3, {}}}; }

inline std::vector<Agency> DemoAgencies() {
  return {{"csc", "demo", "Children's Social Care", "childrens-social-care"},
          {"health", "demo", "Community Health Trust", "health"},
          {"police", "demo", "Police, Borough Command", "police"}};
}

inline std::vector<Person> DemoPeople() {
  return {{"p-chair", "demo", "Alex Chair", "chair@example.org", "", {"panel-chair"}},
          {"p-nobody", "demo", "No Roles", "nobody@example.org", "health", {}},
          {"p-spoc", "demo", "Sam Spoc", "sam@example.org", "police", {"spoc", "panel-member", "lead-officer"}}};
}

inline BoardData DemoBoardData() { return {DemoBoard(), DemoAgencies(), DemoPeople()}; }

inline StoredEvent Event(const std::string& ref, std::int64_t seq, const std::string& type, std::int64_t at) {
  return {ref, seq, type, R"({"note":"café \"quoted\"","n":)" + std::to_string(seq) + "}", "p-spoc", At(at)};
}

// A change that opens review `ref` on `board` with its first event.
inline ReviewChange Referral(const std::string& ref, const std::string& board = "demo", bool open = true) {
  ReviewChange c;
  const std::string projection = R"({"stage":"Referred"})";
  c.review = {ref,       board,      "scr",      open ? "Referred" : "NotToProceed",
              1,         1,          open,       At(kJan5),
              At(kJan5), projection, SummarizeProjection(std::string_view(projection))};  // as the engine writes it
  c.events = {Event(ref, 1, "CaseReferred", kJan5)};
  c.expected_last_seq = 0;
  return c;
}

// A change that appends `types` to the review as `loaded`.
inline ReviewChange Append(const ReviewRecord& loaded, const std::vector<std::string>& types, std::int64_t at) {
  ReviewChange c;
  c.review = loaded;
  c.expected_last_seq = loaded.last_seq;
  for (const auto& type : types) c.events.push_back(Event(loaded.ref, ++c.review.last_seq, type, at));
  c.review.stage = types.back();
  c.review.updated_at = At(at);
  return c;
}

// Timer `name` of review `ref`, due `day` days after 5 January 2026.
inline Timer TimerOn(const std::string& ref, const std::string& name, std::int64_t day) {
  return {ref + "/" + name, ref, At(kJan5 + day * kDay), "DeadlineReminderDue",
          R"({"deadline":")" + name + R"(","day":)" + std::to_string(day) + "}"};
}

// Notice `index` of event `seq` on review `ref` (of board demo), created `day` days after
// 5 January 2026: pending, its first attempt due when it was created.
inline Notice NoticeOn(const std::string& ref, std::int64_t seq, int index, std::int64_t day,
                       std::vector<std::string> recipients = {"p-chair", "p-spoc"}) {
  Notice n;
  n.id = ref + "#" + std::to_string(seq) + "." + std::to_string(index);
  n.review_ref = ref;
  n.kind = "deadline-reminder";
  n.recipients = std::move(recipients);
  n.payload = R"({"ref":")" + ref + R"(","task":"IMR"})";
  n.created_at = At(kJan5 + day * kDay);
  n.board_id = "demo";
  n.next_attempt_at = n.created_at;
  return n;
}

template <class T>
std::vector<std::string> Ids(const std::vector<T>& rows) {
  std::vector<std::string> ids;
  for (const auto& r : rows) ids.push_back(r.id);
  return ids;
}

template <class Review>  // ReviewRecord or ReviewSummary
std::vector<std::string> Refs(const std::vector<Review>& rows) {
  std::vector<std::string> refs;
  for (const auto& r : rows) refs.push_back(r.ref);
  return refs;
}

using Names = std::vector<std::string>;

}  // namespace casereview::testing

#include "digest.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace casereview {
namespace {

using Json = nlohmann::json;

std::string MeetingsKey(const std::string& board_id) { return "board-meetings/" + board_id; }

Status KnownBoard(Store& store, const std::string& board_id) {
  auto boards = store.ListBoards();
  if (!boards.ok()) return boards.status();
  for (const Board& b : *boards)
    if (b.id == board_id) return Status::Ok();
  return Status::NotFound("no board '" + board_id + "'");
}

int Rank(const std::string& rag) { return rag == "red" ? 2 : rag == "amber" ? 1 : 0; }

std::string ActionRag(const std::string& stage, const std::string& due, Date today) {
  if (IsActionDone(stage)) return "green";
  auto d = ParseDate(due);
  if (!d.ok()) return "amber";  // a plan without a readable date is not on track
  if (std::chrono::sys_days{*d} < std::chrono::sys_days{today}) return "red";
  if (std::chrono::sys_days{*d} <= std::chrono::sys_days{AddDays(today, kAmberDays)}) return "amber";
  return "green";
}

Json PlanOf(const ReviewRecord& r, Date today) {
  Json projection = Json::parse(r.projection, nullptr, false);
  Json actions = Json::array();
  std::string worst = "green";
  std::map<std::string, int> count;
  if (!projection.is_object() || !projection.contains("actions")) return nullptr;
  for (const Json& a : projection["actions"]) {
    std::string stage = a.value("stage", ""), due = a.value("due", "");
    std::string rag = ActionRag(stage, due, today);
    if (Rank(rag) > Rank(worst)) worst = rag;
    ++count[rag];
    actions.push_back({{"action", a.value("id", "")}, {"agency", a.value("agency", "")}, {"stage", stage},
                       {"due_date", due}, {"rag", rag}, {"is_" + rag, true}});
  }
  if (actions.empty()) return nullptr;
  return {{"review", r.ref}, {"stage", r.stage}, {"rag", worst}, {"is_" + worst, true}, {"actions", actions},
          {"red", count["red"]}, {"amber", count["amber"]}, {"green", count["green"]},
          {"total", actions.size()}};
}

std::vector<std::string> BoardReaders(const std::vector<Person>& people) {
  std::vector<std::string> ids;
  for (const Person& p : people)
    if (p.HasRole("board-chair") || p.HasRole("board-member")) ids.push_back(p.id);
  if (ids.empty())
    for (const Person& p : people)
      if (p.HasRole("panel-chair")) ids.push_back(p.id);
  return ids;
}

Result<std::size_t> QueueBoardDigests(Store& store, const Board& board, const BusinessCalendar& calendar,
                                      Instant now) {
  auto meetings = BoardMeetings(store, board.id);
  if (!meetings.ok()) return meetings.status();
  Date today = LondonDate(now);
  std::size_t queued = 0;
  for (Date meeting : *meetings) {
    Instant from = LondonLocalTime(calendar.AddWorkingDays(meeting, -kDigestWorkingDays), std::chrono::hours{9});
    if (now < from || std::chrono::sys_days{meeting} < std::chrono::sys_days{today}) continue;
    auto reviews = store.ListReviews({board.id, true});
    if (!reviews.ok()) return reviews.status();
    auto people = store.ListPeople(board.id);
    if (!people.ok()) return people.status();
    Notice n;
    n.id = "board:" + board.id + "/action-plan-digest@" + FormatDate(meeting);
    n.board_id = board.id;
    n.kind = "board-digest";
    n.recipients = BoardReaders(*people);
    n.payload = ActionPlanDigest(*reviews, today, meeting).dump();
    n.created_at = n.next_attempt_at = now;
    if (n.recipients.empty()) continue;  // nobody on the board to tell
    auto added = store.QueueNotice(n);
    if (!added.ok()) return added.status();
    queued += *added ? 1 : 0;
  }
  return queued;
}

}  // namespace

Result<std::vector<Date>> BoardMeetings(Store& store, const std::string& board_id) {
  CR_RETURN_IF_ERROR(KnownBoard(store, board_id));
  auto stored = store.GetSetting(MeetingsKey(board_id));
  if (!stored.ok()) return stored.status();
  std::vector<Date> out;
  if (!*stored) return out;
  Json dates = Json::parse(**stored, nullptr, false);
  if (!dates.is_array()) return Status::Corruption("the setting " + MeetingsKey(board_id) + " is not a list of dates");
  for (const Json& d : dates) {
    auto date = ParseDate(d.is_string() ? d.get<std::string>() : "");
    if (!date.ok()) return Status::Corruption("the setting " + MeetingsKey(board_id) + " holds a bad date");
    out.push_back(*date);
  }
  return out;
}

Status AddBoardMeeting(Store& store, const std::string& board_id, Date date, Instant now) {
  if (!date.ok()) return Status::InvalidArgument("a board meeting needs a real date (YYYY-MM-DD)");
  auto meetings = BoardMeetings(store, board_id);
  if (!meetings.ok()) return meetings.status();
  std::set<std::string> dates;
  for (Date d : *meetings) dates.insert(FormatDate(d));
  dates.insert(FormatDate(date));
  return store.PutSetting(MeetingsKey(board_id), Json(dates).dump(), now);
}

Json ActionPlanDigest(const std::vector<ReviewRecord>& reviews, Date today, Date meeting) {
  Json plans = Json::array();
  std::map<std::string, int> count;
  for (const ReviewRecord& r : reviews) {
    Json plan = PlanOf(r, today);
    if (plan.is_null()) continue;
    ++count[plan["rag"].get<std::string>()];
    plans.push_back(std::move(plan));
  }
  return {{"review", ""}, {"stage", ""}, {"task", "action plan status for the board meeting"},
          {"meeting_date", FormatDate(meeting)}, {"as_of", FormatDate(today)}, {"plans", plans},
          {"has_plans", !plans.empty()}, {"plans_red", count["red"]}, {"plans_amber", count["amber"]},
          {"plans_green", count["green"]}};
}

Result<std::size_t> QueueDueDigests(Store& store, const BusinessCalendar& calendar, Instant now) {
  auto boards = store.ListBoards();
  if (!boards.ok()) return boards.status();
  std::size_t queued = 0;
  for (const Board& b : *boards) {
    auto n = QueueBoardDigests(store, b, calendar, now);
    if (!n.ok()) return n.status();
    queued += *n;
  }
  return queued;
}

}  // namespace casereview

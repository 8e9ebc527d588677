#include "api.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <sstream>

#include "access.hpp"
#include "board_scope.hpp"
#include "casereview/json_input.hpp"
#include "common/review_kind.hpp"
#include "board_import.hpp"
#include "calendar.hpp"
#include "calendar_feed.hpp"
#include "digest.hpp"
#include "permissions.hpp"
#include "review_list_memo.hpp"
#include "review_view.hpp"
#include "slippage.hpp"

namespace casereview::http {
namespace {

using nlohmann::json;

Response Json(int status, const json& body) {
  Response r;
  r.status = status;
  // A request's own bytes may be echoed (an unknown path): never let invalid UTF-8 throw.
  r.body = body.dump(2, ' ', false, json::error_handler_t::replace);
  return r;
}

Response Error(const Status& s) { return Json(HttpStatusFor(s), {{"error", s.message()}}); }
Response Error(int status, const std::string& message) { return Json(status, {{"error", message}}); }

// One request, as the handlers see it. A handler reaches board data through board(), which
// is the acting person's board and only it (board_scope.hpp): no handler passes a board id.
// The store itself is left to signing in and to a calendar feed, whose address names its
// board and person and is checked before anything of theirs is read.
struct Call {
  const Request& req;
  Store& store;
  Engine& engine;
  const Clock& clock;
  Access& access;
  const ApiOptions& options;
  std::vector<std::string> params;  // the {placeholders} of the route, in order
  std::optional<Principal> who;

  const Person& person() const { return who->person; }
  // REQUIRES: signed in.
  BoardScope board() { return BoardScope(store, engine, who->person.board_id); }
  // Writes the audit entry; false (and the request is refused) if it could not be written.
  Status Audit(std::string_view action, std::string_view target, std::string_view outcome) {
    return access.Audit(who ? AuditActor::Of(who->person) : AuditActor{"anonymous", ""}, action, target, outcome);
  }
};

// A response that also records its outcome in the audit log. If the log cannot be written,
// nothing is served: an access that is not recorded does not happen.
Response Audited(Call& c, std::string_view action, std::string_view target, Response response,
                 std::string_view outcome = {}) {
  if (outcome.empty())
    outcome = response.status < 300   ? "ok"
              : response.status == 403 ? "forbidden"
              : response.status == 404 ? "not-found"
              : response.status == 409 ? "refused"
              : response.status == 400 ? "invalid"
                                       : "error";
  Status s = c.Audit(action, target, outcome);
  if (!s.ok()) return Error(503, "the audit log could not be written, so nothing was served: " + s.message());
  return response;
}

Result<json> Body(const Request& req) {
  auto body = ParseJsonInput(req.body, "the request body");
  if (!body.ok()) return body.status();
  if (!body->is_object()) return Status::InvalidArgument("the request body must be a JSON object");
  return body;
}

std::string TextField(const json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// What the audit log names when the reference asked for is no review: the address could
// carry anything, a child's name included, so it is never written down or echoed.
constexpr const char* kUnknownReview = "unknown-review";

// A review asked for by reference, as the caller may know of it.
struct FoundReview {
  Result<ReviewRecord> review;
  std::string audit_target;  // the reference, or kUnknownReview when there is no such review
  bool hidden = false;       // it exists, but is nothing of the caller's (CanSeeReview)
};

// The review `ref`, if the caller may know of it. A reference that is not a review and a review
// that is nothing of the caller's get the same NotFound, in words that repeat neither. Another
// board's review is, to the caller and in their board's audit log, a reference that does not
// exist: its reference never goes where this board's administrator reads it (docs/api.md, Roles).
FoundReview FindReview(Call& c, const std::string& ref) {
  auto r = c.board().Review(ref);  // another board's is not found
  if (!r.ok()) {
    if (r.status().code() == Status::Code::kNotFound)
      return {Status::NotFound("there is no such review, or it is not one of yours"), kUnknownReview};
    return {Status::Unavailable("the review could not be read; nothing was changed"), kUnknownReview};
  }
  if (!CanSeeReview(c.person(), *r))
    return {Status::NotFound("there is no such review, or it is not one of yours"), ref, true};
  return {std::move(r), ref};
}

// The answer, audited, for a review FindReview did not give: a hidden one of the caller's board
// is audited as forbidden against its reference; an unknown one, or another board's, as not
// found, against kUnknownReview.
Response NotGiven(Call& c, std::string_view action, const FoundReview& found) {
  return Audited(c, action, found.audit_target, Error(found.review.status()), found.hidden ? "forbidden" : "");
}

// ---- sign-in ----

Response SignIn(Call& c) {
  auto body = Body(c.req);
  if (!body.ok()) return Error(body.status());
  std::string email = TextField(*body, "email"), password = TextField(*body, "password");
  if (email.empty() || password.empty()) return Error(400, "sign in with {\"email\": ..., \"password\": ...}");
  auto signed_in = c.access.SignIn(email, password, c.req.client_address);
  if (!signed_in.ok()) return Error(signed_in.status());  // audited by SignIn
  auto who = c.access.FromSession(signed_in->secret);
  if (!who.ok()) return Error(who.status());
  c.who = *who;
  Response r = Json(201, {{"person", who->person.id},
                          {"roles", who->person.roles},
                          {"board", who->person.board_id},
                          {"csrf_token", signed_in->session.csrf_token},
                          {"expires_at", FormatInstant(signed_in->session.expires_at)}});
  std::string cookie = std::string(kSessionCookie) + "=" + signed_in->secret + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(c.options.session_length.count());
  if (c.options.secure_cookies) cookie += "; Secure";
  r.headers.emplace_back("Set-Cookie", cookie);
  return Audited(c, "session.create", who->person.id, std::move(r));
}

Response SignOut(Call& c) {
  if (!c.who->session) return Error(400, "an API token has no session to end; revoke the token instead");
  Status s = c.access.SignOut(c.req.session_cookie);
  if (!s.ok()) return Error(s);
  Response r;
  r.status = 204;
  r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  return Audited(c, "session.end", c.person().id, std::move(r));
}

json PersonJson(const Person& p) {
  json j = {{"id", p.id}, {"name", p.name}, {"email", p.email}, {"board", p.board_id}, {"agency", p.agency_id}, {"roles", p.roles}};
  if (p.removed_at) j["removed_at"] = FormatInstant(*p.removed_at);
  return j;
}

Response Me(Call& c) { return Json(200, PersonJson(c.person())); }

// A board-wide read: refused (and audited) unless `allowed`; otherwise `make` over the
// caller's board's reviews (open ones only when `open_only`), audited as `action`.
Response BoardRead(Call& c, std::string_view action, bool allowed, const std::string& why, bool open_only,
                   const std::function<json(const std::vector<ReviewRecord>&)>& make) {
  const std::string& board = c.person().board_id;
  if (!allowed) return Audited(c, action, board, Error(403, why));
  ReviewFilter f;
  f.open_only = open_only;
  auto reviews = c.board().Reviews(f);
  if (!reviews.ok()) return Error(reviews.status());
  return Audited(c, action, board, Json(200, make(*reviews)));
}

constexpr const char* kNeedsCaseRole = "needs a chair, panel member or business officer role";

// ---- reviews ----

// ?limit=N (a whole number, at least 1) and ?after=REF ask for one page of the list: the
// reviews after REF in ref order, at most N. Without limit the list is whole, as it always was.
Result<ReviewPage> ListPageOf(const Request& req) {
  ReviewPage page;
  if (auto after = req.query.find("after"); after != req.query.end()) page.after = after->second;
  auto limit = req.query.find("limit");
  if (limit == req.query.end()) return page;
  const std::string& text = limit->second;
  bool digits = !text.empty() && text.size() <= 9;  // up to 999,999,999: no overflow below
  for (char ch : text) digits = digits && ch >= '0' && ch <= '9';
  std::size_t n = digits ? std::stoul(text) : 0;
  if (n == 0) return Status::InvalidArgument("'limit' is a whole number of reviews, at least 1");
  page.limit = n;
  return page;
}

// The rows come from the reviews' summaries (Store::ListReviewSummaries), not their read
// models: a list of 10,000 reviews reads no projection (docs/performance.md, figure 5).
// "next" is the `after` of the next page; null when this page is the last.
Response ListReviews(Call& c) {
  const std::string& board = c.person().board_id;
  if (!SeesCaseDetails(c.person(), board))
    return Audited(c, "review.list", board, Error(403, std::string("the list of reviews ") + kNeedsCaseRole));
  auto page = ListPageOf(c.req);
  if (!page.ok()) return Audited(c, "review.list", board, Error(page.status()));
  ReviewFilter f;
  f.open_only = c.req.query.count("all") == 0;
  ReviewPage ask = *page;
  if (ask.limit != SIZE_MAX) ++ask.limit;  // one more than the page: is there a next one?
  Instant now = c.clock.Now();
  auto summaries = c.board().ReviewSummaries(f, ask);
  if (!summaries.ok()) return Error(summaries.status());
  json next = nullptr;
  if (summaries->size() > page->limit) {
    summaries->resize(page->limit);
    next = summaries->back().ref;
  }
  ReviewListMemo fresh;  // without a server's memo (tests), every row is made for this request
  ReviewListMemo& memo = c.options.review_list ? *c.options.review_list : fresh;
  Response list;
  list.body = memo.Body(*summaries, now, next);
  return Audited(c, "review.list", board, std::move(list));
}

Response ShowReview(Call& c) {
  const std::string& ref = c.params[0];
  FoundReview found = FindReview(c, ref);
  if (!found.review.ok()) return NotGiven(c, "review.read", found);
  auto& r = found.review;
  if (!SeesCaseDetails(c.person(), r->board_id))
    return Audited(c, "review.read", ref, Error(403, "review " + ref + "'s details need a chair, panel member or business officer role on its board"));
  json j = ReviewJson(*r);
  AddDueSummary(j, c.clock.Now());
  return Audited(c, "review.read", ref, Json(200, j));
}

Response ReviewEvents(Call& c) {
  const std::string& ref = c.params[0];
  FoundReview found = FindReview(c, ref);
  if (!found.review.ok()) return NotGiven(c, "review.events", found);
  auto& r = found.review;
  if (!SeesCaseDetails(c.person(), r->board_id))
    return Audited(c, "review.events", ref, Error(403, "review " + ref + "'s log needs a chair, panel member or business officer role on its board"));
  auto events = c.board().History(*r);
  if (!events.ok()) return Error(events.status());
  json out = json::array();
  for (const StoredEvent& e : *events)
    out.push_back({{"seq", e.seq},
                   {"type", e.type},
                   {"fields", json::parse(e.payload, nullptr, false)},
                   {"by", e.actor},
                   {"recorded_at", FormatInstant(e.recorded_at)}});
  return Audited(c, "review.events", ref, Json(200, {{"ref", ref}, {"events", out}}));
}

// ---- Idempotency-Key: a retried request is answered with its first result, not done again ----

// A key is what a client makes up for one request (a UUID, say): visible ASCII, 1 to 200 characters.
Status CheckIdempotencyKey(const std::string& key) {
  if (key.size() > 200 || std::any_of(key.begin(), key.end(), [](char ch) { return ch < '!' || ch > '~'; }))
    return Status::InvalidArgument(
        "the Idempotency-Key header must be 1 to 200 visible characters (letters, digits, punctuation), such as a UUID");
  return Status::Ok();
}

// The record the request's change keeps (nullopt without a key): the request is known by a
// digest of its method, address and body, so the key sent with another request is refused.
std::optional<IdempotencyRecord> IdempotencyFor(Call& c) {
  if (c.req.idempotency_key.empty()) return std::nullopt;
  IdempotencyRecord r;
  r.actor = c.person().id;
  r.key = c.req.idempotency_key;
  r.request = SecretHash(c.req.method + "\n" + c.req.path + "\n" + c.req.body);
  r.board_id = c.person().board_id;
  r.at = c.clock.Now();
  return r;
}

// The answer to a request whose key (`mine`, IdempotencyFor) was used before: the first result
// again (audited as a replay), or 422 when the key came with another request. nullopt: the key
// is new (or none was sent).
using Replay = std::function<Response(const IdempotencyRecord&)>;
std::optional<Response> Replayed(Call& c, const std::optional<IdempotencyRecord>& mine, std::string_view action,
                                 const Replay& replay) {
  if (!mine) return std::nullopt;
  auto found = c.board().FindIdempotency(mine->actor, mine->key, mine->at - kIdempotencyKept);
  if (!found.ok()) return Error(found.status());
  if (!*found) return std::nullopt;
  const IdempotencyRecord& first = **found;
  if (first.request != mine->request)
    return Audited(c, action, first.ref,
                   Error(422, "this Idempotency-Key was sent before with a different request; send a new key with a new request"));
  Response r = replay(first);
  r.headers.emplace_back("Idempotent-Replayed", "true");
  return Audited(c, action, first.ref, std::move(r), "replayed");
}

// A command's audit entry and idempotency record, written with its change: what it changed
// is never kept without the entry that records it, nor done twice for one key.
CommandTrail TrailFor(Call& c, const std::optional<IdempotencyRecord>& mine, std::string_view action) {
  CommandTrail trail;
  trail.audit = AuditEntry{};
  trail.audit->at = c.clock.Now();
  trail.audit->board_id = c.person().board_id;
  trail.audit->actor = c.person().id;
  trail.audit->action = std::string(action);
  trail.audit->outcome = "ok";
  trail.idempotency = mine;
  return trail;
}

Response RecordedReply(const std::string& ref, const std::string& event, std::int64_t seq, const std::string& stage) {
  return Json(201, {{"ref", ref}, {"event", event}, {"seq", seq}, {"stage", stage}});
}

Response RecordEvent(Call& c) {
  const std::string& ref = c.params[0];
  FoundReview found = FindReview(c, ref);
  if (!found.review.ok()) return NotGiven(c, "review.record", found);
  auto& r = found.review;
  if (Status key = CheckIdempotencyKey(c.req.idempotency_key); !key.ok())
    return Audited(c, "review.record", ref, Error(key));
  auto body = Body(c.req);
  if (!body.ok()) return Audited(c, "review.record", ref, Error(body.status()));
  std::string event = TextField(*body, "event");
  json fields = body->value("fields", json::object());
  if (event.empty() || !fields.is_object())
    return Audited(c, "review.record", ref, Error(400, "record an event with {\"event\": NAME, \"fields\": {...}}"));
  const Replay replay = [&](const IdempotencyRecord& first) { return RecordedReply(first.ref, event, first.seq, first.stage); };
  const auto mine = IdempotencyFor(c);  // the body's digest, once
  if (auto again = Replayed(c, mine, "review.record", replay)) return std::move(*again);
  auto people = c.board().People();
  if (!people.ok()) return Error(people.status());
  if (Status may = MayRecord(c.person(), *r, event, fields, *people); !may.ok())
    return Audited(c, "review.record", ref, Error(may));
  auto recorded = c.board().Record(*r, event, fields, c.person().id, TrailFor(c, mine, "review.record"));
  if (!recorded.ok()) {
    // A retry racing the first request: the first's result, once it is kept.
    if (auto again = Replayed(c, mine, "review.record", replay)) return std::move(*again);
    return Audited(c, "review.record", ref, Error(recorded.status()));
  }
  return RecordedReply(ref, event, recorded->last_seq, recorded->stage);  // audited with the change
}

// Opens a review: of the kind the body names ({"kind": "scr"}; the first kind registered when it
// names none), or of `fixed` (a kind's own address, ReviewKind::api_collection).
Response OpenReview(Call& c, std::string_view fixed) {
  auto body = Body(c.req);
  if (!body.ok()) return Audited(c, "review.open", "", Error(body.status()));
  const std::string named = body->contains("kind") ? TextField(*body, "kind") : std::string(fixed.empty() ? ReviewKinds().front()->name : fixed);
  const std::string kind = fixed.empty() ? named : std::string(fixed);
  const ReviewKind* k = FindReviewKind(kind);
  if (k == nullptr || named != kind)
    return Audited(c, "review.open", "", Error(400, "\"kind\" must be a kind of review (see GET /api/v1/events)"));
  const std::string action(k->open_action);
  if (Status key = CheckIdempotencyKey(c.req.idempotency_key); !key.ok()) return Audited(c, action, "", Error(key));
  std::string board = TextField(*body, "board");
  if (board.empty()) board = c.person().board_id;
  json fields = body->value("fields", json::object());
  if (!fields.is_object()) return Audited(c, action, "", Error(400, "\"fields\" must be a JSON object"));
  if (Status may = MayOpen(c.person(), board, kind); !may.ok()) return Audited(c, action, board, Error(may));
  const Replay replay = [](const IdempotencyRecord& first) { return Json(201, {{"ref", first.ref}}); };
  const auto mine = IdempotencyFor(c);  // the body's digest, once
  if (auto again = Replayed(c, mine, action, replay)) return std::move(*again);
  auto ref = c.board().Open(kind, fields, c.person().id, TrailFor(c, mine, action));  // MayOpen: board is theirs
  if (!ref.ok()) {
    if (auto again = Replayed(c, mine, action, replay)) return std::move(*again);
    return Audited(c, action, board, Error(ref.status()));
  }
  return Json(201, {{"ref", *ref}});  // audited with the change
}

Response Tasks(Call& c) {
  ReviewFilter f;
  f.open_only = true;
  auto reviews = c.board().Reviews(f);
  if (!reviews.ok()) return Error(reviews.status());
  return Audited(c, "tasks.read", c.person().id, Json(200, {{"tasks", TasksOf(c.person(), *reviews)}}));
}

Response Deadlines(Call& c) {
  Instant now = c.clock.Now();
  return BoardRead(c, "deadlines.read", SeesCaseDetails(c.person(), c.person().board_id),
                   std::string("the board's deadlines ") + kNeedsCaseRole, true,
                   [&](const std::vector<ReviewRecord>& reviews) {
                     json out = json::array();
                     for (const ReviewRecord& r : reviews) {
                       for (auto d : ReviewJson(r).value("deadlines", json::array())) {
                         if (d.value("status", "") == "met") continue;
                         auto due = ParseInstant(d.value("due", ""));
                         d["review"] = r.ref;
                         d["overdue"] = due.ok() && *due < now;
                         out.push_back(d);
                       }
                     }
                     std::sort(out.begin(), out.end(),
                               [](const json& x, const json& y) { return x.value("due", "") < y.value("due", ""); });
                     return json{{"deadlines", out}};
                   });
}

// ---- the board's reports ----

Response ActionPlans(Call& c) {
  Date today = LondonDate(c.clock.Now());
  return BoardRead(c, "action-plans.read", SeesBoardReports(c.person(), c.person().board_id),
                   "action-plan status is for the board, its chair, the panel chair and the business officer", false,
                   [&](const std::vector<ReviewRecord>& reviews) { return ActionPlanDigest(reviews, today, today); });
}

Response Slippage(Call& c) {
  Instant now = c.clock.Now();
  return BoardRead(c, "report.slippage", SeesCaseDetails(c.person(), c.person().board_id),
                   std::string("the slippage report names reviews and reasons: it ") + kNeedsCaseRole, false,
                   [&](const std::vector<ReviewRecord>& reviews) { return SlippageReport(reviews, now); });
}

// A kind's report over a period (common/review_kind.hpp), audited as "report.NAME".
Response PeriodReportOf(Call& c, const PeriodReport& report) {
  auto from = ParseDate(c.req.query.count("from") ? c.req.query.at("from") : "");
  auto to = ParseDate(c.req.query.count("to") ? c.req.query.at("to") : "");
  bool allowed = SeesBoardReports(c.person(), c.person().board_id);
  if (allowed && (!from.ok() || !to.ok())) return Error(400, "give the notification dates as ?from=YYYY-MM-DD&to=YYYY-MM-DD");
  if (allowed && std::chrono::sys_days(*to) < std::chrono::sys_days(*from)) return Error(400, "'to' is before 'from'");
  Instant now = c.clock.Now();
  return BoardRead(c, "report." + std::string(report.name), allowed,
                   std::string(report.title) + " is for the board, its chair, the panel chair and the business officer",
                   false, [&](const std::vector<ReviewRecord>& reviews) { return report.build(reviews, *from, *to, now); });
}

// ---- administration ----

Response Forbid(Call& c, std::string_view action, const std::string& why) {
  return Audited(c, action, "", Error(403, why));
}

Response Outbox(Call& c) {
  const Person& p = c.person();
  if (!IsAdministrator(p) && !p.HasRole("business-officer"))
    return Forbid(c, "outbox.read", "the outbox is for administrators and the business officer");
  NoticeFilter f;
  if (c.req.query.count("status")) f.status = c.req.query.at("status");
  auto notices = c.board().Notices(f);
  if (!notices.ok()) return Error(notices.status());
  json out = json::array();
  for (const Notice& n : *notices)
    out.push_back({{"id", n.id},
                   {"review", n.review_ref},
                   {"kind", n.kind},
                   {"recipients", n.recipients},
                   {"status", n.status},
                   {"attempts", n.attempts},
                   {"created_at", FormatInstant(n.created_at)},
                   {"last_error", n.last_error}});
  return Audited(c, "outbox.read", p.board_id, Json(200, {{"notices", out}}));
}

json AuditJson(const AuditEntry& e) {
  return {{"seq", e.seq},       {"at", FormatInstant(e.at)}, {"board", e.board_id}, {"actor", e.actor},
          {"action", e.action}, {"target", e.target},        {"outcome", e.outcome},  {"hash", e.hash}};
}

Response AuditLog(Call& c) {
  if (!IsAdministrator(c.person())) return Forbid(c, "audit.read", "the audit log is for administrators");
  AuditFilter f;
  const auto& q = c.req.query;
  if (q.count("actor")) f.actor = q.at("actor");
  if (q.count("target")) f.target = q.at("target");
  try {
    if (q.count("after")) f.after_seq = std::stoll(q.at("after"));
    if (q.count("limit")) f.limit = static_cast<std::size_t>(std::clamp(std::stoll(q.at("limit")), 1LL, 5000LL));
  } catch (const std::exception&) {
    return Error(400, "'after' and 'limit' are whole numbers");
  }
  for (const char* key : {"since", "until"}) {
    if (!q.count(key)) continue;
    auto at = ParseInstant(q.at(key));
    if (!at.ok()) return Error(400, std::string("'") + key + "' is a date or an ISO 8601 time");
    (std::string_view(key) == "since" ? f.since : f.until) = *at;
  }
  auto entries = c.board().Audit(f);  // an administrator reads their own board's log only
  if (!entries.ok()) return Error(entries.status());
  json out = json::array();
  for (const AuditEntry& e : *entries) out.push_back(AuditJson(e));
  return Audited(c, "audit.read", "", Json(200, {{"entries", out}}));
}

Response AuditVerify(Call& c) {
  if (!IsAdministrator(c.person())) return Forbid(c, "audit.verify", "the audit log is for administrators");
  // The chain is one for every board, so it is checked whole; the counts and head are the board's.
  auto v = c.board().VerifyAudit();
  if (!v.ok()) return Error(v.status());
  json out = {{"entries", v->board_entries},  {"head_seq", v->board_head_seq}, {"head_hash", v->board_head_hash},
              {"keyed_from", v->keyed_from}, {"intact", v->problem.empty()}};
  if (!v->problem.empty()) out["problem"] = v->problem;
  return Audited(c, "audit.verify", "", Json(200, out));
}

Response People(Call& c) {
  const Person& p = c.person();
  if (!IsAdministrator(p) && !p.HasRole("business-officer"))
    return Forbid(c, "people.read", "the board's people are listed for administrators and the business officer");
  auto people = c.board().People();
  if (!people.ok()) return Error(people.status());
  json out = json::array();
  for (const Person& person : *people) out.push_back(PersonJson(person));
  return Audited(c, "people.read", p.board_id, Json(200, {{"people", out}}));
}

// ---- the board's set-up (docs/api.md: administration) ----

// The board's person with this id, if there is one.
std::optional<Person> StoredPerson(const std::vector<Person>& people, const std::string& id) {
  auto it = std::find_if(people.begin(), people.end(), [&](const Person& x) { return x.id == id; });
  return it == people.end() ? std::nullopt : std::optional<Person>(*it);
}

bool KeepsBoard(const Person& p) { return IsAdministrator(p) || p.HasRole("business-officer"); }
constexpr const char* kKeepsBoard = "the board's set-up is kept by administrators and the business officer";

Response ShowBoard(Call& c) {
  const Person& p = c.person();
  if (!KeepsBoard(p)) return Forbid(c, "board.read", kKeepsBoard);
  BoardScope scope = c.board();
  auto board = scope.Data();
  if (!board.ok()) return Error(board.status());
  auto meetings = scope.Meetings();
  if (!meetings.ok()) return Error(meetings.status());
  json out = BoardDataToJson(*board);
  out["meetings"] = json::array();
  for (Date d : *meetings) out["meetings"].push_back(FormatDate(d));
  return Audited(c, "board.read", p.board_id, Json(200, out));
}

// The whole board file (as `casereview import board.json`): all or nothing.
Response ImportBoard(Call& c) {
  const Person& p = c.person();
  if (!IsAdministrator(p)) return Forbid(c, "board.import", "a board file is imported by an administrator");
  auto data = ParseBoardJson(c.req.body);
  if (!data.ok()) return Audited(c, "board.import", p.board_id, Error(data.status()));
  BoardScope scope = c.board();
  if (data->board.id != scope.id())  // (Import refuses it too)
    return Audited(c, "board.import", p.board_id, Error(403, "the file is another board's: import it as one of that board's administrators"));
  auto people = scope.People();
  if (!people.ok()) return Error(people.status());
  for (const Person& after : data->people) {
    if (Status may = MayPutPerson(p, StoredPerson(*people, after.id), after); !may.ok())
      return Audited(c, "board.import", p.board_id, Error(may));
  }
  if (Status s = scope.Import(*data); !s.ok()) return Audited(c, "board.import", p.board_id, Error(s));
  return Audited(c, "board.import", p.board_id,
                 Json(200, {{"board", p.board_id}, {"agencies", data->agencies.size()}, {"people", data->people.size()}}));
}

Response PutAgency(Call& c) {
  const Person& p = c.person();
  if (!KeepsBoard(p)) return Forbid(c, "agency.put", kKeepsBoard);
  auto body = Body(c.req);
  if (!body.ok()) return Error(body.status());
  Agency a{TextField(*body, "id"), p.board_id, TextField(*body, "name"), TextField(*body, "sector")};
  if (a.id.empty() || a.name.empty()) return Error(400, "an agency is {\"id\": ..., \"name\": ..., \"sector\": ...}");
  if (Status s = c.board().PutAgency(a); !s.ok()) return Audited(c, "agency.put", a.id, Error(s));
  return Audited(c, "agency.put", a.id, Json(200, {{"id", a.id}, {"name", a.name}, {"sector", a.sector}}));
}

Response PutPerson(Call& c) {
  const Person& p = c.person();
  if (!KeepsBoard(p)) return Forbid(c, "person.put", kKeepsBoard);
  auto body = Body(c.req);
  if (!body.ok()) return Error(body.status());
  Person person{TextField(*body, "id"), p.board_id, TextField(*body, "name"), TextField(*body, "email"), TextField(*body, "agency"), {}, std::nullopt};
  const json roles = body->value("roles", json::array());
  if (!roles.is_array()) return Error(400, "\"roles\" is a list of role names");
  for (const json& r : roles) {
    if (!r.is_string()) return Error(400, "\"roles\" is a list of role names");
    person.roles.push_back(r.get<std::string>());
  }
  if (person.id.empty() || person.name.empty() || person.email.empty())
    return Error(400, "a person is {\"id\", \"name\", \"email\", \"agency\", \"roles\": [...]}");
  BoardScope scope = c.board();
  auto people = scope.People();
  if (!people.ok()) return Error(people.status());
  if (Status may = MayPutPerson(p, StoredPerson(*people, person.id), person); !may.ok())
    return Audited(c, "person.put", person.id, Error(may));
  if (Status s = scope.PutPerson(person); !s.ok()) return Audited(c, "person.put", person.id, Error(s));
  return Audited(c, "person.put", person.id, Json(200, PersonJson(person)));
}

// The person leaves the board: they can no longer sign in or be given work, and stay in the
// history that names them. Any person not of the caller's board is answered as unknown.
Response RemovePerson(Call& c) {
  const Person& p = c.person();
  if (!KeepsBoard(p)) return Forbid(c, "person.remove", kKeepsBoard);
  BoardScope scope = c.board();
  auto target = scope.FindPerson(c.params[0]);
  if (!target.ok()) return Error(target.status());
  if (!*target) return Audited(c, "person.remove", "unknown-person", Error(404, "there is no such person on your board"));
  const Person& leaving = **target;
  if (Status may = MayRemovePerson(p, leaving); !may.ok()) return Audited(c, "person.remove", leaving.id, Error(may));
  if (Status s = scope.RemovePerson(leaving.id, c.clock.Now()); !s.ok()) return Audited(c, "person.remove", leaving.id, Error(s));
  Response r;
  r.status = 204;
  return Audited(c, "person.remove", leaving.id, std::move(r));
}

Response AddMeeting(Call& c) {
  const Person& p = c.person();
  if (!KeepsBoard(p) && !p.HasRole("board-chair"))
    return Forbid(c, "board.meeting", "board meetings are entered by the business officer, the board chair or an administrator");
  auto body = Body(c.req);
  if (!body.ok()) return Error(body.status());
  auto date = ParseDate(TextField(*body, "date"));
  if (!date.ok()) return Error(400, "a board meeting is {\"date\": \"YYYY-MM-DD\"}");
  if (Status s = c.board().AddMeeting(*date, c.clock.Now()); !s.ok()) return Error(s);
  return Audited(c, "board.meeting", p.board_id, Json(201, {{"board", p.board_id}, {"date", FormatDate(*date)}}));
}

// Failed notices queued again with a fresh count of attempts; the server's notifier sends them.
Response RetryNotices(Call& c) {
  const Person& p = c.person();
  if (!IsAdministrator(p) && !p.HasRole("business-officer"))
    return Forbid(c, "outbox.retry", "the outbox is for administrators and the business officer");
  auto body = Body(c.req);
  if (!body.ok()) return Error(body.status());
  std::string id = TextField(*body, "notice");
  bool all = body->value("all", false) == true;
  if (id.empty() == !all) return Error(400, "retry one notice, {\"notice\": ID}, or every failed one, {\"all\": true}");
  auto n = c.board().RequeueFailed(all ? std::nullopt : std::optional<std::string>(id), c.clock.Now());
  if (!n.ok()) return Audited(c, "outbox.retry", id, Error(n.status()));
  return Audited(c, "outbox.retry", id, Json(200, {{"queued", *n}}));
}

// A token acts as its person, so each person makes their own: nobody, an administrator
// included, makes one that acts as somebody else.
Response CreateToken(Call& c) {
  if (Status key = CheckIdempotencyKey(c.req.idempotency_key); !key.ok()) return Error(key);
  auto body = Body(c.req);
  if (!body.ok()) return Error(body.status());
  const std::string& person = c.person().id;
  std::string label = TextField(*body, "label");
  if (std::string asked = TextField(*body, "person"); !asked.empty() && asked != person)
    return Forbid(c, "token.create", "a token acts as the person who makes it: each person makes their own");
  // A token's secret is shown once and never kept: a retry is told which token it made.
  const Replay replay = [&](const IdempotencyRecord& first) {
    return Json(409, {{"error", "this request already made token " + first.ref +
                                    "; its secret was shown only once: if it was lost, revoke that token and make another"},
                      {"id", first.ref}});
  };
  auto mine = IdempotencyFor(c);  // the body's digest, once
  if (auto again = Replayed(c, mine, "token.create", replay)) return std::move(*again);
  auto token = c.access.CreateToken(c.person().board_id, person, label);
  if (!token.ok()) return Audited(c, "token.create", person, Error(token.status()));
  if (auto& kept = mine) {
    kept->ref = token->token.id;
    // If the store cannot keep it, the token still stands and is answered; a retry would then
    // make a second token, which its maker sees in their list and can revoke.
    (void)c.board().PutIdempotency(*kept, kept->at - kIdempotencyKept);
  }
  return Audited(c, "token.create", person,
                 Json(201, {{"id", token->token.id}, {"person", person}, {"label", label}, {"token", token->secret}}));
}

// A person revokes their own tokens; an administrator, any token of their board's people. Any
// other token is answered as one that does not exist.
Response RevokeToken(Call& c) {
  const Person& p = c.person();
  auto tokens = c.board().Tokens();  // only the caller's board's tokens
  if (!tokens.ok()) return Error(tokens.status());
  auto token = std::find_if(tokens->begin(), tokens->end(), [&](const ApiToken& t) { return t.id == c.params[0]; });
  bool mine = token != tokens->end() && token->person_id == p.id;
  bool of_my_board = token != tokens->end() && IsAdministrator(p);
  if (!mine && !of_my_board) return Audited(c, "token.revoke", "unknown-token", Error(404, "there is no such token, or it is not yours to revoke"));
  Status s = c.access.RevokeToken(token->id);
  if (!s.ok()) return Audited(c, "token.revoke", c.params[0], Error(s));
  Response r;
  r.status = 204;
  return Audited(c, "token.revoke", c.params[0], std::move(r));
}

// ---- calendar feeds ----

Response CalendarAddress(Call& c) {
  const Person& p = c.person();
  auto key = c.board().CalendarKey(p.id, c.clock.Now());
  if (!key.ok()) return Error(key.status());
  return Json(200, {{"path", "/calendar/" + p.board_id + "/" + p.id + "/" + *key + ".ics"},
                    {"note", "a private address: anyone who has it sees your due dates"}});
}

// No sign-in (calendar programs cannot): the key in the address is the credential.
Response CalendarFeedFor(Call& c) {
  const std::string& board_id = c.params[0];
  const std::string& person_id = c.params[1];
  std::string key = c.params[2];
  if (key.size() < 4 || key.substr(key.size() - 4) != ".ics") return Error(404, "no such calendar");
  key.resize(key.size() - 4);
  // Not signed in: the address names the board and the person, and its key is checked first.
  BoardScope scope(c.store, c.engine, board_id);
  auto matches = scope.CalendarKeyMatches(person_id, key, c.clock.Now());
  if (!matches.ok()) return Error(matches.status());
  if (!*matches) return Audited(c, "calendar.read", "", Error(404, "no such calendar"));
  auto found = scope.FindPerson(person_id);
  if (!found.ok()) return Error(found.status());
  if (!*found || (*found)->removed_at) return Audited(c, "calendar.read", "", Error(404, "no such calendar"));
  const Person person = **found;
  c.who = Principal{person, std::nullopt, ""};
  ReviewFilter f;
  f.open_only = true;
  auto reviews = scope.Reviews(f);
  if (!reviews.ok()) return Error(reviews.status());
  Response r;
  r.content_type = "text/calendar";
  r.body = CalendarFeed(person, *reviews, c.clock.Now());
  return Audited(c, "calendar.read", person.id, std::move(r));
}

Response EventCatalogue(Call&) {
  json out = json::array();
  for (const EventHelp& e : AllEventHelp())
    out.push_back({{"kind", e.kind}, {"name", e.name}, {"summary", e.summary}, {"fields", e.fields}});
  return Json(200, {{"events", out}});
}

// ---- routing ----

struct Route {
  std::string method;
  std::vector<std::string> pattern;  // "{}" matches one segment
  bool needs_sign_in;
  std::function<Response(Call&)> handle;
};

std::vector<Route> AllRoutes() {
  std::vector<Route> routes = {
      {"POST", {"api", "v1", "session"}, false, SignIn},
      {"DELETE", {"api", "v1", "session"}, true, SignOut},
      {"GET", {"api", "v1", "me"}, true, Me},
      {"GET", {"api", "v1", "reviews"}, true, ListReviews},
      {"POST", {"api", "v1", "reviews"}, true, [](Call& c) { return OpenReview(c, ""); }},
      {"GET", {"api", "v1", "reviews", "{}"}, true, ShowReview},
      {"GET", {"api", "v1", "reviews", "{}", "events"}, true, ReviewEvents},
      {"POST", {"api", "v1", "reviews", "{}", "events"}, true, RecordEvent},
      {"GET", {"api", "v1", "tasks"}, true, Tasks},
      {"GET", {"api", "v1", "deadlines"}, true, Deadlines},
      {"GET", {"api", "v1", "action-plans"}, true, ActionPlans},
      {"GET", {"api", "v1", "reports", "slippage"}, true, Slippage},
      {"GET", {"api", "v1", "outbox"}, true, Outbox},
      {"GET", {"api", "v1", "people"}, true, People},
      {"POST", {"api", "v1", "people"}, true, PutPerson},
      {"DELETE", {"api", "v1", "people", "{}"}, true, RemovePerson},
      {"POST", {"api", "v1", "agencies"}, true, PutAgency},
      {"GET", {"api", "v1", "board"}, true, ShowBoard},
      {"PUT", {"api", "v1", "board"}, true, ImportBoard},
      {"POST", {"api", "v1", "board", "meetings"}, true, AddMeeting},
      {"POST", {"api", "v1", "outbox", "retry"}, true, RetryNotices},
      {"GET", {"api", "v1", "audit"}, true, AuditLog},
      {"GET", {"api", "v1", "audit", "verify"}, true, AuditVerify},
      {"POST", {"api", "v1", "tokens"}, true, CreateToken},
      {"DELETE", {"api", "v1", "tokens", "{}"}, true, RevokeToken},
      {"GET", {"api", "v1", "events"}, true, EventCatalogue},
      {"GET", {"api", "v1", "calendar"}, true, CalendarAddress},
      {"GET", {"calendar", "{}", "{}", "{}"}, false, CalendarFeedFor},
  };
  // Each kind's own address for opening one, and its reports over a period.
  for (const ReviewKind* kind : ReviewKinds()) {
    if (!kind->api_collection.empty())
      routes.push_back({"POST", {"api", "v1", std::string(kind->api_collection)}, true,
                        [kind](Call& c) { return OpenReview(c, kind->name); }});
    for (const PeriodReport& r : kind->period_reports)
      routes.push_back({"GET", {"api", "v1", "reports", std::string(r.name)}, true,
                        [&r](Call& c) { return PeriodReportOf(c, r); }});
  }
  return routes;
}

// Built on first use, after every kind is registered (common/review_kind.hpp).
const std::vector<Route>& Routes() {
  static const std::vector<Route> kRoutes = AllRoutes();
  return kRoutes;
}

bool Matches(const Route& route, const std::vector<std::string>& segments, std::vector<std::string>& params) {
  if (route.pattern.size() != segments.size()) return false;
  params.clear();
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (route.pattern[i] == "{}") params.push_back(segments[i]);
    else if (route.pattern[i] != segments[i]) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> PathSegments(const std::string& path) {
  std::vector<std::string> out;
  std::istringstream in(path);
  for (std::string part; std::getline(in, part, '/');)
    if (!part.empty()) out.push_back(part);
  return out;
}

int HttpStatusFor(const Status& s) {
  switch (s.code()) {
    case Status::Code::kOk: return 200;
    case Status::Code::kInvalidArgument: return 400;
    case Status::Code::kUnauthenticated: return 401;
    case Status::Code::kForbidden: return 403;
    case Status::Code::kTooManyAttempts: return 429;
    case Status::Code::kNotFound: return 404;
    case Status::Code::kRefused:
    case Status::Code::kConflict: return 409;
    case Status::Code::kUnavailable: return 503;
    default: return 500;
  }
}

Response Handle(const Request& req, Store& store, Engine& engine, const Clock& clock, const ApiOptions& options) {
  if (req.path == "/api/v1/health" && req.method == "GET") return Json(200, {{"status", "ok"}});
  Access access(store, clock, options.session_length);
  std::vector<std::string> segments = PathSegments(req.path);
  bool path_known = false;
  for (const Route& route : Routes()) {
    std::vector<std::string> params;
    if (!Matches(route, segments, params)) continue;
    path_known = true;
    if (route.method != req.method) continue;
    Call call{req, store, engine, clock, access, options, std::move(params), std::nullopt};
    if (route.needs_sign_in) {
      // A token when one is given; otherwise the session cookie, which must carry the
      // CSRF token on every request that changes something.
      auto who = !req.bearer_token.empty() ? access.FromToken(req.bearer_token) : access.FromSession(req.session_cookie);
      if (!who.ok()) return Error(who.status());
      if (who->session && req.method != "GET" && req.csrf_header != who->session->csrf_token)
        return Error(403, "this request changes something: send the session's CSRF token in X-CSRF-Token");
      call.who = *who;
    }
    return route.handle(call);
  }
  // Neither echoes the request: a path could carry anything, a child's name included.
  if (path_known) return Error(405, "this endpoint does not take that method (docs/api.md lists them)");
  return Error(404, "no such endpoint (docs/api.md lists them)");
}

}  // namespace casereview::http

#include "web.hpp"

#include <Poco/URI.h>

#include <algorithm>
#include <kainjow/mustache.hpp>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "access.hpp"
#include "board_scope.hpp"
#include "action_plan/action_workflow.hpp"
#include "common/review_kind.hpp"
#include "calendar.hpp"
#include "casereview/mustache_json.hpp"
#include "charts.hpp"
#include "digest.hpp"
#include "permissions.hpp"

namespace casereview {
std::string_view BuiltInStylesheet();                                        // generated: web/casereview.scss
const std::map<std::string_view, std::string_view>& BuiltInWebTemplates();  // generated: app/web/templates
}  // namespace casereview

namespace casereview::http {
namespace {

using json = nlohmann::json;
using Form = std::multimap<std::string, std::string>;

// ---- plumbing ----

std::string RenderTemplate(std::string_view name, const json& data) {
  const auto& templates = BuiltInWebTemplates();
  auto it = templates.find(name);
  if (it == templates.end()) throw std::logic_error("no web template " + std::string(name));
  kainjow::mustache::mustache tmpl{std::string(it->second)};
  if (!tmpl.is_valid()) throw std::logic_error("web template " + std::string(name) + ": " + tmpl.error_message());
  // Files named "_x.html" are partials, included as {{> x}}.
  kainjow::mustache::data view = MustacheData(data);
  for (const auto& [file, text] : templates)
    if (file.front() == '_' && file.size() > 6)
      view.set(std::string(file.substr(1, file.size() - 6)),
               kainjow::mustache::data{kainjow::mustache::partial{[body = std::string(text)] { return body; }}});
  return tmpl.render(view);
}

Response Redirect(const std::string& location) {
  Response r;
  r.status = 303;
  r.content_type = "text/html";
  r.headers.emplace_back("Location", location);
  return r;
}

bool IsUtf8(const std::string& s) {
  try {
    (void)json(s).dump();
    return true;
  } catch (const json::type_error&) {
    return false;
  }
}

// application/x-www-form-urlencoded, repeated names kept (checkboxes). Throws on a bad %-escape.
Form ParseForm(const std::string& body) {
  Form form;
  std::istringstream in(body);
  // '+' is a space in a form (an encoded plus is %2B); Poco's plusAsSpace only applies after a '?'.
  auto decode = [](std::string part) {
    std::replace(part.begin(), part.end(), '+', ' ');
    std::string out;
    Poco::URI::decode(part, out);
    return out;
  };
  for (std::string pair; std::getline(in, pair, '&');) {
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string name = decode(pair.substr(0, eq));
    std::string value = eq == std::string::npos ? std::string() : decode(pair.substr(eq + 1));
    // The pages are UTF-8, so a browser's form is too (found by the web_request fuzzer: a
    // value that was not made the JSON for the API throw).
    if (!IsUtf8(name) || !IsUtf8(value)) throw std::invalid_argument("the form is not UTF-8 text");
    form.emplace(std::move(name), std::move(value));
  }
  return form;
}

std::string First(const Form& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

std::vector<std::string> All(const Form& form, const std::string& name) {
  std::vector<std::string> out;
  auto [from, to] = form.equal_range(name);
  for (auto it = from; it != to; ++it)
    if (!it->second.empty()) out.push_back(it->second);
  return out;
}

std::string QueryValue(const Request& req, const std::string& key) {
  auto it = req.query.find(key);
  return it == req.query.end() ? std::string() : it->second;
}

// "referring_agency" -> "Referring agency"; "panel-chair" -> "panel chair".
std::string Words(std::string s, bool capital) {
  std::replace(s.begin(), s.end(), '_', ' ');
  std::replace(s.begin(), s.end(), '-', ' ');
  if (capital && !s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string KindText(const std::string& kind) {
  const ReviewKind* k = FindReviewKind(kind);
  return k ? std::string(k->title) : "Review";
}

std::string HoldersText(const json& holders) {
  std::string out;
  for (const json& h : holders) {
    if (!out.empty()) out += ", ";
    out += Words(h.value("role", ""), false);
    std::string who = h.value("person", "");
    if (who.empty()) who = h.value("agency", "");
    if (!who.empty()) out += " (" + who + ")";
  }
  return out.empty() ? "nobody" : out;
}

bool KnownEvent(const std::string& name) {
  for (const EventHelp& e : AllEventHelp())
    if (e.name == name) return true;
  return false;
}

std::optional<EventHelp> FindEvent(const std::string& kind, const std::string& name) {
  for (const EventHelp& e : EventHelpFor(kind))
    if (e.name == name) return e;
  return std::nullopt;
}

// One browser request, as the pages see it.
struct Ctx {
  const Request& req;
  Store& store;
  Engine& engine;
  const Clock& clock;
  const ApiOptions& options;
  std::optional<Principal> who;
  Form form;  // a POST's fields

  const Person& person() const { return who->person; }
  // The signed-in person's board and only it (board_scope.hpp), for what a page reads itself.
  BoardScope board() { return BoardScope(store, engine, who->person.board_id); }

  // Calls the JSON API as the signed-in person: the same roles, refusals and audit entries
  // as any other client. The CSRF header is sent only for a form whose token was checked.
  Response Api(const std::string& method, const std::string& path, std::map<std::string, std::string> query = {},
               const json& body = nullptr) const {
    Request r;
    r.method = method;
    r.path = path;
    r.query = std::move(query);
    if (!body.is_null()) r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    r.session_cookie = req.session_cookie;
    if (method != "GET" && who && who->session) r.csrf_header = who->session->csrf_token;
    // Each form is rendered with a key of its own (NewRequestKey): a form sent twice (a
    // double click, a reload) is answered with what the first did, not done again.
    if (method == "POST")
      if (auto key = form.find("request_key"); key != form.end()) r.idempotency_key = key->second;
    return Handle(r, store, engine, clock, options);
  }
};

json BodyOf(const Response& r) {
  json j = json::parse(r.body, nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

std::string ErrorOf(const Response& r) {
  json j = BodyOf(r);
  return j.is_object() ? j.value("error", "casereview could not do this") : "casereview could not do this";
}

struct NavItem {
  const char* href;
  const char* text;
};

bool DoesTasks(const Person& p) {
  return p.HasRole("imr-author") || p.HasRole("report-author") || p.HasRole("senior-manager") ||
         p.HasRole("lead-officer") || p.HasRole("overview-writer");
}

std::vector<NavItem> NavFor(const Person& p) {
  std::vector<NavItem> nav;
  if (SeesCaseDetails(p, p.board_id)) nav.push_back({"/reviews", "Reviews"});
  if (DoesTasks(p)) nav.push_back({"/tasks", "My tasks"});
  if (SeesBoardReports(p, p.board_id)) nav.push_back({"/board", "Action plans"});
  if (IsAdministrator(p)) nav.push_back({"/audit", "Audit log"});
  return nav;
}

// The whole page: `content_template` rendered with `data`, inside the layout.
Response Page(const Ctx& c, int status, const std::string& title, std::string_view content_template, const json& data) {
  json layout = {{"title", title}, {"content", RenderTemplate(content_template, data)}};
  if (data.contains("error")) layout["error"] = data["error"];
  if (c.who) {
    layout["signed_in"] = true;
    layout["person_name"] = c.person().name;
    layout["csrf_token"] = c.who->session ? c.who->session->csrf_token : "";
    json nav = json::array();
    std::string here = c.req.path;
    for (const NavItem& item : NavFor(c.person()))
      nav.push_back({{"href", item.href}, {"text", item.text}, {"current", here.rfind(item.href, 0) == 0}});
    layout["nav"] = nav;
  }
  Response r;
  r.status = status;
  r.content_type = "text/html";
  r.body = RenderTemplate("layout.html", layout);
  return r;
}

Response Message(const Ctx& c, int status, const std::string& heading, const std::string& message) {
  return Page(c, status, heading, "message.html",
              {{"heading", heading}, {"message", message}, {"link", {{"href", "/"}, {"text", "Go to your home page"}}}});
}

// An API refusal or failure as a page: its own status and message (which never carries
// case details).
Response ApiFailure(const Ctx& c, const Response& api) {
  std::string heading = api.status == 403   ? "You cannot see or do this"
                        : api.status == 404 ? "Not found"
                        : api.status == 503 ? "Not available just now"
                                            : "casereview could not do this";
  return Message(c, api.status, heading, ErrorOf(api));
}

Date Today(const Ctx& c) { return LondonDate(c.clock.Now()); }

// Days from today to `date` (negative when past); nullopt for a missing or bad date.
std::optional<long> DaysUntil(const Ctx& c, const std::string& date) {
  auto d = ParseDate(date);
  if (!d.ok()) return std::nullopt;
  return (std::chrono::sys_days{*d} - std::chrono::sys_days{Today(c)}).count();
}

// ---- signing in and out ----

// The sign-in form carries a fresh token, also set as the kSignInCookie cookie; SignIn takes
// only a form whose token matches the cookie (double submit), so another site cannot sign a
// browser in to casereview as somebody else.
Response SignInPage(const Ctx& c, int status, const std::string& error, const std::string& email) {
  const std::string token = NewSecret();
  json data = {{"email", email}, {"signed_out", QueryValue(c.req, "signed_out") == "1"}, {"sign_in_token", token}};
  if (!error.empty()) {
    data["error"] = error;
    data["error_target"] = "email";
  }
  Response r = Page(c, status, "Sign in", "sign_in.html", data);
  std::string cookie = std::string(kSignInCookie) + "=" + token + "; Path=/sign-in; HttpOnly; SameSite=Strict; Max-Age=3600";
  if (c.options.secure_cookies) cookie += "; Secure";
  r.headers.emplace_back("Set-Cookie", cookie);
  return r;
}

Response SignIn(Ctx& c) {
  if (c.req.sign_in_cookie.empty() || First(c.form, "sign_in_token") != c.req.sign_in_cookie)
    return SignInPage(c, 403, "This sign-in form has expired or came from another site: sign in again here", "");
  std::string email = First(c.form, "email"), password = First(c.form, "password");
  if (email.empty() || password.empty())
    return SignInPage(c, 400, "Enter your email address and your password", email);
  Response api = c.Api("POST", "/api/v1/session", {}, {{"email", email}, {"password", password}});
  if (api.status != 201) {
    std::string error = api.status == 401 ? "Enter the email address and password your board holds for you"
                                          : ErrorOf(api);
    return SignInPage(c, api.status, error, email);
  }
  Response r = Redirect("/");
  for (const auto& h : api.headers)
    if (h.first == "Set-Cookie") r.headers.push_back(h);
  return r;
}

Response SignOut(Ctx& c) {
  Response api = c.Api("DELETE", "/api/v1/session");
  if (api.status != 204) return ApiFailure(c, api);
  Response r = Redirect("/sign-in?signed_out=1");
  for (const auto& h : api.headers)
    if (h.first == "Set-Cookie") r.headers.push_back(h);
  return r;
}

Response Home(Ctx& c) {
  auto nav = NavFor(c.person());
  if (!nav.empty()) return Redirect(nav.front().href);
  return Message(c, 200, "Nothing here for your role",
                 "Your roles do not include any of casereview's pages. Ask your board's administrator.");
}

// ---- the panel chair: every review on one page ----

constexpr int kReviewsPerPage = 500;

Response Reviews(Ctx& c) {
  bool all = !QueryValue(c.req, "all").empty();
  // A board's open reviews fit one page; a page of kReviewsPerPage at a time beyond that.
  std::map<std::string, std::string> query = {{"limit", std::to_string(kReviewsPerPage)}};
  if (all) query["all"] = "1";
  std::string after = QueryValue(c.req, "after");
  if (!after.empty()) query["after"] = after;
  Response api = c.Api("GET", "/api/v1/reviews", query);
  if (api.status != 200) return ApiFailure(c, api);
  json rows = json::array();
  int overdue_reviews = 0;
  const json reply = BodyOf(api);
  for (const json& r : reply.value("reviews", json::array())) {
    int overdue = r.value("overdue", 0);
    if (overdue > 0) ++overdue_reviews;
    json row = {{"ref", r.value("ref", "")},
                {"kind_text", KindText(r.value("kind", ""))},
                {"stage", r.value("stage", "")},
                {"next_what", r["next_step"].value("what", "")},
                {"holders", HoldersText(r["next_step"].value("holders", json::array()))},
                {"overdue", overdue > 0},
                {"overdue_count", overdue},
                {"overdue_text", overdue == 1 ? std::string("1 overdue") : std::to_string(overdue) + " overdue"}};
    if (r.contains("next_due")) {
      row["due_date"] = r["next_due"].value("due_date", "");
      row["due_what"] = r["next_due"].value("what", "");
      int days = r["next_due"].value("days_left", 0);
      row["days_left"] = days < 0 ? std::to_string(-days) + " overdue" : std::to_string(days);
    }
    rows.push_back(row);
  }
  // Overdue reviews first, then by the next due date; nothing due last.
  std::stable_sort(rows.begin(), rows.end(), [](const json& a, const json& b) {
    int ao = a["overdue_count"], bo = b["overdue_count"];
    if ((ao > 0) != (bo > 0)) return ao > 0;
    std::string ad = a.value("due_date", "~"), bd = b.value("due_date", "~");
    return ad < bd;
  });
  const Person& p = c.person();
  std::string summary = std::to_string(rows.size()) + (all ? " review" : " open review") + (rows.size() == 1 ? "." : "s.");
  json data = {{"board", p.board_id},
               {"all", all},
               {"rows", rows},
               {"has_rows", !rows.empty()},
               {"caption", all ? "Every review" : "Open reviews"},
               {"summary", summary}};
  json opens = json::array();  // the kinds of review the reader may open
  for (const ReviewKind* k : ReviewKinds())
    if (MayOpen(p, p.board_id, k->name).ok())
      opens.push_back({{"event", k->opening_event}, {"text", k->open_link_text}});
  data["opens"] = opens;
  if (overdue_reviews > 0) data["overdue_reviews"] = overdue_reviews;
  if (reply.contains("next") && reply["next"].is_string()) {
    std::string next = reply["next"].get<std::string>();
    data["next_href"] = "/reviews?after=" + next + (all ? "&all=1" : "");
    data["summary"] = std::to_string(rows.size()) + " reviews on this page, by reference.";
  }
  return Page(c, 200, "Reviews", "reviews.html", data);
}

// ---- one review ----

// The events that may be recorded on a review of `kind` (all but the one that opens it), as
// {name, summary}: those `next_step` names first, then the rest.
std::pair<json, json> EventChoices(const std::string& kind, const std::string& next_step) {
  static const std::regex kWord("[A-Za-z]+");
  std::set<std::string> named;
  for (std::sregex_iterator w(next_step.begin(), next_step.end(), kWord), end; w != end; ++w) named.insert(w->str());
  json expected = json::array(), others = json::array();
  auto help = EventHelpFor(kind);
  for (std::size_t i = 1; i < help.size(); ++i)
    (named.count(help[i].name) ? expected : others).push_back({{"name", help[i].name}, {"summary", help[i].summary}});
  return {expected, others};
}

json ReportsView(const json& review) {
  json out = json::array();
  const ReviewKind* kind = FindReviewKind(review.value("kind", ""));
  if (kind == nullptr || kind->reports.key.empty()) return out;
  for (const json& r : review.value(std::string(kind->reports.key), json::array())) {
    json row = {{"agency", r.value("agency", "")},
                {"author", r.value("author", "")},
                {"due", r.value("due", "")},
                {"stage", r.value(std::string(kind->reports.stage_key), "")}};
    if (r.value("returns", 0) > 0) row["returns"] = r["returns"];
    out.push_back(row);
  }
  return out;
}

// "Individual management reviews": the kind's reports, as the review page heads them.
std::string ReportsTitle(const std::string& kind) {
  const ReviewKind* k = FindReviewKind(kind);
  return k && !k->reports.name.empty() ? std::string(k->reports.name) + "s" : "Reports";
}

Response ReviewPage(Ctx& c, const std::string& ref) {
  Response api = c.Api("GET", "/api/v1/reviews/" + ref);
  if (api.status != 200) return ApiFailure(c, api);
  json j = BodyOf(api);
  Instant now = c.clock.Now();
  json deadlines = json::array();
  for (json d : j.value("deadlines", json::array())) {
    auto due = ParseInstant(d.value("due", ""));
    d["overdue"] = d.value("status", "") != "met" && due.ok() && *due < now;
    d["moved"] = d.value("due_date", "") != d.value("original_due_date", "");
    if (d.value("late_days", 0) > 0) d["late_text"] = std::to_string(d.value("late_days", 0)) + " days late";
    deadlines.push_back(d);
  }
  const json alongside = j.value("alongside", json::object());
  json extensions = json::array();
  for (const json& e : alongside.value("extensions", json::array())) {
    std::string until = e.value("granted_until", "");
    if (until.empty()) until = e.value("requested_until", "");
    extensions.push_back({{"status", Words(e.value("status", ""), true)}, {"until", until}, {"reason", e.value("reason", "")}});
  }
  // The events the next step names come first ("Expected next"), then every other one.
  std::string kind = j.value("kind", "");
  auto [expected, events] = EventChoices(kind, j["next_step"].value("what", ""));
  json reports = ReportsView(j);
  // The timeline is the review's log: the read model carries no history.
  Response log = c.Api("GET", "/api/v1/reviews/" + ref + "/events");
  if (log.status != 200) return ApiFailure(c, log);
  json history = json::array();
  for (const json& e : BodyOf(log).value("events", json::array()))
    history.push_back({{"type", e.value("type", "")}, {"by", e.value("by", "")}, {"recorded_at", e.value("recorded_at", "")}});
  std::reverse(history.begin(), history.end());  // newest first
  std::string linked = j.value("linked_review", "");
  if (linked.empty()) linked = j.value("scr_ref", "");
  std::string recorded = QueryValue(c.req, "recorded");
  json data = {{"ref", j.value("ref", "")},
               {"kind_text", KindText(kind)},
               {"stage", j.value("stage", "")},
               {"open", j.value("open", false)},
               {"closed_on", j.value("closed_on", "")},
               {"next_what", j["next_step"].value("what", "")},
               {"holders", HoldersText(j["next_step"].value("holders", json::array()))},
               {"opened_at", j.value("opened_at", "").substr(0, 10)},
               {"linked", linked},
               {"deadlines", deadlines},
               {"reports", reports},
               {"has_reports", !reports.empty()},
               {"reports_title", ReportsTitle(kind)},
               {"extensions", extensions},
               {"has_extensions", !extensions.empty()},
               {"proceedings", alongside.value("proceedings", json::array())},
               {"has_proceedings", !alongside.value("proceedings", json::array()).empty()},
               {"actions", j.value("actions", json::array())},
               {"has_actions", !j.value("actions", json::array()).empty()},
               {"history", history},
               {"may_record", j.value("open", false)},
               {"expected", expected},
               {"has_expected", !expected.empty()},
               {"events", events}};
  if (j.contains("next_due")) {
    data["next_due"] = j["next_due"];
    int days = j["next_due"].value("days_left", 0);
    data["next_due"]["days_left"] = days < 0 ? std::to_string(-days) + " days overdue" : std::to_string(days) + " days left";
  }
  if (!recorded.empty() && KnownEvent(recorded)) data["recorded"] = recorded;
  return Page(c, 200, data["ref"].get<std::string>(), "review.html", data);
}

// ---- recording an event ----

// The form's fields for an event, filled from `values` (the query or the posted form).
json FieldsView(Ctx& c, const EventHelp& event, const Form& values) {
  BoardScope scope = c.board();
  auto agencies = scope.Agencies();
  auto people = scope.People();
  json fields = json::array();
  for (const json& spec : event.fields) {
    std::string name = spec.value("name", ""), type = spec.value("type", "");
    json f = {{"name", name},
              {"id", "f-" + name},
              {"label", Words(name, true)},
              {"help", spec.value("help", "")},
              {"required", spec.value("required", false)}};
    // A field that identifies the child is never filled in from an address (anyone can send
    // a link) nor put back into a page after a refusal: it is typed, sent once, and kept only
    // in the case record.
    const bool confidential = spec.value("confidential", false);
    std::vector<std::string> chosen = confidential ? std::vector<std::string>{} : All(values, name);
    if (confidential && !All(values, name).empty())
      f["help"] = spec.value("help", "") + ". Enter it again: it is not kept on a page that was not saved";
    std::set<std::string> picked(chosen.begin(), chosen.end());
    json options = json::array();
    auto option = [&](const std::string& value, const std::string& text) {
      options.push_back({{"id", "f-" + name + "-" + std::to_string(options.size() + 1)},
                         {"value", value},
                         {"text", text},
                         {"checked", picked.count(value) > 0}});
    };
    if (type == "text") {
      f["is_text"] = true;
    } else if (type == "date") {
      f["is_date"] = true;
    } else if (type == "bool") {
      f["is_group"] = f["is_radios"] = true;
      option("true", "Yes");
      option("false", "No");
    } else if (type == "choice") {
      f["is_group"] = f["is_radios"] = true;
      for (const json& choice : spec.value("choices", json::array())) option(choice.get<std::string>(), Words(choice.get<std::string>(), true));
    } else if (type == "agency" || type == "agencies") {
      if (agencies.ok())
        for (const Agency& a : *agencies) option(a.id, a.name);
      if (type == "agency") f["is_select"] = true;
      else f["is_group"] = f["is_checkboxes"] = true;
    } else if (type == "person" || type == "people") {
      // Name and agency, as a person is known by: never their roles, which say what they may read.
      if (people.ok())
        for (const Person& p : *people) {
          std::string agency_name;
          if (agencies.ok())
            for (const Agency& a : *agencies)
              if (a.id == p.agency_id) agency_name = a.name;
          option(p.id, agency_name.empty() ? p.name : p.name + " (" + agency_name + ")");
        }
      if (type == "person") f["is_select"] = true;
      else f["is_group"] = f["is_checkboxes"] = true;
    } else {
      f["is_text"] = true;
    }
    if (!options.empty() && f.contains("is_radios")) {
      // A choice's id is the first option's, so an error links to it.
      f["id"] = options[0]["id"];
    }
    f["options"] = options;
    f["value"] = chosen.empty() ? std::string() : chosen.front();
    fields.push_back(f);
  }
  return fields;
}

// The event's fields as the API takes them, from the posted form.
json FieldsFromForm(const EventHelp& event, const Form& form) {
  json fields = json::object();
  for (const json& spec : event.fields) {
    std::string name = spec.value("name", ""), type = spec.value("type", "");
    if (type == "agencies" || type == "people") {
      auto values = All(form, name);
      if (!values.empty()) fields[name] = values;
      continue;
    }
    std::string value = First(form, name);
    if (value.empty()) continue;
    if (type == "bool" && (value == "true" || value == "false")) fields[name] = value == "true";
    else fields[name] = value;
  }
  return fields;
}

struct RecordTarget {
  std::string ref;     // empty when opening a review
  std::string kind;
  std::string action;  // the form's address
  std::string back;
};

// A form's Idempotency-Key: new each time a form is rendered, so a form corrected after a
// refusal is a new request, and the same form sent twice is one.
std::string NewRequestKey() { return "form-" + NewSecret().substr(0, 32); }

Response RecordForm(Ctx& c, const RecordTarget& t, const std::string& event_name, const Form& values, int status,
                    const std::string& error) {
  auto help = EventHelpFor(t.kind);
  std::optional<EventHelp> event;
  if (t.ref.empty()) {
    if (!help.empty() && help.front().name == event_name) event = help.front();
  } else if (auto found = FindEvent(t.kind, event_name); found && !help.empty() && found->name != help.front().name) {
    event = found;
  }
  json data = {{"ref_text", t.ref.empty() ? KindText(t.kind) : t.ref + " · " + KindText(t.kind)},
               {"action", t.action},
               {"back", t.back},
               {"csrf_token", c.who->session ? c.who->session->csrf_token : ""},
               {"request_key", NewRequestKey()}};
  if (!event) {
    data["choose"] = true;
    data["events"] = EventChoices(t.kind, "").second;
    if (!event_name.empty()) {
      data["error"] = "Choose what has happened from the list";
      data["error_target"] = "event-choice";
      data["error_note"] = "Nothing was recorded.";
    }
    return Page(c, event_name.empty() ? 200 : 400, "What has happened?", "record.html", data);
  }
  json fields = FieldsView(c, *event, values);
  bool optional_note = false;
  for (const json& f : fields) optional_note = optional_note || !f.value("required", false);
  data["event"] = event->name;
  data["summary"] = Words(event->summary, true);
  data["optional_note"] = optional_note;
  data["button"] = t.ref.empty() ? "Open the review" : "Record";
  if (!error.empty()) {
    data["error"] = error;
    data["error_target"] = "record-form";
    data["error_note"] = "Nothing was recorded.";
    // A message naming a field ("... field 'due' must be a date") points at that field.
    static const std::regex kField("field '([a-z_]+)'");
    std::smatch m;
    if (std::regex_search(error, m, kField))
      for (json& f : fields)
        if (f["name"] == m[1].str()) {
          f["field_error"] = error;
          data["error_target"] = f["id"];
        }
  }
  data["fields"] = fields;
  return Page(c, status, data["summary"].get<std::string>(), "record.html", data);
}

Form QueryForm(const Request& req) {
  Form values;
  for (const auto& [k, v] : req.query)
    if (k != "event") values.emplace(k, v);
  return values;
}

// The review behind a record form, if it is something of the reader's (CanSeeReview);
// otherwise, as for a review that does not exist, NotFound: a form must not confirm a
// reference to someone it is nothing to.
Result<ReviewRecord> ReviewForForm(Ctx& c, const std::string& ref) {
  auto r = c.board().Review(ref);  // another board's is not found
  if (!r.ok() || !CanSeeReview(c.person(), *r)) return Status::NotFound("there is no such review, or it is not one of yours");
  return r;
}

// The page for a form about a review ReviewForForm did not give. The API is asked all the same,
// so that the refusal is in the audit log as the API writes it (docs/security.md: refusals by the
// pages are audited); if it could not be written, nothing is served.
Response NotYours(Ctx& c, const Result<ReviewRecord>& r, const Response& api) {
  if (api.status == 503) return ApiFailure(c, api);
  return Message(c, 404, "Not found", r.status().message());
}

Response RecordGet(Ctx& c, const std::string& ref) {
  auto r = ReviewForForm(c, ref);
  if (!r.ok()) return NotYours(c, r, c.Api("GET", "/api/v1/reviews/" + ref));
  std::string back = SeesCaseDetails(c.person(), r->board_id) ? "/reviews/" + ref : "/tasks";
  return RecordForm(c, {ref, r->kind, "/reviews/" + ref + "/record", back}, QueryValue(c.req, "event"), QueryForm(c.req),
                    200, "");
}

Response RecordPost(Ctx& c, const std::string& ref) {
  auto r = ReviewForForm(c, ref);
  if (!r.ok())
    return NotYours(c, r, c.Api("POST", "/api/v1/reviews/" + ref + "/events", {},
                                {{"event", First(c.form, "event")}, {"fields", json::object()}}));
  bool sees = SeesCaseDetails(c.person(), r->board_id);
  RecordTarget target{ref, r->kind, "/reviews/" + ref + "/record", sees ? "/reviews/" + ref : "/tasks"};
  std::string event_name = First(c.form, "event");
  auto event = FindEvent(r->kind, event_name);
  if (!event) return RecordForm(c, target, event_name, c.form, 400, "");
  Response api = c.Api("POST", "/api/v1/reviews/" + ref + "/events", {},
                       {{"event", event_name}, {"fields", FieldsFromForm(*event, c.form)}});
  if (api.status != 201) return RecordForm(c, target, event_name, c.form, api.status, ErrorOf(api));
  return Redirect(sees ? "/reviews/" + ref + "?recorded=" + event_name
                       : "/tasks?recorded=" + event_name + "&review=" + ref);
}

std::string OpeningKind(const std::string& event) {
  const ReviewKind* k = ReviewKindOpenedBy(event);
  return k ? std::string(k->name) : "";
}

Response OpenGet(Ctx& c) {
  std::string event = QueryValue(c.req, "event");
  std::string kind = OpeningKind(event);
  if (kind.empty()) return Message(c, 404, "Not found", "open a review by referring a case or notifying a death");
  if (Status may = MayOpen(c.person(), c.person().board_id, kind); !may.ok())
    return Message(c, 403, "You cannot open a review", may.message());
  return RecordForm(c, {"", kind, "/reviews/new", "/reviews"}, event, QueryForm(c.req), 200, "");
}

Response OpenPost(Ctx& c) {
  std::string event = First(c.form, "event");
  std::string kind = OpeningKind(event);
  if (kind.empty()) return Message(c, 400, "casereview could not do this", "open a review by referring a case or notifying a death");
  RecordTarget target{"", kind, "/reviews/new", "/reviews"};
  auto help = EventHelpFor(kind);
  // The API decides who may open a review (MayOpen), and audits a refusal.
  Response api = c.Api("POST", "/api/v1/reviews", {}, {{"kind", kind}, {"fields", FieldsFromForm(help.front(), c.form)}});
  if (api.status == 403) return Message(c, 403, "You cannot open a review", ErrorOf(api));
  if (api.status != 201) return RecordForm(c, target, event, c.form, api.status, ErrorOf(api));
  return Redirect("/reviews/" + BodyOf(api).value("ref", "") + "?recorded=" + event);
}

// ---- authors, senior managers and lead officers: my tasks ----

json TaskView(const Ctx& c, const json& t) {
  std::string task = t.value("task", ""), as = t.value("as", ""), agency = t.value("agency", ""),
              stage = t.value("stage", ""), review = t.value("review", ""), action = t.value("action", "");
  json v = {{"review", review}, {"stage", Words(stage, true)}, {"due", t.value("due", "")}};
  std::string record = "/reviews/" + review + "/record?event=";
  json links = json::array();
  auto one_click = [&](std::string_view event, std::string_view button, json hidden) {
    v["one_click"] = true;
    v["request_key"] = NewRequestKey();
    v["event"] = event;
    v["button"] = button;
    v["hidden"] = std::move(hidden);
  };
  const ReviewKind* kind = FindReviewKind(t.value("kind", ""));
  if (kind && task == kind->reports.task) {
    const AgencyReports& reports = kind->reports;
    const json for_agency = json::array({{{"name", "agency"}, {"value", agency}}});
    v["task_text"] = std::string(reports.name) + " (" + agency + ")";
    const bool submittable = std::find(reports.submit_stages.begin(), reports.submit_stages.end(), stage) !=
                             reports.submit_stages.end();
    if (as == "author" && submittable) {
      one_click(reports.submit_event, reports.submit_button, for_agency);
      if (!reports.late_event.empty())
        links.push_back({{"href", record + std::string(reports.late_event) + "&agency=" + agency}, {"text", reports.late_link}});
    } else if (as == "senior-manager" && !reports.sign_off_event.empty() && stage == reports.sign_off_stage) {
      one_click(reports.sign_off_event, reports.sign_off_button,
                json::array({{{"name", "agency"}, {"value", agency}}, {{"name", "senior_manager"}, {"value", c.person().id}}}));
    }
  } else if (kind && !kind->appointed.task.empty() && task == kind->appointed.task) {
    const AppointedReport& appointed = kind->appointed;
    v["task_text"] = appointed.name;
    if (stage == appointed.submit_stage)
      links.push_back({{"href", record + std::string(appointed.submit_event)}, {"text", appointed.submit_link}});
  } else if (task == "action") {
    v["task_text"] = "Action " + action + " (" + agency + ")";
    if (!IsActionDone(stage)) {
      if (stage == kActionOpenStage)
        one_click(kActionStarted, "Start the action", json::array({{{"name", "action"}, {"value", action}}}));
      links.push_back({{"href", record + std::string(kActionProgressRecorded) + "&action=" + action}, {"text", "Record progress"}});
      links.push_back({{"href", record + std::string(kActionCompleted) + "&action=" + action}, {"text", "Record that it is complete"}});
    }
  }
  v["links"] = links;
  if (auto days = DaysUntil(c, t.value("due", ""))) {
    v["days_left"] = *days;
    // Overdue only while something is still the reader's to do.
    v["overdue"] = *days < 0 && (v.contains("one_click") || !links.empty());
  }
  return v;
}

Response Tasks(Ctx& c) {
  Response api = c.Api("GET", "/api/v1/tasks");
  if (api.status != 200) return ApiFailure(c, api);
  json tasks = json::array();
  for (const json& t : BodyOf(api).value("tasks", json::array())) tasks.push_back(TaskView(c, t));
  std::stable_sort(tasks.begin(), tasks.end(),
                   [](const json& a, const json& b) { return a.value("due", "~") < b.value("due", "~"); });
  json data = {{"tasks", tasks}, {"has_tasks", !tasks.empty()}, {"csrf_token", c.who->session ? c.who->session->csrf_token : ""}};
  std::string recorded = QueryValue(c.req, "recorded"), review = QueryValue(c.req, "review");
  static const std::regex kRef("[A-Z]{2,5}-[0-9]{4}-[0-9]{1,6}");
  if (KnownEvent(recorded) && std::regex_match(review, kRef)) {
    data["recorded"] = recorded;
    data["recorded_on"] = review;
  }
  Response calendar = c.Api("GET", "/api/v1/calendar");
  if (calendar.status == 200) data["calendar"] = BodyOf(calendar).value("path", "");
  return Page(c, 200, "My tasks", "tasks.html", data);
}

// ---- the board: action plans ----

std::string RagText(const std::string& rag) { return rag == "red" ? "Red" : rag == "amber" ? "Amber" : "Green"; }

Response Board(Ctx& c) {
  Response api = c.Api("GET", "/api/v1/action-plans");
  if (api.status != 200) return ApiFailure(c, api);
  json digest = BodyOf(api);
  json plans = digest.value("plans", json::array());
  std::vector<Bar> status_bars;
  int done = 0, on_track = 0, soon = 0, overdue = 0;
  for (json& plan : plans) {
    plan["rag_text"] = RagText(plan.value("rag", ""));
    for (json& a : plan["actions"]) {
      std::string rag = a.value("rag", "");
      a["rag_text"] = RagText(rag);
      if (IsActionDone(a.value("stage", ""))) ++done;
      else if (rag == "red") ++overdue;
      else if (rag == "amber") ++soon;
      else ++on_track;
    }
    status_bars.push_back({plan.value("review", ""),
                           {{plan.value("red", 0), "cr-bar--red", "red"},
                            {plan.value("amber", 0), "cr-bar--amber", "amber"},
                            {plan.value("green", 0), "cr-bar--green", "green"}}});
  }
  std::vector<Bar> timeliness = {{"Done", {{done, "cr-bar--grey", "actions"}}},
                                 {"On track", {{on_track, "cr-bar--green", "actions"}}},
                                 {"Due soon", {{soon, "cr-bar--amber", "actions"}}},
                                 {"Overdue", {{overdue, "cr-bar--red", "actions"}}}};
  json data = {{"board", c.person().board_id},
               {"as_of", digest.value("as_of", "")},
               {"amber_days", kAmberDays},
               {"plans", plans},
               {"has_plans", !plans.empty()},
               {"plans_red", digest.value("plans_red", 0)},
               {"plans_amber", digest.value("plans_amber", 0)},
               {"plans_green", digest.value("plans_green", 0)},
               {"status_chart", BarChartSvg("Each review's actions: red, amber, green", status_bars)},
               {"timeliness_chart", BarChartSvg("Every action by timeliness", timeliness)}};
  return Page(c, 200, "Action plans", "board.html", data);
}

// ---- administrators: the audit log ----

Response AuditPage(Ctx& c) {
  Response verify = c.Api("GET", "/api/v1/audit/verify");
  if (verify.status != 200) return ApiFailure(c, verify);
  json v = BodyOf(verify);
  long long head = v.value("head_seq", 0LL);
  Response list = c.Api("GET", "/api/v1/audit", {{"after", std::to_string(std::max(0LL, head - 100))}, {"limit", "100"}});
  if (list.status != 200) return ApiFailure(c, list);
  json rows = BodyOf(list).value("entries", json::array());
  std::reverse(rows.begin(), rows.end());
  json data = {{"intact", v.value("intact", false)},
               {"problem", v.value("problem", "")},
               {"entries", v.value("entries", 0LL)},
               {"shown", rows.size()},
               {"rows", rows}};
  return Page(c, 200, "Audit log", "audit.html", data);
}

}  // namespace

bool IsWebPath(std::string_view path) {
  return path.rfind("/api/", 0) != 0 && path != "/api" && path.rfind("/calendar/", 0) != 0;
}

Response HandleWeb(const Request& req, Store& store, Engine& engine, const Clock& clock, const ApiOptions& options) {
  if (req.path == "/assets/casereview.css" && req.method == "GET") {
    Response r;
    r.content_type = "text/css";
    r.body = std::string(BuiltInStylesheet());
    r.headers.emplace_back("Cache-Control", "public, max-age=3600");
    return r;
  }
  Ctx c{req, store, engine, clock, options, std::nullopt, {}};
  if (req.method == "POST") {
    try {
      c.form = ParseForm(req.body);
    } catch (const std::exception&) {
      return Message(c, 400, "casereview could not read this form", "the form's contents are malformed or not UTF-8 text");
    }
  } else if (req.method != "GET") {
    return Message(c, 405, "casereview could not do this", "pages take GET, and forms POST");
  }
  std::vector<std::string> seg = PathSegments(req.path);
  if (seg.size() == 1 && seg[0] == "sign-in") {
    if (req.method == "POST") return SignIn(c);
    return SignInPage(c, 200, "", "");
  }
  Access access(store, clock, options.session_length);
  auto who = access.FromSession(req.session_cookie);
  if (!who.ok()) return Redirect("/sign-in");
  c.who = *who;
  if (req.method == "POST" && (!c.who->session || First(c.form, "csrf_token") != c.who->session->csrf_token))
    return Message(c, 403, "This form has expired",
                   "It did not carry this session's token. Go back, reload the page and try again.");

  const bool get = req.method == "GET";
  if (seg.empty() && get) return Home(c);
  if (seg.size() == 1 && seg[0] == "sign-out" && !get) return SignOut(c);
  if (seg.size() == 1 && seg[0] == "reviews" && get) return Reviews(c);
  if (seg.size() == 2 && seg[0] == "reviews" && seg[1] == "new") return get ? OpenGet(c) : OpenPost(c);
  if (seg.size() == 2 && seg[0] == "reviews" && get) return ReviewPage(c, seg[1]);
  if (seg.size() == 3 && seg[0] == "reviews" && seg[2] == "record") return get ? RecordGet(c, seg[1]) : RecordPost(c, seg[1]);
  if (seg.size() == 1 && seg[0] == "tasks" && get) return Tasks(c);
  if (seg.size() == 1 && seg[0] == "board" && get) return Board(c);
  if (seg.size() == 1 && seg[0] == "audit" && get) return AuditPage(c);
  // Never echoes the path: it could carry anything, a child's name included.
  return Message(c, 404, "Page not found", "There is no such page in casereview.");
}

}  // namespace casereview::http

// Notice templates: the shipped ones (notifier/templates, compiled in) with a deployment's
// overrides, rendered with Mustache (kainjow/mustache: logic-less, HTML-escaping).
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include "casereview/mustache_json.hpp"
#include "casereview/notifier.hpp"

namespace casereview {

const std::map<std::string_view, std::string_view>& BuiltInNoticeTemplates();  // generated

namespace {

namespace fs = std::filesystem;
namespace mu = kainjow::mustache;
using Json = nlohmann::json;

mu::data ToData(const Json& j) { return MustacheData(j); }

Result<std::string> ReadWhole(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream text;
  if (!(text << in.rdbuf())) return Status::InvalidArgument("cannot read the template " + p.string());
  return text.str();
}

std::string Link(const Notice& n, const MailIdentity& id) {
  std::string base = id.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return n.review_ref.empty() ? base + "/boards/" + n.board_id : base + "/reviews/" + n.review_ref;
}

// A subject is one line: whatever a template or a field put in, no header can be injected.
std::string OneLine(const std::string& s) {
  std::string out;
  for (char c : s) {
    bool space = c == '\r' || c == '\n' || c == '\t' || c == ' ';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// A partial that includes itself (directly or through another) would recurse until the
// stack overflows, so expansions are counted: past kMostPartials in one part, the rest render
// empty and the render is refused. Enough for any list a notice shows.
constexpr int kMostPartials = 1000;

// `partials`: name -> template text, for `{{> name}}`. InvalidArgument when they nest too deep.
Result<std::string> RenderPart(const std::string& text, mu::data data,
                               const std::map<std::string, std::string>& partials, bool html) {
  int expanded = 0;
  // An init-capture, not [partial] over a structured binding: clang 14 (the fuzz build) cannot capture those.
  for (const auto& [name, body] : partials)
    data.set(name, mu::data{mu::partial{[partial = body, &expanded]() -> std::string {
               return ++expanded > kMostPartials ? std::string() : partial;
             }}});
  mu::mustache tmpl{text};
  if (!html) tmpl.set_custom_escape([](const std::string& s) { return s; });
  std::string out = tmpl.render(data);
  if (expanded > kMostPartials)
    return Status::InvalidArgument("partials included more than " + std::to_string(kMostPartials) +
                                   " times (does a partial include itself?)");
  return out;
}

}  // namespace

std::string MessageIdFor(const std::string& notice_id, const MailIdentity& identity) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string local;
  for (unsigned char c : notice_id) {
    if (std::isalnum(c) || c == '.' || c == '-') {
      local += static_cast<char>(c);
    } else {
      local += '_';
      local += kHex[c >> 4];
      local += kHex[c & 15];
    }
  }
  std::string domain = identity.message_id_domain;
  if (domain.empty()) {
    auto at = identity.from.email.rfind('@');
    domain = at == std::string::npos ? "localhost" : identity.from.email.substr(at + 1);
  }
  return "<" + local + "@" + domain + ">";
}

std::vector<std::string> NoticeTemplates::Kinds() {
  std::vector<std::string> kinds;
  for (const auto& [name, text] : BuiltInNoticeTemplates()) {
    fs::path p{name};
    if (p.extension() == ".subject") kinds.push_back(p.stem().string());
  }
  return kinds;
}

Result<NoticeTemplates> NoticeTemplates::Load(const std::string& dir) {
  NoticeTemplates t;
  for (const auto& [name, text] : BuiltInNoticeTemplates()) t.files_.emplace(name, text);
  std::error_code ec;
  if (!dir.empty()) {
    if (!fs::is_directory(dir, ec)) return Status::InvalidArgument("templates folder " + dir + " does not exist");
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      std::string name = entry.path().filename().string();
      if (!entry.is_regular_file() || name.starts_with(".")) continue;
      if (!t.files_.count(name))
        return Status::InvalidArgument("templates folder " + dir + ": " + name +
                                       " is not a template casereview uses (see `casereview outbox templates`)");
      auto text = ReadWhole(entry.path());
      if (!text.ok()) return text.status();
      t.files_[name] = std::move(*text);
    }
    if (ec) return Status::InvalidArgument("cannot list the templates folder " + dir + ": " + ec.message());
  }
  for (const auto& [name, text] : t.files_) {
    mu::mustache parsed{text};
    if (!parsed.is_valid())
      return Status::InvalidArgument("template " + (dir.empty() ? name : (fs::path(dir) / name).string()) +
                                     " does not parse: " + parsed.error_message());
  }
  // A trial render of every kind, so a partial that includes itself is refused now, not
  // when a notice is due (Render still guards the ones hidden in a section).
  Context trial;
  trial.people["trial"] = Person{"trial", "", "Trial", "trial@example.org", "", {}, std::nullopt};
  for (const auto& kind : Kinds()) {
    Notice n;
    n.id = "trial";
    n.kind = kind;
    n.recipients = {"trial"};
    auto m = t.Render(n, trial);
    if (!m.ok()) return Status::InvalidArgument("templates folder " + dir + ": " + m.status().message());
  }
  return t;
}

Result<std::vector<std::string>> NoticeTemplates::Export(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::InvalidArgument("cannot create the templates folder " + dir + ": " + ec.message());
  std::vector<std::string> written;
  for (const auto& [name, text] : BuiltInNoticeTemplates()) {
    fs::path p = fs::path(dir) / std::string(name);
    if (fs::exists(p, ec)) continue;
    std::ofstream out(p, std::ios::binary);
    if (!(out << text) || !out.flush()) return Status::InvalidArgument("cannot write " + p.string());
    written.emplace_back(name);
  }
  return written;
}

Result<Email> NoticeTemplates::Render(const Notice& n, const Context& ctx) const {
  auto file = [&](const std::string& name) -> const std::string* {
    auto it = files_.find(name);
    return it == files_.end() ? nullptr : &it->second;
  };
  // The files named _NAME.txt (or .html) are the partials {{> NAME}} of that part.
  auto Partials = [&](const std::string& ext) {
    std::map<std::string, std::string> out;
    for (const auto& [name, body] : files_)
      if (name.starts_with("_") && name.ends_with(ext)) out[name.substr(1, name.size() - 1 - ext.size())] = body;
    return out;
  };
  const std::string *subject = file(n.kind + ".subject"), *text = file(n.kind + ".txt"),
                    *html = file(n.kind + ".html");
  if (!subject || !text || !html)
    return Status::InvalidArgument("notice " + n.id + ": no template for its kind '" + n.kind + "'");
  Email m;
  for (const auto& id : n.recipients) {
    auto p = ctx.people.find(id);
    if (p != ctx.people.end() && !p->second.email.empty()) m.to.push_back({p->second.name, p->second.email});
  }
  if (m.to.empty()) {
    std::string ids;
    for (const auto& id : n.recipients) ids += (ids.empty() ? "" : ", ") + id;
    return Status::InvalidArgument("notice " + n.id + ": none of its recipients (" + ids +
                                   ") has an email address on the board");
  }
  Json about = Json::parse(n.payload, nullptr, false);
  if (!about.is_object()) about = Json::object();
  about["board_name"] = ctx.board_name;
  about["link"] = Link(n, ctx.identity);
  about["notice_id"] = n.id;
  mu::data data = ToData(about);
  m.message_id = MessageIdFor(n.id, ctx.identity);
  m.from = ctx.identity.from;
  auto subject_text = RenderPart(*subject, data, {}, false);
  auto text_part = RenderPart(*text, data, Partials(".txt"), false);
  auto html_part = RenderPart(*html, data, Partials(".html"), true);
  for (const auto* part : {&subject_text, &text_part, &html_part})
    if (!part->ok())
      return Status::InvalidArgument("notice " + n.id + ": the templates of '" + n.kind + "' cannot render: " +
                                     part->status().message());
  m.subject = OneLine(*subject_text);
  m.text = std::move(*text_part);
  m.html = std::move(*html_part);
  m.date = ctx.now;
  m.notice_id = n.id;
  return m;
}

}  // namespace casereview

#include "mail_options.hpp"

#include <cstdlib>
#include <filesystem>

#include "casereview/mailers.hpp"

namespace casereview::cli {
namespace {

// "Name <address>" or a bare address.
Result<MailAddress> ParseFrom(const std::string& text) {
  auto open = text.find('<'), close = text.rfind('>');
  MailAddress a;
  if (open == std::string::npos) {
    a.email = text;
  } else if (close == std::string::npos || close < open) {
    return Status::InvalidArgument("--from must be \"Name <address>\" or an address (got an unclosed '<')");
  } else {
    a.name = text.substr(0, open);
    while (!a.name.empty() && a.name.back() == ' ') a.name.pop_back();
    a.email = text.substr(open + 1, close - open - 1);
  }
  if (a.email.find('@') == std::string::npos || a.email.find_first_of(" \r\n") != std::string::npos)
    return Status::InvalidArgument("--from needs an email address with an '@' (got '" + a.email + "')");
  return a;
}

Result<std::string> SmtpPassword(const MailOptions& o) {
  if (!o.smtp_password_file.empty()) {
    auto text = ReadFile(o.smtp_password_file);
    if (!text.ok()) return Status::InvalidArgument("--smtp-password-file: " + text.status().message());
    std::string p = *text;
    while (!p.empty() && (p.back() == '\n' || p.back() == '\r')) p.pop_back();
    return p;
  }
  const char* env = std::getenv("CASEREVIEW_SMTP_PASSWORD");
  return std::string(env ? env : "");
}

}  // namespace

void MailOptions::AddTo(CLI::App* c) {
  c->add_option("--smtp-host", smtp_host, "Deliver through this SMTP server (default: the mail drop folder)");
  c->add_option("--smtp-port", smtp_port, "The SMTP server's port")->capture_default_str();
  c->add_flag("--smtp-starttls", smtp_starttls, "Use STARTTLS (the server's certificate is verified)");
  c->add_option("--smtp-user", smtp_user, "Authenticate as this user (AUTH LOGIN, over STARTTLS)");
  c->add_option("--smtp-password-file", smtp_password_file,
                "Read the SMTP password from this file (else $CASEREVIEW_SMTP_PASSWORD)");
  c->add_option("--smtp-ca-file", smtp_ca_file, "Trust the SMTP server's certificate from this CA file");
  c->add_option("--mail-drop", mail_drop, "Write messages as .eml files here (default: mail-drop beside --db)");
  c->add_option("--from", from, "The sender, \"Name <address>\"")->capture_default_str();
  c->add_option("--base-url", base_url, "Where links in messages point")->capture_default_str();
  c->add_option("--templates", templates, "Use the templates in this folder over the shipped ones");
  c->add_option("--max-attempts", max_attempts, "Attempts before a notice is marked failed")
      ->capture_default_str()->check(CLI::Range(1, 1000));
  c->add_option("--first-retry", first_retry_seconds, "Seconds before the first retry (then doubled, up to an hour)")
      ->capture_default_str()->check(CLI::Range(1, 86400));
}

Result<Delivery> OpenDelivery(const MailOptions& o, const Context& ctx) {
  auto templates = NoticeTemplates::Load(o.templates);
  if (!templates.ok()) return templates.status();
  auto from = ParseFrom(o.from);
  if (!from.ok()) return from.status();
  Delivery d{nullptr, std::move(*templates), {*from, o.base_url, ""}, {}};
  d.policy.max_attempts = o.max_attempts;
  d.policy.first_retry = std::chrono::seconds{o.first_retry_seconds};
  if (o.smtp_host.empty()) {
    std::string dir = o.mail_drop;
    if (dir.empty()) dir = (std::filesystem::path(ctx.db_path).parent_path() / "mail-drop").string();
    auto drop = OpenMailDrop(dir);
    if (!drop.ok()) return drop.status();
    d.mailer = std::move(*drop);
    return d;
  }
  auto password = SmtpPassword(o);
  if (!password.ok()) return password.status();
  SmtpSettings s;
  s.host = o.smtp_host;
  s.port = o.smtp_port;
  s.starttls = o.smtp_starttls;
  s.ca_file = o.smtp_ca_file;
  s.username = o.smtp_user;
  s.password = *password;
  d.mailer = NewSmtpMailer(s);
  return d;
}

}  // namespace casereview::cli

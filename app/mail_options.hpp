// How the command line chooses where notices go: an SMTP server when --smtp-host is given,
// else the mail drop folder; the sender, links and templates; the retry policy.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "casereview/mailer.hpp"
#include "casereview/notifier.hpp"
#include "cli.hpp"

namespace casereview::cli {

struct MailOptions {
  std::string smtp_host;
  int smtp_port = 25;
  bool smtp_starttls = false;
  std::string smtp_user;
  std::string smtp_password_file;  // else $CASEREVIEW_SMTP_PASSWORD
  std::string smtp_ca_file;
  std::string mail_drop;  // default: mail-drop/ beside the database
  std::string from = "casereview <casereview@localhost>";
  std::string base_url = "http://localhost:8080";
  std::string templates;
  int max_attempts = DeliveryPolicy{}.max_attempts;
  int first_retry_seconds = static_cast<int>(DeliveryPolicy{}.first_retry.count());

  void AddTo(CLI::App* command);
};

// What delivering needs, opened from the options.
struct Delivery {
  std::unique_ptr<Mailer> mailer;
  NoticeTemplates templates;
  MailIdentity identity;
  DeliveryPolicy policy;
};

// InvalidArgument names the option at fault (an unreadable password file, a From that is
// not "Name <address>", templates that do not load).
Result<Delivery> OpenDelivery(const MailOptions& o, const Context& ctx);

}  // namespace casereview::cli

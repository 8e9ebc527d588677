// casereview outbox: the notices waiting for (or given to) the mail server; sending them,
// retrying the failed, and the templates they are worded from.
#include <iostream>

#include "cli.hpp"
#include "mail_options.hpp"

namespace casereview::cli {
namespace {

nlohmann::json NoticeJson(const Notice& n) {
  auto when = [](const std::optional<Instant>& t) { return t ? nlohmann::json(FormatInstant(*t)) : nlohmann::json(); };
  return {{"id", n.id}, {"board", n.board_id}, {"review", n.review_ref}, {"kind", n.kind},
          {"recipients", n.recipients}, {"status", n.status}, {"attempts", n.attempts},
          {"created_at", FormatInstant(n.created_at)}, {"next_attempt_at", FormatInstant(n.next_attempt_at)},
          {"last_attempt_at", when(n.last_attempt_at)}, {"sent_at", when(n.sent_at)},
          {"last_error", n.last_error}, {"about", nlohmann::json::parse(n.payload, nullptr, false)}};
}

void PrintNotices(const std::vector<Notice>& notices, bool json) {
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& n : notices) out.push_back(NoticeJson(n));
    std::cout << out.dump(2) << "\n";
    return;
  }
  for (const auto& n : notices) {
    std::string to;
    for (const auto& r : n.recipients) to += (to.empty() ? "" : ",") + r;
    auto about = nlohmann::json::parse(n.payload, nullptr, false);
    std::cout << FormatInstant(n.created_at) << "\t" << n.status << "\t" << n.kind << "\t"
              << (n.review_ref.empty() ? n.board_id : n.review_ref) << "\t" << about.value("task", "") << "\tto "
              << to;
    if (n.status != "sent" && n.attempts > 0)
      std::cout << "\t(" << n.attempts << " attempts; next " << FormatInstant(n.next_attempt_at) << ")";
    if (n.status != "sent" && !n.last_error.empty()) std::cout << "\n\tlast error: " << n.last_error;
    std::cout << "\n";
  }
}

// Passes until nothing more is due now, or the server cannot be reached.
int SendDue(Context& ctx, const MailOptions& options) {
  auto delivery = OpenDelivery(options, ctx);
  if (!delivery.ok()) return Fail(delivery.status());
  OutboxDispatcher dispatcher(*ctx.store, *delivery->mailer, ctx.clock, delivery->templates, delivery->identity,
                              delivery->policy);
  DeliveryReport total;
  for (;;) {
    auto report = dispatcher.DeliverDue();
    if (!report.ok()) return Fail(report.status());
    total.sent += report->sent;
    total.retrying += report->retrying;
    total.failed += report->failed;
    for (auto& e : report->errors) std::cerr << "casereview outbox: " << e << "\n";
    total.mail_unavailable = report->mail_unavailable;
    if (report->mail_unavailable || report->sent + report->retrying + report->failed == 0) break;
  }
  std::cout << "sent " << total.sent << " through " << delivery->mailer->Describe();
  if (total.retrying) std::cout << "; " << total.retrying << " will be retried";
  if (total.failed) std::cout << "; " << total.failed << " failed (casereview outbox --status failed)";
  std::cout << "\n";
  if (!total.mail_unavailable) return 0;
  std::cerr << "casereview outbox: the mail server could not be reached; the rest wait for the next run\n";
  return 5;
}

}  // namespace

void AddOutboxCommands(CLI::App& app, Context& ctx, int& exit_code) {
  std::string& review = ctx.Keep<std::string>();
  std::string& status = ctx.Keep<std::string>();
  std::string& retry_id = ctx.Keep<std::string>();
  std::string& export_dir = ctx.Keep<std::string>();
  bool& retry_all = ctx.Keep<bool>(false);
  MailOptions& mail = ctx.Keep<MailOptions>();
  auto* outbox = app.add_subcommand("outbox", "Notices waiting for (or given to) the mail server");
  outbox->add_option("--review", review, "Only this review's notices");
  outbox->add_option("--status", status, "Only notices pending, sent or failed")
      ->check(CLI::IsMember({"pending", "sent", "failed"}));
  outbox->require_subcommand(0, 1);
  outbox->callback([&, outbox] {
    if (!outbox->get_subcommands().empty()) return;
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    NoticeFilter f;
    if (!review.empty()) f.review_ref = review;
    if (!status.empty()) f.status = status;
    auto notices = ctx.store->ListNotices(f);
    if (!notices.ok()) { exit_code = Fail(notices.status()); return; }
    PrintNotices(*notices, ctx.json);
  });

  auto* send = outbox->add_subcommand("send", "Deliver every notice due now, then exit (for cron)");
  mail.AddTo(send);
  send->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    exit_code = SendDue(ctx, mail);
  });

  auto* retry = outbox->add_subcommand("retry", "Queue failed notices again, with a fresh count of attempts");
  retry->add_option("notice", retry_id, "The notice's id (see casereview outbox --status failed)");
  retry->add_flag("--all", retry_all, "Every failed notice");
  retry->callback([&] {
    if (retry_id.empty() == !retry_all) { exit_code = Fail(Status::InvalidArgument("outbox retry takes a notice id or --all")); return; }
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto n = ctx.store->RequeueFailed(retry_all ? std::nullopt : std::optional<std::string>(retry_id), ctx.clock.Now(), std::nullopt);
    if (!n.ok()) { exit_code = Fail(n.status()); return; }
    std::cout << "queued " << *n << " failed notices again; they go with the next casereview outbox send\n";
  });

  auto* templates = outbox->add_subcommand("templates", "List the notice kinds, or export their templates to edit");
  templates->add_option("--export", export_dir, "Write the shipped templates into this folder (existing files kept)");
  templates->callback([&] {
    if (export_dir.empty()) {
      for (const auto& kind : NoticeTemplates::Kinds()) std::cout << kind << "\n";
      return;
    }
    auto written = NoticeTemplates::Export(export_dir);
    if (!written.ok()) { exit_code = Fail(written.status()); return; }
    std::cout << "wrote " << written->size() << " templates to " << export_dir
              << "; edit them and pass --templates " << export_dir << " to outbox send or scheduler serve\n";
  });
}

}  // namespace casereview::cli

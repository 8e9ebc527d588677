// casereview scheduler: timers that fire, and (serve) the notices they leave delivered.
#include <pthread.h>

#include <csignal>
#include <iostream>
#include <stop_token>
#include <thread>

#include "casereview/sqlite_store.hpp"
#include "cli.hpp"
#include "http/server.hpp"
#include "mail_options.hpp"
#include "scheduler.hpp"

namespace casereview::cli {
namespace {

void PrintError(const Status& s) { std::cerr << "casereview scheduler: " << s.message() << "\n"; }

// Delivers the outbox as notices fall due, on its own connection to the database (a Store
// is used from one thread at a time). Another process may queue a notice without waking
// this loop, so no sleep is longer than `max_sleep`. Logs name notices, never their content.
void DeliverUntilStopped(std::stop_token stop, OutboxDispatcher& dispatcher, const Clock& clock,
                         std::chrono::seconds max_sleep) {
  RealSleeper sleeper(clock);
  while (!stop.stop_requested()) {
    auto report = dispatcher.DeliverDue();
    if (!report.ok()) PrintError(report.status());
    if (report.ok() && report->sent) std::cout << "outbox: sent " << report->sent << " notices" << std::endl;
    if (report.ok())
      for (const auto& e : report->errors) std::cerr << "outbox: " << e << "\n";
    Instant wake = clock.Now() + max_sleep;
    if (auto next = dispatcher.NextPassDue(); next.ok() && *next) wake = std::min(wake, **next);
    if (report.ok() && report->sent + report->retrying + report->failed > 0 && wake <= clock.Now()) continue;
    sleeper.SleepUntil(std::max(wake, clock.Now() + std::chrono::seconds{1}), stop);
  }
}

// Fires timers and delivers the outbox (and serves HTTP, when `http` is given) until
// SIGINT or SIGTERM. Returns the exit code.
int RunServices(Context& ctx, const MailOptions& mail, const http::ServerOptions* http) {
  if (Status s = ctx.Open(false); !s.ok()) return Fail(s);
  auto delivery = OpenDelivery(mail, ctx);
  if (!delivery.ok()) return Fail(delivery.status());
  auto mail_store = OpenSqliteStore(ctx.db_path, ctx.StoreOptions(false));
  if (!mail_store.ok()) return Fail(mail_store.status());
  OutboxDispatcher dispatcher(**mail_store, *delivery->mailer, ctx.clock, delivery->templates,
                              delivery->identity, delivery->policy);
  Scheduler sch(*ctx.store, *ctx.engine, ctx.clock);
  RealSleeper sleeper(ctx.clock);
  // Signals are taken synchronously (sigwait) on this thread; the scheduler runs on its
  // own, so nothing unsafe happens inside a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::unique_ptr<http::Server> server;
  if (http) {
    server = std::make_unique<http::Server>(*http, ctx.clock);
    if (Status s = server->Start(); !s.ok()) return Fail(s);
    std::cout << "serving " << server->url() << " (the API is under /api/v1)" << std::endl;
  }
  std::cout << "scheduler running on " << ctx.db_path << ", delivering through " << delivery->mailer->Describe()
            << " (Ctrl-C to stop)" << std::endl;
  std::jthread worker([&](std::stop_token stop) {
    sch.Run(stop, sleeper, /*retry=*/std::chrono::seconds{30}, /*max_sleep=*/std::chrono::seconds{60}, PrintError);
  });
  std::jthread mailer([&](std::stop_token stop) {
    DeliverUntilStopped(stop, dispatcher, ctx.clock, std::chrono::seconds{15});
  });
  int received = 0;
  sigwait(&signals, &received);
  if (server) server->Stop();
  worker.request_stop();
  mailer.request_stop();
  worker.join();
  mailer.join();
  std::cout << (server ? "server stopped\n" : "scheduler stopped\n");
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, Context& ctx, int& exit_code) {
  MailOptions& mail = ctx.Keep<MailOptions>();
  http::ServerOptions& options = ctx.Keep<http::ServerOptions>();
  auto* serve = app.add_subcommand(
      "serve", "Run the server: the HTTP API, the scheduler and the notifier, until interrupted");
  serve->add_option("--bind", options.bind, "Address to listen on")->capture_default_str();
  serve->add_option("--port", options.port, "Port to listen on")->capture_default_str();
  serve->add_option("--tls-cert", options.tls_certificate, "PEM certificate: serve HTTPS only");
  serve->add_option("--tls-key", options.tls_key, "PEM private key of --tls-cert");
  mail.AddTo(serve);
  serve->callback([&] {
    if (options.tls_certificate.empty() != options.tls_key.empty()) {
      exit_code = Fail(Status::InvalidArgument("--tls-cert and --tls-key go together"));
      return;
    }
    options.db_path = ctx.db_path;
    options.audit_key_path = ctx.audit_key_path;
    options.api.secure_cookies = !options.tls_certificate.empty();
    exit_code = RunServices(ctx, mail, &options);
  });
}

void AddSchedulerCommands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* scheduler = app.add_subcommand("scheduler", "Fire the timers that have fallen due")->require_subcommand(1);
  auto* run = scheduler->add_subcommand("run", "Fire every timer due now, once, soonest first, and exit");
  run->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    Scheduler sch(*ctx.store, *ctx.engine, ctx.clock);
    auto report = sch.FireDue();
    if (!report.ok()) { exit_code = Fail(report.status()); return; }
    std::cout << "fired " << report->fired << " timers" << (report->stale ? " (" + std::to_string(report->stale) + " had moved meanwhile)" : "") << "\n";
  });
  MailOptions& mail = ctx.Keep<MailOptions>();
  auto* serve = scheduler->add_subcommand(
      "serve", "Keep firing timers as they fall due and delivering the notices they leave, until interrupted");
  mail.AddTo(serve);
  serve->callback([&] { exit_code = RunServices(ctx, mail, nullptr); });
}

}  // namespace casereview::cli

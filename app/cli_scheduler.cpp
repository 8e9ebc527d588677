// casereview scheduler | outbox: timers that fire, and the notices they leave.
#include <pthread.h>

#include <csignal>
#include <iostream>
#include <stop_token>
#include <thread>

#include "cli.hpp"
#include "scheduler.hpp"

namespace casereview::cli {
namespace {

void PrintError(const Status& s) { std::cerr << "casereview scheduler: " << s.message() << "\n"; }

void PrintNotices(const std::vector<Notice>& notices, bool json) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& n : notices) {
    nlohmann::json j = {{"id", n.id}, {"review", n.review_ref}, {"kind", n.kind},
                        {"recipients", n.recipients}, {"status", n.status},
                        {"created_at", FormatInstant(n.created_at)},
                        {"about", nlohmann::json::parse(n.payload, nullptr, false)}};
    out.push_back(j);
    if (json) continue;
    std::string to;
    for (const auto& r : n.recipients) to += (to.empty() ? "" : ",") + r;
    std::cout << FormatInstant(n.created_at) << "\t" << n.status << "\t" << n.kind << "\t" << n.review_ref
              << "\t" << j["about"].value("task", "") << "\tto " << to << "\n";
  }
  if (json) std::cout << out.dump(2) << "\n";
}

}  // namespace

void AddSchedulerCommands(CLI::App& app, Context& ctx, int& exit_code) {
  static std::string review;
  auto* scheduler = app.add_subcommand("scheduler", "Fire the timers that have fallen due")->require_subcommand(1);
  auto* run = scheduler->add_subcommand("run", "Fire every timer due now, once, soonest first, and exit");
  run->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    Scheduler sch(*ctx.store, *ctx.engine, ctx.clock);
    auto report = sch.FireDue();
    if (!report.ok()) { exit_code = Fail(report.status()); return; }
    std::cout << "fired " << report->fired << " timers" << (report->stale ? " (" + std::to_string(report->stale) + " had moved meanwhile)" : "") << "\n";
  });
  auto* serve = scheduler->add_subcommand("serve", "Keep firing timers as they fall due, until interrupted");
  serve->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    Scheduler sch(*ctx.store, *ctx.engine, ctx.clock);
    RealSleeper sleeper;
    // Signals are taken synchronously (sigwait) on this thread; the scheduler runs on its
    // own, so nothing unsafe happens inside a signal handler.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::cout << "scheduler running on " << ctx.db_path << " (Ctrl-C to stop)" << std::endl;
    std::jthread worker([&](std::stop_token stop) {
      sch.Run(stop, sleeper, /*retry=*/std::chrono::seconds{30}, /*max_sleep=*/std::chrono::seconds{60},
              PrintError);
    });
    int received = 0;
    sigwait(&signals, &received);
    worker.request_stop();
    worker.join();
    std::cout << "scheduler stopped\n";
  });

  auto* outbox = app.add_subcommand("outbox", "Notices waiting for (or given to) the notifier");
  outbox->add_option("--review", review, "Only this review's notices");
  outbox->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    NoticeFilter f;
    if (!review.empty()) f.review_ref = review;
    auto notices = ctx.store->ListNotices(f);
    if (!notices.ok()) { exit_code = Fail(notices.status()); return; }
    PrintNotices(*notices, ctx.json);
  });
}

}  // namespace casereview::cli

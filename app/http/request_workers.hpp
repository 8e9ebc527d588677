// The threads that answer complete requests (app/http/server.cpp): a fixed number, each
// using one database connection at a time, fed from a bounded queue. The server's I/O
// thread reads requests and writes answers; only a whole request reaches these threads, so
// a slow client never holds one.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace casereview::http {

// Thread-safe.
class RequestWorkers {
 public:
  RequestWorkers(int threads, std::size_t max_waiting);
  ~RequestWorkers();  // Stop()
  RequestWorkers(const RequestWorkers&) = delete;
  RequestWorkers& operator=(const RequestWorkers&) = delete;

  // Queues `task` for the next free thread; false (and `task` is not run) when
  // `max_waiting` tasks are already waiting, or after Stop. A task must not throw.
  bool TryPost(std::function<void()> task);
  // Lets running tasks finish, drops waiting ones, joins the threads. Idempotent.
  void Stop();

 private:
  void Work();

  const std::size_t max_waiting_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> waiting_;  // GUARDED_BY(mu_)
  bool stopping_ = false;                      // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;
};

}  // namespace casereview::http

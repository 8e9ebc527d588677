// A Mailer that keeps what it is given, for tests; it can be told to fail.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "casereview/mailer.hpp"

namespace casereview::testing {

class RecordingMailer final : public Mailer {
 public:
  // The outcomes of the next Sends, in order; once used up, every Send succeeds.
  std::deque<Status> outcomes;
  std::vector<Email> sent;      // accepted, in order
  std::vector<Email> attempts;  // everything handed over, accepted or not
  int batches_ended = 0;

  Status Send(const Email& m) override {
    attempts.push_back(m);
    Status s;
    if (!outcomes.empty()) {
      s = outcomes.front();
      outcomes.pop_front();
    }
    if (s.ok()) sent.push_back(m);
    return s;
  }
  void EndBatch() override { ++batches_ended; }
  std::string Describe() const override { return "recording mailer"; }
};

}  // namespace casereview::testing

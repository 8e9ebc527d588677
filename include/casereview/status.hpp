// Status and Result<T>: how casereview reports expected failures.
//
// A refused event, an unknown review, bad input and a store failure are values, never
// exceptions. Messages speak to the user and name the review and stage, never a child.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace casereview {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kRefused,          // the guidance does not allow this event now
    kNotFound,         // no such review, person, agency, board
    kInvalidArgument,  // a field is missing or malformed
    kConflict,         // someone else changed the review first; retry
    kStorageError,     // the store could not read or write
    kCorruption,       // stored data contradicts itself
    kUnavailable,      // a server (the mail server) could not be reached; try again later
    kUnauthenticated,  // nobody is signed in (or the password, token or session is wrong)
    kForbidden,        // signed in, but this person's roles do not allow it
    kTooManyAttempts,  // too many wrong passwords for one account lately: wait, then try again
  };

  Status() = default;
  static Status Ok() { return {}; }
  static Status Refused(std::string m) { return {Code::kRefused, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status Conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
  static Status StorageError(std::string m) { return {Code::kStorageError, std::move(m)}; }
  static Status Corruption(std::string m) { return {Code::kCorruption, std::move(m)}; }
  static Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
  static Status Unauthenticated(std::string m) { return {Code::kUnauthenticated, std::move(m)}; }
  static Status Forbidden(std::string m) { return {Code::kForbidden, std::move(m)}; }
  static Status TooManyAttempts(std::string m) { return {Code::kTooManyAttempts, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code c, std::string m) : code_(c), message_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Either a value or the Status that explains why there is none.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status s) : v_(std::move(s)) {      // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "a Result built from a Status must carry an error");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace casereview

// Flat early return, as in LevelDB: CR_RETURN_IF_ERROR(store.Commit(change));
#define CR_RETURN_IF_ERROR(expr)                 \
  do {                                           \
    ::casereview::Status cr_status_ = (expr);    \
    if (!cr_status_.ok()) return cr_status_;     \
  } while (0)

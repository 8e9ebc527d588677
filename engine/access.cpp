#include "access.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

namespace casereview {
namespace {

void EnsureSodium() {
  static const bool kReady = sodium_init() >= 0;
  (void)kReady;
}

// One answer for every way a sign-in can be wrong.
Status NotSignedIn() { return Status::Unauthenticated("sign in: the email or password is not right"); }
Status NoValidCredential() {
  return Status::Unauthenticated("sign in first: the session has ended or the token is not valid");
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  if (password.size() < kMinPasswordLength)
    return Status::InvalidArgument("a password needs at least " + std::to_string(kMinPasswordLength) + " characters");
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return Status::Unavailable("not enough memory to hash the password; try again");
  return std::string(out.data());
}

bool PasswordMatches(std::string_view hash, std::string_view password) {
  EnsureSodium();
  std::string h(hash);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::string NewSecret() {
  EnsureSodium();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
  out.pop_back();
  return out;
}

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

Result<Person> Access::FindPerson(std::string_view board_id, std::string_view person_id) {
  auto people = store_.ListPeople(board_id);
  if (!people.ok()) return people.status();
  for (const Person& p : *people)
    if (p.id == person_id && !p.removed_at) return p;
  return Status::NotFound("no such person");
}

Result<std::vector<Person>> Access::SignInCandidates(std::string_view email_or_id) {
  const std::string wanted = Lower(email_or_id);
  std::vector<Person> found;
  auto boards = store_.ListBoards();
  if (!boards.ok()) return boards.status();
  for (const Board& b : *boards) {
    auto people = store_.ListPeople(b.id);
    if (!people.ok()) return people.status();
    for (const Person& p : *people)
      if (!p.removed_at && (p.id == email_or_id || (!p.email.empty() && Lower(p.email) == wanted))) found.push_back(p);
  }
  return found;
}

Status Access::SetPassword(std::string_view board_id, std::string_view person_id, std::string_view password) {
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  return store_.PutPasswordHash(board_id, person_id, *hash, clock_.Now());
}

namespace {

// The throttling key of what was typed: its SHA-256, lower-cased first, so the table never
// holds an email address and "Jo@x.org" and "jo@x.org" are one account.
std::string AccountKey(std::string_view email_or_id) {
  std::string lower(email_or_id);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return SecretHash(lower);
}

}  // namespace

Status Access::CheckThrottle(const std::string& account, std::string_view client_address, Instant now) {
  auto failures = store_.CountFailedSignIns(account, client_address, now - kSignInWindow);
  if (!failures.ok()) return failures.status();
  std::optional<Instant> until;
  if (failures->from_address >= kMaxFailedSignIns) until = failures->last_from_address + kSignInWindow;
  if (failures->from_anywhere >= kMaxFailedSignInsAnywhere)
    until = std::max(until.value_or(Instant{}), failures->last_from_anywhere + kSignInWindow);
  if (!until) return Status::Ok();
  CR_RETURN_IF_ERROR(store_.CountThrottledSignIn(account, client_address));
  auto minutes = std::chrono::ceil<std::chrono::minutes>(*until - now).count();
  return Status::TooManyAttempts("too many wrong passwords for this account: try again in " +
                                 std::to_string(std::max<long long>(1, minutes)) + " minutes");
}

Result<Access::SignedIn> Access::SignIn(std::string_view email_or_id, std::string_view password,
                                        std::string_view client_address) {
  Instant now = clock_.Now();
  const std::string account = AccountKey(email_or_id);
  CR_RETURN_IF_ERROR(CheckThrottle(account, client_address, now));
  auto candidates = SignInCandidates(email_or_id);
  if (!candidates.ok()) return candidates.status();
  // Hash even when there is no such person, so the answer takes as long either way.
  static const std::string kDecoy = *HashPassword("casereview-decoy-password");
  const Person* person = nullptr;
  for (const Person& candidate : *candidates) {
    auto stored = store_.GetPasswordHash(candidate.board_id, candidate.id);
    if (!stored.ok()) return stored.status();
    // A person without a password yet is checked against the decoy, and never signs in.
    bool matches = PasswordMatches(*stored ? **stored : kDecoy, password);
    if (matches && *stored) {
      person = &candidate;
      break;
    }
  }
  if (candidates->empty()) (void)PasswordMatches(kDecoy, password);
  if (!person) {
    CR_RETURN_IF_ERROR(store_.RecordFailedSignIn(account, client_address, now, now - kSignInWindow));
    if (candidates->empty()) CR_RETURN_IF_ERROR(Audit({"anonymous", ""}, "session.create", "", "unauthenticated"));
    for (const Person& candidate : *candidates)  // in each board's log whose person it may have been
      CR_RETURN_IF_ERROR(Audit({"anonymous", candidate.board_id}, "session.create", candidate.id, "unauthenticated"));
    return NotSignedIn();
  }
  CR_RETURN_IF_ERROR(store_.ClearFailedSignIns(account, client_address));
  SignedIn out;
  out.secret = NewSecret();
  out.session = {SecretHash(out.secret), person->board_id, person->id, NewSecret(), now, now + session_length_};
  CR_RETURN_IF_ERROR(store_.PutSession(out.session));
  return out;
}

Status Access::SignOut(std::string_view session_secret) { return store_.DeleteSession(SecretHash(session_secret)); }

Result<Access::NewToken> Access::CreateToken(std::string_view board_id, std::string_view person_id,
                                             std::string_view label) {
  NewToken out;
  out.secret = "crt_" + NewSecret();
  out.token = {"tok-" + NewSecret().substr(0, 12), std::string(board_id), std::string(person_id), SecretHash(out.secret),
               std::string(label), clock_.Now(), std::nullopt};
  CR_RETURN_IF_ERROR(store_.PutApiToken(out.token));
  return out;
}

Status Access::RevokeToken(std::string_view token_id) { return store_.RevokeApiToken(token_id, clock_.Now()); }

Result<Principal> Access::FromSession(std::string_view session_secret) {
  if (session_secret.empty()) return NoValidCredential();
  auto session = store_.FindSession(SecretHash(session_secret));
  if (!session.ok()) return session.status();
  if (!*session || (*session)->expires_at <= clock_.Now()) return NoValidCredential();
  auto person = FindPerson((*session)->board_id, (*session)->person_id);
  if (!person.ok()) return NoValidCredential();
  return Principal{*person, **session, ""};
}

Result<Principal> Access::FromToken(std::string_view token_secret) {
  if (token_secret.empty()) return NoValidCredential();
  auto token = store_.FindApiToken(SecretHash(token_secret));
  if (!token.ok()) return token.status();
  if (!*token || (*token)->revoked_at) return NoValidCredential();
  auto person = FindPerson((*token)->board_id, (*token)->person_id);
  if (!person.ok()) return NoValidCredential();
  return Principal{*person, std::nullopt, (*token)->id};
}

Status Access::Audit(const AuditActor& actor, std::string_view action, std::string_view target,
                     std::string_view outcome) {
  AuditEntry e;
  e.at = clock_.Now();
  e.board_id = actor.board_id;
  e.actor = actor.id;
  e.action = action;
  e.target = target;
  e.outcome = outcome;
  return store_.AppendAudit(e).status();
}

}  // namespace casereview

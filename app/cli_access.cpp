// casereview person password | token | audit: who may sign in to the server, and the
// audit log of what they did.
#include <unistd.h>

#include <iostream>

#include "access.hpp"
#include "cli.hpp"

namespace casereview::cli {
namespace {

// The password from standard input (first line), never from the command line, where
// other users could read it in the process list.
Result<std::string> ReadPassword() {
  if (isatty(STDIN_FILENO)) std::cerr << "New password (at least " << kMinPasswordLength << " characters): " << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) return Status::InvalidArgument("no password given on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The board of the person a token was made for, or empty if there is no such token.
std::string TokenBoard(Store& store, const std::string& token_id) {
  auto tokens = store.ListApiTokens("", "");
  if (tokens.ok())
    for (const ApiToken& t : *tokens)
      if (t.id == token_id) return t.board_id;
  return "";
}

// "audit log intact: ...", on one line that ends with the head (SEQ:HASH, for --head later).
void PrintVerified(const AuditVerification& v) {
  std::cout << "audit log intact: " << v.entries << " entries; ";
  if (v.keyed_from == 0)
    std::cout << "not keyed yet (every entry was written before the upgrade, chained with plain SHA-256)";
  else if (v.keyed_from == 1)
    std::cout << "keyed (HMAC-SHA-256) from entry 1";
  else
    std::cout << "keyed (HMAC-SHA-256) from entry " << v.keyed_from << ", entries 1 to " << v.keyed_from - 1
              << " chained with plain SHA-256 before the upgrade";
  if (v.keyed_from != 0) std::cout << "; the witness vouches for entry " << v.witness_seq;
  std::cout << "; head " << v.head_seq << ":" << v.head_hash << "\n";
}

}  // namespace

void AddAccessCommands(CLI::App& app, Context& ctx, int& exit_code) {
  // `person add` and `person list` are the board's (cli_board.cpp); the password is sign-in's.
  auto* person = app.get_subcommand("person");
  // A person id is one board's: --board names it when the database holds several.
  std::string& person_id = ctx.Keep<std::string>();
  std::string& board_id = ctx.Keep<std::string>();
  auto* password = person->add_subcommand("password", "Set a person's password, read from standard input");
  password->add_option("--id", person_id, "The person")->required();
  password->add_option("--board", board_id, "Their board (default: the only board)");
  password->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto board = ctx.engine->FindBoard(board_id);
    if (!board.ok()) { exit_code = Fail(board.status()); return; }
    auto pw = ReadPassword();
    if (!pw.ok()) { exit_code = Fail(pw.status()); return; }
    Access access(*ctx.store, ctx.clock);
    if (Status s = access.SetPassword(board->id, person_id, *pw); !s.ok()) { exit_code = Fail(s); return; }
    if (Status s = ctx.Audit(board->id, "password.set", person_id, "ok"); !s.ok()) { exit_code = Fail(s); return; }
    std::cout << "password set for " << person_id
              << " (stored as an Argon2id hash; their sessions and tokens have ended)\n";
  });
  auto* remove = person->add_subcommand(
      "remove", "Remove a person from the board: they can no longer sign in or be given work; the history keeps their name");
  remove->add_option("--id", person_id, "The person")->required();
  remove->add_option("--board", board_id, "Their board (default: the only board)");
  remove->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto board = ctx.engine->FindBoard(board_id);
    if (!board.ok()) { exit_code = Fail(board.status()); return; }
    if (Status s = ctx.store->RemovePerson(board->id, person_id, ctx.clock.Now()); !s.ok()) { exit_code = Fail(s); return; }
    if (Status s = ctx.Audit(board->id, "person.remove", person_id, "ok"); !s.ok()) { exit_code = Fail(s); return; }
    std::cout << "removed " << person_id << " from the board; their sessions and tokens have ended\n";
  });

  auto* token = app.add_subcommand("token", "API tokens for other systems")->require_subcommand(1);
  std::string& token_person = ctx.Keep<std::string>();
  std::string& token_label = ctx.Keep<std::string>();
  std::string& token_id = ctx.Keep<std::string>();
  auto* create = token->add_subcommand("create", "Make a token for a person; it is shown once");
  create->add_option("--person", token_person, "Whose token")->required();
  create->add_option("--label", token_label, "What it is for");
  create->add_option("--board", board_id, "Their board (default: the only board)");
  create->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto board = ctx.engine->FindBoard(board_id);
    if (!board.ok()) { exit_code = Fail(board.status()); return; }
    Access access(*ctx.store, ctx.clock);
    auto made = access.CreateToken(board->id, token_person, token_label);
    if (!made.ok()) { exit_code = Fail(made.status()); return; }
    if (Status s = ctx.Audit(board->id, "token.create", token_person, "ok"); !s.ok()) { exit_code = Fail(s); return; }
    if (ctx.json) {
      std::cout << nlohmann::json{{"id", made->token.id}, {"person", token_person}, {"token", made->secret}}.dump(2) << "\n";
    } else {
      std::cout << "token " << made->token.id << " for " << token_person << " (shown once; send it as 'Authorization: Bearer …'):\n"
                << made->secret << "\n";
    }
  });
  auto* list = token->add_subcommand("list", "Every token: id, board, person, label, made, revoked (never the secret)");
  std::string& list_board = ctx.Keep<std::string>();
  list->add_option("--board", list_board, "Only this board's (default: every board's)");
  list->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto tokens = ctx.store->ListApiTokens(list_board, "");
    if (!tokens.ok()) { exit_code = Fail(tokens.status()); return; }
    for (const ApiToken& t : *tokens)
      std::cout << t.id << "\t" << t.board_id << "\t" << t.person_id << "\t" << t.label << "\t" << FormatInstant(t.created_at) << "\t"
                << (t.revoked_at ? "revoked " + FormatInstant(*t.revoked_at) : "active") << "\n";
  });
  auto* revoke = token->add_subcommand("revoke", "Revoke a token");
  revoke->add_option("id", token_id, "The token's id (tok-...)")->required();
  revoke->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    Access access(*ctx.store, ctx.clock);
    if (Status s = access.RevokeToken(token_id); !s.ok()) { exit_code = Fail(s); return; }
    if (Status s = ctx.Audit(TokenBoard(*ctx.store, token_id), "token.revoke", token_id, "ok"); !s.ok()) { exit_code = Fail(s); return; }
    std::cout << "revoked " << token_id << "\n";
  });

  auto* audit = app.add_subcommand("audit", "The audit log: who read or changed what, and when")->require_subcommand(1);
  std::string& board = ctx.Keep<std::string>();
  std::string& actor = ctx.Keep<std::string>();
  std::string& target = ctx.Keep<std::string>();
  std::string& head = ctx.Keep<std::string>();
  std::int64_t& after = ctx.Keep<std::int64_t>(0);
  std::size_t& limit = ctx.Keep<std::size_t>(100);
  auto* show = audit->add_subcommand("list", "Entries, oldest first");
  show->add_option("--board", board, "Only this board's");
  show->add_option("--actor", actor, "Only this person's");
  show->add_option("--target", target, "Only about this review, person or board");
  show->add_option("--after", after, "Entries after this sequence number");
  show->add_option("--limit", limit, "At most this many")->capture_default_str();
  show->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    AuditFilter f;
    if (!board.empty()) f.board = board;
    if (!actor.empty()) f.actor = actor;
    if (!target.empty()) f.target = target;
    f.after_seq = after;
    f.limit = limit;
    auto entries = ctx.store->ListAudit(f);
    if (!entries.ok()) { exit_code = Fail(entries.status()); return; }
    nlohmann::json out = nlohmann::json::array();
    for (const AuditEntry& e : *entries) {
      if (ctx.json)
        out.push_back({{"seq", e.seq}, {"at", FormatInstant(e.at)}, {"board", e.board_id}, {"actor", e.actor},
                       {"action", e.action}, {"target", e.target}, {"outcome", e.outcome}, {"hash", e.hash},
                       {"keyed", e.keyed}});
      else
        std::cout << e.seq << "\t" << FormatInstant(e.at) << "\t" << e.board_id << "\t" << e.actor << "\t" << e.action << "\t" << e.target
                  << "\t" << e.outcome << "\n";
    }
    if (ctx.json) std::cout << out.dump(2) << "\n";
  });
  auto* verify = audit->add_subcommand(
      "verify", "Check the keyed chain and its head witness: any edited, deleted or truncated entry is named");
  verify->add_option("--head", head, "A head hash noted earlier (SEQ:HASH): it must still be in the chain");
  verify->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto v = VerifyAuditChain(*ctx.store);
    if (!v.ok()) { exit_code = Fail(v.status()); return; }
    if (!v->problem.empty()) {
      exit_code = Fail(Status::Corruption("the audit log has been tampered with: " + v->problem));
      return;
    }
    if (!head.empty()) {
      auto colon = head.find(':');
      std::int64_t seq = 0;
      try {
        seq = colon == std::string::npos ? -1 : std::stoll(head.substr(0, colon));
      } catch (const std::exception&) {
        seq = -1;
      }
      if (seq < 1) { exit_code = Fail(Status::InvalidArgument("--head takes SEQ:HASH, as audit verify prints it")); return; }
      AuditFilter at;
      at.after_seq = seq - 1;
      at.limit = 1;
      auto entry = ctx.store->ListAudit(at);
      if (!entry.ok()) { exit_code = Fail(entry.status()); return; }
      if (entry->empty() || entry->front().seq != seq || entry->front().hash != head.substr(colon + 1)) {
        exit_code = Fail(Status::Corruption("the audit log has been tampered with: entry " + std::to_string(seq) +
                                            " no longer has the hash noted (entries at or before it were deleted or changed)"));
        return;
      }
    }
    PrintVerified(*v);
  });
}

}  // namespace casereview::cli

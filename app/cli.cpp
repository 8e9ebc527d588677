#include "cli.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "access.hpp"
#include "calendar.hpp"
#include "casereview/json_input.hpp"
#include "casereview/sqlite_store.hpp"
#include "permissions.hpp"

namespace casereview::cli {
namespace {

const nlohmann::json* FieldHelp(std::string_view event, const std::string& name) {
  static const std::vector<EventHelp> kHelp = AllEventHelp();
  for (const auto& e : kHelp) {
    if (e.name != event) continue;
    for (const auto& f : e.fields)
      if (f["name"] == name) return &f;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Status Context::Open(bool create) {
  CR_RETURN_IF_ERROR(clock.status());
  if (!create && !std::filesystem::exists(db_path))
    return Status::NotFound("no database at " + db_path +
                            " (create a board first: casereview board create, or give --db)");
  CR_RETURN_IF_ERROR(LondonTimeZoneAvailable());  // due dates are Europe/London
  auto s = OpenSqliteStore(db_path, StoreOptions(create));
  if (!s.ok()) return s.status();
  store = std::move(*s);
  engine = std::make_unique<Engine>(*store, clock);
  return Status::Ok();
}

std::string Context::Operator() const {
  struct passwd* pw = getpwuid(geteuid());
  return "cli:" + (pw && pw->pw_name ? std::string(pw->pw_name) : "uid-" + std::to_string(geteuid()));
}

Status Context::Audit(std::string_view board_id, std::string_view action, std::string_view target,
                      std::string_view outcome) {
  Access access(*store, clock);
  return access.Audit({Operator(), std::string(board_id)}, action, target, outcome);
}

CommandTrail Context::TrailFor(std::string_view board_id, std::string_view action) const {
  CommandTrail trail;
  trail.audit = AuditEntry{};
  trail.audit->at = clock.Now();
  trail.audit->board_id = std::string(board_id);
  trail.audit->actor = Operator();
  trail.audit->action = std::string(action);
  trail.audit->outcome = "ok";
  return trail;
}

Result<Person> Context::Acting(const std::string& board_id, const std::string& by) {
  std::vector<Person> found;
  auto boards = store->ListBoards();
  if (!boards.ok()) return boards.status();
  for (const Board& b : *boards) {
    if (!board_id.empty() && b.id != board_id) continue;
    auto people = store->ListPeople(b.id);
    if (!people.ok()) return people.status();
    for (const Person& p : *people)
      if (p.id == by) found.push_back(p);
  }
  if (found.empty())
    return Status::NotFound("--by " + by + ": there is no such person" + (board_id.empty() ? "" : " on board " + board_id) +
                            " (see 'casereview person list')");
  if (found.size() > 1)
    return Status::InvalidArgument("--by " + by + ": several boards have a person with this id; say which board with --board");
  const Person& p = found.front();
  if (p.removed_at) return Status::Forbidden("--by " + by + ": " + p.name + " has been removed from the board");
  return p;
}

Status Context::MayRecordAs(const std::string& by, const ReviewRecord& review, std::string_view event,
                            const nlohmann::json& fields) {
  auto person = Acting(review.board_id, by);
  if (!person.ok()) return person.status();
  auto people = store->ListPeople(review.board_id);
  if (!people.ok()) return people.status();
  return MayRecord(*person, review, event, fields, *people);
}

Result<std::string> Context::MayOpenAs(const std::string& by, const std::string& board_id, std::string_view kind) {
  auto person = Acting(board_id, by);
  if (!person.ok()) return person.status();
  const std::string board = board_id.empty() ? person->board_id : board_id;
  CR_RETURN_IF_ERROR(MayOpen(*person, board, kind));
  return board;
}

SqliteStoreOptions Context::StoreOptions(bool create) const {
  SqliteStoreOptions options;
  options.create_if_missing = create;
  options.audit_key_path = audit_key_path;
  return options;
}

Result<nlohmann::json> FieldsFrom(std::string_view event, const std::vector<std::string>& sets,
                                  const std::string& json_fields) {
  nlohmann::json fields = nlohmann::json::object();
  if (!json_fields.empty()) {
    auto parsed = ParseJsonInput(json_fields, "--json", "--json must be a JSON object of fields");
    if (!parsed.ok()) return parsed.status();
    fields = std::move(*parsed);
    if (!fields.is_object()) return Status::InvalidArgument("--json must be a JSON object of fields");
  }
  for (const auto& set : sets) {
    auto eq = set.find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::InvalidArgument("--set takes FIELD=VALUE (got a value without '=')");
    std::string key = set.substr(0, eq), value = set.substr(eq + 1);
    std::replace(key.begin(), key.end(), '-', '_');
    const nlohmann::json* help = FieldHelp(event, key);
    std::string type = help ? (*help)["type"].get<std::string>() : "text";
    if (type == "people" || type == "agencies") {
      fields[key] = SplitCommas(value);
    } else if (type == "bool") {
      if (value != "true" && value != "false")
        return Status::InvalidArgument("field '" + key + "' is true or false");
      fields[key] = value == "true";
    } else {
      fields[key] = value;
    }
  }
  return fields;
}

int Fail(const Status& s) {
  std::cerr << "casereview: " << s.message() << "\n";
  switch (s.code()) {
    case Status::Code::kRefused: return 3;
    case Status::Code::kStorageError:
    case Status::Code::kCorruption: return 4;
    case Status::Code::kUnavailable: return 5;
    default: return 1;
  }
}

void PrintRecovery(const RecoveryReport& r) {
  std::cout << "verified " << r.reviews_checked << " reviews (" << r.events_replayed
            << " events replayed): every one matches its log\n";
  if (r.repaired) std::cout << "rebuilt " << r.repaired << " read models an older casereview wrote\n";
  else if (r.stale)
    std::cout << r.stale << " read models were written by an older casereview: 'casereview verify --repair' rebuilds them\n";
}

}  // namespace casereview::cli

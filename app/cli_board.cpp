// casereview board | agency | person | import: the board's set-up data.
#include <fstream>
#include <iostream>
#include <sstream>

#include "board_import.hpp"
#include "cli.hpp"
#include "digest.hpp"

namespace casereview::cli {
namespace {

int Import(Context& ctx, const std::string& path, const std::string& board_id) {
  auto text = ReadFile(path);
  if (!text.ok()) return Fail(text.status());
  bool is_csv = path.size() > 4 && path.substr(path.size() - 4) == ".csv";
  if (Status s = ctx.Open(/*create=*/!is_csv); !s.ok()) return Fail(s);
  Result<BoardData> data = Status::InvalidArgument("unparsed");
  if (is_csv) {
    auto board = ctx.engine->FindBoard(board_id);
    if (!board.ok()) return Fail(board.status());
    data = ParseBoardCsv(*text, *board, path);
  } else {
    data = ParseBoardJson(*text);
  }
  if (!data.ok()) return Fail(Status::InvalidArgument(path + ": " + data.status().message()));
  if (Status s = ctx.engine->ImportBoardData(*data); !s.ok()) return Fail(s);
  std::cout << "imported " << data->agencies.size() << " agencies and " << data->people.size()
            << " people into board " << data->board.id << "\n";
  return 0;
}

void PrintAgencies(const BoardData& d, bool json) {
  if (json) {
    std::cout << BoardDataToJson(d)["agencies"].dump(2) << "\n";
    return;
  }
  for (const auto& a : d.agencies) std::cout << a.id << "\t" << a.sector << "\t" << a.name << "\n";
}

void PrintPeople(BoardData d, const std::string& role, bool json) {
  if (!role.empty())
    std::erase_if(d.people, [&](const Person& p) { return !p.HasRole(role); });
  if (json) {
    std::cout << BoardDataToJson(d)["people"].dump(2) << "\n";
    return;
  }
  for (const auto& p : d.people) {
    std::string roles;
    for (const auto& r : p.roles) roles += (roles.empty() ? "" : ",") + r;
    std::cout << p.id << "\t" << (p.agency_id.empty() ? "-" : p.agency_id) << "\t" << roles
              << "\t" << p.name << " <" << p.email << ">\n";
  }
}

}  // namespace

void AddBoardCommands(CLI::App& app, Context& ctx, int& exit_code) {
  std::string& board_id = ctx.Keep<std::string>();
  std::string& name = ctx.Keep<std::string>();
  std::string& profile = ctx.Keep<std::string>("seed-2010");
  std::string& sectors = ctx.Keep<std::string>("health,childrens-social-care");
  int& min_agencies = ctx.Keep<int>(4);
  bool& no_chair = ctx.Keep<bool>(false);
  std::string& path = ctx.Keep<std::string>();
  std::string& id = ctx.Keep<std::string>();
  std::string& email = ctx.Keep<std::string>();
  std::string& agency = ctx.Keep<std::string>();
  std::string& roles = ctx.Keep<std::string>();
  std::string& sector = ctx.Keep<std::string>();

  auto* board = app.add_subcommand("board", "Create, show or export the board")->require_subcommand(1);
  auto* create = board->add_subcommand("create", "Create a board (and the database if new)");
  create->add_option("--id", board_id, "Short code, e.g. demo")->required();
  create->add_option("--name", name, "The board's name")->required();
  create->add_option("--profile", profile, "Policy profile")->capture_default_str();
  create->add_option("--quorum-min-agencies", min_agencies, "Agencies a quorate panel needs")
      ->capture_default_str();
  create->add_option("--quorum-sectors", sectors, "Sectors a quorate panel needs (comma-separated)")
      ->capture_default_str();
  create->add_flag("--quorum-no-chair", no_chair, "The panel chair need not be present");
  create->callback([&] {
    if (Status s = ctx.Open(true); !s.ok()) { exit_code = Fail(s); return; }
    Board b{board_id, name, profile, {!no_chair, min_agencies, SplitCommas(sectors)}};
    if (Status s = ctx.engine->CreateBoard(b); !s.ok()) { exit_code = Fail(s); return; }
    std::cout << "created board " << b.id << " in " << ctx.db_path << "\n";
  });
  std::string& meeting_date = ctx.Keep<std::string>();
  auto* meeting = board->add_subcommand(
      "meeting", "Add a board meeting: its action-plan digest goes to the board 5 working days before");
  meeting->add_option("date", meeting_date, "The meeting's date, YYYY-MM-DD")->required();
  meeting->add_option("--board", board_id, "Board id (default: the only board)");
  meeting->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto b = ctx.engine->FindBoard(board_id);
    if (!b.ok()) { exit_code = Fail(b.status()); return; }
    auto date = ParseDate(meeting_date);
    if (!date.ok()) { exit_code = Fail(Status::InvalidArgument("board meeting: " + date.status().message())); return; }
    if (Status s = AddBoardMeeting(*ctx.store, b->id, *date, ctx.clock.Now()); !s.ok()) { exit_code = Fail(s); return; }
    std::cout << "board " << b->id << " meets on " << FormatDate(*date) << "\n";
  });
  auto* meetings = board->add_subcommand("meetings", "The board's meetings");
  meetings->add_option("--board", board_id, "Board id (default: the only board)");
  meetings->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto b = ctx.engine->FindBoard(board_id);
    if (!b.ok()) { exit_code = Fail(b.status()); return; }
    auto dates = BoardMeetings(*ctx.store, b->id);
    if (!dates.ok()) { exit_code = Fail(dates.status()); return; }
    nlohmann::json out = nlohmann::json::array();
    for (Date d : *dates) out.push_back(FormatDate(d));
    if (ctx.json) std::cout << out.dump(2) << "\n";
    else for (const auto& d : out) std::cout << d.get<std::string>() << "\n";
  });
  auto* show = board->add_subcommand("show", "The board, its agencies and people, as JSON");
  show->add_option("--board", board_id, "Board id (default: the only board)");
  show->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto d = ctx.engine->LoadBoardData(board_id);
    if (!d.ok()) { exit_code = Fail(d.status()); return; }
    std::cout << BoardDataToJson(*d).dump(2) << "\n";
  });

  auto* import = app.add_subcommand("import", "Import a board file (.json) or agencies/people (.csv)");
  import->add_option("file", path, "board.json, agencies.csv or people.csv")->required();
  import->add_option("--board", board_id, "Board for a CSV (default: the only board)");
  import->callback([&] { exit_code = Import(ctx, path, board_id); });

  auto* agencies = app.add_subcommand("agency", "Add or list agencies")->require_subcommand(1);
  auto* agency_add = agencies->add_subcommand("add", "Add or update an agency");
  agency_add->add_option("--id", id, "Short code, e.g. police")->required();
  agency_add->add_option("--name", name, "Its name")->required();
  agency_add->add_option("--sector", sector, "health, childrens-social-care, police, ...")->required();
  agency_add->add_option("--board", board_id, "Board id (default: the only board)");
  agency_add->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto b = ctx.engine->FindBoard(board_id);
    if (!b.ok()) { exit_code = Fail(b.status()); return; }
    if (Status s = ctx.engine->PutAgency({id, b->id, name, sector}); !s.ok()) { exit_code = Fail(s); return; }
    std::cout << "agency " << id << " saved\n";
  });
  auto* agency_list = agencies->add_subcommand("list", "List the agencies");
  agency_list->add_option("--board", board_id, "Board id (default: the only board)");
  agency_list->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto d = ctx.engine->LoadBoardData(board_id);
    if (!d.ok()) { exit_code = Fail(d.status()); return; }
    PrintAgencies(*d, ctx.json);
  });

  auto* people = app.add_subcommand("person", "Add or list people")->require_subcommand(1);
  auto* person_add = people->add_subcommand("add", "Add or update a person");
  person_add->add_option("--id", id, "Short code, e.g. p-police-author")->required();
  person_add->add_option("--name", name, "Their name")->required();
  person_add->add_option("--email", email, "Their work email")->required();
  person_add->add_option("--agency", agency, "Their agency's id (none if independent)");
  person_add->add_option("--roles", roles, "Comma-separated: panel-chair, panel-member, imr-author, ...");
  person_add->add_option("--board", board_id, "Board id (default: the only board)");
  person_add->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto b = ctx.engine->FindBoard(board_id);
    if (!b.ok()) { exit_code = Fail(b.status()); return; }
    Person p{id, b->id, name, email, agency, SplitCommas(roles)};
    if (Status s = ctx.engine->PutPerson(p); !s.ok()) { exit_code = Fail(s); return; }
    std::cout << "person " << id << " saved\n";
  });
  std::string& role = ctx.Keep<std::string>();
  auto* person_list = people->add_subcommand("list", "List the people (--role panel-member: the standing panel)");
  person_list->add_option("--board", board_id, "Board id (default: the only board)");
  person_list->add_option("--role", role, "Only people holding this role");
  person_list->callback([&] {
    if (Status s = ctx.Open(false); !s.ok()) { exit_code = Fail(s); return; }
    auto d = ctx.engine->LoadBoardData(board_id);
    if (!d.ok()) { exit_code = Fail(d.status()); return; }
    PrintPeople(*d, role, ctx.json);
  });
}

}  // namespace casereview::cli

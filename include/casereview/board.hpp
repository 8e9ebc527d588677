// Board set-up data: the board, its agencies, its people and the standing panel's rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casereview/clock.hpp"
#include "casereview/status.hpp"

namespace casereview {

// The sectors an agency can belong to. Quoracy rules name sectors, so these are a closed list.
const std::vector<std::string_view>& KnownSectors();
// The roles a person can hold on a board (docs/glossary.md explains each).
const std::vector<std::string_view>& KnownRoles();

// When a meeting of the standing SCR panel may make a recommendation. The seed board's
// Terms of Reference (Appendix 2, para 2): "quorate if the Chair and at least 4 agencies are
// represented, including health and social care services".
struct QuorumRule {
  bool chair_required = true;
  int min_agencies = 4;
  std::vector<std::string> required_sectors = {"health", "childrens-social-care"};

  bool operator==(const QuorumRule&) const = default;
};

struct Board {
  std::string id;    // short code, e.g. "demo"
  std::string name;  // "Demo Local Safeguarding Children Board"
  std::string policy_profile = "seed-2010";
  QuorumRule quorum;

  bool operator==(const Board&) const = default;
};

struct Agency {
  std::string id;  // short code, e.g. "police"
  std::string board_id;
  std::string name;
  std::string sector;  // one of KnownSectors()

  bool operator==(const Agency&) const = default;
};

struct Person {
  std::string id;  // short code, e.g. "p-chair"
  std::string board_id;
  std::string name;
  std::string email;
  std::string agency_id;           // empty for independent people (the panel chair)
  std::vector<std::string> roles;  // each one of KnownRoles()
  // Set when the person was removed from the board (Store::RemovePerson): they can no longer
  // sign in or be given work, and stay on the board's list for the history that names them.
  std::optional<Instant> removed_at;

  bool HasRole(std::string_view role) const;
  bool operator==(const Person&) const = default;
};

// Everything a board holds, as imported or exported in one go.
struct BoardData {
  Board board;
  std::vector<Agency> agencies;
  std::vector<Person> people;
};

// An id a person or program chose for a person, an agency or an action: 1 to 64 letters,
// digits, '-' or '_', starting with a letter or digit. Ids appear in addresses, file names and
// pages, so nothing else (no '/', '.', spaces or markup) is allowed in one.
bool IsPlainId(std::string_view id);

// Checks that names the first thing wrong: unknown sector or role, empty id or name,
// a malformed email, a person whose agency is not on the board, a duplicate id.
Status Validate(const Agency& a);
Status Validate(const Person& p);
Status Validate(const BoardData& d);

}  // namespace casereview

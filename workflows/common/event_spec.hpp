// Event schemas: what each fact in a review's log carries.
//
// One table per workflow lists its events and their fields. The same table validates a
// command's input, checks a stored payload on replay, and writes the CLI's help, so the
// three never disagree.
//
// A field naming a person is given as the person's id; the engine resolves it before the
// event reaches a machine and stores {"id","agency","sector","roles"}, so replaying the log
// gives the same answers even after the board's data has changed.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casereview/status.hpp"

namespace casereview {

enum class FieldType {
  kText,      // free text; never echoed in an error message
  kDate,      // "YYYY-MM-DD"
  kBool,      // true / false
  kChoice,    // one of FieldSpec::choices
  kAgency,    // an agency id on the board
  kAgencies,  // a non-empty list of agency ids
  kPerson,    // a person id on the board (stored resolved)
  kPeople,    // a non-empty list of person ids (stored resolved)
};

struct FieldSpec {
  std::string_view name;
  FieldType type;
  bool required;
  std::string_view help;
  std::vector<std::string_view> choices = {};  // kChoice only
  bool confidential = false;  // identifies the child: never in a notice, log or error
  // kDate only: a command that leaves it out records today's date (London) in it.
  bool today_by_default = false;
};

struct EventSpec {
  std::string_view name;     // stable, past tense: "ImrSubmitted"
  std::string_view summary;  // one line for --help
  std::vector<FieldSpec> fields;

  const FieldSpec* Field(std::string_view field_name) const;
};

std::string_view FieldTypeName(FieldType t);

// Checks a payload against its spec: an object, every required field present, each field of
// its type, no unknown fields. `resolved` says people are stored objects, not ids.
// Errors name the event and the field ("ImrCommissioned: field 'due' must be a date
// (YYYY-MM-DD)") and never the field's value.
Status ValidatePayload(const EventSpec& spec, const nlohmann::json& payload, bool resolved);

const EventSpec* FindSpec(std::span<const EventSpec> specs, std::string_view name);

// Accessors for validated payloads (REQUIRES: ValidatePayload passed).
std::string TextField(const nlohmann::json& p, std::string_view name);  // "" if absent
std::string PersonId(const nlohmann::json& p, std::string_view name);   // "" if absent
bool BoolField(const nlohmann::json& p, std::string_view name);

// Appends what a review keeps of a DeadlineEscalated event, "deadline -> to", with the entry
// and the list sized exactly: an open review keeps every escalation it has seen
// (docs/performance.md, figure 2).
void AppendEscalation(std::vector<std::string>& escalations, const nlohmann::json& p);

}  // namespace casereview

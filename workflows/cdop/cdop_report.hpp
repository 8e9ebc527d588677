// The board's child death report: how many deaths were notified and of what kind, the
// categories of death the panel recorded, how many had modifiable factors, and how timely
// each step was (docs/cdop-report.md explains every measure and its rules).
//
// From the read models alone, over the child death reviews notified (London date of the
// notification) from `from` to `to` inclusive; `as_at` decides only whether a deadline still
// open is overdue. Aggregates only: no child's details, and no review reference. The date of
// death is kept in the case record only, so the time from death to notification is not
// reported.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "casereview/clock.hpp"
#include "casereview/store.hpp"

namespace casereview {

// REQUIRES: from <= to (the CLI refuses the reverse; here it simply counts nothing).
nlohmann::json ChildDeathReport(const std::vector<ReviewRecord>& reviews, Date from, Date to, Instant as_at);

// The report as one long RFC 4180 table, "section,item,measure,value", CRLF line ends: one
// table rather than one per section, so a spreadsheet can pivot it.
std::string ChildDeathReportCsv(const nlohmann::json& report);

// The report as text for a terminal: the counts, each category, the modifiable factors and
// each deadline's timeliness, one line each.
std::string ChildDeathReportText(const nlohmann::json& report);

}  // namespace casereview

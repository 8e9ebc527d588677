// The board's child death report: how many deaths were notified and of what kind, the
// categories of death the panel recorded, how many had modifiable factors, and how timely
// each step was (docs/cdop-report.md explains every measure).
//
// From the read models alone, over the child death reviews notified (London date of the
// notification) from `from` to `to` inclusive. Aggregates only: no child's details, and
// review references nowhere. The date of death is kept in the case record only, so the
// time from death to notification is not reported.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "casereview/clock.hpp"
#include "casereview/store.hpp"

namespace casereview {

nlohmann::json ChildDeathReport(const std::vector<ReviewRecord>& reviews, Date from, Date to, Instant as_at);

// The report as one long table, RFC 4180: "section,item,measure,value".
std::string ChildDeathReportCsv(const nlohmann::json& report);

}  // namespace casereview

// Bar charts as inline SVG for the board's report: no scripts, no external files, a title
// and a description for screen readers, and every figure also written as text beside it.
#pragma once

#include <string>
#include <vector>

namespace casereview::http {

struct BarSegment {
  int value = 0;
  std::string css_class;  // "cr-bar--red", "cr-bar--amber", "cr-bar--green", "cr-bar--grey"
  std::string label;      // "red", "overdue": for the text alternative
};

struct Bar {
  std::string label;  // e.g. a review reference or a stage
  std::vector<BarSegment> segments;  // stacked left to right
};

// A horizontal (stacked) bar chart. `title` names the chart for assistive technology.
// Labels are escaped; the result is markup to insert as it is.
std::string BarChartSvg(const std::string& title, const std::vector<Bar>& bars);

}  // namespace casereview::http

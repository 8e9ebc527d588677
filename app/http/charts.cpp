#include "charts.hpp"

#include <algorithm>
#include <kainjow/mustache.hpp>
#include <sstream>

namespace casereview::http {
namespace {

// Labels are escaped as the pages' templates escape every value.
std::string Escape(const std::string& s) { return kainjow::mustache::html_escape(s); }

constexpr int kLabelWidth = 160, kBarArea = 420, kRowHeight = 32, kBarHeight = 22, kTop = 8;

}  // namespace

std::string BarChartSvg(const std::string& title, const std::vector<Bar>& bars) {
  int most = 1;
  for (const Bar& b : bars) {
    int total = 0;
    for (const BarSegment& s : b.segments) total += std::max(0, s.value);
    most = std::max(most, total);
  }
  const int width = kLabelWidth + kBarArea + 60;
  const int height = kTop * 2 + kRowHeight * static_cast<int>(std::max<std::size_t>(bars.size(), 1));
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cr-chart\" role=\"img\" width=\"" << width
      << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << ' ' << height << "\">"
      << "<title>" << Escape(title) << "</title><desc>";
  for (const Bar& b : bars) {
    svg << Escape(b.label) << ':';
    for (const BarSegment& s : b.segments) svg << ' ' << s.value << ' ' << Escape(s.label) << ';';
    svg << ' ';
  }
  svg << "</desc>";
  svg << "<line class=\"cr-axis\" x1=\"" << kLabelWidth << "\" y1=\"" << kTop / 2 << "\" x2=\"" << kLabelWidth
      << "\" y2=\"" << height - kTop / 2 << "\"/>";
  int y = kTop;
  for (const Bar& b : bars) {
    svg << "<text x=\"" << kLabelWidth - 8 << "\" y=\"" << y + kBarHeight - 6 << "\" text-anchor=\"end\">"
        << Escape(b.label) << "</text>";
    int x = kLabelWidth, total = 0;
    for (const BarSegment& s : b.segments) {
      if (s.value <= 0) continue;
      int w = std::max(2, s.value * kBarArea / most);
      svg << "<rect class=\"" << Escape(s.css_class) << "\" x=\"" << x << "\" y=\"" << y << "\" width=\"" << w
          << "\" height=\"" << kBarHeight << "\"/>";
      x += w;
      total += s.value;
    }
    svg << "<text x=\"" << x + 6 << "\" y=\"" << y + kBarHeight - 6 << "\">" << total << "</text>";
    y += kRowHeight;
  }
  svg << "</svg>";
  return svg.str();
}

}  // namespace casereview::http

// A small SVG line-chart writer for the simulator's plots (no dependencies): series of
// (x, y) points drawn as polylines over labelled axes with ticks, a grid and a legend.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace autoglm::sim {

struct ChartSeries {
  std::string label;
  std::vector<std::pair<double, double>> points;  // drawn in this order
};

struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<ChartSeries> series;
  bool x_log = false;           // log10 x axis (non-positive x values are dropped)
  bool step = false;            // hold each y until the next x (CDFs)
  std::optional<double> y_min;  // default: 0, or the data's minimum if negative
  std::optional<double> y_max;  // default: the data's maximum, rounded up to a tick
  int width = 860;
  int height = 480;
};

// A complete standalone SVG document (UTF-8). Text is escaped; an empty chart still has
// its axes and a "no data" note.
std::string render_svg(const LineChart& chart);

// Escapes &, <, >, " and ' for SVG text and attribute values.
std::string svg_escape(std::string_view text);

// About `target` evenly spaced round tick values (1, 2 or 5 times a power of ten) covering
// [lo, hi]; the first is <= lo and the last >= hi. REQUIRES: lo < hi, both finite.
std::vector<double> nice_ticks(double lo, double hi, int target);

// Ticks for a log axis over [lo, hi] (lo > 0): 1, 2 and 5 times powers of ten, thinned to
// powers of ten when the range spans many decades.
std::vector<double> log_ticks(double lo, double hi);

}  // namespace autoglm::sim

#include "sim/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace autoglm::sim {
namespace {

// Distinguishable on white and for the common colour-vision deficiencies (Okabe-Ito).
constexpr const char* kColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                    "#E69F00", "#56B4E9", "#000000", "#F0E442"};
constexpr int kLeft = 80, kTop = 50, kBottom = 60, kLegendWidth = 190;

std::string number_label(double v) {
  const double a = std::fabs(v);
  if (a >= 1e9) return fmt::format("{:.3g}", v);
  if (a >= 1e6) return fmt::format("{:g}M", v / 1e6);
  if (a >= 1e4) return fmt::format("{:g}k", v / 1e3);
  return fmt::format("{:g}", v);
}

// The largest 1, 2 or 5 times a power of ten <= v (round_up: the smallest >= v). v > 0.
double log_step(double v, bool round_up) {
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  const double ms[] = {1, 2, 5, 10};
  if (round_up) {
    for (const double m : ms) {
      if (m * p >= v * (1 - 1e-12)) return m * p;
    }
    return 10 * p;
  }
  double best = p;
  for (const double m : ms) {
    if (m * p <= v * (1 + 1e-12)) best = m * p;
  }
  return best;
}

struct Axis {
  double lo = 0, hi = 1;
  bool log = false;
  double pixel_lo = 0, pixel_hi = 1;  // pixel_hi may be < pixel_lo (y grows downwards)
  double to_pixel(double v) const {
    const double a = log ? std::log10(lo) : lo, b = log ? std::log10(hi) : hi;
    const double t = ((log ? std::log10(v) : v) - a) / (b - a);
    return pixel_lo + t * (pixel_hi - pixel_lo);
  }
};

struct Bounds {
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo;
  double y_lo = x_lo, y_hi = -x_lo;
  bool any() const { return x_lo <= x_hi; }
};

bool usable(const LineChart& c, const std::pair<double, double>& p) {
  return std::isfinite(p.first) && std::isfinite(p.second) && (!c.x_log || p.first > 0);
}

Bounds data_bounds(const LineChart& c) {
  Bounds b;
  for (const auto& s : c.series) {
    for (const auto& p : s.points) {
      if (!usable(c, p)) continue;
      b.x_lo = std::min(b.x_lo, p.first);
      b.x_hi = std::max(b.x_hi, p.first);
      b.y_lo = std::min(b.y_lo, p.second);
      b.y_hi = std::max(b.y_hi, p.second);
    }
  }
  return b;
}

// Axis ranges and ticks; a degenerate range is widened so the scale is defined.
void set_ranges(const LineChart& c, const Bounds& b, Axis& x, Axis& y, std::vector<double>& xt,
                std::vector<double>& yt) {
  x.log = c.x_log;
  double x_lo = b.any() ? b.x_lo : (c.x_log ? 1 : 0), x_hi = b.any() ? b.x_hi : x_lo + 1;
  if (x_hi <= x_lo) x_hi = c.x_log ? x_lo * 10 : x_lo + 1;
  if (c.x_log) {
    x.lo = log_step(x_lo, false);
    x.hi = log_step(x_hi, true);
    if (x.hi <= x.lo) x.hi = x.lo * 10;
    xt = log_ticks(x.lo, x.hi);
  } else {
    xt = nice_ticks(x_lo, x_hi, 8);
    x.lo = xt.front();
    x.hi = xt.back();
  }
  double y_lo = c.y_min.value_or(b.any() ? std::min(0.0, b.y_lo) : 0.0);
  double y_hi = c.y_max.value_or(b.any() ? b.y_hi : 1.0);
  if (y_hi <= y_lo) y_hi = y_lo + 1;
  yt = nice_ticks(y_lo, y_hi, 6);
  y.lo = c.y_min ? *c.y_min : yt.front();
  y.hi = c.y_max ? *c.y_max : yt.back();
  std::erase_if(yt, [&](double v) {
    return v < y.lo - 1e-9 * (y.hi - y.lo) || v > y.hi + 1e-9 * (y.hi - y.lo);
  });
}

std::string polyline(const LineChart& c, const ChartSeries& s, const Axis& x, const Axis& y,
                     const char* colour) {
  std::string pts;
  double prev_y = 0;
  bool first = true;
  for (const auto& p : s.points) {
    if (!usable(c, p)) continue;
    const double px = x.to_pixel(p.first), py = y.to_pixel(std::clamp(p.second, y.lo, y.hi));
    if (c.step && !first) pts += fmt::format("{:.1f},{:.1f} ", px, prev_y);
    pts += fmt::format("{:.1f},{:.1f} ", px, py);
    prev_y = py;
    first = false;
  }
  if (pts.empty()) return "";
  pts.pop_back();
  return fmt::format(
      "  <polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" stroke-linejoin=\"round\" "
      "points=\"{}\"><title>{}</title></polyline>\n",
      colour, pts, svg_escape(s.label));
}

std::string axes(const LineChart& c, const Axis& x, const Axis& y, const std::vector<double>& xt,
                 const std::vector<double>& yt) {
  std::string out;
  const double left = x.pixel_lo, right = x.pixel_hi, bottom = y.pixel_lo, top = y.pixel_hi;
  out += "  <g class=\"grid\" stroke=\"#e4e4e4\" stroke-width=\"1\">\n";
  for (double v : xt)
    out += fmt::format("    <line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>\n",
                       x.to_pixel(v), top, bottom);
  for (double v : yt)
    out += fmt::format("    <line x1=\"{1:.1f}\" y1=\"{0:.1f}\" x2=\"{2:.1f}\" y2=\"{0:.1f}\"/>\n",
                       y.to_pixel(v), left, right);
  out += "  </g>\n";
  out += fmt::format(
      "  <rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
      "fill=\"none\" stroke=\"#444\" stroke-width=\"1\"/>\n",
      left, top, right - left, bottom - top);
  out += "  <g class=\"ticks\" font-size=\"12\" fill=\"#333\">\n";
  for (double v : xt) {
    out += fmt::format("    <text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n",
                       x.to_pixel(v), bottom + 18, svg_escape(number_label(v)));
  }
  for (double v : yt) {
    out += fmt::format("    <text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n",
                       left - 8, y.to_pixel(v) + 4, svg_escape(number_label(v)));
  }
  out += "  </g>\n";
  out += fmt::format(
      "  <text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"14\">{}</text>\n",
      (left + right) / 2, bottom + 45, svg_escape(c.x_label));
  out += fmt::format(
      "  <text x=\"{0:.1f}\" y=\"{1:.1f}\" text-anchor=\"middle\" font-size=\"14\" "
      "transform=\"rotate(-90 {0:.1f} {1:.1f})\">{2}</text>\n",
      left - 58, (top + bottom) / 2, svg_escape(c.y_label));
  return out;
}

std::string legend(const LineChart& c, double x0, double y0) {
  std::string out = "  <g class=\"legend\" font-size=\"13\">\n";
  for (std::size_t i = 0; i < c.series.size(); ++i) {
    const double y = y0 + 22.0 * double(i);
    out += fmt::format(
        "    <line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" "
        "stroke-width=\"3\"/>\n",
        x0, y, x0 + 24, y, kColours[i % std::size(kColours)]);
    out += fmt::format("    <text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", x0 + 32, y + 4,
                       svg_escape(c.series[i].label));
  }
  return out + "  </g>\n";
}

}  // namespace

std::string svg_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  const double raw = (hi - lo) / std::max(1, target);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * magnitude;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  const double first = std::floor(lo / step);
  for (double k = first; ticks.empty() || ticks.back() < hi - 1e-9 * step; k += 1) {
    ticks.push_back(k == 0 ? 0.0 : k * step);
  }
  return ticks;
}

std::vector<double> log_ticks(double lo, double hi) {
  const int first = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
  const int last = static_cast<int>(std::ceil(std::log10(hi) - 1e-9));
  const bool thin = last - first > 3;
  std::vector<double> ticks;
  for (int e = first; e <= last; ++e) {
    for (const double m : {1.0, 2.0, 5.0}) {
      if (thin && m != 1.0) continue;
      const double v = m * std::pow(10.0, e);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push_back(v);
    }
  }
  return ticks;
}

std::string render_svg(const LineChart& c) {
  const Bounds b = data_bounds(c);
  Axis x, y;
  x.pixel_lo = kLeft;
  x.pixel_hi = c.width - kLegendWidth;
  y.pixel_lo = c.height - kBottom;
  y.pixel_hi = kTop;
  std::vector<double> xt, yt;
  set_ranges(c, b, x, y, xt, yt);

  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"Helvetica, Arial, sans-serif\">\n"
      "  <title>{2}</title>\n"
      "  <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
      "  <text x=\"{3:.1f}\" y=\"28\" text-anchor=\"middle\" font-size=\"17\" "
      "font-weight=\"bold\">{2}</text>\n",
      c.width, c.height, svg_escape(c.title), (x.pixel_lo + x.pixel_hi) / 2);
  out += axes(c, x, y, xt, yt);
  out += "  <g class=\"series\">\n";
  for (std::size_t i = 0; i < c.series.size(); ++i) {
    out += polyline(c, c.series[i], x, y, kColours[i % std::size(kColours)]);
  }
  out += "  </g>\n";
  if (!b.any()) {
    out += fmt::format(
        "  <text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"14\" "
        "fill=\"#888\">no data</text>\n",
        (x.pixel_lo + x.pixel_hi) / 2, (y.pixel_lo + y.pixel_hi) / 2);
  }
  out += legend(c, x.pixel_hi + 20, y.pixel_hi + 10);
  return out + "</svg>\n";
}

}  // namespace autoglm::sim

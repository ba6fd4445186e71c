# sweep_metrics.gp: each metric of a sweep against the varied keys
#
#   gnuplot -e "dir='out/default-sweep'; fmt='png'" plots/sweep_metrics.gp
# writes out/default-sweep/sweep_metrics.png (fmt='svg': .svg).  Optional
# variables: width, height (pixels, default 1600x900), fontscale (default
# width/1600), outfile (the image's path).  Reads plot-sweep-points.csv (a
# row per point: its series, its place on the x axis, and each metric's
# mean and 95% half-width) and plot-sweep-meta.gp, both written by
# `poolsim plot` from sweep.json and points.csv.
#
# One panel per metric (up to 9).  When a varied key is numeric (numbers,
# or durations), x is the first such key with two values or more, and each
# combination of the other keys is a line, with the 95% confidence
# interval of every point as an error bar.  When none is, the values of
# the first key are groups of bars, one bar per combination of the others,
# with the intervals as whiskers.  One legend under the panels.

if (!exists("dir")) dir = "."
if (!exists("fmt")) fmt = "png"
if (!exists("width")) width = 1600
if (!exists("height")) height = 900
if (!exists("fontscale")) fontscale = width / 1600.0   # same layout at any size
if (!exists("outfile")) outfile = dir . "/sweep_metrics." . fmt
load dir . "/plot-sweep-meta.gp"

if (fmt eq "svg") {
  set terminal svg size width, height dynamic noenhanced \
      font "DejaVu Sans,14" fontscale fontscale background "white"
} else {
  set terminal pngcairo size width, height noenhanced \
      font "DejaVu Sans,14" fontscale fontscale
}
set output outfile
set datafile separator ","
set datafile columnheaders              # the first row names the columns
data = dir . "/plot-sweep-points.csv"

# One colour per series (or per value of the first other key, the point
# type then telling the rest apart), cycling past 12.
array c_series[12] = ["#1565c0", "#ff9800", "#4caf50", "#e53935", "#8e24aa", "#757575", \
                      "#00897b", "#d81b60", "#795548", "#90caf9", "#827717", "#f9a825"]
array p_series[6] = [7, 5, 9, 13, 11, 15]   # filled circle, square, triangles, diamond, pentagon
c_whisker = "gray20"

# Metric i's columns, m<i>_mean and m<i>_ci95, by number: valid() takes
# only a number, and a NaN read by column() would drop the whole point.
mean(i) = column(4 + 2 * i)             # NaN, no point: not in points.csv
half(i) = valid(5 + 2 * i) ? column(5 + 2 * i) : 0     # NaN: no interval
first_row(s) = (s - 1) * n_x            # the rows of series s
# Lines are nudged apart a little, so that equal ones do not hide each other.
dodge(s) = (s - (n_series + 1) / 2.0) * x_dodge
last_row(s) = s * n_x - 1

# Layout, in pixels of a 1600x900 image, scaled with the fonts.  The same
# numbers are in src/output/ps-plot-sweep.c, which fits the tick labels.
sx(px) = px * fontscale / width
sy(px) = px * fontscale / height
edge_px = 20; ytics_px = 80; gap_px = 30
title_px = 100; panel_title_px = 30; row_gap_px = 22; xlabel_px = 28
legend_px = (n_series > 1) ? 20 + 24 * legend_rows : 0
cell_w = (1 - 2 * sx(edge_px)) / cols
y_top = 1 - sy(title_px)
plot_h = (y_top - sy(legend_px + 8) - rows * sy(panel_title_px) \
          - (rows - 1) * sy(row_gap_px) - sy(x_tics_px + xlabel_px)) / rows

what = layout_lines \
     ? sprintf("against %s: the mean of each point, its 95%% confidence interval as an error bar", x_label) \
     : sprintf("by %s: the mean of each point (bars), its 95%% confidence interval as a whisker", x_label)
note = has_unknown_ci ? " · no interval for a point of 1 replication" : ""
set multiplot title "Sweep metrics " . what . "\n" . sweep_title . note

set grid ytics lc "gray85"
set xtics font ",11" nomirror
x_tics_fontspec = sprintf(",%d", x_tics_font)
set ytics font ",11"
set title font ",13"
unset key
set xrange [x_min:x_max]
if (!layout_lines) {
  bar_w = 0.8 / n_series
  bar_x(s) = column("xi") - 0.4 + (s - 0.5) * bar_w
  set boxwidth bar_w * 0.9 absolute
  set style fill solid 0.85 noborder
  set errorbars lw 1.5 lc rgb c_whisker
}

do for [i = 1:n_metrics] {
  c = (i - 1) % cols
  r = (i - 1) / cols
  # Tick labels and the axis label where no panel is below.
  labelled = (i + cols > n_metrics)
  left = sx(edge_px) + c * cell_w + sx(ytics_px)
  right = sx(edge_px) + (c + 1) * cell_w - sx(gap_px)
  top = y_top - r * (sy(panel_title_px) + plot_h + sy(row_gap_px)) - sy(panel_title_px)
  bottom = top - plot_h
  set lmargin at screen left
  set rmargin at screen right
  set tmargin at screen top
  set bmargin at screen bottom
  set title metric[i]
  set yrange [y_min[i]:y_max[i]]
  # The axis label under the tick labels, whose room the meta file gives.
  if (labelled) {
    set label 1 x_label at screen (left + right) / 2, screen bottom - sy(x_tics_px + xlabel_px / 2) \
        center font sprintf(",%d", x_label_font)
  } else {
    unset label 1
  }
  if (x_data_tics) {
    set xtics () rotate by x_tics_rotate right font x_tics_fontspec
    if (x_tics_rotate == 0) { set xtics norotate center }
    do for [k = 1:n_x] {
      set xtics add ((labelled && (k - 1) % x_tics_every == 0 ? x_text[k] : "") x_pos[k])
    }
  } else {
    set xtics autofreq
    set format x (labelled ? "% h" : "")
  }
  if (y_min[i] < 0 && y_max[i] > 0) { set xzeroaxis lt 1 lc "gray40" } else { unset xzeroaxis }
  if (layout_lines) {
    plot for [s = 1:n_series] data every ::first_row(s)::last_row(s) \
         using (column("x") + dodge(s)):(mean(i)):(half(i)) with yerrorlines \
         lw 2 dt int(series_point[s]) pt p_series[(int(series_point[s]) - 1) % 6 + 1] ps 1.3 \
         lc rgb c_series[(int(series_colour[s]) - 1) % 12 + 1] title series_title[s]
  } else {
    plot for [s = 1:n_series] data every ::first_row(s)::last_row(s) \
         using (bar_x(s)):(mean(i)):(half(i)) with boxerrorbars \
         lc rgb c_series[(int(series_colour[s]) - 1) % 12 + 1] title series_title[s]
  }
}

# The one legend, under the panels: a plot of nothing across the bottom.
if (n_series > 1) {
  set lmargin at screen sx(edge_px)
  set rmargin at screen 1 - sx(edge_px)
  set bmargin at screen sy(8)
  set tmargin at screen sy(legend_px + 8)
  unset title; unset label; unset grid; unset xzeroaxis
  unset border; unset xtics; unset ytics
  set xrange [0:1]; set yrange [0:1]
  # Column by column, the rows the meta file found room for.
  set key inside center center vertical maxrows legend_rows \
      samplen 2.5 spacing 1.1 width 1 font ",12" reverse Left
  if (layout_lines) {
    plot for [s = 1:n_series] NaN with linespoints \
         lw 2 dt int(series_point[s]) pt p_series[(int(series_point[s]) - 1) % 6 + 1] ps 1.3 \
         lc rgb c_series[(int(series_colour[s]) - 1) % 12 + 1] title series_title[s]
  } else {
    plot for [s = 1:n_series] NaN with boxes \
         lc rgb c_series[(int(series_colour[s]) - 1) % 12 + 1] title series_title[s]
  }
}
unset multiplot

# sweep_compare.gp: each point of a sweep against the baseline point
#
#   gnuplot -e "dir='out/default-sweep'; fmt='png'" plots/sweep_compare.gp
# writes out/default-sweep/sweep_compare.png (fmt='svg': .svg).  Optional
# variables: width, height (pixels, default 1600x900), fontscale (default
# width/1600), outfile (the image's path).  Reads plot-sweep-compare.csv (a
# row per point other than the baseline: each metric's mean paired
# difference from the baseline, its 95% half-width, and whether the
# interval excludes 0) and plot-sweep-meta.gp, both written by `poolsim
# plot` from sweep.json, points.csv and compare.csv.
#
# One panel per metric (up to 9), one entry per point, in the sweep's
# order: the mean difference with its 95% interval as an error bar, over
# a line at 0.  Filled: the interval excludes 0 (a significant
# difference); open: it does not; a cross: no interval.  With two keys or
# more, the entries are grouped by the first key's values (dotted lines,
# the values named under the tick labels) when the names fit.  The
# panel's title gives the baseline's mean.

if (!exists("dir")) dir = "."
if (!exists("fmt")) fmt = "png"
if (!exists("width")) width = 1600
if (!exists("height")) height = 900
if (!exists("fontscale")) fontscale = width / 1600.0   # same layout at any size
if (!exists("outfile")) outfile = dir . "/sweep_compare." . fmt
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
data = dir . "/plot-sweep-compare.csv"

c_significant = "#1565c0"; c_not = "#757575"; c_zero = "gray30"; c_separator = "gray60"
t_significant = "interval excludes 0: significant"
t_not = "interval includes 0"
t_unknown = "no interval (1 replication)"

# Metric i's columns, m<i>_diff, m<i>_ci95 and m<i>_significant, by
# number: valid() takes only a number, and a NaN read by column() would
# drop the whole point.
diff(i) = column(1 + 3 * i)
half(i) = valid(2 + 3 * i) ? column(2 + 3 * i) : 0     # NaN: no interval
significance(i) = valid(3 + 3 * i) ? column(3 + 3 * i) : -1   # 1, 0, or -1 unknown
only_if(cond, y) = cond ? y : NaN

# Layout, in pixels of a 1600x900 image, scaled with the fonts.  The same
# numbers are in src/output/ps-plot-sweep.c, which fits the tick labels.
sx(px) = px * fontscale / width
sy(px) = px * fontscale / height
edge_px = 20; ytics_px = 80; gap_px = 30
title_px = 125; panel_title_px = 30; row_gap_px = 22; xlabel_px = 28
legend_px = 44
cell_w = (1 - 2 * sx(edge_px)) / cols
y_top = 1 - sy(title_px)
group_px = (n_groups > 0) ? 24 : 0      # a line for the groups' names
plot_h = (y_top - sy(legend_px + 8) - rows * sy(panel_title_px) \
          - (rows - 1) * sy(row_gap_px) - sy(entry_tics_px + group_px + xlabel_px)) / rows

set multiplot title "Paired difference of each point from the baseline, " \
    . "mean and 95% interval over the replications\nbaseline: " . baseline_title \
    . "\n" . sweep_title

set grid ytics lc "gray85"
set xtics font ",11" nomirror
entry_tics_fontspec = sprintf(",%d", entry_tics_font)
set ytics font ",11"
set title font ",13"
unset key
set xrange [-0.7:n_entries - 0.3]
set pointsize 1.4

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
  set title sprintf("%s (baseline %s)", metric[i], baseline_mean[i])
  set yrange [cmp_y_min[i]:cmp_y_max[i]]
  # Under the tick labels, whose room the meta file gives: the groups'
  # names, then the axis label.
  unset label
  if (labelled) {
    if (n_groups > 0) {
      do for [k = 1:n_groups] {
        set label k + 1 group_label[k] at first group_pos[k], \
            screen bottom - sy(entry_tics_px + group_px / 2) center font ",11" tc "gray20"
      }
    }
    set label 1 entry_label_title at screen (left + right) / 2, \
        screen bottom - sy(entry_tics_px + group_px + xlabel_px / 2) center \
        font sprintf(",%d", entry_label_font)
  }
  set xtics () rotate by entry_tics_rotate right font entry_tics_fontspec
  if (entry_tics_rotate == 0) { set xtics norotate center }
  do for [k = 1:n_entries] {
    set xtics add ((labelled && (k - 1) % entry_tics_every == 0 ? entry_label[k] : "") k - 1)
  }
  unset arrow
  set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead lw 1.5 lc rgb c_zero back
  if (n_separators > 0) {
    do for [k = 1:n_separators] {
      set arrow k + 1 from first separator[k], graph 0 to first separator[k], graph 1 \
          nohead dt 3 lc rgb c_separator back
    }
  }
  plot data using "entry":(only_if(significance(i) == 1, diff(i))):(half(i)) \
            with yerrorbars pt 7 lw 2 lc rgb c_significant notitle, \
       ''   using "entry":(only_if(significance(i) == 0, diff(i))):(half(i)) \
            with yerrorbars pt 6 lw 2 lc rgb c_not notitle, \
       ''   using "entry":(only_if(significance(i) < 0, diff(i))) \
            with points pt 2 lw 2 lc rgb c_not notitle
}

# The legend, under the panels: a plot of nothing across the bottom.
set lmargin at screen sx(edge_px)
set rmargin at screen 1 - sx(edge_px)
set bmargin at screen sy(8)
set tmargin at screen sy(legend_px + 8)
unset title; unset label; unset grid; unset arrow
unset border; unset xtics; unset ytics
set xrange [0:1]; set yrange [0:1]
set key inside center center horizontal samplen 1 width 3 font ",12" reverse Left
plot NaN with points pt 7 lc rgb c_significant title t_significant, \
     NaN with points pt 6 lc rgb c_not title t_not, \
     NaN with points pt 2 lc rgb c_not title (has_unknown_significance ? t_unknown : "")
unset multiplot

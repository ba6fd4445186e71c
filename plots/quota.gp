# quota.gp: the most throttled clients, window by window, against the limit
#
#   gnuplot -e "dir='out/default'; fmt='png'" plots/quota.gp
# writes out/default/quota.png (fmt='svg': .svg).  Optional variables:
# width, height (pixels, default 1600x900), fontscale (default width/1600),
# outfile (the image's path).  Reads plot-quota.csv (per sampled client and
# quota window: requests admitted and created) and plot-meta.gp, both
# written by `poolsim plot` from requests.csv and summary.json.
#
# One panel per client (up to 8 that got a 429, most first; if none did,
# the 4 that created the most requests): bars are the requests admitted in
# each window of the first quota policy, the line the requests the client
# created in it (its demand), the dashes its own limit (its override's, if
# one applies; per window of the chart).  With more than 120
# windows a bar stands for a group of windows and shows the busiest one.

if (!exists("dir")) dir = "."
if (!exists("fmt")) fmt = "png"
if (!exists("width")) width = 1600
if (!exists("height")) height = 900
if (!exists("fontscale")) fontscale = width / 1600.0   # same layout at any size
if (!exists("outfile")) outfile = dir . "/quota." . fmt
load dir . "/plot-meta.gp"

if (fmt eq "svg") {
  set terminal svg size width, height dynamic noenhanced \
      font "DejaVu Sans,14" fontscale fontscale background "white"
} else {
  set terminal pngcairo size width, height noenhanced \
      font "DejaVu Sans,14" fontscale fontscale
}
set output outfile
set datafile separator ","
data = dir . "/plot-quota.csv"

c_admitted = "#4caf50"; c_created = "#1565c0"; c_limit = "#e53935"

# 1 | 2 side by side | 3-4 in a 2x2 grid | 5-8 in a 4x2 grid
cols = (quota_n <= 2) ? quota_n : (quota_n <= 4 ? 2 : 4)
rows = ceil(quota_n / real(cols))
bar_s = window_s * quota_group          # one bar: quota_group windows
mid(x) = column("window_start_s") + bar_s / 2
of_slot(i, name) = (column("slot") == i) ? column(name) : NaN
max(a, b) = (a > b) ? a : b

what = (quota_group == 1) ? sprintf("per %g s window", window_s) \
     : sprintf("in the busiest %g s window of every %d", window_s, quota_group)
who = quota_throttled ? sprintf("the %d most throttled clients", quota_n) \
    : sprintf("the %d busiest clients (none got a 429)", quota_n)

# The busiest client sets a common y scale, so panels compare at a glance.
stats data using "created" nooutput
y_max = STATS_max
stats data using "limit" nooutput
y_max = max(STATS_max, y_max)
stats data using "admitted" nooutput
y_max = max(max(STATS_max, y_max) * 1.15, 1)

set multiplot layout rows, cols margins 0.07, 0.98, 0.08, 0.82 spacing 0.05, 0.12 \
    title sprintf("Requests admitted %s, for %s, against each one's own limit\n", what, who) . run_title
# The legend, once for all panels, as a line under the title (a key
# would have to fit inside one panel's width).
set label 1 "green bars: requests admitted      " \
            . "blue line: requests the client created (its demand)      " \
            . "red dashes: the client's quota limit" \
    at screen 0.5, screen 0.9 center font ",12" tc "gray20"
unset key
set style fill solid 0.8 noborder
set boxwidth bar_s * 0.85 absolute
set xrange [0:duration_s]
set yrange [0:y_max]
set grid ytics lc "gray85"
set xtics font ",11"
set ytics font ",11"
set title font ",13"

do for [i = 1:quota_n] {
  set title quota_title[i]
  # Axis labels on the outer panels only.
  if ((i - 1) % cols == 0) { set ylabel "requests per window" font ",12" } else { unset ylabel }
  if (i > quota_n - cols) { set xlabel "time (s)" font ",12" } else { unset xlabel }
  plot data using (mid(0)):(of_slot(i, "admitted")) with boxes lc rgb c_admitted, \
       ''   using (mid(0)):(of_slot(i, "created")) \
            with linespoints pt 7 ps 0.5 lw 1.5 lc rgb c_created, \
       ''   using (column("window_start_s")):(of_slot(i, "limit")):(bar_s):(0) \
            with vectors nohead dt (6, 4) lw 3 lc rgb c_limit
  unset label 1                         # drawn once, with the first panel
}
unset multiplot

# timeseries.gp: what the server answered, bin by bin, and how full it was
#
#   gnuplot -e "dir='out/default'; fmt='png'" plots/timeseries.gp
# writes out/default/timeseries.png (fmt='svg': .svg).  Optional variables:
# width, height (pixels, default 1600x900), fontscale (default width/1600),
# outfile (the image's path).  Reads timeseries.csv and plot-meta.gp
# (written by `poolsim plot`, and by `poolsim run` unless --no-plots).
#
# Top panel: responses per second, stacked (admitted, 429, 503) with the
# client-side drops on top; dotted lines at every quota window boundary.
# Bottom panel: mean pool occupancy against the number of workers, and
# the number of clients paused (waiting out a 429, backing off after a 503,
# or holding back under self_throttle; right axis).

if (!exists("dir")) dir = "."
if (!exists("fmt")) fmt = "png"
if (!exists("width")) width = 1600
if (!exists("height")) height = 900
if (!exists("fontscale")) fontscale = width / 1600.0   # same layout at any size
if (!exists("outfile")) outfile = dir . "/timeseries." . fmt
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
data = dir . "/timeseries.csv"

# Colours: admitted green, 429 orange, 503 red, dropped grey.
c_admitted = "#4caf50"; c_429 = "#ff9800"; c_503 = "#e53935"; c_dropped = "#757575"
c_pool = "#1565c0"; c_paused = "#8e24aa"

known(x) = (x == x)                     # false for NaN: not in summary.json
per_s(name) = column(name) / bin_s
# The tops of the stacked areas, bottom up.
admitted_top(x) = per_s("admitted")
r429_top(x) = admitted_top(x) + per_s("rejected_429")
r503_top(x) = r429_top(x) + per_s("rejected_503")
dropped_top(x) = r503_top(x) + per_s("dropped")

n_windows = (window_s > 0) ? ceil(duration_s / window_s) : 0
stats data using (dropped_top(0)) nooutput
rate_max = (STATS_max > 0) ? STATS_max * 1.05 : 1
# Integer ticks for a few paused clients; their curve tops out below the
# pool's, so the two lines do not sit on each other when both are high.
stats data using "paused_clients" nooutput
paused_max = (STATS_max > 0) ? STATS_max : 1

set multiplot title "Server responses per second, pool occupancy and paused clients\n" . run_title

# --- top: responses per second, stacked --------------------------------
set lmargin at screen 0.07
set rmargin at screen 0.93
set tmargin at screen 0.83
set bmargin at screen 0.40
set xrange [0:duration_s]
set format x ""
set ylabel "responses per second (req/s)"
set yrange [0:rate_max]
set grid ytics lc "gray80"
set key at screen 0.5, screen 0.875 center center horizontal samplen 2 width 2
set style fill solid 0.85 noborder
if (n_windows > 1 && n_windows <= 60) {
  do for [k = 1:n_windows - 1] {
    set arrow k from k * window_s, graph 0 to k * window_s, graph 1 \
        nohead dt 3 lc "gray30" front
  }
  set label 1 sprintf("dotted: quota window boundaries (%g s)", window_s) \
      at graph 1, graph 1.02 right font ",11" tc "gray30"
}
plot data using "t_s":(dropped_top(0)) with fillsteps lc rgb c_dropped title "dropped by clients", \
     ''   using "t_s":(r503_top(0)) with fillsteps lc rgb c_503 title "503 pool full", \
     ''   using "t_s":(r429_top(0)) with fillsteps lc rgb c_429 title "429 over quota", \
     ''   using "t_s":(admitted_top(0)) with fillsteps lc rgb c_admitted title "admitted"

# --- bottom: pool occupancy and paused clients --------------------------
unset arrow
unset label
unset title
set tmargin at screen 0.37
set bmargin at screen 0.09
set format x "%g"
set xlabel sprintf("time since the start of the run (s); bins of %g s", bin_s)
# No key here: each axis label is in the colour of its curve.
unset key
set ylabel "pool occupancy" tc rgb c_pool
if (known(workers)) { set yrange [0:workers * 1.15] } else { set yrange [0:*] }
set y2label "paused clients" tc rgb c_paused
set y2range [0:paused_max * 1.35]
if (paused_max <= 10) { set y2tics 1 tc rgb c_paused } else { set y2tics tc rgb c_paused }
set ytics nomirror
if (known(workers)) {
  set arrow from graph 0, first workers to graph 1, first workers nohead dt 2 lw 1.5 lc "gray20"
  set label sprintf("%g workers", workers) at graph 0.995, first workers \
      offset 0, 0.6 right font ",11"
}
plot data using "t_s":"pool" with steps lw 2 lc rgb c_pool title "pool occupancy (mean per bin)", \
     ''   using "t_s":"paused_clients" axes x1y2 with steps lw 2 lc rgb c_paused \
          title "clients paused (after a 429 or 503)"
unset multiplot

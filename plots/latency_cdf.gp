# latency_cdf.gp: how long requests took, creation to completion, by priority
# (by client group when the run has one priority and several groups:
# plot-meta.gp's latency_by says which)
#
#   gnuplot -e "dir='out/default'; fmt='png'" plots/latency_cdf.gp
# writes out/default/latency_cdf.png (fmt='svg': .svg).  Optional variables:
# width, height (pixels, default 1600x900), fontscale (default width/1600),
# outfile (the image's path).  Reads plot-latency.csv (one CDF column per
# priority, log-binned), plot-latency-marks.csv (p50, p95, p99 of each
# priority) and plot-meta.gp, all written by `poolsim plot` from
# requests.csv and summary.json.
#
# Only completed requests have a latency: the footnote counts, per priority,
# the requests still pending at the end, whose wait the curves cannot show.

if (!exists("dir")) dir = "."
if (!exists("fmt")) fmt = "png"
if (!exists("width")) width = 1600
if (!exists("height")) height = 900
if (!exists("fontscale")) fontscale = width / 1600.0   # same layout at any size
if (!exists("outfile")) outfile = dir . "/latency_cdf." . fmt
load dir . "/plot-meta.gp"
if (!exists("latency_by")) latency_by = "priority"     # older run directories

if (fmt eq "svg") {
  set terminal svg size width, height dynamic noenhanced \
      font "DejaVu Sans,14" fontscale fontscale background "white"
} else {
  set terminal pngcairo size width, height noenhanced \
      font "DejaVu Sans,14" fontscale fontscale
}
set output outfile
set datafile separator ","
cdf = dir . "/plot-latency.csv"
marks = dir . "/plot-latency-marks.csv"

# One colour per curve, priority 0 (most urgent) or the first group first.
array colour[8] = ["#d32f2f", "#1976d2", "#388e3c", "#f57c00", \
                   "#7b1fa2", "#00838f", "#5d4037", "#455a64"]
pcol(i) = colour[(i - 1) % 8 + 1]

# Title, then the key, then the plot, top down, at fixed places so that the
# key never hides a curve: one entry a row, the plot shrinking to make room.
set label 10 "Latency distribution by " . latency_by . " (creation to completion)\n" . run_title \
    at screen 0.5, screen 0.965 center
set key at screen 0.5, screen 0.895 center top vertical reverse Left spacing 1.1 samplen 3
set tmargin at screen 0.88 - n_priorities * 0.031
# From where the earliest curve reaches 1 % to past the slowest request,
# in whole decades (computed by `poolsim plot`; use [*:*] to see it all).
set logscale x 10
set xrange [latency_xmin:latency_xmax]
set format x "%g"
set xlabel "latency (s, log scale)"
set ylabel "fraction of completed requests"
set yrange [0:1.02]
set ytics 0, 0.1, 1
set mytics 2
set grid xtics ytics mxtics lc "gray85"
set lmargin 10
set rmargin 7
# Room under the x axis for its label and the footnote's lines.
set bmargin 5 + latency_note_lines * 1.2

# Horizontal guides at the quantiles, named in the right margin
# (q + 0: the word as a number).
do for [q in "0.5 0.95 0.99"] {
  set arrow from graph 0, first q + 0 to graph 1, first q + 0 nohead dt 3 lc "gray40" back
}
set label "p50" at graph 1, first 0.5 offset 0.6, 0 font ",12" tc "gray30"
set label "p95" at graph 1, first 0.95 offset 0.6, -0.3 font ",12" tc "gray30"
set label "p99" at graph 1, first 0.99 offset 0.6, 0.3 font ",12" tc "gray30"

# The survivor-bias footnote.
set label latency_note at character 1, character latency_note_lines * 1.2 \
    left font ",12" tc "gray20"

plot for [i = 1:n_priorities] cdf \
         using "latency_s":(column(sprintf("%s_%d", latency_by, priority[i]))) \
         with steps lw 2.5 lc rgb pcol(i) title latency_title[i], \
     for [i = 1:n_priorities] marks \
         using "latency_s":(column(latency_by) == priority[i] ? column("quantile") : NaN) \
         with points pt 7 ps 1.6 lc rgb pcol(i) notitle

# stability.gp: did the run come back after its fault?
#
#   gnuplot -e "dir='out/retry-storm'; fmt='png'" plots/stability.gp
# writes out/retry-storm/stability.png (fmt='svg': .svg).  Optional
# variables: width, height (pixels, default 1600x900), fontscale (default
# width/1600), outfile (the image's path).  Reads stability.csv (written
# by a run with faults) and plot-meta.gp.
#
# The fault window (from the first fault's start to the last one's end)
# is shaded in every panel.
# Top: goodput (completions whose client still waited) against demand
# (requests generated), per second.
# Middle: attempts offered to the server per second, and attempts whose
# client stopped waiting (timeouts), on a log scale: a retry storm is a
# hundred times the demand.
# Bottom: workers busy, and those busy on orphaned work (attempts whose
# answer nobody waits for any more), against the pool's size.

if (!exists("dir")) dir = "."
if (!exists("fmt")) fmt = "png"
if (!exists("width")) width = 1600
if (!exists("height")) height = 900
if (!exists("fontscale")) fontscale = width / 1600.0
if (!exists("outfile")) outfile = dir . "/stability." . fmt
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
data = dir . "/stability.csv"

c_goodput = "#2e7d32"; c_demand = "#9e9e9e"; c_attempts = "#ef6c00"
c_timeouts = "#c62828"; c_busy = "#1565c0"; c_orphaned = "#ef9a9a"; c_fault = "#ffe0b2"

known(x) = (x == x)
per_s(name) = column(name) / bin_s

# The fault window: the bins marked in_fault.
stats data using (column("in_fault") > 0 ? column("t_s") : NaN) nooutput
fault_from = STATS_min
fault_to = STATS_max + bin_s
stats data using (per_s("generated") > per_s("goodput") ? per_s("generated") : per_s("goodput")) nooutput
rate_max = (STATS_max > 0) ? STATS_max * 1.15 : 1
stats data using (per_s("attempts")) nooutput
attempts_max = (STATS_max > 1) ? STATS_max * 30 : 100   # room for the key
stats data using "busy_workers" nooutput
busy_max = (known(workers) && workers > STATS_max) ? workers : STATS_max
busy_max = (busy_max > 0) ? busy_max * 1.4 : 1          # room for the key

set multiplot title "Goodput, offered attempts and orphaned work around the fault\n" . run_title
set lmargin at screen 0.08
set rmargin at screen 0.96
set xrange [0:duration_s]
set grid ytics lc "gray80"
set object 1 rect from fault_from, graph 0 to fault_to, graph 1 \
    fc rgb c_fault fs solid 0.6 noborder behind
set label 1 "fault" at (fault_from + fault_to) / 2, graph 0.93 center font ",12" tc "gray30"

# --- top: goodput against demand ----------------------------------------
set tmargin at screen 0.86
set bmargin at screen 0.62
set format x ""
set ylabel "requests per second"
set yrange [0:rate_max]
set key at screen 0.52, screen 0.895 center center horizontal samplen 2 width 2
plot data using "t_s":(per_s("generated")) with steps lw 1.5 lc rgb c_demand \
          title "demand (requests generated)", \
     ''   using "t_s":(per_s("goodput")) with steps lw 2.5 lc rgb c_goodput \
          title "goodput (answered while the client waited)"

# --- middle: attempts, log scale ----------------------------------------
set tmargin at screen 0.59
set bmargin at screen 0.35
unset label 1
set ylabel "attempts per second (log)"
set logscale y
set yrange [0.5:attempts_max]
set format y "%g"
set key at graph 0.01, graph 0.97 left top horizontal samplen 2 width 2 noopaque
plot data using "t_s":(per_s("generated")) with steps lw 1.5 lc rgb c_demand \
          title "demand", \
     ''   using "t_s":(per_s("attempts") > 0 ? per_s("attempts") : 0.5) with steps lw 2 \
          lc rgb c_attempts title "attempts sent to the server", \
     ''   using "t_s":(per_s("timeouts") > 0 ? per_s("timeouts") : 0.5) with steps lw 1.5 \
          lc rgb c_timeouts title "attempts timed out at the client"
unset logscale y

# --- bottom: where the workers' time went --------------------------------
set tmargin at screen 0.32
set bmargin at screen 0.08
set format x "%g"
set xlabel sprintf("time since the start of the run (s); bins of %g s", bin_s)
set ylabel "workers busy (mean per bin)"
set yrange [0:busy_max]
set style fill solid 1.0 noborder
set key at graph 0.01, graph 0.97 left top horizontal samplen 2 width 2 noopaque
if (known(workers)) {
  set arrow 1 from graph 0, first workers to graph 1, first workers nohead dt 2 lw 1.5 lc "gray20"
  set label 2 sprintf("%g workers", workers) at graph 0.995, first workers \
      offset 0, 0.6 right font ",11"
}
plot data using "t_s":"busy_workers" with steps lw 2 lc rgb c_busy title "busy", \
     ''   using "t_s":"orphaned_workers" with fillsteps lc rgb c_orphaned \
          title "busy on orphaned work (nobody waits for the answer)"
unset multiplot

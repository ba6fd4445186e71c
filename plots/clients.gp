# clients.gp: what each client got, most served first
#
#   gnuplot -e "dir='out/default'; fmt='png'" plots/clients.gp
# writes out/default/clients.png (fmt='svg': .svg).  Optional variables:
# width, height (pixels, default 1600x900), fontscale (default width/1600),
# outfile (the image's path).  Reads plot-clients.csv (clients.csv sorted by
# completed requests, most first, with a rank column) and plot-meta.gp,
# both written by `poolsim plot`.
#
# Up to 200 clients: one stacked bar per client (completed, rejected,
# dropped, still pending).  More: the same four quantities as stacked areas
# over the clients' rank, in percent, a distribution rather than a forest
# of unreadable bars.  Jain's fairness index is in the title.

if (!exists("dir")) dir = "."
if (!exists("fmt")) fmt = "png"
if (!exists("width")) width = 1600
if (!exists("height")) height = 900
if (!exists("fontscale")) fontscale = width / 1600.0   # same layout at any size
if (!exists("outfile")) outfile = dir . "/clients." . fmt
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
data = dir . "/plot-clients.csv"

c_completed = "#4caf50"; c_rejected = "#ff9800"; c_dropped = "#757575"; c_pending = "#90caf9"
t_completed = "completed"
t_rejected = "rejected (gave up after a 429 or 503)"
t_dropped = "dropped (client queue or timeout)"
t_pending = "still pending at the end"

known(x) = (x == x)                     # false for NaN: not in summary.json
# The tops of the stacked quantities, bottom up.
completed_top(x) = column("completed")
rejected_top(x) = completed_top(x) + column("rejected")
dropped_top(x) = rejected_top(x) + column("dropped")
pending_top(x) = dropped_top(x) + column("pending")

stats data using "generated" nooutput
y_max = (STATS_max > 0) ? STATS_max * 1.05 : 1

set title sprintf("Requests per client, most completed first; " \
                  . "Jain's index over served shares %s (1 = all served alike)\n", \
                  known(jain) ? sprintf("%.3f", jain) : "unknown") . run_title
set ylabel "requests per client"
set yrange [0:y_max]
set grid ytics lc "gray85"
# Top right stays empty: clients are sorted, most completed first.
set key inside top right vertical reverse Left samplen 2 box lc "gray70" opaque
set style fill solid 0.9 noborder

if (n_clients <= 200) {
  # A name under every few bars: about 50 labels fit across.
  label_every = ceil(n_clients / 50.0)
  name(rank) = (int(rank) % label_every == 0) ? strcol("client") : ""
  set style data histograms
  set style histogram rowstacked
  set boxwidth 0.8 relative
  set xtics rotate by 60 right font ",11" nomirror
  set xlabel "client"
  set xrange [-0.7:n_clients - 0.3]
  plot data using "completed":xtic(name(column("rank"))) lc rgb c_completed title t_completed, \
       ''   using "rejected" lc rgb c_rejected title t_rejected, \
       ''   using "dropped" lc rgb c_dropped title t_dropped, \
       ''   using "pending" lc rgb c_pending title t_pending
} else {
  # Plot at most ~4000 points: every k-th client of the sorted list.
  stride = ceil(n_clients / 4000.0)
  pct(x) = 100.0 * column("rank") / (n_clients - 1)
  set xlabel sprintf("clients ranked by completed requests (%% of %d clients)", n_clients)
  set xrange [0:100]
  set xtics 10
  plot data every stride using (pct(0)):(pending_top(0)) \
            with filledcurves y1=0 lc rgb c_pending title t_pending, \
       ''   every stride using (pct(0)):(dropped_top(0)) \
            with filledcurves y1=0 lc rgb c_dropped title t_dropped, \
       ''   every stride using (pct(0)):(rejected_top(0)) \
            with filledcurves y1=0 lc rgb c_rejected title t_rejected, \
       ''   every stride using (pct(0)):(completed_top(0)) \
            with filledcurves y1=0 lc rgb c_completed title t_completed
}

# poolsim: a thin front for meson.  `make run` and `make test` work on a
# fresh Debian 12 machine: as root they install what is missing first.

BUILD      ?= build
BENCHBUILD ?= build-bench
FUZZBUILD  ?= build-fuzz
FUZZ_SECONDS ?= 60
SCENARIO   ?= scenarios/default.json
PACKAGES   := meson ninja-build pkg-config gcc libc6-dev libglib2.0-dev \
              libglib2.0-dev-bin libsoup-3.0-dev libjson-glib-dev gnuplot-nox

.PHONY: all deps build run test test-slurm bench bench-live fuzz fuzz-deps charts clean

all: build

# Installs the Debian packages that are missing (as root), or says how.
deps:
	@missing=$$(for p in $(PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	  done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "Installing: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
	  echo "Missing packages. Run:  sudo apt-get install $$missing"; exit 1; \
	fi

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

run: build
	$(BUILD)/poolsim run $(SCENARIO)

test: build
	meson test -C $(BUILD) --print-errorlogs

# A sweep as a Slurm job array on a one-node cluster this starts itself
# (installs slurm-wlm and munge as root), compared with the local run.
test-slurm: build
	bash tests/cluster/slurm.sh $(BUILD)/poolsim

$(BENCHBUILD)/build.ninja:
	meson setup $(BENCHBUILD) --buildtype=release -Db_lto=true

bench: deps $(BENCHBUILD)/build.ninja
	ninja -C $(BENCHBUILD)
	$(BENCHBUILD)/bench/poolsim-bench

# libsoup server under wrk (and nginx + limit_req when installed).
bench-live: build
	bash bench/bench-live.sh $(BUILD)/poolsim

# libFuzzer over every parser, FUZZ_SECONDS per target, in a clang build
# of its own (tests/fuzz/run.sh says where corpus, logs and crashes go).
FUZZ_TARGETS_ALL := scenario set trace access-log body

$(FUZZBUILD)/build.ninja:
	CC=clang meson setup $(FUZZBUILD) -Dfuzz=true

fuzz-deps:
	@$(MAKE) --no-print-directory deps PACKAGES="$(PACKAGES) clang libclang-rt-14-dev"

fuzz: fuzz-deps $(FUZZBUILD)/build.ninja
	ninja -C $(FUZZBUILD) $(addprefix tests/fuzz/fuzz-,$(FUZZ_TARGETS_ALL))
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh $(FUZZBUILD)

# Redraws the README's example charts (docs/images/) from the default scenario.
charts: build
	$(BUILD)/poolsim run scenarios/default.json -o out/default --no-plots --quiet
	for c in timeseries latency_cdf clients quota; do \
	  $(BUILD)/poolsim plot out/default --format png >/dev/null && \
	  gnuplot -e "dir='out/default'; fmt='png'; width=1200; height=675; outfile='docs/images/$$c.png'" plots/$$c.gp || exit 1; \
	  if command -v convert >/dev/null; then convert docs/images/$$c.png -strip -colors 255 PNG8:docs/images/$$c.png; fi; \
	done
	for s in retry-storm:stability retry-storm-budget:stability-budget; do \
	  $(BUILD)/poolsim run scenarios/$${s%%:*}.json -o out/$${s%%:*} --no-plots --quiet && \
	  $(BUILD)/poolsim plot out/$${s%%:*} --format png >/dev/null && \
	  gnuplot -e "dir='out/$${s%%:*}'; fmt='png'; width=1200; height=675; outfile='docs/images/$${s##*:}.png'" plots/stability.gp || exit 1; \
	  if command -v convert >/dev/null; then convert docs/images/$${s##*:}.png -strip -colors 255 PNG8:docs/images/$${s##*:}.png; fi; \
	done
	$(BUILD)/poolsim sweep scenarios/default.json -o out/sweep --no-plots --quiet -j 2 --reps 10 \
	  --vary server.quota.algorithm=fixed_window,sliding_window,token_bucket --vary server.workers=20:40:10 \
	  --metric requests.rate_503 --metric groups.mobile.latency_s.p99 --metric groups.public.served
	$(BUILD)/poolsim plot out/sweep --format png >/dev/null
	for c in sweep_metrics sweep_compare; do \
	  gnuplot -e "dir='out/sweep'; fmt='png'; width=1200; height=675; outfile='docs/images/$$c.png'" plots/$$c.gp || exit 1; \
	done

clean:
	rm -rf $(BUILD) $(BENCHBUILD) $(FUZZBUILD) out

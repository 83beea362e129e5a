# Open-AutoGLM: the two commands a newcomer needs are `make run` and `make test`.
JOBS   ?= $(shell nproc)
CONFIG ?= config/autoglm.yaml
ARGS   ?=
FUZZ_SECONDS ?= 60

.PHONY: all setup configure build run test test-asan fuzz bench bench-peers bench-overhead clean

all: build

setup:
	@scripts/setup.sh

build/build.ninja:
	@cmake --preset release >/dev/null

build: setup build/build.ninja
	@cmake --build build -j $(JOBS)

run: build
	./build/autoglm serve -c $(CONFIG) $(ARGS)

test: build
	@cd build && ctest --output-on-failure -j $(JOBS) --timeout 300

build-asan/build.ninja:
	@cmake --preset debug-asan >/dev/null

test-asan: setup build-asan/build.ninja
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) --timeout 600

fuzz: setup
	@scripts/fuzz.sh $(FUZZ_SECONDS)

# Every Google Benchmark suite, then one summary table of all of them.
bench: build
	@mkdir -p build/bench/results
	@for b in build/bench/bench_*; do [ -x "$$b" ] && "$$b" \
	  --benchmark_out=build/bench/results/$$(basename $$b).json --benchmark_out_format=json; done
	@python3 bench/summarize.py build/bench/results/*.json

# nginx, HAProxy and every gateway policy on one simnode cluster (minutes); see docs/performance.md.
bench-peers: build
	@python3 bench/peers/run_peers.py --binary build/autoglm $(ARGS)

bench-overhead: build
	@python3 bench/peers/overhead.py --binary build/autoglm $(ARGS)

clean:
	rm -rf build build-asan build-fuzz web/dist

# Open-AutoGLM: the two commands a newcomer needs are `make run` and `make test`.
JOBS   ?= $(shell nproc)
CONFIG ?= config/autoglm.yaml
ARGS   ?=
FUZZ_SECONDS ?= 60

.PHONY: all setup configure build run test test-asan fuzz bench clean

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

bench: build
	@for b in build/bench/bench_*; do [ -x "$$b" ] && "$$b"; done

clean:
	rm -rf build build-asan build-fuzz

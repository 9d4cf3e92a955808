# The two commands a new user needs (README): `make demo` and `make test`.
# Both install missing Debian packages first (scripts/install-deps, idempotent).

BUILD      ?= build
TEST_BUILD ?= build-test
BENCH_BUILD ?= build-bench
CMAKE_GEN  := -G Ninja

.PHONY: all deps build demo test bench format clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DB2BMAIL_TESTS=OFF >/dev/null
	@cmake --build $(BUILD)

demo: build
	@scripts/demo $(BUILD)/bin/b2bmail

test: deps
	@scripts/install-caniemail
	@cmake -S . -B $(TEST_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DB2BMAIL_SANITIZE=ON >/dev/null
	@cmake --build $(TEST_BUILD)
	@ctest --test-dir $(TEST_BUILD) --output-on-failure

bench: deps
	@scripts/install-bench-deps
	@bench/import
	@bench/segment
	@bench/render
	@bench/pipeline
	@bench/smtp
	@bench/bounce

format:
	@clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(BENCH_BUILD) demo-output

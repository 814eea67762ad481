# Front door over CMake, in the manner of neovim's: `make demo` and `make test`
# install what is missing, configure, build, then run.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
SANITIZE ?= OFF
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all setup configure build test demo asan bench clean format

all: build

setup:
	@scripts/setup

configure: setup
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	    -DSEBA_SANITIZE=$(SANITIZE) -DCMAKE_EXPORT_COMPILE_COMMANDS=ON $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(CTEST_FLAGS)

# The main job. Until the kiosk shell and seba-server exist, it runs the plugin host
# against the in-tree plugins and reports what loaded.
demo: build
	@$(BUILD_DIR)/bin/seba-host --config $(BUILD_DIR)/demo/seba.toml run

# Address and undefined-behaviour sanitizers, in a build directory of their own.
asan:
	@$(MAKE) test BUILD_DIR=build-asan BUILD_TYPE=Debug SANITIZE=ON

bench: build
	@$(BUILD_DIR)/bin/storage_bench

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) build-asan

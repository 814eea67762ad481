# SPDX-License-Identifier: Apache-2.0
# Front door over CMake, in the manner of neovim's: `make demo` and `make test`
# install what is missing, configure, build, then run.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
SANITIZE ?= OFF
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all setup configure build test demo package asan bench clean format

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

# Debian packages of this build (seba-common, seba-kiosk, seba-server, seba-dev) in
# $(BUILD_DIR)/packages; docs/deployment.md says how to install and sign them.
package: build
	@cd $(BUILD_DIR) && cpack

# Without a screen, programs that need a window run under Xvfb.
KIOSK_RUN = $(if $(DISPLAY),,xvfb-run -a -s "-screen 0 1920x1080x24")

# The main job: a local seba-server, the demo kiosk enrolled with it, and the kiosk: with a
# screen it opens; without one it plays the demo tour under Xvfb and writes screenshots.
demo: build
	@DEMO_PIN=$(DEMO_PIN) scripts/demo $(BUILD_DIR)

# The demo kiosk's operator PIN (tap the clock five times). Never use it in service.
DEMO_PIN ?= 2468

# Address and undefined-behaviour sanitizers, in a build directory of their own. Leaks
# inside Debian's libraries (libgettextpo, Mesa) are suppressed: see cmake/lsan.supp.
asan:
	@LSAN_OPTIONS=suppressions=$(CURDIR)/cmake/lsan.supp $(MAKE) test BUILD_DIR=build-asan \
	    BUILD_TYPE=Debug SANITIZE=ON

bench: build
	@$(BUILD_DIR)/bin/storage_bench
	@$(BUILD_DIR)/bin/server_bench 16 5
	@$(KIOSK_RUN) $(BUILD_DIR)/bin/kiosk_bench --config $(BUILD_DIR)/demo/seba.toml
	@$(KIOSK_RUN) $(BUILD_DIR)/bin/text_bench
	@$(BUILD_DIR)/bin/sync_bench
	@bench/wrk_bench.sh $(BUILD_DIR)

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) build-asan

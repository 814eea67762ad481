// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kiosk_harness.hpp"

namespace seba::kiosk {

/// The shell's tests' kiosk (seba::testing::KioskHarness): About and the test plugins
/// greeter and throws_in_draw, in English, Bangla and Russian, started.
class KioskTest : public ::testing::Test, public seba::testing::KioskHarness {
  protected:
    void SetUp() override {
        config().languages = {"en", "bn", "ru"};
        config().enabled_plugins = {"about", "greeter", "throws_in_draw"};
        start();
    }
};

}  // namespace seba::kiosk

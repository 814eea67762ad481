// SPDX-License-Identifier: Apache-2.0
// The real window in this process (Xvfb, Mesa's software GL): a kiosk at rest draws nothing.
// It is woken often for nothing that shows (a background sync pass, the clock's minute, a
// touch on empty screen), and on a software renderer each frame drawn costs ~10 ms of CPU.
#include <stdlib.h>

#include <chrono>
#include <thread>

#include "kiosk_fixture.hpp"
#include "virtual_screen.hpp"
#include "window.hpp"

namespace seba::kiosk {
namespace {

using namespace std::chrono_literals;

class FramesTest : public KioskTest {
  protected:
    void SetUp() override {
        KioskTest::SetUp();
        ASSERT_FALSE(screen_.display().empty()) << "Xvfb did not start";
        setenv("DISPLAY", screen_.display().c_str(), 1);
    }
    seba::testing::VirtualScreen screen_{SEBA_XVFB, 800, 600};
};

TEST_F(FramesTest, WakeUpsThatChangeNothingOnScreenDrawNothingAndAChangeIsDrawn) {
    Window window({800, 600, false}, state());
    window.run(shell(), 0.5);
    int drawn = window.frames_drawn();
    ASSERT_GE(drawn, 1) << "the home screen was drawn";

    std::thread waker([] {
        for (int i = 0; i < 20; ++i) {
            Window::wake();
            std::this_thread::sleep_for(20ms);
        }
    });
    window.run(shell(), 0.6);
    waker.join();
    // One frame more at most: the status bar's clock may turn a minute meanwhile.
    EXPECT_LE(window.frames_drawn() - drawn, 1) << "20 wake-ups with nothing new on screen";

    drawn = window.frames_drawn();
    shell().set_language("bn");
    Window::wake();
    window.run(shell(), 0.3);
    EXPECT_GT(window.frames_drawn(), drawn) << "the language changed: the screen must follow";
}

}  // namespace
}  // namespace seba::kiosk

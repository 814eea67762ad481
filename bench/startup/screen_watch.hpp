// SPDX-License-Identifier: Apache-2.0
// What is on an X screen while a program starts, cheaply enough not to slow it down: the X
// server's DAMAGE extension says when anything on the screen was drawn, and only then are a
// few rows spread over the whole screen read with XGetImage from the root window (which shows
// the windows on it). The same for any program: GLFW, Chromium.
#pragma once

#include <X11/Xlib.h>
#include <X11/extensions/Xdamage.h>

#include <cstdint>
#include <string>
#include <vector>

namespace seba::bench {

/// The sampled rows' pixels, as XGetImage returns them (ZPixmap).
using Picture = std::vector<std::uint32_t>;

class ScreenWatch {
  public:
    /// Opens `display` (empty: $DISPLAY); throws std::runtime_error when it cannot or when
    /// the server has no DAMAGE extension.
    ScreenWatch(const std::string& display, int rows);
    ~ScreenWatch();
    ScreenWatch(const ScreenWatch&) = delete;
    ScreenWatch& operator=(const ScreenWatch&) = delete;

    /// Waits at most `timeout_ms` for anything to be drawn on the screen; true if it was.
    bool wait_for_drawing(double timeout_ms);
    /// The sampled rows as the screen shows them now.
    Picture sample();

  private:
    Display* display_ = nullptr;
    Window root_ = 0;
    Damage damage_ = 0;
    int damage_event_ = 0;
    int width_ = 0, height_ = 0, rows_ = 0;
};

/// The share of pixels (0..1) that differ between two pictures of the same screen.
double difference(const Picture& a, const Picture& b);

}  // namespace seba::bench

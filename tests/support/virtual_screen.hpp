// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <sys/types.h>

#include <string>

namespace seba::testing {

/// An Xvfb for one test, on a display it picks itself (-displayfd), started and stopped by
/// its PID. Not xvfb-run: that now and then exits 5 cleaning up after itself or leaves its
/// Xvfb running (PITFALLS).
class VirtualScreen {
  public:
    /// `xvfb` is the Xvfb program; the screen is `width` x `height` x 24 bits.
    VirtualScreen(const std::string& xvfb, int width, int height);
    ~VirtualScreen();
    VirtualScreen(const VirtualScreen&) = delete;
    VirtualScreen& operator=(const VirtualScreen&) = delete;

    /// ":N", or "" when Xvfb did not start.
    std::string display() const { return number_.empty() ? "" : ":" + number_; }

  private:
    pid_t pid_ = -1;
    std::string number_;
};

}  // namespace seba::testing

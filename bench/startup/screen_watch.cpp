// SPDX-License-Identifier: Apache-2.0
#include "screen_watch.hpp"

#include <X11/Xutil.h>
#include <poll.h>

#include <stdexcept>

namespace seba::bench {

ScreenWatch::ScreenWatch(const std::string& display, int rows) : rows_(rows) {
    display_ = XOpenDisplay(display.empty() ? nullptr : display.c_str());
    if (!display_) throw std::runtime_error("cannot open the X display " + display);
    root_ = XDefaultRootWindow(display_);
    width_ = XDisplayWidth(display_, XDefaultScreen(display_));
    height_ = XDisplayHeight(display_, XDefaultScreen(display_));
    int error_base = 0;
    if (!XDamageQueryExtension(display_, &damage_event_, &error_base))
        throw std::runtime_error("the X server has no DAMAGE extension");
    // The root's damage includes what its child windows draw.
    damage_ = XDamageCreate(display_, root_, XDamageReportNonEmpty);
    XSync(display_, False);
}

ScreenWatch::~ScreenWatch() {
    XDamageDestroy(display_, damage_);
    XCloseDisplay(display_);
}

bool ScreenWatch::wait_for_drawing(double timeout_ms) {
    bool drawn = false;
    auto take_events = [&] {
        while (XPending(display_)) {
            XEvent event;
            XNextEvent(display_, &event);
            if (event.type == damage_event_ + XDamageNotify) drawn = true;
        }
    };
    take_events();
    if (!drawn) {
        pollfd connection{XConnectionNumber(display_), POLLIN, 0};
        if (::poll(&connection, 1, static_cast<int>(timeout_ms)) > 0) take_events();
    }
    // Reported again only after this: the next drawing makes the next event.
    if (drawn) XDamageSubtract(display_, damage_, None, None);
    return drawn;
}

Picture ScreenWatch::sample() {
    Picture picture;
    picture.reserve(static_cast<std::size_t>(rows_) * static_cast<std::size_t>(width_));
    for (int i = 0; i < rows_; ++i) {
        // Row centres of equal bands: the status bar, the heading and the tiles each get some.
        const int y = static_cast<int>((i + 0.5) * height_ / rows_);
        XImage* image =
            XGetImage(display_, root_, 0, y, static_cast<unsigned>(width_), 1, AllPlanes, ZPixmap);
        if (!image) throw std::runtime_error("XGetImage failed");
        for (int x = 0; x < width_; ++x)
            picture.push_back(static_cast<std::uint32_t>(XGetPixel(image, x, 0)));
        XDestroyImage(image);
    }
    return picture;
}

double difference(const Picture& a, const Picture& b) {
    if (a.size() != b.size() || a.empty()) return 1.0;
    std::size_t differ = 0;
    for (std::size_t i = 0; i < a.size(); ++i) differ += a[i] != b[i];
    return static_cast<double>(differ) / static_cast<double>(a.size());
}

}  // namespace seba::bench

// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The kiosk's camera as a QR code reader (zbar), for plugins with the "camera" capability
/// (PluginContext::scanner()). A kiosk with no camera has a scanner that is never available;
/// screens then offer typing the code instead. The kiosk's [camera] configuration names the
/// video device, or an image file read in its place (for tests and demos).

#include <optional>
#include <string>

#include "seba/export.hpp"

namespace seba::scan {

class SEBA_API Scanner {
  public:
    virtual ~Scanner();

    /// There is a camera (or a configured image) to read from.
    virtual bool available() const = 0;

    /// Starts reading (the camera is opened only while a screen wants codes); stop()
    /// releases it. Both are cheap to call every frame.
    virtual void start() = 0;
    virtual void stop() = 0;

    /// The text of the next QR code seen since the last call, if any. Never blocks: the
    /// camera is read on a thread of the kiosk's.
    virtual std::optional<std::string> poll() = 0;

    /// Why the camera cannot be used, for the operator (English); empty when it can.
    virtual std::string problem() const = 0;
};

}  // namespace seba::scan

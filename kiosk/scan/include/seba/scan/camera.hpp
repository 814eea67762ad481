// SPDX-License-Identifier: Apache-2.0
#pragma once

// The kiosk's camera as a QR code reader (seba/scanner.hpp), with zbar: frames from a V4L2
// device read on a thread of its own while a screen wants codes, or, in the camera's place,
// one image file (PNG or JPEG) whose codes are seen each time the camera is started.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "seba/config.hpp"
#include "seba/error.hpp"
#include "seba/scanner.hpp"

namespace seba {
class Host;
}

namespace seba::scan {

/// The largest picture read, in either direction (a camera frame or the [camera] image).
inline constexpr int kMaxImageSide = 4096;
/// The largest image file read, in bytes.
inline constexpr std::size_t kMaxImageFileBytes = std::size_t{32} << 20;
/// The longest QR text handed to a plugin, in bytes; a longer code is not handed on.
inline constexpr std::size_t kMaxCodeBytes = 8 * 1024;

/// An image that cannot be read or decoded. The message is English, for the operator, and
/// names the file and what is wrong with it.
class ScanError : public Error {
  public:
    using Error::Error;
};

/// The text of every QR code in the image file `file`, top to bottom as zbar finds them, each
/// once; none for an image without one. Codes longer than kMaxCodeBytes or not UTF-8 are left
/// out. Throws ScanError for a missing, unreadable, corrupt or too large file.
std::vector<std::string> read_codes(const std::filesystem::path& file);

/// The scanner for the kiosk's [camera]: its image when one is named, else its device; with
/// neither, one that is never available and says so.
std::unique_ptr<Scanner> make_scanner(const CameraConfig& camera);

/// Gives `host` the scanner of its configuration's [camera]. Call before host.start()
/// (Host::set_scanner).
void install(Host& host);

}  // namespace seba::scan

// SPDX-License-Identifier: Apache-2.0
#pragma once

// zbar's image scanner set up to read QR codes only, as raw bytes (zbar would otherwise guess
// an encoding and re-encode text that is already UTF-8), and the checks a code passes before
// a plugin sees it.

#include <zbar.h>  // in C++ it declares everything in namespace zbar

#include <cstdint>
#include <string>
#include <vector>

namespace seba::scan::detail {

class QrReader {
  public:
    QrReader();
    ~QrReader();
    QrReader(const QrReader&) = delete;
    QrReader& operator=(const QrReader&) = delete;

    /// The codes zbar finds in a grey (Y800) image, each once, in zbar's order. Codes over
    /// kMaxCodeBytes, or that are not UTF-8, are left out.
    std::vector<std::string> scan(zbar::zbar_image_t* grey);
    /// The same for `width` x `height` grey pixels, one byte each, rows top to bottom.
    std::vector<std::string> scan(const std::uint8_t* pixels, int width, int height);

  private:
    zbar::zbar_image_scanner_t* scanner_;
};

/// The zbar four-character code of a format ("Y800" for grey).
unsigned long fourcc(const char (&name)[5]);

}  // namespace seba::scan::detail

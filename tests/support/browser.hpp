// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>

/// Pages seba-server serves, seen in a real browser: Debian's chromium, headless.
namespace seba::testing {

struct BrowserPage {
    std::string dom;      ///< the document after the browser parsed it (--dump-dom)
    std::string problem;  ///< why chromium failed or wrote no screenshot; empty when all went well
};

/// Opens `url` in headless chromium with a fresh profile, in English unless the page picks
/// another language, and writes a screenshot of a 900x1100 window to `screenshot` for a
/// person to look at. Each run is bounded by `timeout_s`.
BrowserPage open_in_browser(const std::string& url, const std::filesystem::path& screenshot,
                            int timeout_s = 90);

/// Prints `url` to `pdf` as headless chromium's Print does (the page's own @page size, no
/// header or footer): what a pilot's "Save as PDF" gives. Returns why it failed, or "".
std::string print_in_browser(const std::string& url, const std::filesystem::path& pdf,
                             int timeout_s = 90);

}  // namespace seba::testing

// SPDX-License-Identifier: Apache-2.0
#include "browser.hpp"

#include <fmt/format.h>

#include "process.hpp"
#include "temp_dir.hpp"

namespace seba::testing {

BrowserPage open_in_browser(const std::string& url, const std::filesystem::path& screenshot,
                            int timeout_s) {
    TempDir profile;
    const std::string flags = fmt::format(
        "--headless --disable-gpu --no-sandbox --no-first-run --user-data-dir='{}' --lang=en-US",
        profile.path().string());
    BrowserPage page;
    ProcessResult dom = run_process(fmt::format("timeout {} '{}' {} --dump-dom '{}' 2>/dev/null",
                                                timeout_s, SEBA_CHROMIUM, flags, url));
    page.dom = dom.output;
    if (dom.exit_code != 0)
        page.problem = fmt::format("chromium --dump-dom exited {}: {}", dom.exit_code, dom.output);

    std::error_code ec;
    std::filesystem::remove(screenshot, ec);
    ProcessResult shot = run_process(fmt::format(
        "timeout {} '{}' {} --hide-scrollbars --window-size=900,1100 --screenshot='{}' '{}' "
        ">/dev/null 2>&1",
        timeout_s, SEBA_CHROMIUM, flags, screenshot.string(), url));
    const auto size = std::filesystem::file_size(screenshot, ec);
    if (page.problem.empty() && (shot.exit_code != 0 || ec || size < 10000))
        page.problem = fmt::format("chromium --screenshot exited {} and wrote {} bytes to {}",
                                   shot.exit_code, ec ? 0 : size, screenshot.string());
    return page;
}

std::string print_in_browser(const std::string& url, const std::filesystem::path& pdf,
                             int timeout_s) {
    TempDir profile;
    std::error_code ec;
    std::filesystem::remove(pdf, ec);
    ProcessResult printed = run_process(fmt::format(
        "timeout {} '{}' --headless --disable-gpu --no-sandbox --no-first-run --user-data-dir='{}' "
        "--lang=en-US --no-pdf-header-footer --print-to-pdf='{}' '{}' >/dev/null 2>&1",
        timeout_s, SEBA_CHROMIUM, profile.path().string(), pdf.string(), url));
    const auto size = std::filesystem::file_size(pdf, ec);
    if (printed.exit_code != 0 || ec || size < 1000)
        return fmt::format("chromium --print-to-pdf exited {} and wrote {} bytes to {}",
                           printed.exit_code, ec ? 0 : size, pdf.string());
    return {};
}

}  // namespace seba::testing

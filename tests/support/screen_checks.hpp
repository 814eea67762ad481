// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every plugin's screen tests check as a citizen would: the pages played in seba-kiosk
// in a real window under Xvfb, each shot's widget tree read back (nothing off the screen's
// sides, no label cut short, the page opening at its heading), and every text the plugin shows
// translated in each catalog.

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "process.hpp"

namespace seba::testing {

struct ScreenSize {
    int width = 0, height = 0;
};
/// "1920x1080": a test's name and the screenshots' folder.
std::string to_string(ScreenSize size);

/// Plays `steps` (a --script) in the kiosk binary under xvfb-run at `size`, with the config
/// file `config`; each "screenshot" step writes <name>.png and <name>.json into `out`. The
/// script is written beside the config.
ProcessResult play_under_xvfb(const std::string& xvfb_run, const std::string& kiosk_bin,
                              const std::filesystem::path& config, const nlohmann::json& steps,
                              const std::filesystem::path& out, ScreenSize size);

/// What opens a page: its first heading whose id starts with `heading_prefix` must be in view,
/// unless a node `in_view_instead` picks is (a field being typed in, a banner after a tap).
struct PageOpening {
    std::string heading_prefix;
    std::function<bool(const nlohmann::json& node)> in_view_instead;
};

/// Checks the shot `<out>/<name>.png` and its tree `<out>/<name>.json` (gtest expectations
/// naming the widget): a picture was written, nothing runs off the screen's sides, no label
/// is cut short, and the page opens as `opening` says.
void expect_page_fits(const std::filesystem::path& out, const std::string& name, ScreenSize size,
                      const PageOpening& opening);

/// The msgids `call` (its first group) finds in the files, with adjacent literals joined
/// ("a " "b" is "a b"); `more` finds further ones (a table's words) in the same files.
std::set<std::string> msgids_in(const std::vector<std::filesystem::path>& files,
                                const std::regex& call, const std::vector<std::regex>& more = {});

/// Every msgid has a non-empty translation (or a plural entry) in `<locale_dir>/<language>.po`
/// for each language, keeping the English {0}-style placeholders.
void expect_translated(const std::set<std::string>& msgids, const std::filesystem::path& locale_dir,
                       const std::vector<std::string>& languages);

}  // namespace seba::testing

// SPDX-License-Identifier: Apache-2.0
#include "screen_checks.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <seba/ui/i18n.hpp>
#include <sstream>

namespace seba::testing {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string read_all(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

std::string to_string(ScreenSize size) {
    return fmt::format("{}x{}", size.width, size.height);
}

ProcessResult play_under_xvfb(const std::string& xvfb_run, const std::string& kiosk_bin,
                              const fs::path& config, const json& steps, const fs::path& out,
                              ScreenSize size) {
    fs::create_directories(out);
    const fs::path script = config.parent_path() / "script.json";
    std::ofstream(script) << steps.dump();
    return run_process(fmt::format(
        "{} -a -s '-screen 0 {}x{}x24' '{}' --config '{}' --script '{}' --out '{}' --width {} "
        "--height {} 2>&1",
        xvfb_run, size.width, size.height, kiosk_bin, config.string(), script.string(),
        out.string(), size.width, size.height));
}

void expect_page_fits(const fs::path& out, const std::string& name, ScreenSize size,
                      const PageOpening& opening) {
    SCOPED_TRACE(name);
    std::error_code ec;
    EXPECT_GT(fs::file_size(out / (name + ".png"), ec), 10000u) << "a picture was written";
    std::ifstream in(out / (name + ".json"));
    ASSERT_TRUE(in) << "no tree";
    const json tree = json::parse(in);
    bool opened = false;
    float top = 0, bottom = 0;
    for (const json& n : tree) {
        const std::string id = n.value("id", "");
        if (id == "shell.content" && n.contains("box")) {
            top = n["box"][1].get<float>();
            bottom = top + n["box"][3].get<float>();
        }
        if (!n.contains("box")) continue;
        const json& b = n["box"];
        EXPECT_GE(b[0].get<float>(), -1.0f) << id;
        EXPECT_LE(b[0].get<float>() + b[2].get<float>(), static_cast<float>(size.width) + 1)
            << id << " runs off the screen's right side";
        EXPECT_FALSE(n.value("elided", false))
            << id << " is cut short: \"" << n.value("label", "") << "\"";
        if (opened) continue;
        if (opening.in_view_instead) {
            if (opening.in_view_instead(n)) {
                opened = true;
                EXPECT_GE(b[1].get<float>(), top - 1) << id << " above the view";
                EXPECT_LE(b[1].get<float>() + b[3].get<float>(), bottom + 1) << id;
            }
            continue;
        }
        if (n.value("role", "") == "heading" && id.starts_with(opening.heading_prefix)) {
            opened = true;
            EXPECT_GE(b[1].get<float>(), top - 1) << "the page did not open at its top";
            EXPECT_LE(b[1].get<float>() + b[3].get<float>(), bottom + 1);
        }
    }
    EXPECT_TRUE(opened) << "the page's heading (or what stands for it) is in view";
}

std::set<std::string> msgids_in(const std::vector<fs::path>& files, const std::regex& call,
                                const std::vector<std::regex>& more) {
    std::set<std::string> msgids;
    for (const fs::path& file : files) {
        EXPECT_TRUE(fs::exists(file)) << file;
        const std::string text =
            std::regex_replace(read_all(file), std::regex(R"re("\s*\n\s*")re"), "");
        auto collect = [&](const std::regex& pattern) {
            for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern);
                 it != std::sregex_iterator(); ++it)
                msgids.insert((*it)[1]);
        };
        collect(call);
        for (const std::regex& pattern : more) collect(pattern);
    }
    return msgids;
}

void expect_translated(const std::set<std::string>& msgids, const fs::path& locale_dir,
                       const std::vector<std::string>& languages) {
    for (const std::string& language : languages) {
        const std::string po = read_all(locale_dir / (language + ".po"));
        EXPECT_FALSE(po.empty()) << language << ".po";
        for (const std::string& id : msgids) {
            const std::string entry = "msgid \"" + id + "\"\nmsgstr \"";
            const std::size_t at = po.find(entry);
            const bool plural = po.find("msgid \"" + id + "\"\nmsgid_plural") != std::string::npos;
            EXPECT_TRUE(at != std::string::npos || plural) << language << " lacks: " << id;
            if (at == std::string::npos) continue;
            const std::size_t end = po.find('\n', at + entry.size());
            const std::string translated = po.substr(at + entry.size(), end - at - entry.size());
            EXPECT_NE(translated, "\"") << language << " leaves empty: " << id;
            EXPECT_EQ(ui::placeholders(translated), ui::placeholders(id))
                << language << " changes the placeholders of: " << id;
        }
    }
}

}  // namespace seba::testing

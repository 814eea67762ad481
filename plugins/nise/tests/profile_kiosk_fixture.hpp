// SPDX-License-Identifier: Apache-2.0
#pragma once

// NISE in a whole kiosk (seba::testing::KioskHarness: the real host loading the built, signed
// plugin, the shell drawn by the recorder, slips printed as PDF files): Bangla first, the demo
// pack's skills taxonomy and courses on their channels, as a pull keeps them, and a server's
// sealing key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "kiosk_harness.hpp"
#include "seba/host.hpp"
#include "seba/statement.hpp"

namespace seba::nise::profile_testing {

using json = nlohmann::json;

class NiseKioskTest : public ::testing::Test, public seba::testing::KioskHarness {
  protected:
    void SetUp() override {
        config().languages = {"bn", "en", "ru", "uz-Latn", "uz-Cyrl"};
        config().default_language = "bn";
        config().idle_timeout_s = 120;
        config().enabled_plugins = {"nise"};
        config().plugin_settings["nise"] = {{"centre_code", "DHK1"},
                                            {"centre_place", "geo.bd.upazilas/156"},
                                            {"phone_region", "BD"}};
        config().printer.pdf_dir = dir() / "slips";
    }

    void start(bool with_server_key = true) {
        if (with_server_key) give_server_key();
        KioskHarness::start();
        std::optional<PluginInfo> plugin = host().find("nise");
        ASSERT_TRUE(plugin);
        ASSERT_EQ(plugin->state, PluginState::Running) << plugin->reason;
        publish("nise.skill_categories", pack_records("nise/skill-categories.json"));
        publish("nise.skills", pack_records("nise/skills.json"));
        publish("muktopaath.courses", pack_records("muktopaath/courses.json"));
    }

    // A file of the demo country pack as records with their "key" (an array of them already,
    // or an object by key).
    static json pack_records(const std::string& file) {
        std::ifstream in(std::filesystem::path(SEBA_DEMO_PACK).parent_path() / file);
        const json data = json::parse(in);
        if (data.is_array()) return data;
        json out = json::array();
        for (const auto& [key, record] : data.items()) {
            json r = record;
            r["key"] = key;
            out.push_back(std::move(r));
        }
        return out;
    }

    // From the kiosk's home to NISE's home.
    void open_nise() {
        if (screen() != "home") tap("shell.home");
        if (node("shell.finish.yes")) tap("shell.finish.yes");
        tap("shell.home.nise");
    }

    std::int64_t scalar(const std::string& sql) {
        Statement q = host().database().prepare(sql);
        EXPECT_TRUE(q.step()) << sql;
        return q.integer(0);
    }
    std::int64_t events(const std::string& type) {
        return scalar("SELECT count(*) FROM core__outbox WHERE type = '" + type + "'");
    }
    std::string tree() const { return state().tree_json().dump().substr(0, 4000); }
};

}  // namespace seba::nise::profile_testing

// SPDX-License-Identifier: Apache-2.0
#pragma once

// The complaints desk in a whole kiosk (seba::testing::KioskHarness: the real host loading the
// built, signed plugin, the shell drawn by the recorder, slips printed as PDF files): Bangla
// first, the demo country pack's services as a pull would have kept them, and a server's
// sealing key (the harness keeps the secret half, as the server does).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "kiosk_harness.hpp"
#include "seba/host.hpp"

namespace seba::civil::testing {

using json = nlohmann::json;

class CivilServiceTest : public ::testing::Test, public seba::testing::KioskHarness {
  protected:
    void SetUp() override {
        config().languages = {"bn", "en", "ru"};
        config().default_language = "bn";
        config().idle_timeout_s = 120;
        config().enabled_plugins = {"civil_service"};
        config().plugin_settings["civil_service"] = {{"centre_code", "DHK1"}};
        config().printer.pdf_dir = dir() / "slips";
    }

    void start(bool with_server_key = true) {
        if (with_server_key) give_server_key();
        KioskHarness::start();
        std::optional<PluginInfo> plugin = host().find("civil_service");
        ASSERT_TRUE(plugin);
        ASSERT_EQ(plugin->state, PluginState::Running) << plugin->reason;
        std::ifstream in(SEBA_DC_SERVICES);
        publish("dc.services", json::parse(in));
    }

    // From the kiosk's home to the review of a complaint about extra money for a birth
    // registration, with one phrase picked and `text` typed (nothing typed when empty).
    void fill_complaint(const std::string& text) {
        if (screen() != "home") tap("shell.home");
        run(R"([{"tap": "shell.home.civil_service"}, {"tap": "civil_service.file"},
                {"tap": "civil_service.cat.extra_money"},
                {"tap": "civil_service.service.query"}, {"type": "জন্ম"},
                {"tap": "civil_service.svc.birth_registration"},
                {"tap": "civil_service.phrase.asked_for_extra_money"}])");
        if (!text.empty()) run(json::array({{{"tap", "civil_service.text"}}, {{"type", text}}}));
        tap("civil_service.details.next");
    }

    // Files a complaint and returns its reference from the slip; ends on the desk's home.
    std::string file_complaint(const std::string& text = {}) {
        fill_complaint(text);
        run(R"([{"tap": "civil_service.review.agree"}, {"tap": "civil_service.send"},
                {"expect": "civil_service.slip.panel"}])");
        std::string reference = node("civil_service.slip.qr")->value;
        tap("civil_service.done");
        return reference;
    }

    // The check screen afresh with `typed` in its field, Check tapped.
    void check(const std::string& typed) {
        if (screen() != "plugin") tap("shell.home.civil_service");
        while (node("civil_service.check.title") || node("civil_service.slip.title"))
            tap("shell.back");
        run(json::array({{{"tap", "civil_service.check"}},
                         {{"tap", "civil_service.check.reference"}},
                         {{"type", typed}},
                         {{"tap", "civil_service.check.go"}}}));
    }

    // What the kit holds of field `id` ("" when wiped or never typed).
    std::string typed(std::string_view id) const {
        const ui::SecretText* field = state().find_field(id);
        return field ? std::string(field->view()) : std::string();
    }

    std::int64_t scalar(const std::string& sql) {
        Statement q = host().database().prepare(sql);
        EXPECT_TRUE(q.step()) << sql;
        return q.integer(0);
    }
    std::int64_t rows() { return scalar("SELECT count(*) FROM civil_service__grievances"); }
    std::int64_t events() {
        return scalar("SELECT count(*) FROM core__outbox WHERE type = 'civil_service.grievance'");
    }
};

}  // namespace seba::civil::testing

// SPDX-License-Identifier: Apache-2.0
#pragma once

// The Digital Centre in a whole kiosk (seba::testing::KioskHarness): Bangla first, the demo
// country pack's catalog as a pull would have kept it, a server's sealing key, and the
// receipts' printer.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "kiosk_harness.hpp"
#include "seba/host.hpp"

namespace seba::kiosk {

// A valid 17-digit NID, typed in Bangla digits as a citizen would.
inline constexpr const char* kNidBangla = "১৯৯০২৬৯২৬১৩০০০০১২";
inline constexpr const char* kNidAscii = "19902692613000012";

class DigitalCentreTest : public ::testing::Test, public seba::testing::KioskHarness {
  protected:
    void SetUp() override {
        config().languages = {"bn", "en"};
        config().default_language = "bn";
        config().idle_timeout_s = 120;
        config().enabled_plugins = {"digital_centre"};
        config().plugin_settings["digital_centre"] = {{"centre_code", "DHK1"},
                                                      {"operator", "Rahima Begum"}};
        print_to(dir() / "receipts");
    }

    // The kiosk as enrolled: it holds its server's public sealing key (the harness keeps
    // the secret half, as the server does). `with_server_key` false: a kiosk never enrolled.
    void start(bool with_server_key = true) {
        if (with_server_key) give_server_key();
        KioskHarness::start();
        std::optional<PluginInfo> plugin = host().find("digital_centre");
        ASSERT_TRUE(plugin);
        ASSERT_EQ(plugin->state, PluginState::Running) << plugin->reason;
    }

    // [SECTION] the printer
    // Where receipts go, said in this one place for the kiosk in the test and for a
    // seba-kiosk process alike, so that moving these settings is one edit.

    // Receipts as files in `receipt_dir` (each one's PDF and PNG) and, given a printer's
    // `device` file, printed on it; for the kiosk in the test, from its next start.
    void print_to(const std::filesystem::path& receipt_dir,
                  const std::filesystem::path& device = {}) {
        config().printer.pdf_dir = receipt_dir;
        config().printer.device = device;
    }
    // The same for a seba-kiosk process: the lines that end its seba.toml, after the table
    // [plugin.digital_centre].
    static std::string printer_toml(const std::filesystem::path& receipt_dir,
                                    const std::filesystem::path& device = {}) {
        std::string toml =
            "\n[printer]\npdf_dir = " + nlohmann::json(receipt_dir.string()).dump() + "\n";
        if (!device.empty()) toml += "device = " + nlohmann::json(device.string()).dump() + "\n";
        return toml;
    }

    // [SECTION] a citizen's steps

    void publish_demo_services() {
        std::ifstream in(SEBA_DC_SERVICES);
        publish("dc.services", nlohmann::json::parse(in));
    }

    // Up to the filled form of a birth registration, in Bangla.
    void fill_birth_registration(const std::string& nid) {
        run(R"([{"tap": "shell.home.digital_centre"}, {"tap": "dc.cat.certificates"},
                {"tap": "dc.svc.birth_registration"}, {"tap": "dc.apply"},
                {"tap": "dc.f.birth_registration.child_name"}, {"type": "আয়েশা সিদ্দিকা"},
                {"tap": "dc.f.birth_registration.date_of_birth"}, {"type": "১৫-০৩-২০১৮"},
                {"tap": "dc.f.birth_registration.father_name"}, {"type": "মোঃ করিম উদ্দিন"},
                {"tap": "dc.f.birth_registration.mother_name"}, {"type": "রাশেদা খাতুন"},
                {"tap": "dc.f.birth_registration.applicant_nid"}, {"type": ")" +
            nid + R"("},
                {"tap": "dc.f.birth_registration.phone"}, {"type": "০১৮১৯-৫৫৬৬৭৭"}])");
    }

    // Printing runs on a thread of its own: draw frames until the receipt stops saying so.
    void wait_for_printing() {
        for (int i = 0; i < 1000 && node("dc.receipt.printing"); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            run(R"([{"wait_s": 0.01}])");
        }
        ASSERT_FALSE(node("dc.receipt.printing")) << "printing never finished";
    }

    std::int64_t scalar(const std::string& sql) {
        Statement q = host().database().prepare(sql);
        EXPECT_TRUE(q.step()) << sql;
        return q.integer(0);
    }
};

}  // namespace seba::kiosk

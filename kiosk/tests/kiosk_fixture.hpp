// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "script.hpp"
#include "seba/host.hpp"
#include "seba/pin.hpp"
#include "seba/ui/recorder.hpp"
#include "shell.hpp"
#include "temp_dir.hpp"

namespace seba::kiosk {

/// A whole kiosk without a window: the real host loading the real plugins built in this
/// tree, the real shell, drawn by the recorder on a virtual clock.
class KioskTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config_.source = dir_ / "seba.toml";
        config_.kiosk_id = "test-kiosk";
        config_.centre = "test-centre";
        config_.languages = {"en", "bn", "ru"};
        config_.default_language = "en";
        config_.idle_timeout_s = 60;
        config_.data_dir = dir_ / "data";
        config_.plugin_dirs = {SEBA_PLUGIN_DIR, SEBA_TEST_PLUGIN_DIR};
        config_.enabled_plugins = {"about", "greeter", "throws_in_draw"};
        config_.trusted_keys = {minisign::load_public_key(SEBA_DEV_PUBLIC_KEY)};
        config_.development_mode = true;  // the build's plugins carry development signatures
        start();
    }

    void start() {
        runner_.reset();
        shell_.reset();
        host_.reset();
        host_ = std::make_unique<Host>(config_);
        host_->start();
        shell_ =
            std::make_unique<Shell>(*host_, state_, SEBA_KIOSK_LOCALE_DIR, Shell::Clock::now());
        runner_ = std::make_unique<ScriptRunner>(
            *shell_, state_,
            [this](Shell::Clock::time_point now) {
                state_.begin_frame();
                ui::Recorder ui(state_);
                shell_->frame(ui, now);
                ui.recover();
            },
            nullptr, dir_ / "out");
        runner_->run(nlohmann::json::array());
    }

    void run(const nlohmann::json& steps) { runner_->run(steps); }

    /// Five quick taps on the clock, the hidden way into operator mode.
    void open_pin_screen() {
        for (int i = 0; i < 5; ++i) run(nlohmann::json::parse(R"([{"tap": "shell.clock"}])"));
    }

    /// Sets the operator PIN to 2468 and logs in with the gesture and the digit pad.
    void log_in_as_operator() {
        OperatorPin(host_->database(), host_->audit()).set("2468", "test");
        open_pin_screen();
        run(nlohmann::json::parse(R"([{"keys": "2468"}, {"tap": "shell.pin.ok"},
                                      {"expect_screen": "operator"}])"));
    }
    const ui::Node* node(const std::string& id) const { return state_.node(id); }
    std::string label(const std::string& id) const {
        const ui::Node* n = node(id);
        return n ? n->label : "(not on screen: " + id + ")";
    }

    seba::testing::TempDir dir_;
    Config config_;
    ui::UiState state_;
    std::unique_ptr<Host> host_;
    std::unique_ptr<Shell> shell_;
    std::unique_ptr<ScriptRunner> runner_;
};

}  // namespace seba::kiosk

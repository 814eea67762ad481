// SPDX-License-Identifier: Apache-2.0
#include "kiosk_harness.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <stdexcept>

#include "publish.hpp"
#include "seba/pin.hpp"
#include "seba/print/service.hpp"
#include "seba/scan/camera.hpp"
#include "seba/sealing.hpp"
#include "seba/signature.hpp"
#include "seba/signing.hpp"
#include "seba/ui/recorder.hpp"

namespace seba::testing {

using nlohmann::json;

KioskHarness::KioskHarness() {
    config_.source = dir_ / "seba.toml";
    config_.kiosk_id = "test-kiosk";
    config_.centre = "test-centre";
    config_.languages = {"en"};
    config_.default_language = "en";
    config_.idle_timeout_s = 60;
    config_.data_dir = dir_ / "data";
    config_.plugin_dirs = {plugin_dir(), test_plugin_dir()};
    config_.trusted_keys = {minisign::load_public_key(SEBA_DEV_PUBLIC_KEY)};
    config_.development_mode = true;  // the build's plugins carry development signatures
}

KioskHarness::~KioskHarness() = default;

std::filesystem::path KioskHarness::plugin_dir() {
    return SEBA_PLUGIN_DIR;
}

std::filesystem::path KioskHarness::test_plugin_dir() {
    return SEBA_TEST_PLUGIN_DIR;
}

// [SECTION] setting up

void KioskHarness::give_server_key() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium did not start");
    crypto_box_keypair(server_public_.data(), server_secret_.data());
    server_key_to_give_ = !host_;
    if (host_)
        sealing::store_server_key(host_->database(),
                                  {sealing::key_id(server_public_), server_public_});
}

void KioskHarness::start() {
    if (host_) throw std::logic_error("the kiosk is running already: restart() it");
    host_ = std::make_unique<Host>(config_);
    host_->set_plugin_check(kiosk::view_contract);  // as seba-kiosk loads plugins
    print::install(*host_);                         // and prints: the config's [printer]
    scan::install(*host_);                          // and scans: the config's [camera]
    if (server_key_to_give_) {
        // Before the plugins start, as enrollment would have left it.
        sealing::store_server_key(host_->database(),
                                  {sealing::key_id(server_public_), server_public_});
        server_key_to_give_ = false;
    }
    host_->start();
    shell_ = std::make_unique<kiosk::Shell>(*host_, state_, SEBA_KIOSK_LOCALE_DIR,
                                            kiosk::Shell::Clock::now());
    runner_ = std::make_unique<kiosk::ScriptRunner>(
        *shell_, state_,
        [this](kiosk::Shell::Clock::time_point now) {
            state_.begin_frame();
            ui::Recorder ui(state_);
            shell_->frame(ui, now);
            ui.recover();
        },
        nullptr, dir_ / "out");
    runner_->run(json::array());
}

void KioskHarness::stop() {
    runner_.reset();
    shell_.reset();
    host_.reset();
}

void KioskHarness::restart() {
    stop();
    start();
}

// [SECTION] driving it

void KioskHarness::run(const json& steps) {
    runner().run(steps);
}

void KioskHarness::run(const std::string& steps_json) {
    run(json::parse(steps_json));
}

void KioskHarness::tap(std::string_view id) {
    run(json::array({{{"tap", id}}}));
}

void KioskHarness::type(std::string_view text) {
    run(json::array({{{"type", text}}}));
}

void KioskHarness::keys(std::string_view text) {
    run(json::array({{{"keys", text}}}));
}

void KioskHarness::wait_s(double seconds) {
    run(json::array({{{"wait_s", seconds}}}));
}

void KioskHarness::expect(std::string_view id) {
    run(json::array({{{"expect", id}}}));
}

void KioskHarness::expect_absent(std::string_view id) {
    run(json::array({{{"absent", id}}}));
}

void KioskHarness::expect_screen(std::string_view screen) {
    run(json::array({{{"expect_screen", screen}}}));
}

// [SECTION] reading the screen

std::string KioskHarness::label(std::string_view id) const {
    const ui::Node* n = node(id);
    return n ? n->label : "(not on screen: " + std::string(id) + ")";
}

// [SECTION] the kiosk's data and people

void KioskHarness::publish(std::string_view channel, const json& records) {
    testing::publish(host().database(), channel, records);
}

void KioskHarness::publish(std::string_view channel, std::string_view key, const json& data) {
    testing::publish(host().database(), channel, key, data);
}

void KioskHarness::open_pin_screen() {
    for (int i = 0; i < 5; ++i) tap("shell.clock");
}

void KioskHarness::log_in_as_operator() {
    OperatorPin(host().database(), host().audit()).set("2468", "test");
    open_pin_screen();
    run(R"([{"keys": "2468"}, {"tap": "shell.pin.ok"}, {"expect_screen": "operator"}])");
}

json KioskHarness::open_sealed(const json& envelope) const {
    EXPECT_EQ(envelope.value("alg", ""), sealing::kAlgorithm);
    EXPECT_EQ(envelope.value("key", ""), sealing::key_id(server_public_));
    std::optional<std::vector<std::uint8_t>> box = signing::from_base64(envelope.value("box", ""));
    if (!box || box->size() < crypto_box_SEALBYTES) return nullptr;
    std::string plain(box->size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()), box->data(),
                             box->size(), server_public_.data(), server_secret_.data()) != 0)
        return nullptr;
    return json::parse(plain);
}

// [SECTION] the parts

Host& KioskHarness::host() const {
    if (!host_) throw std::logic_error("the kiosk is not running: start() it");
    return *host_;
}

kiosk::Shell& KioskHarness::shell() const {
    if (!shell_) throw std::logic_error("the kiosk is not running: start() it");
    return *shell_;
}

kiosk::ScriptRunner& KioskHarness::runner() const {
    if (!runner_) throw std::logic_error("the kiosk is not running: start() it");
    return *runner_;
}

kiosk::Shell::Clock::time_point KioskHarness::now() const {
    return runner().now();
}

}  // namespace seba::testing

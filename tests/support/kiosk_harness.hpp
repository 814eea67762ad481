// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "script.hpp"
#include "seba/config.hpp"
#include "seba/host.hpp"
#include "seba/ui/ui_state.hpp"
#include "shell.hpp"
#include "temp_dir.hpp"

namespace seba::testing {

/// A whole kiosk inside the test, without a window: the real host loading the real plugins
/// built in this tree (under the kiosk's view contract), the real shell drawn by the
/// recorder on a virtual clock, and the script runner to drive it as a citizen would.
///
///     KioskHarness kiosk;
///     kiosk.config().enabled_plugins = {"digital_centre"};
///     kiosk.start();
///     kiosk.publish("dc.services", services);
///     kiosk.tap("shell.home.digital_centre");
///     EXPECT_EQ(kiosk.label("dc.title"), "Digital Centre services");
///
/// A GoogleTest fixture may derive from it as well as from ::testing::Test, so that its
/// tests call run(), tap() and label() directly. Its folder (dir()) is removed with it.
class KioskHarness {
  public:
    /// Test defaults: kiosk "test-kiosk" of "test-centre", English only, a 60 s idle
    /// timeout, its data in dir()/data, this build's plugin folders (plugin_dir() and
    /// test_plugin_dir()) under its development key, in development mode; no plugin enabled.
    KioskHarness();
    ~KioskHarness();
    KioskHarness(const KioskHarness&) = delete;
    KioskHarness& operator=(const KioskHarness&) = delete;

    /// This build's plugins (about, digital_centre), and the test plugins (greeter, good...).
    static std::filesystem::path plugin_dir();
    static std::filesystem::path test_plugin_dir();

    // [SECTION] setting up

    /// What the kiosk starts with: change it before start() or restart().
    Config& config() { return config_; }
    /// The kiosk as enrolled: it holds the public half of a sealing key pair made here, as
    /// its server's (open_sealed() opens with the secret half). Called before start(), the
    /// kiosk holds it from the start; called later, it gets a new key now.
    void give_server_key();
    /// Starts the kiosk on its folder and draws the first frame (the home screen). It prints
    /// as the config's [printer] says and reads QR codes as its [camera] says (an image in
    /// the camera's place: config().camera.image), as seba-kiosk does.
    void start();
    /// Stops the kiosk and lets go of its database, e.g. for a seba-kiosk process on the
    /// same folder. The kit's state (language, fields) stays, as the old fixtures kept it.
    void stop();
    /// stop(), then start() with config() as it is now.
    void restart();

    // [SECTION] driving it (the steps of docs/scripts.md; a failing step throws ScriptError)

    void run(const nlohmann::json& steps);
    /// The steps as JSON text: run(R"([{"tap": "dc.apply"}])").
    void run(const std::string& steps_json);
    void run(const char* steps_json) { run(std::string(steps_json)); }
    void tap(std::string_view id);
    /// Types into the focused field, as a physical keyboard does.
    void type(std::string_view text);
    /// Types by tapping the on-screen keyboard's keys.
    void keys(std::string_view text);
    /// Lets time pass on the virtual clock, drawing once a second.
    void wait_s(double seconds);
    void expect(std::string_view id);
    void expect_absent(std::string_view id);
    /// "home", "plugin", "unavailable", "pin" or "operator".
    void expect_screen(std::string_view screen);

    // [SECTION] reading the screen (the last frame drawn)

    const ui::Node* node(std::string_view id) const { return state_.node(id); }
    /// The widget's label, or "(not on screen: ID)".
    std::string label(std::string_view id) const;
    std::vector<std::string> ids() const { return state_.ids(); }
    std::string_view screen() const { return shell().screen(); }

    // [SECTION] the kiosk's data and people

    /// Publishes `records` (objects kept whole under their "key") on catalog `channel` as
    /// a pull keeps a page it received (catalog::keep_page, see publish.hpp); the kiosk sees
    /// them at its next frame.
    void publish(std::string_view channel, const nlohmann::json& records);
    /// The same for one record, its key apart from its data.
    void publish(std::string_view channel, std::string_view key, const nlohmann::json& data);
    /// Five quick taps on the clock: the hidden way to the operator's PIN.
    void open_pin_screen();
    /// Sets the operator PIN 2468 and logs in with the gesture and the digit pad.
    void log_in_as_operator();
    /// What the server does with a sealed envelope: checks that it names the algorithm and
    /// the key of give_server_key() (a failed expectation if not) and opens it; null when
    /// it does not open.
    nlohmann::json open_sealed(const nlohmann::json& envelope) const;

    // [SECTION] the parts

    Host& host() const;
    kiosk::Shell& shell() const;
    ui::UiState& state() { return state_; }
    const ui::UiState& state() const { return state_; }
    /// The virtual clock's time.
    kiosk::Shell::Clock::time_point now() const;
    const TempDir& dir() const { return dir_; }

  private:
    kiosk::ScriptRunner& runner() const;

    TempDir dir_;
    Config config_;
    std::array<std::uint8_t, 32> server_public_{};
    std::array<std::uint8_t, 32> server_secret_{};
    bool server_key_to_give_ = false;  // give_server_key() before start()
    ui::UiState state_;
    std::unique_ptr<Host> host_;
    std::unique_ptr<kiosk::Shell> shell_;
    std::unique_ptr<kiosk::ScriptRunner> runner_;
};

}  // namespace seba::testing

// SPDX-License-Identifier: Apache-2.0
// Reads QR codes with the kiosk's camera, as its manifest asks to: at start it notes whether
// the camera can be used (and why not), then waits up to 5 s for a code and notes what it
// read; at the end of a session it notes whatever the camera still holds (nothing: the host
// drops a citizen's codes when the session ends).
#include <chrono>
#include <seba/plugin.hpp>
#include <seba/plugin_store.hpp>
#include <seba/scanner.hpp>
#include <thread>

namespace {

constexpr seba::Migration kMigrations[] = {
    {1, "seen", "CREATE TABLE scans__seen (what TEXT, value TEXT)"},
};

class Scans final : public seba::Plugin {
  public:
    std::span<const seba::Migration> migrations() const override { return kMigrations; }

    void start(seba::PluginContext& context) override {
        store_ = &context.store();
        scanner_ = &context.scanner();
        note("available", scanner_->available() ? "yes" : "no");
        note("problem", scanner_->problem());
        if (!scanner_->available()) return;
        scanner_->start();
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (std::chrono::steady_clock::now() < until) {
            if (auto code = scanner_->poll()) {
                note("code", *code);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        scanner_->start();  // as a screen does every frame: no second delivery of the same run
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        while (auto code = scanner_->poll()) note("again", *code);
    }

    void end_session() override {
        if (!scanner_) return;
        while (auto code = scanner_->poll()) note("after session", *code);
    }

  private:
    void note(const char* what, const std::string& value) {
        store_->prepare("INSERT INTO scans__seen VALUES (?, ?)").bind(1, what).bind(2, value).run();
    }

    seba::PluginStore* store_ = nullptr;
    seba::scan::Scanner* scanner_ = nullptr;
};

}  // namespace

SEBA_PLUGIN(Scans)

// SPDX-License-Identifier: Apache-2.0
// A plugin that never returns from end_session(), the host's call when a citizen's session
// ends: the kiosk's render loop hangs in it, and only the service watchdog can tell. It
// writes its `marker` file first, so a test knows when the hang began.
#include <chrono>
#include <fstream>
#include <seba/plugin.hpp>
#include <seba/settings.hpp>
#include <thread>

namespace {

class HangsAtSessionEnd final : public seba::Plugin {
  public:
    void start(seba::PluginContext& context) override { context_ = &context; }

    void end_session() override {
        std::ofstream(context_->settings().text("marker")) << "hanging\n";
        for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
    }

  private:
    seba::PluginContext* context_ = nullptr;
};

}  // namespace

SEBA_PLUGIN(HangsAtSessionEnd)

// SPDX-License-Identifier: Apache-2.0
// Throws in the middle of drawing, with a tile grid left open: the shell must show
// "service unavailable", close what the plugin left open, and run on.
#include <seba/plugin.hpp>
#include <seba/ui/ui.hpp>
#include <stdexcept>

namespace {
class ThrowsInDraw final : public seba::Plugin, public seba::ui::View {
  public:
    void start(seba::PluginContext&) override {}
    void draw(seba::ui::Ui& ui) override {
        ui.heading("broken.title", "Broken");
        ui.begin_tiles("broken.tiles");
        throw std::runtime_error("the catalog row has no name");
    }
};
}  // namespace

SEBA_PLUGIN(ThrowsInDraw)

// SPDX-License-Identifier: Apache-2.0
// Draws a screen but does not ask for "ui": it would silently get no home tile, so the
// kiosk refuses it at load.
#include <seba/sdk.hpp>

namespace {
class ViewWithoutUi final : public seba::Plugin, public seba::ui::View {
  public:
    void start(seba::PluginContext&) override {}
    void draw(seba::ui::Ui& ui) override { ui.heading("view_without_ui.title", "Hidden"); }
};
}  // namespace

SEBA_PLUGIN(ViewWithoutUi)

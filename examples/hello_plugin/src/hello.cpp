// SPDX-License-Identifier: Apache-2.0
// The smallest plugin with a screen, built outside Seba's tree: a heading and the greeting
// the operator set (plugin.hello.greeting), which the fleet configuration may change too.
#include <seba/plugin.hpp>
#include <seba/settings.hpp>
#include <seba/ui/ui.hpp>

namespace {

class Hello final : public seba::Plugin, public seba::ui::View {
  public:
    void start(seba::PluginContext& context) override { context_ = &context; }

    void draw(seba::ui::Ui& ui) override {
        ui.heading("hello.title", ui.tr("Hello"));
        ui.paragraph("hello.greeting", context_->settings().text("greeting"));
    }

  private:
    seba::PluginContext* context_ = nullptr;
};

}  // namespace

SEBA_PLUGIN(Hello)

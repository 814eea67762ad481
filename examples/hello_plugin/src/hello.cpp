// SPDX-License-Identifier: Apache-2.0
// The smallest plugin with screens, built outside Seba's tree: the greeting the operator set
// (plugin.hello.greeting, which the fleet configuration may change too) and a second screen
// a tap away. Back, Home and the end of the citizen's session come with the kit.
#include <memory>
#include <seba/sdk.hpp>

namespace {

class Thanks final : public seba::ui::Screen {
  public:
    void draw(seba::ui::Ui& ui, seba::ui::Navigator& nav) override {
        ui.heading("hello.thanks", ui.tr("Thank you"));
        if (ui.button("hello.again", ui.tr("Start again"))) nav.home();
    }
};

class Greeting final : public seba::ui::Screen {
  public:
    explicit Greeting(const seba::PluginContext& context) : context_(context) {}

    void draw(seba::ui::Ui& ui, seba::ui::Navigator& nav) override {
        ui.heading("hello.title", ui.tr("Hello"));
        ui.paragraph("hello.greeting", context_.settings().text("greeting"));
        if (ui.button("hello.next", ui.tr("Next"))) nav.push<Thanks>();
    }

  private:
    const seba::PluginContext& context_;
};

class Hello final : public seba::Plugin, public seba::ui::ScreenView {
  public:
    Hello() : ScreenView([this] { return std::make_unique<Greeting>(*context_); }) {}

    void start(seba::PluginContext& context) override { context_ = &context; }

  private:
    seba::PluginContext* context_ = nullptr;
};

}  // namespace

SEBA_PLUGIN(Hello)

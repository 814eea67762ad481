// SPDX-License-Identifier: Apache-2.0
// A plugin with a screen: a name field typed with the on-screen keyboard, a validator, and
// a greeting. Its strings come from its own catalogs (assets/locale/*.po).
#include <seba/plugin.hpp>
#include <seba/ui/i18n.hpp>
#include <seba/ui/ui.hpp>

namespace {

class Greeter final : public seba::Plugin, public seba::ui::View {
  public:
    void start(seba::PluginContext&) override {}
    void end_session() override { greeted_ = false; }

    void draw(seba::ui::Ui& ui) override {
        ui.heading("greeter.title", ui.tr("Say hello"));
        seba::ui::FieldSpec name;
        name.kind = seba::ui::FieldKind::Name;
        name.required = true;
        name.max_chars = 20;
        name.validate = [&ui](std::string_view text) -> std::string {
            // Digits in any script the kiosk knows (Bangla ১ included) are still digits.
            for (char c : seba::ui::ascii_digits(text))
                if (c >= '0' && c <= '9') return ui.tr("A name has no digits");
            return {};
        };
        seba::ui::FieldResult result = ui.field("greeter.name", ui.tr("Your name"), name);
        if (ui.button("greeter.ok", ui.tr("Greet me"), result.valid)) greeted_ = true;
        if (greeted_) ui.message("greeter.hello", seba::ui::Tone::Success, ui.tr("Hello!"));
    }

    bool back() override {
        if (!greeted_) return false;
        greeted_ = false;
        return true;
    }

    void reset() override { greeted_ = false; }

  private:
    bool greeted_ = false;
};

}  // namespace

SEBA_PLUGIN(Greeter)

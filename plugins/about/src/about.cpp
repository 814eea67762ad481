// SPDX-License-Identifier: Apache-2.0
// The smallest real plugin: a screen about this kiosk (the centre's helpline, how many
// citizens it served today), and a count of sessions per day in its own table so a pilot
// can see the kiosk is in use. docs/plugin-guide.md walks through this file.
#include <spdlog/spdlog.h>

#include <seba/plugin.hpp>
#include <seba/plugin_store.hpp>
#include <seba/settings.hpp>
#include <seba/ui/ui.hpp>
#include <string>

namespace {

constexpr seba::Migration kMigrations[] = {
    {1, "sessions per day",
     "CREATE TABLE about__sessions (day TEXT PRIMARY KEY, count INTEGER NOT NULL)"},
};

class About final : public seba::Plugin, public seba::ui::View {
  public:
    std::span<const seba::Migration> migrations() const override { return kMigrations; }

    void start(seba::PluginContext& context) override {
        context_ = &context;
        context.log().info("started");
    }

    // A session counted, and the count reported to the centre, in one transaction. The
    // event carries the day only: nothing about the citizen.
    void end_session() override {
        seba::PluginStore& store = context_->store();
        store.transaction([&] {
            store
                .prepare(
                    "INSERT INTO about__sessions (day, count) VALUES (date('now'), 1) "
                    "ON CONFLICT(day) DO UPDATE SET count = count + 1")
                .run();
            store.emit("about.session_counted", {{"day", today(store)}});
        });
    }

    void draw(seba::ui::Ui& ui) override {
        ui.heading("about.title", ui.tr("About this kiosk"));
        std::string helpline = context_->settings().text("helpline");
        if (!helpline.empty())
            ui.paragraph("about.helpline", ui.tr("Helpline") + ": " + ui.digits(helpline));
        seba::Statement today = context_->store().prepare(
            "SELECT coalesce(sum(count), 0) FROM about__sessions WHERE day = date('now')");
        today.step();
        ui.paragraph("about.sessions", ui.tr("Citizens served today") + ": " +
                                           ui.digits(std::to_string(today.integer(0))));
    }

  private:
    static std::string today(seba::PluginStore& store) {
        seba::Statement q = store.prepare("SELECT date('now')");
        q.step();
        return q.text(0);
    }

    seba::PluginContext* context_ = nullptr;
};

}  // namespace

SEBA_PLUGIN(About)

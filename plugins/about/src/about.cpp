// SPDX-License-Identifier: Apache-2.0
// The smallest real plugin: a screen about this kiosk (the centre's helpline, how many
// citizens it served today), and a count of sessions per day in its own table so a pilot
// can see the kiosk is in use. docs/plugin-guide.md walks through this file.
#include <seba/sdk.hpp>
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
            const std::string day = today();
            store
                .prepare(
                    "INSERT INTO about__sessions (day, count) VALUES (?, 1) "
                    "ON CONFLICT(day) DO UPDATE SET count = count + 1")
                .bind_all(day)
                .run();
            store.emit("about.session_counted", {{"day", day}});
        });
    }

    void draw(seba::ui::Ui& ui) override {
        ui.heading("about.title", ui.tr("About this kiosk"));
        std::string helpline = context_->settings().text("helpline");
        if (!helpline.empty())
            ui.paragraph("about.helpline", ui.tr("Helpline") + ": " + ui.digits(helpline));
        seba::Statement served = context_->store().prepare(
            "SELECT coalesce(sum(count), 0) FROM about__sessions WHERE day = ?");
        served.bind_all(today());
        served.step();
        ui.paragraph("about.sessions", ui.tr("Citizens served today") + ": " +
                                           ui.digits(std::to_string(served.integer(0))));
    }

  private:
    // Today (UTC) by the kiosk's clock, corrected to the server's: the day the count is for.
    static std::string today() { return seba::kiosk_now().iso().substr(0, 10); }

    seba::PluginContext* context_ = nullptr;
};

}  // namespace

SEBA_PLUGIN(About)

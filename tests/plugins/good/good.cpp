// SPDX-License-Identifier: Apache-2.0
// A well-behaved plugin: its own table, an outbox event per session, a setting.
#include <seba/plugin.hpp>
#include <seba/plugin_store.hpp>
#include <seba/settings.hpp>

namespace {

constexpr seba::Migration kMigrations[] = {
    {1, "sessions", "CREATE TABLE good__sessions (id INTEGER PRIMARY KEY, greeting TEXT)"},
    {2, "starts", "CREATE TABLE good__starts (id INTEGER PRIMARY KEY)"},
};

class Good final : public seba::Plugin {
  public:
    std::span<const seba::Migration> migrations() const override { return kMigrations; }

    void start(seba::PluginContext& context) override {
        context_ = &context;
        context.store().exec("INSERT INTO good__starts DEFAULT VALUES");
    }

    void end_session() override {
        seba::PluginStore& store = context_->store();
        store.transaction([&] {
            store.prepare("INSERT INTO good__sessions (greeting) VALUES (?)")
                .bind(1, context_->settings().text("greeting"))
                .run();
            store.emit("good.session_ended", {{"sessions", 1}});
        });
    }

  private:
    seba::PluginContext* context_ = nullptr;
};

}  // namespace

SEBA_PLUGIN(Good)

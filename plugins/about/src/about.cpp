// The smallest real plugin: it counts citizen sessions per day in its own table, so a
// pilot can see the kiosk is in use. docs/plugin-guide.md walks through this file.
#include <spdlog/spdlog.h>

#include <seba/plugin.hpp>
#include <seba/plugin_store.hpp>

namespace {

constexpr seba::Migration kMigrations[] = {
    {1, "sessions per day",
     "CREATE TABLE about__sessions (day TEXT PRIMARY KEY, count INTEGER NOT NULL)"},
};

class About final : public seba::Plugin {
  public:
    std::span<const seba::Migration> migrations() const override { return kMigrations; }

    void start(seba::PluginContext& context) override {
        context_ = &context;
        context.log().info("started");
    }

    void end_session() override {
        context_->store()
            .prepare(
                "INSERT INTO about__sessions (day, count) VALUES (date('now'), 1) "
                "ON CONFLICT(day) DO UPDATE SET count = count + 1")
            .run();
    }

  private:
    seba::PluginContext* context_ = nullptr;
};

}  // namespace

SEBA_PLUGIN(About)

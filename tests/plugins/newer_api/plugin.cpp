// SPDX-License-Identifier: Apache-2.0
// Stands for a plugin built against a newer host SDK: its entry reports API minor + 1.
#include <seba/plugin.hpp>

namespace {
class NewerApi final : public seba::Plugin {
  public:
    void start(seba::PluginContext&) override {}
};
}  // namespace

extern "C" __attribute__((visibility("default"))) const SebaPluginEntry* seba_plugin_entry(void) {
    static const SebaPluginEntry entry = {
        SEBA_MAKE_VERSION(SEBA_API_VERSION_MAJOR, SEBA_API_VERSION_MINOR + 1, 0),
        sizeof(SebaPluginEntry),
        sizeof(seba::Plugin),
        sizeof(seba::PluginContext),
        sizeof(seba::Migration),
        []() -> void* { return static_cast<seba::Plugin*>(new NewerApi()); }};
    return &entry;
}

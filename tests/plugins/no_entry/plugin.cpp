// SPDX-License-Identifier: Apache-2.0
// Forgot SEBA_PLUGIN(...): exports no entry symbol.
#include <seba/plugin.hpp>

namespace {
class NoEntry final : public seba::Plugin {
  public:
    void start(seba::PluginContext&) override {}
};
}  // namespace

__attribute__((visibility("default"))) seba::Plugin* make_no_entry() {
    return new NoEntry();
}

// SPDX-License-Identifier: Apache-2.0
// Tries to print without asking for the "printer" capability in its manifest.
#include <seba/plugin.hpp>
#include <seba/print.hpp>

namespace {
class PrintsUnasked final : public seba::Plugin {
  public:
    void start(seba::PluginContext& context) override {
        seba::print::Document d;
        d.reference = "UNASKED-1";
        d.title("Not asked for");
        context.printer().queue(d);
    }
};
}  // namespace

SEBA_PLUGIN(PrintsUnasked)

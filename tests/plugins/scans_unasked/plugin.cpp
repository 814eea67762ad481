// SPDX-License-Identifier: Apache-2.0
// Asks for the camera though its manifest does not: the host must refuse it.
#include <seba/plugin.hpp>
#include <seba/scanner.hpp>

namespace {

class ScansUnasked final : public seba::Plugin {
  public:
    void start(seba::PluginContext& context) override { context.scanner().start(); }
};

}  // namespace

SEBA_PLUGIN(ScansUnasked)

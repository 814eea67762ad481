// SPDX-License-Identifier: Apache-2.0
// Asks for "ui" but draws nothing: the kiosk refuses it at load, not at its first draw.
#include <seba/sdk.hpp>

namespace {
class UiWithoutView final : public seba::Plugin {
  public:
    void start(seba::PluginContext&) override {}
};
}  // namespace

SEBA_PLUGIN(UiWithoutView)

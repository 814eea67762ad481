// SPDX-License-Identifier: Apache-2.0
#include <seba/plugin.hpp>

namespace {
class Quiet final : public seba::Plugin {
  public:
    void start(seba::PluginContext&) override {}
};
}  // namespace

SEBA_PLUGIN(Quiet)

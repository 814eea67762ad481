// SPDX-License-Identifier: Apache-2.0
#include <seba/plugin.hpp>
#include <stdexcept>

namespace {
class ThrowsLater final : public seba::Plugin {
  public:
    void start(seba::PluginContext&) override {}
    void end_session() override { throw std::logic_error("session bookkeeping is broken"); }
};
}  // namespace

SEBA_PLUGIN(ThrowsLater)

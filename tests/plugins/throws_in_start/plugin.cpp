// SPDX-License-Identifier: Apache-2.0
#include <seba/plugin.hpp>
#include <stdexcept>

namespace {
class ThrowsInStart final : public seba::Plugin {
  public:
    void start(seba::PluginContext&) override {
        throw std::runtime_error("catalog file is missing");
    }
};
}  // namespace

SEBA_PLUGIN(ThrowsInStart)

// SPDX-License-Identifier: Apache-2.0
// Kills the process from inside a plugin call, as a null dereference in real code would.
#include <csignal>
#include <seba/plugin.hpp>

namespace {
class Crasher final : public seba::Plugin {
  public:
    void start(seba::PluginContext&) override { std::raise(SIGSEGV); }
};
}  // namespace

SEBA_PLUGIN(Crasher)

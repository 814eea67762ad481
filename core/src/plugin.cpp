// SPDX-License-Identifier: Apache-2.0
#include "seba/plugin.hpp"

namespace seba {

// Out of line so the vtables and type info live once, in libseba_core.
PluginContext::~PluginContext() = default;
Plugin::~Plugin() = default;

}  // namespace seba

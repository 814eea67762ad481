// SPDX-License-Identifier: Apache-2.0
#include "seba/plugin.hpp"

#include "seba/content_files.hpp"
#include "seba/credentials.hpp"
#include "seba/scanner.hpp"

namespace seba {

// Out of line so the vtables and type info live once, in libseba_core.
PluginContext::~PluginContext() = default;
Plugin::~Plugin() = default;
credentials::Credentials::~Credentials() = default;
files::Files::~Files() = default;
scan::Scanner::~Scanner() = default;

}  // namespace seba

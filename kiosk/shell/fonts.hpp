// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

#include "imgui_ui.hpp"

namespace seba::kiosk {

/// Loads ImGui's own fonts into the current context's atlas and builds it: Noto Sans (Latin,
/// Cyrillic, Uzbek's ʻ) with Noto Sans Bengali merged in, at body and heading sizes, normal
/// and large, found through fontconfig. The kit's text does not use them (the TextRenderer
/// shapes it); they serve ImGui's internals and any plugin drawing with raw ImGui. Needs no
/// GL. Throws seba::Error naming the Debian package to install when a font is missing.
Fonts load_kiosk_fonts(float scale);

}  // namespace seba::kiosk

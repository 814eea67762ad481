#pragma once

#include <string_view>

#include "imgui_ui.hpp"

namespace seba::kiosk {

/// Loads the kiosk's fonts into the current ImGui context's atlas and builds it: Noto Sans
/// (Latin, Cyrillic, Uzbek's ʻ) with Noto Sans Bengali merged in, at body and heading sizes,
/// normal and large, found through fontconfig. Needs no GL. Throws seba::Error naming the
/// Debian package to install when a font is missing.
Fonts load_kiosk_fonts(float scale);

/// The first code point of `text` that `font` has no glyph for (0 when it has them all).
/// Joiners and other invisible format characters are not drawn, so they do not count.
char32_t first_missing_glyph(const ImFont* font, std::string_view text);

}  // namespace seba::kiosk

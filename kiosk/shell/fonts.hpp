// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace seba::kiosk {

/// Loads ImGui's own font into the current context's atlas and builds it: Noto Sans, printable
/// ASCII only, at body size, found through fontconfig. ImGui needs a font for its internals
/// (spacing, scroll bars); the kit's text never uses it (the TextRenderer shapes and draws
/// every string from a glyph atlas of its own), so it is kept as small as a font can be: a
/// few kilobytes of atlas instead of Latin, Cyrillic and Bangla at four sizes (16 MB in the
/// GPU and as much again in memory). Needs no GL. Throws seba::Error naming the Debian
/// package to install when the font is missing.
void load_imgui_font(float scale);

}  // namespace seba::kiosk

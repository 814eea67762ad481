// SPDX-License-Identifier: Apache-2.0
#include "fonts.hpp"

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_freetype.h>

#include <string>

#include "seba/error.hpp"
#include "seba/text/fonts.hpp"

namespace seba::kiosk {

namespace {

constexpr float kBodyPx = 30.0f;
const ImWchar kPrintableAscii[] = {0x0020, 0x007E, 0};

}  // namespace

void load_imgui_font(float scale) {
    std::string latin = text::find_font_file("Noto Sans", "fonts-noto-core").string();
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    // One texture row is enough to hold 95 glyphs at 30 px; no oversampling is needed with
    // FreeType's hinting.
    io.Fonts->TexDesiredWidth = 1024;
    if (!io.Fonts->AddFontFromFileTTF(latin.c_str(), kBodyPx * scale, nullptr, kPrintableAscii))
        throw Error(fmt::format("cannot load the font {}", latin));
    io.Fonts->Build();
}

}  // namespace seba::kiosk

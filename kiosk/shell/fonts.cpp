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
constexpr float kHeadingPx = 44.0f;
constexpr float kLargeFactor = 1.35f;

// Latin with Uzbek's letter mark ʻ (U+02BB, missing from ImGui's Cyrillic range), Cyrillic
// with Uzbek ў қ ғ ҳ, general punctuation (… – ZWJ), currency, letterlike symbols (the
// Russian keyboard's №), arrows, the dotted circle.
const ImWchar kLatinCyrillicRanges[] = {0x0020, 0x024F, 0x02B0, 0x02FF, 0x0400, 0x04FF,
                                        0x2000, 0x206F, 0x20A0, 0x20CF, 0x2100, 0x214F,
                                        0x2190, 0x21FF, 0x25CC, 0x25CC, 0};
// Bangla ends a sentence with the danda । (U+0964, in the Devanagari block, not Bengali's).
const ImWchar kBengaliRanges[] = {0x0964, 0x0965, 0x0980, 0x09FF, 0x200C,
                                  0x200D, 0x25CC, 0x25CC, 0};

}  // namespace

Fonts load_kiosk_fonts(float scale) {
    std::string latin = text::find_font_file("Noto Sans", "fonts-noto-core").string();
    std::string bengali = text::find_font_file("Noto Sans Bengali", "fonts-noto-core").string();
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    auto add = [&](float px) {
        ImFont* font =
            io.Fonts->AddFontFromFileTTF(latin.c_str(), px * scale, nullptr, kLatinCyrillicRanges);
        ImFontConfig merge;
        merge.MergeMode = true;
        io.Fonts->AddFontFromFileTTF(bengali.c_str(), px * scale, &merge, kBengaliRanges);
        if (!font) throw Error(fmt::format("cannot load the font {}", latin));
        return font;
    };
    Fonts fonts;
    fonts.body = add(kBodyPx);
    fonts.heading = add(kHeadingPx);
    fonts.body_large = add(kBodyPx * kLargeFactor);
    fonts.heading_large = add(kHeadingPx * kLargeFactor);
    io.Fonts->Build();
    return fonts;
}

}  // namespace seba::kiosk

// SPDX-License-Identifier: Apache-2.0
#include "palette.hpp"

#include <algorithm>
#include <cmath>

namespace seba::kiosk {

namespace {

constexpr Rgb hex(std::uint32_t rrggbb) {
    return {static_cast<std::uint8_t>(rrggbb >> 16), static_cast<std::uint8_t>(rrggbb >> 8),
            static_cast<std::uint8_t>(rrggbb)};
}

// Light, calm ground and near-black text; a2i's green for the one main action; a border and
// a coloured label for the others (an outlined button still reads as a button for those who
// see little colour). Every pair is checked by kiosk/tests/palette_test.cpp; the smallest
// text contrast here is 5.4:1 (info on its tint), a control's 3.5:1 (a tile's border).
constexpr Palette kNormal = [] {
    Palette p;
    p.background = hex(0xF7F7F2);
    p.text = hex(0x1A1A1A);
    p.muted = hex(0x55585C);
    p.header = hex(0x004D39);  // a darker green than the buttons: the header is not one
    p.on_header = hex(0xFFFFFF);
    p.primary = hex(0x006B4F);
    p.on_primary = hex(0xFFFFFF);
    p.secondary = hex(0xFFFFFF);
    p.on_secondary = hex(0x006B4F);
    p.secondary_border = hex(0x006B4F);
    p.danger = hex(0xA8201A);
    p.on_danger = hex(0xFFFFFF);
    p.disabled = hex(0xE2E2DD);
    p.on_disabled = hex(0x55585C);  // greyed, yet still readable: it says what will come
    p.tile = hex(0xFFFFFF);
    p.on_tile = hex(0x1A1A1A);
    p.tile_border = hex(0x84847E);
    p.key = hex(0xE4E4DF);
    p.on_key = hex(0x1A1A1A);
    p.field = hex(0xFFFFFF);
    p.field_border = hex(0x6B6B66);
    p.on_field = hex(0x1A1A1A);
    p.focus = hex(0x0B57D0);  // blue: no other control is, so the ring cannot be mistaken
    p.mark = hex(0x006B4F);
    p.info = hex(0x0B57D0);
    p.success = hex(0x1B6B2F);
    p.warning = hex(0x8A4A00);  // amber dark enough to be read, not only seen
    p.error = hex(0xA8201A);
    p.info_tint = hex(0xE4EEFC);
    p.success_tint = hex(0xE3F2E6);
    p.warning_tint = hex(0xFCEFD6);
    p.error_tint = hex(0xFBE5E3);
    return p;
}();

// Black ground, white text, yellow for what can be touched and for the focus: the usual high
// contrast scheme, for low vision and screens in sunlight. Main actions are yellow with black
// text; tones are light tints of their colour on black, their banners a dark tint of it.
constexpr Palette kHighContrast = [] {
    Palette p;
    p.background = hex(0x000000);
    p.text = hex(0xFFFFFF);
    p.muted = hex(0xD6D6D6);
    p.header = hex(0x000000);
    p.on_header = hex(0xFFFFFF);
    p.primary = hex(0xFFFF00);
    p.on_primary = hex(0x000000);
    p.secondary = hex(0x000000);
    p.on_secondary = hex(0xFFFFFF);
    p.secondary_border = hex(0xFFFF00);
    p.danger = hex(0xFF9C94);
    p.on_danger = hex(0x000000);
    p.disabled = hex(0x333333);
    p.on_disabled = hex(0xC8C8C8);
    p.tile = hex(0x000000);
    p.on_tile = hex(0xFFFFFF);
    p.tile_border = hex(0xFFFF00);
    p.key = hex(0x262626);
    p.on_key = hex(0xFFFFFF);
    p.field = hex(0x000000);
    p.field_border = hex(0xFFFFFF);
    p.on_field = hex(0xFFFFFF);
    p.focus = hex(0xFFFF00);
    p.mark = hex(0xFFFF00);
    p.info = hex(0x8CCBFF);
    p.success = hex(0x8CE68C);
    p.warning = hex(0xFFD54F);
    p.error = hex(0xFF9C94);
    p.info_tint = hex(0x06243D);
    p.success_tint = hex(0x0B2A0B);
    p.warning_tint = hex(0x2E2300);
    p.error_tint = hex(0x3A0B08);
    return p;
}();

// WCAG 2.2's relative luminance of one sRGB channel.
double linear(std::uint8_t channel) {
    double c = channel / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(Rgb c) {
    return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

}  // namespace

const Palette& palette(bool high_contrast) {
    return high_contrast ? kHighContrast : kNormal;
}

double contrast_ratio(Rgb a, Rgb b) {
    double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

}  // namespace seba::kiosk

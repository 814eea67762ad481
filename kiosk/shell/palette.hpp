// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The kiosk's colours, one table per theme (normal and high contrast), so that every style
/// the kit draws is checked for contrast from its colours (WCAG 2.2 AA: text at least 4.5:1
/// against its ground, controls, borders and focus rings at least 3:1).

#include <cstdint>

namespace seba::kiosk {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
};

struct Palette {
    Rgb background;  ///< the window
    Rgb text;        ///< body text on the background
    Rgb muted;       ///< hints and details on the background (still text: 4.5:1)

    Rgb header, on_header;  ///< the one-line header and its text

    Rgb primary, on_primary;                          ///< the one main action of a page
    Rgb secondary, on_secondary, secondary_border;    ///< other actions: outlined
    Rgb danger, on_danger;                            ///< irreversible actions
    Rgb disabled, on_disabled;                        ///< a control that cannot be used now
    Rgb tile, on_tile, tile_border;                   ///< home and category tiles
    Rgb key, on_key;                                  ///< keyboard keys

    Rgb field, field_border, on_field;  ///< a text field: its ground, border (3:1), text
    Rgb focus;                          ///< the ring round the focused control (3:1)
    Rgb mark;  ///< a radio's dot, a checkbox's tick, a toggle's "on" track (3:1 on field)

    Rgb info, success, warning, error;  ///< a tone's text and sign on the background
    Rgb info_tint, success_tint, warning_tint, error_tint;  ///< banner grounds
};

/// The palette of a theme.
const Palette& palette(bool high_contrast);

/// WCAG 2.2 contrast ratio of two colours, from 1 (same) to 21 (black on white).
double contrast_ratio(Rgb a, Rgb b);

/// The colour packed as Dear ImGui's ImU32 (IM_COL32(r, g, b, 255)).
constexpr std::uint32_t packed(Rgb c, std::uint8_t alpha = 255) {
    return static_cast<std::uint32_t>(alpha) << 24 | static_cast<std::uint32_t>(c.b) << 16 |
           static_cast<std::uint32_t>(c.g) << 8 | c.r;
}

}  // namespace seba::kiosk

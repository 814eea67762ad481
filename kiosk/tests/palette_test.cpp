// SPDX-License-Identifier: Apache-2.0
// Every colour the kit draws with is readable on what it is drawn on, in both themes (WCAG
// 2.2 AA): text 4.5:1 on its ground, and the edges a citizen must see to find a control (a
// button's border, a tile's, a field's, the focus ring, a tick) 3:1. A failure names the
// theme, the pair and its ratio.
#include "palette.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace seba::kiosk {
namespace {

struct Pair {
    const char* fore;
    const char* ground;
    Rgb Palette::*fore_colour;
    Rgb Palette::*ground_colour;
};

// "on_primary", "primary" and the two members, from the two names.
#define SEBA_PAIR(fore, ground) (Pair{#fore, #ground, &Palette::fore, &Palette::ground})

std::vector<Pair> text_pairs() {
    std::vector<Pair> pairs = {
        SEBA_PAIR(text, background),
        SEBA_PAIR(muted, background),
        SEBA_PAIR(on_header, header),
        SEBA_PAIR(on_primary, primary),
        SEBA_PAIR(on_secondary, secondary),
        SEBA_PAIR(on_danger, danger),
        SEBA_PAIR(on_disabled, disabled),
        SEBA_PAIR(on_tile, tile),
        SEBA_PAIR(on_key, key),
        SEBA_PAIR(on_field, field),
        // A tone's text and sign on the page, on its banner, and the banner's own text.
        SEBA_PAIR(info, background),
        SEBA_PAIR(info, info_tint),
        SEBA_PAIR(text, info_tint),
        SEBA_PAIR(success, background),
        SEBA_PAIR(success, success_tint),
        SEBA_PAIR(text, success_tint),
        SEBA_PAIR(warning, background),
        SEBA_PAIR(warning, warning_tint),
        SEBA_PAIR(text, warning_tint),
        SEBA_PAIR(error, background),
        SEBA_PAIR(error, error_tint),
        SEBA_PAIR(text, error_tint),
    };
    return pairs;
}

std::vector<Pair> control_pairs() {
    return {
        SEBA_PAIR(secondary_border, background),
        SEBA_PAIR(tile_border, background),
        SEBA_PAIR(field_border, background),
        SEBA_PAIR(focus, background),
        SEBA_PAIR(focus, field),
        SEBA_PAIR(mark, field),
        SEBA_PAIR(primary, background),
        SEBA_PAIR(danger, background),
    };
}

#undef SEBA_PAIR

// The pairs below `minimum`, each as "theme: fore on ground is 2.9:1".
std::vector<std::string> below(const std::vector<Pair>& pairs, double minimum) {
    std::vector<std::string> failing;
    for (bool high_contrast : {false, true}) {
        const Palette& p = palette(high_contrast);
        for (const Pair& pair : pairs) {
            double ratio = contrast_ratio(p.*pair.fore_colour, p.*pair.ground_colour);
            if (ratio < minimum)
                failing.push_back(fmt::format("{}: {} on {} is {:.2f}:1 (needs {}:1)",
                                              high_contrast ? "high contrast" : "normal", pair.fore,
                                              pair.ground, ratio, minimum));
        }
    }
    return failing;
}

TEST(Palette, EveryTextIsAtLeast4Point5To1OnItsGroundInBothThemes) {
    std::vector<std::string> failing = below(text_pairs(), 4.5);
    EXPECT_TRUE(failing.empty()) << ::testing::PrintToString(failing);
}

TEST(Palette, EveryControlEdgeIsAtLeast3To1InBothThemes) {
    std::vector<std::string> failing = below(control_pairs(), 3.0);
    EXPECT_TRUE(failing.empty()) << ::testing::PrintToString(failing);
}

TEST(Palette, ContrastRatioIsWcags) {
    const Rgb black{0, 0, 0}, white{255, 255, 255};
    EXPECT_DOUBLE_EQ(contrast_ratio(black, white), 21.0);
    EXPECT_DOUBLE_EQ(contrast_ratio(white, black), 21.0) << "the order does not matter";
    EXPECT_DOUBLE_EQ(contrast_ratio(white, white), 1.0);
    EXPECT_DOUBLE_EQ(contrast_ratio(Rgb{0, 107, 79}, Rgb{0, 107, 79}), 1.0);
    // WCAG's own threshold example: #767676 on white is the lightest grey text that passes.
    EXPECT_NEAR(contrast_ratio(Rgb{0x76, 0x76, 0x76}, white), 4.54, 0.01);
    EXPECT_LT(contrast_ratio(Rgb{0x77, 0x77, 0x77}, white), 4.5);
}

TEST(Palette, TheThemesAreWhatTheyPromise) {
    const Palette& normal = palette(false);
    const Palette& high = palette(true);
    EXPECT_NE(&normal, &high);
    // Normal: a light ground with dark text, a2i green for the main action.
    EXPECT_GT(contrast_ratio(normal.background, Rgb{0, 0, 0}), 15.0) << "a light ground";
    EXPECT_GT(normal.primary.g, normal.primary.r);
    EXPECT_GT(normal.primary.g, normal.primary.b);
    // High contrast: black ground, white text, yellow focus.
    EXPECT_EQ(packed(high.background), packed(Rgb{0, 0, 0}));
    EXPECT_EQ(packed(high.text), packed(Rgb{255, 255, 255}));
    EXPECT_EQ(packed(high.focus), packed(Rgb{255, 255, 0}));
    // High contrast is higher: its body text stands out more than the normal theme's.
    EXPECT_GT(contrast_ratio(high.text, high.background),
              contrast_ratio(normal.text, normal.background));
}

TEST(Palette, PackedIsImGuisByteOrder) {
    // IM_COL32(r, g, b, a) is a << 24 | b << 16 | g << 8 | r.
    EXPECT_EQ(packed(Rgb{0x11, 0x22, 0x33}), 0xFF332211u);
    EXPECT_EQ(packed(Rgb{0x11, 0x22, 0x33}, 0x80), 0x80332211u);
}

}  // namespace
}  // namespace seba::kiosk

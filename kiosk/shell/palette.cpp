// SPDX-License-Identifier: Apache-2.0
// The kiosk's palettes (provisional values until the icons branch lands).
#include "palette.hpp"

#include <cmath>
namespace seba::kiosk {
namespace {
constexpr Palette kNormal{.background = {247, 247, 242},
                          .text = {20, 20, 20},
                          .muted = {80, 80, 80},
                          .header = {255, 255, 255},
                          .on_header = {20, 20, 20},
                          .primary = {0, 107, 79},
                          .on_primary = {255, 255, 255},
                          .secondary = {255, 255, 255},
                          .on_secondary = {0, 90, 66},
                          .secondary_border = {0, 107, 79},
                          .danger = {170, 20, 20},
                          .on_danger = {255, 255, 255},
                          .disabled = {225, 225, 225},
                          .on_disabled = {80, 80, 80},
                          .tile = {255, 255, 255},
                          .on_tile = {20, 20, 20},
                          .tile_border = {110, 110, 110},
                          .key = {230, 232, 230},
                          .on_key = {20, 20, 20},
                          .field = {255, 255, 255},
                          .field_border = {90, 90, 90},
                          .on_field = {20, 20, 20},
                          .focus = {0, 70, 190},
                          .mark = {0, 107, 79},
                          .info = {0, 70, 150},
                          .success = {20, 110, 50},
                          .warning = {140, 80, 0},
                          .error = {180, 20, 20},
                          .info_tint = {230, 238, 250},
                          .success_tint = {230, 244, 233},
                          .warning_tint = {255, 243, 214},
                          .error_tint = {252, 232, 230}};
constexpr Palette kContrast{.background = {0, 0, 0},
                            .text = {255, 255, 255},
                            .muted = {220, 220, 220},
                            .header = {0, 0, 0},
                            .on_header = {255, 255, 255},
                            .primary = {255, 230, 0},
                            .on_primary = {0, 0, 0},
                            .secondary = {0, 0, 0},
                            .on_secondary = {255, 255, 255},
                            .secondary_border = {255, 230, 0},
                            .danger = {255, 120, 120},
                            .on_danger = {0, 0, 0},
                            .disabled = {60, 60, 60},
                            .on_disabled = {230, 230, 230},
                            .tile = {0, 0, 0},
                            .on_tile = {255, 255, 255},
                            .tile_border = {255, 230, 0},
                            .key = {30, 30, 30},
                            .on_key = {255, 255, 255},
                            .field = {0, 0, 0},
                            .field_border = {255, 255, 255},
                            .on_field = {255, 255, 255},
                            .focus = {0, 200, 255},
                            .mark = {255, 230, 0},
                            .info = {140, 200, 255},
                            .success = {120, 255, 120},
                            .warning = {255, 230, 0},
                            .error = {255, 140, 140},
                            .info_tint = {0, 0, 0},
                            .success_tint = {0, 0, 0},
                            .warning_tint = {0, 0, 0},
                            .error_tint = {0, 0, 0}};
double channel(std::uint8_t v) {
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
double luminance(Rgb c) {
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}
}  // namespace
const Palette& palette(bool high_contrast) {
    return high_contrast ? kContrast : kNormal;
}
double contrast_ratio(Rgb a, Rgb b) {
    double x = luminance(a), y = luminance(b);
    if (x < y) std::swap(x, y);
    return (x + 0.05) / (y + 0.05);
}
}  // namespace seba::kiosk

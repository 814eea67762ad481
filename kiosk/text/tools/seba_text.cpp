// SPDX-License-Identifier: Apache-2.0
// seba-text: the kiosk's text path from the command line.
//   seba-text shape --font FILE [--size PX] [--language TAG] TEXT
//       prints the glyphs as `hb-shape --no-glyph-names --output-format=json
//       --font-size=PX FILE TEXT` prints them, to compare the kiosk with HarfBuzz's tool.
//   seba-text render [--font FILE] [--size PX] [--language TAG] --out x.png TEXT
//       draws TEXT black on white the way the kiosk draws it (the kiosk's fonts unless
//       --font is given).
#include <hb.h>
#include <stb/stb_image_write.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <clocale>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "seba/build_info.hpp"
#include "seba/error.hpp"
#include "seba/text/fonts.hpp"
#include "seba/text/glyph_atlas.hpp"
#include "seba/text/shaper.hpp"

namespace {

using namespace seba::text;

std::unique_ptr<FontSet> fonts_from(const std::string& font_file) {
    if (font_file.empty()) return FontSet::system();
    auto fonts = std::make_unique<FontSet>();
    fonts->add(font_file);
    return fonts;
}

// hb-shape's default language: the one of the process locale.
std::string default_language() {
    std::setlocale(LC_ALL, "");
    return hb_language_to_string(hb_language_get_default());
}

int render(FontSet& fonts, const std::string& text, const ShapeOptions& options,
           const std::string& out) {
    Shaper shaper(fonts);
    ShapedText shaped = shaper.shape(text, options);
    GlyphAtlas atlas(fonts, 2048);
    float ascender = 0, descender = 0;
    for (std::size_t i = 0; i < fonts.size(); ++i) {
        ascender = std::max(ascender, fonts.face(i).ascender_px(options.size_px));
        descender = std::max(descender, fonts.face(i).descender_px(options.size_px));
    }
    float margin = std::ceil(options.size_px / 4);
    int width = static_cast<int>(std::ceil(shaped.width_px() + 2 * margin));
    int height = static_cast<int>(std::ceil(ascender + descender + 2 * margin));
    std::vector<std::uint8_t> image(static_cast<std::size_t>(width) * height, 255);
    std::uint64_t generation = atlas.generation();
    std::vector<GlyphQuad> quads =
        place_glyphs(shaped, atlas, options.size_px, margin, margin + std::round(ascender));
    if (atlas.generation() != generation)
        throw seba::Error("the text needs more glyphs than one atlas holds");
    for (const GlyphQuad& q : quads)
        for (int y = 0; y < q.source.height; ++y)
            for (int x = 0; x < q.source.width; ++x) {
                int ix = static_cast<int>(q.x0) + x;
                int iy = static_cast<int>(q.y0) + y;
                if (ix < 0 || iy < 0 || ix >= width || iy >= height) continue;
                std::uint8_t coverage =
                    atlas.pixels()[static_cast<std::size_t>(q.source.y + y) * atlas.side() +
                                   q.source.x + x];
                std::uint8_t& pixel = image[static_cast<std::size_t>(iy) * width + ix];
                pixel = static_cast<std::uint8_t>(pixel * (255 - coverage) / 255);
            }
    if (!stbi_write_png(out.c_str(), width, height, 1, image.data(), width)) {
        std::cerr << "seba-text: cannot write " << out << "\n";
        return 1;
    }
    std::cout << out << ": " << width << "x" << height << ", " << shaped.glyphs.size()
              << " glyphs, " << shaped.missing() << " missing\n";
    return shaped.missing() == 0 ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"The kiosk's text shaping and drawing, from the command line"};
    app.set_version_flag("--version", seba::version_line("seba-text"));
    app.require_subcommand(1);
    std::string font_file, language, text, out;
    float size = 0;

    CLI::App* shape = app.add_subcommand("shape", "print glyphs as hb-shape's JSON does");
    shape->add_option("--font", font_file, "font file")->required()->check(CLI::ExistingFile);
    shape->add_option("--size", size,
                      "font size in pixels (hb-shape's --font-size); "
                      "default: the font's units per em");
    shape->add_option("--language", language, "BCP 47 language (default: the locale's)");
    shape->add_option("text", text, "UTF-8 text")->required();

    CLI::App* draw = app.add_subcommand("render", "draw text to a PNG as the kiosk does");
    draw->add_option("--font", font_file, "font file (default: the kiosk's fonts)")
        ->check(CLI::ExistingFile);
    draw->add_option("--size", size, "font size in pixels")->default_val(30.0f);
    draw->add_option("--language", language, "BCP 47 language")->default_val("bn");
    draw->add_option("--out", out, "PNG to write")->required();
    draw->add_option("text", text, "UTF-8 text")->required();

    CLI11_PARSE(app, argc, argv);
    try {
        std::unique_ptr<FontSet> fonts = fonts_from(font_file);
        if (*shape) {
            if (language.empty()) language = default_language();
            ShapeOptions options;
            options.language = language;
            options.units_per_px = 1;
            // hb-shape's default size is the font's units per em.
            options.size_px = size > 0 ? size
                                       : static_cast<float>(hb_face_get_upem(
                                             hb_font_get_face(fonts->face(0).hb_font_scaled(1))));
            Shaper shaper(*fonts);
            std::cout << to_hb_shape_json(shaper.shape(text, options), text) << "\n";
            return 0;
        }
        ShapeOptions options;
        options.language = language;
        options.size_px = size;
        return render(*fonts, text, options, out);
    } catch (const seba::Error& e) {
        std::cerr << "seba-text: " << e.what() << "\n";
        return 2;
    }
}

// SPDX-License-Identifier: Apache-2.0
// The kiosk shapes text exactly as HarfBuzz's own reference tool does: for a corpus of
// Bangla that exercises every hard case, and for every Bangla place name in the real
// Bangladesh geocode, the glyph ids, clusters and advances equal hb-shape's for the same
// font and size. Uzbek (Latin and Cyrillic) and Russian names draw with no missing glyph.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "process.hpp"
#include "seba/error.hpp"
#include "seba/text/fonts.hpp"
#include "seba/text/shaper.hpp"
#include "temp_dir.hpp"

namespace seba::text {
namespace {

using ::testing::HasSubstr;

// Conjuncts (ক্ষ ষ্ট্র স্ক), reph (র্ম), ya-phala (্য), ra-phala (্র), pre-base and split vowel
// signs (কি কে কো কৌ), khanda ta (ৎ), chandrabindu (ঁ), anusvara and visarga, ZWJ and ZWNJ,
// hasanta at the end, Bangla digits and the danda.
const std::vector<std::string> kCorpus = {
    "ক্ষিতি",
    "কর্ম",
    "স্কুল",
    "রাষ্ট্র",
    "ক্ষমা",
    "বিজ্ঞান",
    "অর্জন",
    "ধর্ম",
    "সূর্য",
    "কার্য",
    "ব্যাংক",
    "বাক্য",
    "প্রতিষ্ঠান",
    "শ্রমিক",
    "গ্রাম",
    "কিছু",
    "কেন",
    "কোথায়",
    "কৌশল",
    "বৌদ্ধ",
    "মৎস্য",
    "উৎসব",
    "চাঁদ",
    "বাঁশ",
    "সংখ্যা",
    "দুঃখ",
    "র‍্যাব",
    "র্‍যাব",
    "কাজ্‌টি",
    "ক্‌ষ",
    "ক্‍ষ",
    "বাক্‌",
    "০১২৩৪৫৬৭৮৯",
    "জন্ম নিবন্ধন।",
    "ঢাকা বিভাগ",
    "শ্রী",
    "হৃদয়",
    "ক্ত্র",
    "ন্দ্র",
    "জ্ঞ",
    "ঙ্ক",
    "ঞ্চ",
    "ট্ট",
    "ড্ড",
    "দ্ধ",
    "ল্প",
    "ষ্ণ",
    "হ্ম",
    "আমার সোনার বাংলা",
};

std::vector<std::string> split_csv_line(const std::string& line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (c == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"') {
            fields.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            fields.emplace_back();
        } else if (c != '\r') {
            fields.back() += c;
        }
    }
    return fields;
}

// Column `column` of every row of a data file in assets/data, header skipped if asked.
std::vector<std::string> column(const std::string& file, std::size_t column, bool header) {
    std::ifstream in(std::string(SEBA_DATA_DIR) + "/" + file);
    EXPECT_TRUE(in) << file;
    std::vector<std::string> out;
    std::string line;
    if (header) std::getline(in, line);
    while (std::getline(in, line))
        if (auto f = split_csv_line(line); f.size() > column && !f[column].empty())
            out.push_back(f[column]);
    return out;
}

std::vector<std::string> bangla_place_names() {
    std::vector<std::string> names = column("bd-geocode/divisions.csv", 2, false);
    for (const char* file :
         {"bd-geocode/districts.csv", "bd-geocode/upazilas.csv", "bd-geocode/unions.csv"})
        for (std::string& n : column(file, 3, false)) names.push_back(std::move(n));
    return names;
}

class Shaping : public ::testing::Test {
  protected:
    void SetUp() override {
        fonts_ = FontSet::system();
        bengali_ = fonts_->face(1).file();
    }

    // hb-shape's JSON for each line of `lines`, at --font-size=`scale` (units an em).
    std::vector<std::string> hb_shape(const std::vector<std::string>& lines,
                                      const std::filesystem::path& font, int scale) {
        {
            std::ofstream out(dir_ / "lines.txt");
            for (const std::string& l : lines) out << l << "\n";
        }
        testing::ProcessResult r = testing::run_process(
            fmt::format("'{}' --no-glyph-names --output-format=json --language=bn "
                        "--font-size={} --text-file='{}' '{}'",
                        SEBA_HB_SHAPE, scale, (dir_ / "lines.txt").string(), font.string()));
        EXPECT_EQ(r.exit_code, 0) << r.output;
        std::vector<std::string> out;
        std::istringstream in(r.output);
        for (std::string line; std::getline(in, line);) out.push_back(line);
        return out;
    }

    // Every line shaped by the kiosk at `size_px` with `units_per_px`, compared with
    // hb-shape on the Bangla face at the same scale. Returns the lines that differ.
    std::vector<std::string> differences(const std::vector<std::string>& lines, float size_px,
                                         int units_per_px) {
        int scale = static_cast<int>(std::lround(size_px * static_cast<float>(units_per_px)));
        std::vector<std::string> reference = hb_shape(lines, bengali_, scale);
        EXPECT_EQ(reference.size(), lines.size());
        Shaper shaper(*fonts_);
        std::vector<std::string> differ;
        for (std::size_t i = 0; i < lines.size() && i < reference.size(); ++i) {
            ShapedText shaped = shaper.shape(
                lines[i], {.size_px = size_px, .units_per_px = units_per_px, .language = "bn"});
            std::string ours = to_hb_shape_json(shaped, lines[i]);
            bool one_face = std::all_of(shaped.glyphs.begin(), shaped.glyphs.end(),
                                        [](const ShapedGlyph& g) { return g.face == 1; });
            if (ours != reference[i] || !one_face)
                differ.push_back(lines[i] + "\n  kiosk:    " + ours +
                                 (one_face ? "" : " (mixed faces)") +
                                 "\n  hb-shape: " + reference[i]);
        }
        return differ;
    }

    std::unique_ptr<FontSet> fonts_;
    std::filesystem::path bengali_;
    testing::TempDir dir_;
};

TEST_F(Shaping, BanglaCorpusMatchesHbShapeAtDrawingAndWholePixelScales) {
    // 64 units a pixel is how the kiosk draws (sub-pixel positions); 1 is how hb-shape
    // prints --font-size=30. Body, heading and large-text sizes.
    for (float size : {30.0f, 44.0f, 40.5f}) {
        std::vector<std::string> differ = differences(kCorpus, size, 64);
        EXPECT_TRUE(differ.empty()) << size << " px:\n" << ::testing::PrintToString(differ);
    }
    std::vector<std::string> differ = differences(kCorpus, 30.0f, 1);
    EXPECT_TRUE(differ.empty()) << ::testing::PrintToString(differ);
}

TEST_F(Shaping, EveryBanglaPlaceNameInTheGeocodeMatchesHbShape) {
    std::vector<std::string> names = bangla_place_names();
    ASSERT_GT(names.size(), 5000u);  // 8 divisions, 64 districts, ~490 upazilas, 4540 unions
    std::vector<std::string> differ = differences(names, 30.0f, 64);
    EXPECT_TRUE(differ.empty()) << differ.size() << " of " << names.size()
                                << " differ; the first: " << differ.front();
}

TEST_F(Shaping, TheHardCasesReallyShape) {
    // Not a copy of hb-shape's answer but what a reader sees: ক্ষ is one conjunct glyph,
    // the vowel sign of কি comes before its consonant, and কো splits around it.
    Shaper shaper(*fonts_);
    auto shape = [&](std::string_view s) { return shaper.shape(s, {.language = "bn"}); };
    EXPECT_EQ(shape("ক্ষ").glyphs.size(), 1u) << "ক + ্ + ষ should form one conjunct";
    ShapedText ki = shape("কি");
    ASSERT_EQ(ki.glyphs.size(), 2u);
    EXPECT_NE(ki.glyphs[0].glyph, shape("ক").glyphs[0].glyph) << "ি should be drawn first";
    EXPECT_EQ(ki.glyphs[1].glyph, shape("ক").glyphs[0].glyph);
    ShapedText ko = shape("কো");
    ASSERT_EQ(ko.glyphs.size(), 3u) << "ো splits into ে before and া after ক";
    EXPECT_EQ(ko.glyphs[1].glyph, shape("ক").glyphs[0].glyph);
    for (const std::string& word : kCorpus) EXPECT_EQ(shape(word).missing(), 0u) << word;
}

TEST_F(Shaping, UzbekLatinCyrillicAndRussianNamesHaveNoMissingGlyph) {
    Shaper shaper(*fonts_);
    std::size_t checked = 0;
    for (const char* file :
         {"uz-regions/regions.csv", "uz-regions/districts.csv", "uz-regions/villages.csv"}) {
        bool villages = std::string(file).find("villages") != std::string::npos;
        std::size_t first = villages ? 3 : file == std::string("uz-regions/regions.csv") ? 2 : 3;
        for (std::size_t c = first; c < first + 3; ++c)
            for (std::string name : column(file, c, true)) {
                // The data writes oʻ and gʻ with an ASCII apostrophe; the kiosk shows U+02BB.
                for (std::size_t at; (at = name.find("o'")) != std::string::npos;)
                    name.replace(at, 2, "oʻ");
                for (std::size_t at; (at = name.find("g'")) != std::string::npos;)
                    name.replace(at, 2, "gʻ");
                for (std::size_t at; (at = name.find("O'")) != std::string::npos;)
                    name.replace(at, 2, "Oʻ");
                ShapedText shaped = shaper.shape(name, {.language = "uz"});
                ASSERT_EQ(shaped.missing(), 0u) << file << ": " << name;
                ++checked;
            }
    }
    EXPECT_GT(checked, 8000u);  // 14 regions, ~200 districts, ~2,650 villages, 3 scripts each
    for (std::string_view s : {"Oʻzbekiston", "Ўзбекистон", "Қашқадарё ғалла ҳосили", "Россия №1"})
        EXPECT_EQ(shaper.shape(s, {.language = "uz"}).missing(), 0u) << s;
}

TEST_F(Shaping, MixedScriptsTakeEachRunsFaceAndAMissingFontIsNamed) {
    Shaper shaper(*fonts_);
    std::string text = "ফি ৫০ টাকা (Tk 50)";
    ShapedText shaped = shaper.shape(text, {.language = "bn"});
    EXPECT_EQ(shaped.missing(), 0u);
    for (const ShapedGlyph& g : shaped.glyphs) {
        bool latin = g.cluster >= text.find("Tk") && g.cluster < text.find(" 50)");
        if (latin) {
            EXPECT_EQ(g.face, 0u) << "Latin letters come from Noto Sans";
        }
        if (g.cluster < text.find(" (")) {
            EXPECT_EQ(g.face, 1u) << "Bangla from Noto Sans Bengali";
        }
    }
    // Punctuation alone (no script to follow) still finds the face that has it.
    for (std::string_view alone : {"।", "॥", "◌্", "৳"})
        EXPECT_EQ(shaper.shape(alone, {.language = "bn"}).missing(), 0u) << alone;
    try {
        find_font_file("Seba No Such Sans", "fonts-seba-nowhere");
        ADD_FAILURE() << "a missing family must not resolve to another font";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("fonts-seba-nowhere"));
        EXPECT_THAT(e.what(), HasSubstr("Seba No Such Sans"));
    }
}

TEST_F(Shaping, CachedShapesEqualFreshOnesAndClearingEmptiesTheCache) {
    Shaper shaper(*fonts_);
    ShapeOptions options{.size_px = 30.0f, .language = "bn"};
    ShapedText fresh = shaper.shape("রাষ্ট্র", options);
    const ShapedText& cached = shaper.shape_cached("রাষ্ট্র", options);
    EXPECT_EQ(to_hb_shape_json(cached, "রাষ্ট্র"), to_hb_shape_json(fresh, "রাষ্ট্র"));
    shaper.shape_cached("রাষ্ট্র", {.size_px = 44.0f, .language = "bn"});
    EXPECT_EQ(shaper.cache_size(), 2u) << "one entry per size";
    shaper.shape_cached("রাষ্ট্র", options);
    EXPECT_EQ(shaper.cache_size(), 2u);
    shaper.clear_cache();
    EXPECT_EQ(shaper.cache_size(), 0u);
}

TEST_F(Shaping, SebaTextShapePrintsWhatHbShapePrints) {
    // The whole corpus, one process each, as someone comparing by hand would run them.
    for (const std::string& word : kCorpus) {
        testing::ProcessResult ours =
            testing::run_process(fmt::format("'{}' shape --font '{}' --size 30 --language bn '{}'",
                                             SEBA_TEXT_BIN, bengali_.string(), word));
        testing::ProcessResult reference = testing::run_process(
            fmt::format("'{}' --no-glyph-names --output-format=json --font-size=30 "
                        "--language=bn '{}' '{}'",
                        SEBA_HB_SHAPE, bengali_.string(), word));
        ASSERT_EQ(ours.exit_code, 0) << ours.output;
        EXPECT_EQ(ours.output, reference.output) << word;
    }
    // Nothing but a clear error for a file that is not a font.
    testing::write_file(dir_ / "not-a-font.ttf", "hello");
    testing::ProcessResult bad = testing::run_process(fmt::format(
        "'{}' shape --font '{}' 'ক' 2>&1", SEBA_TEXT_BIN, (dir_ / "not-a-font.ttf").string()));
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_THAT(bad.output, HasSubstr("not a font"));
}

}  // namespace
}  // namespace seba::text

// SPDX-License-Identifier: Apache-2.0
// The real window: seba-kiosk under Xvfb plays a script and writes screenshots; they show
// the kiosk (not a blank frame) and change with the language.
#include <stb_image.h>

#include <set>

#include "kiosk_fixture.hpp"
#include "process.hpp"

namespace seba::kiosk {
namespace {

using ::testing::HasSubstr;

struct Image {
    int width = 0, height = 0;
    std::vector<unsigned char> rgba;
    std::size_t distinct_colours() const {
        std::set<std::uint32_t> colours;
        for (std::size_t i = 0; i + 3 < rgba.size(); i += 4)
            colours.insert(
                static_cast<std::uint32_t>(rgba[i] << 16 | rgba[i + 1] << 8 | rgba[i + 2]));
        return colours.size();
    }
};

Image load_png(const std::filesystem::path& file) {
    Image image;
    int channels = 0;
    unsigned char* data = stbi_load(file.c_str(), &image.width, &image.height, &channels, 4);
    if (!data) return image;
    image.rgba.assign(data, data + static_cast<std::size_t>(image.width) * image.height * 4);
    stbi_image_free(data);
    return image;
}

class WindowTest : public ::testing::Test {
  protected:
    void SetUp() override {
        seba::testing::write_file(dir_ / "seba.toml", std::string(R"(
[kiosk]
id = "xvfb-kiosk"
centre = "test-centre"
languages = ["bn", "uz-Latn", "uz-Cyrl", "ru", "en"]
default_language = "en"
data_dir = "data"
mode = "development"

[plugins]
dirs = [")") + SEBA_PLUGIN_DIR + R"(", ")" + SEBA_TEST_PLUGIN_DIR +
                                                          R"("]
enabled = ["about", "greeter"]
trusted_keys = [")" + SEBA_DEV_PUBLIC_KEY + R"("]
)");
    }

    seba::testing::ProcessResult kiosk(const std::string& script) {
        seba::testing::write_file(dir_ / "script.json", script);
        return seba::testing::run_process(
            std::string(SEBA_XVFB_RUN) + " -a -s '-screen 0 1280x720x24' " + SEBA_KIOSK_BIN +
            " --config " + (dir_ / "seba.toml").string() + " --script " +
            (dir_ / "script.json").string() + " --out " + (dir_ / "out").string() +
            " --width 1280 --height 720");
    }

    seba::testing::TempDir dir_;
};

TEST_F(WindowTest, ScreenshotsUnderXvfbShowTheKioskAndFollowTheLanguage) {
    seba::testing::ProcessResult r = kiosk(R"([
        {"screenshot": "home-en"},
        {"language": "bn"}, {"screenshot": "home-bn"},
        {"tap": "shell.home.greeter"}, {"tap": "greeter.name"}, {"screenshot": "keyboard-bn"},
        {"tap": "shell.contrast"}, {"screenshot": "contrast"}
    ])");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    Image en = load_png(dir_ / "out" / "home-en.png");
    Image bn = load_png(dir_ / "out" / "home-bn.png");
    Image keyboard = load_png(dir_ / "out" / "keyboard-bn.png");
    ASSERT_EQ(en.width, 1280);
    ASSERT_EQ(en.height, 720);
    EXPECT_GT(en.distinct_colours(), 20u) << "a blank or single-colour frame";
    EXPECT_NE(en.rgba, bn.rgba) << "switching language changed nothing on screen";
    EXPECT_NE(bn.rgba, keyboard.rgba);
    Image contrast = load_png(dir_ / "out" / "contrast.png");
    // A pixel of background in the left margin: black in high contrast, light otherwise.
    ASSERT_EQ(contrast.width, 1280);
    auto brightness = [](const Image& image) {
        std::size_t at = (static_cast<std::size_t>(image.height / 2) * image.width + 8) * 4;
        return image.rgba[at] + image.rgba[at + 1] + image.rgba[at + 2];
    };
    EXPECT_LT(brightness(contrast), 30);
    EXPECT_GT(brightness(en), 600) << "the normal theme is light";
    EXPECT_TRUE(std::filesystem::exists(dir_ / "out" / "keyboard-bn.json"));
}

// Read-aloud end to end: the header's toggle, then what the kiosk said is kept as WAV by a
// script run (there is no sound card here), in the citizen's language, and is speech.
TEST_F(WindowTest, ReadAloudSpeaksThePageInTheCitizensLanguage) {
    seba::testing::ProcessResult r = kiosk(R"([
        {"language": "bn"}, {"tap": "shell.read_aloud"}, {"tap": "shell.home.greeter"}
    ])");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::vector<std::filesystem::path> wavs;
    for (const auto& entry : std::filesystem::directory_iterator(dir_ / "out" / "speech"))
        wavs.push_back(entry.path());
    std::sort(wavs.begin(), wavs.end());
    ASSERT_GE(wavs.size(), 2u) << "the home page, then the tile and the greeter's page";
    for (const std::filesystem::path& wav : wavs) {
        SCOPED_TRACE(wav.filename().string());
        EXPECT_THAT(wav.filename().string(), ::testing::EndsWith("-bn.wav"));
        const std::uintmax_t bytes = std::filesystem::file_size(wav);
        // 16-bit mono at espeak-ng's 22050 Hz: at least half a second of speech.
        EXPECT_GT(bytes, 22050u);
        const std::string data = seba::testing::read_file(wav);
        std::size_t loud = 0;
        for (std::size_t i = 44; i + 1 < data.size(); i += 2) {
            const auto sample = static_cast<std::int16_t>(
                static_cast<unsigned char>(data[i]) | static_cast<unsigned char>(data[i + 1]) << 8);
            loud += std::abs(sample) > 1000;
        }
        EXPECT_GT(loud, 2000u) << "silence, not speech";
    }
}

TEST_F(WindowTest, AScriptStepThatCannotBeDoneFailsWithItsNumber) {
    seba::testing::ProcessResult r = kiosk(R"([{"tap": "shell.home.about"}, {"tap": "nope"}])");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_THAT(r.output, HasSubstr("step 2"));
    EXPECT_THAT(r.output, HasSubstr("ids on screen"));
}

}  // namespace
}  // namespace seba::kiosk

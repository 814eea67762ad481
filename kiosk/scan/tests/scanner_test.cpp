// SPDX-License-Identifier: Apache-2.0
// The camera as a QR reader, through the [camera] image that stands in for a camera: QR codes
// made by libqrencode and written as PNG files come back through start()/poll() as the same
// text (a 400-character verification URL, Bangla), again after stop()/start(), and never
// twice in one run; an image without a code gives nothing; a missing, corrupt or oversized
// file and an absent camera say why instead of crashing; and the "camera" capability through
// the real loader with signed test plugins (tests/plugins/scans*).
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <qrencode.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "seba/host.hpp"
#include "seba/scan/camera.hpp"
#include "seba/signature.hpp"
#include "temp_dir.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#include <stb/stb_image_write.h>
#pragma GCC diagnostic pop

namespace seba::scan {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

/// A 400-character verification URL, as a certificate's QR code carries it.
std::string long_url() {
    std::string url = "https://verify.muktopaath.gov.bd/c/";
    while (url.size() < 400) url += "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_";
    url.resize(400);
    return url;
}

/// Grey pixels, one byte each.
struct Grey {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
};

/// `text` as a QR code (libqrencode, level M) of `module` pixels a module with a quiet zone of
/// 4 modules, at (`x`, `y`) on a white `width` x `height` picture.
void draw_qr(Grey& grey, const std::string& text, int module, int x, int y) {
    QRcode* qr =
        QRcode_encodeData(static_cast<int>(text.size()),
                          reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M);
    ASSERT_NE(qr, nullptr) << "libqrencode refused " << text.size() << " bytes";
    for (int row = 0; row < qr->width; ++row)
        for (int column = 0; column < qr->width; ++column)
            if (qr->data[row * qr->width + column] & 1)
                for (int dy = 0; dy < module; ++dy)
                    for (int dx = 0; dx < module; ++dx)
                        grey.pixels[static_cast<std::size_t>((y + (row + 4) * module + dy) *
                                                                 grey.width +
                                                             x + (column + 4) * module + dx)] = 0;
    QRcode_free(qr);
}

Grey white(int width, int height) {
    return {width, height,
            std::vector<std::uint8_t>(static_cast<std::size_t>(width * height), 255)};
}

void write_png(const Grey& grey, const fs::path& file) {
    ASSERT_NE(
        stbi_write_png(file.c_str(), grey.width, grey.height, 1, grey.pixels.data(), grey.width), 0)
        << file;
}

/// A PNG of one QR code of `text`.
fs::path qr_png(const fs::path& dir, const std::string& name, const std::string& text) {
    Grey grey = white(800, 800);
    draw_qr(grey, text, 6, 20, 20);
    fs::path file = dir / name;
    write_png(grey, file);
    return file;
}

/// Every code the scanner hands on within `wait`.
std::vector<std::string> poll_for(Scanner& scanner, std::chrono::milliseconds wait) {
    std::vector<std::string> codes;
    const auto until = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < until) {
        while (auto code = scanner.poll()) codes.push_back(*code);
        std::this_thread::sleep_for(10ms);
    }
    return codes;
}

/// Waits until the scanner says what is wrong, or 5 s.
std::string problem_after_start(Scanner& scanner) {
    for (int i = 0; i < 500 && scanner.problem().empty(); ++i) std::this_thread::sleep_for(10ms);
    return scanner.problem();
}

std::unique_ptr<Scanner> image_scanner(const fs::path& image) {
    CameraConfig camera;
    camera.image = image;
    return make_scanner(camera);
}

class ScannerTest : public ::testing::Test {
  protected:
    seba::testing::TempDir dir_;
};

TEST_F(ScannerTest, AQrCodeInTheImageComesBackAsTheSameTextEachTimeTheCameraStarts) {
    const std::string url = long_url();
    ASSERT_EQ(url.size(), 400u);
    auto scanner = image_scanner(qr_png(dir_.path(), "certificate.png", url));
    EXPECT_TRUE(scanner->available()) << scanner->problem();
    EXPECT_EQ(scanner->problem(), "");
    EXPECT_EQ(scanner->poll(), std::nullopt) << "nothing before start()";

    scanner->start();
    scanner->start();  // every frame, as a screen calls it: still one reading
    EXPECT_THAT(poll_for(*scanner, 1500ms), ElementsAre(url));
    scanner->start();
    EXPECT_THAT(poll_for(*scanner, 300ms), IsEmpty()) << "handed on once a run";

    scanner->stop();
    EXPECT_EQ(scanner->poll(), std::nullopt);
    scanner->start();
    EXPECT_THAT(poll_for(*scanner, 1500ms), ElementsAre(url)) << "and again after stop/start";
    scanner->stop();
}

TEST_F(ScannerTest, BanglaTextAndTwoCodesInOnePictureComeBackAsUtf8) {
    const std::string bangla = "সনদ যাচাই: ডিজিটাল সাক্ষরতা, রহিম উদ্দিন";
    Grey grey = white(900, 500);
    draw_qr(grey, bangla, 5, 0, 0);
    draw_qr(grey, "MP-CERT-0042", 5, 480, 0);
    write_png(grey, dir_.path() / "two.png");
    EXPECT_THAT(read_codes(dir_.path() / "two.png"),
                ::testing::UnorderedElementsAre(bangla, "MP-CERT-0042"));
    auto scanner = image_scanner(dir_.path() / "two.png");
    scanner->start();
    EXPECT_THAT(poll_for(*scanner, 1500ms),
                ::testing::UnorderedElementsAre(bangla, "MP-CERT-0042"));
}

TEST_F(ScannerTest, AnImageWithoutACodeGivesNothing) {
    Grey grey = white(640, 480);
    for (int y = 100; y < 300; ++y)  // a dark box: not a code
        for (int x = 100; x < 400; ++x) grey.pixels[static_cast<std::size_t>(y * 640 + x)] = 20;
    write_png(grey, dir_.path() / "blank.png");
    EXPECT_THAT(read_codes(dir_.path() / "blank.png"), IsEmpty());
    auto scanner = image_scanner(dir_.path() / "blank.png");
    scanner->start();
    EXPECT_THAT(poll_for(*scanner, 800ms), IsEmpty());
    EXPECT_TRUE(scanner->available());
    EXPECT_EQ(scanner->problem(), "");
}

TEST_F(ScannerTest, AMissingImageIsAProblemNotACrash) {
    const fs::path missing = dir_.path() / "gone.png";
    auto scanner = image_scanner(missing);
    EXPECT_FALSE(scanner->available());
    EXPECT_THAT(scanner->problem(), HasSubstr(missing.string()));
    EXPECT_THAT(scanner->problem(), HasSubstr("No such file"));
    scanner->start();
    EXPECT_THAT(poll_for(*scanner, 300ms), IsEmpty());
    EXPECT_FALSE(scanner->available());
    scanner->stop();
}

TEST_F(ScannerTest, ACorruptImageIsAProblemNotACrash) {
    // A PNG cut in half, and bytes that are no image at all.
    const fs::path good = qr_png(dir_.path(), "good.png", "MP-CERT-0042");
    std::string bytes;
    {
        std::ifstream in(good, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    {
        std::ofstream(dir_.path() / "cut.png", std::ios::binary)
            << bytes.substr(0, bytes.size() / 2);
        std::ofstream(dir_.path() / "noise.png", std::ios::binary) << "not a picture at all";
    }
    for (const char* name : {"cut.png", "noise.png"}) {
        const fs::path file = dir_.path() / name;
        try {
            read_codes(file);
            ADD_FAILURE() << name << " read without an error";
        } catch (const ScanError& e) {
            EXPECT_THAT(e.what(), HasSubstr(file.string()));
        }
        auto scanner = image_scanner(file);
        EXPECT_TRUE(scanner->available()) << "a file is there until it is read";
        scanner->start();
        EXPECT_THAT(problem_after_start(*scanner), HasSubstr(file.string())) << name;
        EXPECT_FALSE(scanner->available());
        EXPECT_EQ(scanner->poll(), std::nullopt);
        scanner->stop();
    }
}

TEST_F(ScannerTest, AnImageLargerThan4096PixelsIsRefusedBeforeItIsDecoded) {
    Grey grey = white(4097, 8);
    write_png(grey, dir_.path() / "wide.png");
    try {
        read_codes(dir_.path() / "wide.png");
        ADD_FAILURE() << "a 4097-pixel-wide image was read";
    } catch (const ScanError& e) {
        EXPECT_THAT(e.what(), HasSubstr("4097 x 8 pixels; at most 4096 x 4096"));
    }
    write_png(white(4096, 8), dir_.path() / "widest.png");
    EXPECT_THAT(read_codes(dir_.path() / "widest.png"), IsEmpty());
}

TEST_F(ScannerTest, AnAbsentCameraIsUnavailableAndSaysWhy) {
    CameraConfig camera;
    camera.device = "/dev/video-seba-test-absent";
    auto absent = make_scanner(camera);
    EXPECT_FALSE(absent->available());
    EXPECT_THAT(absent->problem(),
                HasSubstr("the camera /dev/video-seba-test-absent is not there"));
    absent->start();  // opens nothing, crashes nothing
    EXPECT_THAT(poll_for(*absent, 300ms), IsEmpty());
    absent->stop();

    camera.device = dir_.path() / "not-a-camera";
    std::ofstream(camera.device) << "x";
    auto file = make_scanner(camera);
    EXPECT_FALSE(file->available());
    EXPECT_THAT(file->problem(), HasSubstr("is not a video device"));

    auto none = make_scanner(CameraConfig{});
    EXPECT_FALSE(none->available());
    EXPECT_THAT(none->problem(), HasSubstr("no camera"));
}

TEST_F(ScannerTest, ADeviceThatIsNoCameraFailsWhenOpenedAndSaysWhy) {
    // /dev/null is a character device, but no V4L2 camera: zbar's open fails on the thread.
    CameraConfig camera;
    camera.device = "/dev/null";
    auto scanner = make_scanner(camera);
    ASSERT_TRUE(scanner->available()) << scanner->problem();
    scanner->start();
    EXPECT_THAT(problem_after_start(*scanner), HasSubstr("the camera /dev/null failed to open"));
    EXPECT_FALSE(scanner->available());
    scanner->stop();
}

// [SECTION] the "camera" capability through the real host and loader

class CameraCapabilityTest : public ::testing::Test {
  protected:
    Config config_with(std::vector<std::string> enabled) const {
        Config c;
        c.source = dir_.path() / "seba.toml";
        c.kiosk_id = "test-kiosk";
        c.centre = "test-centre";
        c.languages = {"bn", "en"};
        c.default_language = "bn";
        c.data_dir = dir_.path() / "data";
        c.plugin_dirs = {SEBA_TEST_PLUGIN_DIR};
        c.enabled_plugins = std::move(enabled);
        c.trusted_keys = {minisign::load_public_key(SEBA_DEV_PUBLIC_KEY)};
        c.development_mode = true;  // the build's plugins carry development signatures
        return c;
    }

    static std::vector<std::string> seen(Host& host, const std::string& what) {
        std::vector<std::string> out;
        Statement q = host.database().prepare("SELECT value FROM scans__seen WHERE what = ?");
        q.bind(1, what);
        while (q.step()) out.push_back(q.text(0));
        return out;
    }

    static PluginInfo info(const Host& host, const std::string& id) {
        return host.find(id).value_or(PluginInfo{});
    }

    seba::testing::TempDir dir_;
};

TEST_F(CameraCapabilityTest, APluginReadsTheKiosksCameraAndTheCodeIsGoneWhenTheSessionEnds) {
    Config config = config_with({"scans"});
    config.camera.image = qr_png(dir_.path(), "qr.png", long_url());
    Host host(config);
    install(host);
    host.start();
    ASSERT_EQ(info(host, "scans").state, PluginState::Running) << info(host, "scans").reason;
    EXPECT_THAT(seen(host, "available"), ElementsAre("yes"));
    EXPECT_THAT(seen(host, "code"), ElementsAre(long_url()));
    EXPECT_THAT(seen(host, "again"), IsEmpty());
    host.end_session();
    EXPECT_THAT(seen(host, "after session"), IsEmpty());
    host.stop();
}

TEST_F(CameraCapabilityTest, WithoutACameraAPluginGetsOneThatIsNeverAvailable) {
    Host host(config_with({"scans"}));  // no scan::install: as seba-host
    host.start();
    ASSERT_EQ(info(host, "scans").state, PluginState::Running) << info(host, "scans").reason;
    EXPECT_THAT(seen(host, "available"), ElementsAre("no"));
    EXPECT_THAT(seen(host, "problem"), ElementsAre(HasSubstr("this kiosk has no camera")));
    host.stop();

    Config absent = config_with({"scans"});
    absent.data_dir = dir_.path() / "data2";
    absent.camera.device = "/dev/video-seba-test-absent";
    Host second(absent);
    install(second);
    second.start();
    EXPECT_THAT(seen(second, "available"), ElementsAre("no"));
    EXPECT_THAT(seen(second, "problem"), ElementsAre(HasSubstr("is not there")));
    second.stop();
}

TEST_F(CameraCapabilityTest, APluginThatDidNotAskForTheCameraCannotUseIt) {
    Host host(config_with({"scans_unasked"}));
    install(host);
    host.start();
    PluginInfo unasked = info(host, "scans_unasked");
    EXPECT_EQ(unasked.state, PluginState::Failed);
    EXPECT_THAT(unasked.reason, HasSubstr("plugin scans_unasked used the camera without the "
                                          "\"camera\" capability in its manifest"));
    EXPECT_THROW(host.set_scanner(make_scanner(CameraConfig{})), Error) << "after start()";
    host.stop();
}

}  // namespace
}  // namespace seba::scan

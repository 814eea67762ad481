// SPDX-License-Identifier: Apache-2.0
// Issue 19's "done means", end to end: a real seba-server on loopback publishes a course of
// the demo country pack (its lessons as content files); kiosk A (seba::testing::KioskHarness:
// the real host loading the built, signed plugin, the shell driven by taps and the on-screen
// keyboard, the print queue writing PDFs) enrols a learner, studies every page of every
// lesson, passes the quiz and prints an A4 certificate. Its QR code, read off the rendered
// page by zbarimg, is checked at kiosk B with the server stopped (B's camera sees the page),
// by POST /v1/credentials/verify and on the public /verify page in headless chromium; a
// forged and an altered certificate are refused in all three. The learner's events reach the
// server exactly once, though the first push's reply is lost and the kiosk pushes again.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <qrencode.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "browser.hpp"
#include "fault_proxy.hpp"
#include "kiosk_harness.hpp"
#include "process.hpp"
#include "seba/catalog.hpp"
#include "seba/credential_keys.hpp"
#include "seba/server/country_pack.hpp"
#include "seba/server/file_store.hpp"
#include "seba/server/http_server.hpp"
#include "seba/sync_client.hpp"
#include "server_fixture.hpp"
#include "temp_dir.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#include <stb/stb_image_write.h>
#pragma GCC diagnostic pop

namespace seba::mp::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using seba::testing::KioskHarness;
using seba::testing::run_process;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kCentre = "debidwar-1";
constexpr const char* kCourse = "digital-literacy-en";
constexpr const char* kPublicUrl = "https://verify.seba.example";
constexpr const char* kName = "Rahim Uddin";

json read_json(const fs::path& file) {
    std::ifstream in(file);
    return json::parse(in);
}

std::string quoted(const fs::path& path) {
    return "'" + path.string() + "'";
}

// `text` as a QR code (libqrencode, level M, 6 pixels a module, a quiet zone of 4), as a PNG:
// what a camera would see of a certificate printed by someone else.
void write_qr_png(const std::string& text, const fs::path& file) {
    QRcode* qr =
        QRcode_encodeData(static_cast<int>(text.size()),
                          reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M);
    ASSERT_NE(qr, nullptr);
    constexpr int kModule = 6;
    const int side = (qr->width + 8) * kModule;
    std::vector<std::uint8_t> grey(static_cast<std::size_t>(side * side), 255);
    for (int row = 0; row < qr->width; ++row)
        for (int column = 0; column < qr->width; ++column)
            if (qr->data[row * qr->width + column] & 1)
                for (int dy = 0; dy < kModule; ++dy)
                    for (int dx = 0; dx < kModule; ++dx)
                        grey[static_cast<std::size_t>(((row + 4) * kModule + dy) * side +
                                                      (column + 4) * kModule + dx)] = 0;
    QRcode_free(qr);
    ASSERT_NE(stbi_write_png(file.c_str(), side, side, 1, grey.data(), side), 0) << file;
}

class MuktoPaathEndToEnd : public ::testing::Test {
  protected:
    void SetUp() override {
        // The demo pack's MuktoPaath part, as a pack of its own for this centre.
        fs::create_directories(pack_);
        fs::copy(fs::path(SEBA_DEMO_PACK) / "muktopaath", pack_ / "muktopaath",
                 fs::copy_options::recursive);
        std::ofstream(pack_ / "pack.json") << json{
            {"name", "MuktoPaath end to end"},
            {"centres", {{{"id", kCentre}, {"name", "Debidwar Union Digital Centre"}}}},
            {"channels",
             {{{"channel", "muktopaath.categories"}, {"file", "muktopaath/categories.json"}},
              {{"channel", "muktopaath.courses"}, {"file", "muktopaath/courses.json"}}}}};
        server::import_country_pack(*store_, pack_ / "pack.json", false, &files_);
        course_ = read_json(pack_ / "muktopaath" / "courses" / kCourse / "course.json");

        server::ServerOptions options;
        options.trust_key = trust_key_;
        options.public_url = kPublicUrl;
        options.files_dir = files_.dir();
        server_.emplace(*store_, options);

        for (KioskHarness* kiosk : {&a_, &b_}) {
            kiosk->config().centre = kCentre;
            kiosk->config().languages = {"bn", "en"};
            kiosk->config().default_language = "en";
            kiosk->config().enabled_plugins = {"muktopaath"};
            kiosk->config().printer.pdf_dir = kiosk->dir() / "papers";
        }
        b_.config().kiosk_id = "kiosk-b";
    }

    // The kiosk's sync client, as seba-kiosk makes it (sync_options) for `url`.
    std::unique_ptr<SyncClient> sync(KioskHarness& kiosk, const std::string& url) {
        SyncOptions options;
        options.server_url = url;
        options.device_key_file = kiosk.config().data_dir / "device.key";
        options.files_dir = kiosk.config().data_dir / "files";
        options.total_timeout_ms = 5000;
        return std::make_unique<SyncClient>(kiosk.host().database(), options);
    }

    // Started, enrolled with a code of the centre, and started again as enrolled (the plugin
    // reads the centre it was enrolled for when it starts).
    void start_enrolled(KioskHarness& kiosk) {
        kiosk.start();
        sync(kiosk, server_->url())
            ->enroll(store_->create_enrollment_code(kCentre, std::chrono::hours(1),
                                                    server::Clock::now()),
                     kCentre);
        kiosk.restart();
        std::optional<PluginInfo> plugin = kiosk.host().find("muktopaath");
        ASSERT_TRUE(plugin);
        ASSERT_EQ(plugin->state, PluginState::Running) << plugin->reason;
    }

    // A paper the kiosk printed whose name starts with `prefix` and is not in `before`, once
    // the print queue has written it.
    fs::path printed(KioskHarness& kiosk, const std::string& prefix,
                     const std::set<fs::path>& before = {}) {
        for (int i = 0; i < 1000; ++i) {
            std::error_code ec;
            for (const auto& f : fs::directory_iterator(kiosk.dir() / "papers", ec))
                if (f.path().filename().string().starts_with(prefix) &&
                    f.path().extension() == ".pdf" && !before.contains(f.path()))
                    return f.path();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            kiosk.wait_s(0.01);
        }
        ADD_FAILURE() << "nothing printed starting with " << prefix;
        return {};
    }

    // The QR code on the first page of a PDF, as a photograph of it shows it (pdftoppm at
    // 200 dpi, read by zbarimg); the photograph is left in `photo`.
    std::string qr_on_paper(const fs::path& pdf, const fs::path& photo) {
        fs::path stem = photo;
        stem.replace_extension();
        EXPECT_EQ(run_process(quoted(SEBA_PDFTOPPM) + " -r 200 -png -singlefile " + quoted(pdf) +
                              " " + quoted(stem))
                      .exit_code,
                  0);
        seba::testing::ProcessResult zbar =
            run_process(quoted(SEBA_ZBARIMG) + " --quiet --raw " + quoted(photo) + " 2>/dev/null");
        EXPECT_EQ(zbar.exit_code, 0) << zbar.output;
        // Its last line (zbarimg may say first that it found no D-Bus).
        std::string qr = zbar.output;
        while (!qr.empty() && (qr.back() == '\n' || qr.back() == '\r')) qr.pop_back();
        return qr.substr(qr.find_last_of('\n') + 1);
    }

    // The camera reads on a thread of its own, in real time.
    static void wait_for_verdict(KioskHarness& kiosk) {
        for (int i = 0; i < 500 && !kiosk.node("muktopaath.verify.verdict"); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            kiosk.wait_s(0.01);
        }
    }

    // Right answers by the course's own file: each question's options that are right.
    void answer_quiz(KioskHarness& kiosk) {
        for (const json& q : course_["quiz"]["questions"]) {
            const std::string id = "muktopaath.quiz.q." + q["id"].get<std::string>();
            ASSERT_TRUE(kiosk.node(id)) << "question " << q["id"] << " is not on screen";
            const std::set<std::string> right = q["answer"].get<std::set<std::string>>();
            if (q["kind"] == "multiple") {
                for (const std::string& option : right) kiosk.tap(id + "." + option);
                continue;
            }
            std::string right_text;
            for (const json& o : q["options"])
                if (right.contains(o["id"].get<std::string>())) right_text = o["text"];
            bool tapped = false;
            for (int i = 0; kiosk.node(id + ".choice." + std::to_string(i)); ++i)
                if (kiosk.label(id + ".choice." + std::to_string(i)) == right_text) {
                    kiosk.tap(id + ".choice." + std::to_string(i));
                    tapped = true;
                    break;
                }
            ASSERT_TRUE(tapped) << "no option \"" << right_text << "\" for " << q["id"];
        }
    }

    json check_on_server(const std::string& text) {
        httplib::Client http("127.0.0.1", server_->port());
        httplib::Result r =
            http.Post("/v1/credentials/verify", json{{"text", text}}.dump(), "application/json");
        EXPECT_TRUE(r);
        if (!r) return {};
        EXPECT_EQ(r->status, 200) << r->body;
        return json::parse(r->body, nullptr, false);
    }

    // The public page as headless chromium renders it (the DOM after parsing), and its
    // screenshot in the build folder for a person to look at.
    std::string render(const std::string& url, const std::string& screenshot) {
        seba::testing::BrowserPage page =
            seba::testing::open_in_browser(url, fs::path(SEBA_BINARY_DIR) / screenshot);
        EXPECT_EQ(page.problem, "");
        return page.dom;
    }

    // This server's page for a QR's URL (the QR names the public address).
    std::string local_page(const std::string& qr) {
        EXPECT_TRUE(qr.starts_with(kPublicUrl)) << qr;
        return server_->url() + qr.substr(std::string_view(kPublicUrl).size());
    }

    // The muktopaath events the server holds from this centre, by type.
    std::map<std::string, int> server_events() {
        std::map<std::string, int> by_type;
        for (const server::StoredEvent& e : store_->events(kCentre))
            if (e.type.starts_with("muktopaath.")) ++by_type[e.type];
        return by_type;
    }

    seba::testing::TempDir dir_;
    fs::path pack_ = dir_ / "pack";
    std::unique_ptr<server::Store> store_ = server::open_sqlite_store(dir_ / "server.db");
    server::FileStore files_{dir_ / "server-files"};
    std::shared_ptr<const signing::KeyPair> trust_key_ =
        std::make_shared<const signing::KeyPair>(signing::generate_key_pair());
    std::optional<server::RunningServer> server_;
    json course_;
    KioskHarness a_, b_;
};

TEST_F(MuktoPaathEndToEnd, EnrolStudyPassPrintThenVerifyOfflineOnTheServerAndInABrowser) {
    // [SECTION] kiosk A: the course and its lessons come from the server
    start_enrolled(a_);
    {
        std::unique_ptr<SyncClient> a_sync = sync(a_, server_->url());
        for (const std::string& channel : a_.host().channels())  // as its sync engine does
            a_sync->pull(channel);
        a_.tap("shell.home.muktopaath");  // the plugin reads the catalog and wants its files
        SyncClient::FilesReport files = a_sync->download_files();
        EXPECT_GE(files.ready, 3) << "course.json and the images of " << kCourse;
        EXPECT_EQ(files.failed, 0);
        EXPECT_TRUE(files.disk_problem.empty()) << files.disk_problem;
    }

    // [SECTION] enrol on the on-screen keyboard
    a_.run(R"([{"tap": "muktopaath.category.digital"}])");
    a_.tap(std::string("muktopaath.course.") + kCourse);
    ASSERT_TRUE(a_.node("muktopaath.pack.ready")) << "the lessons are on the kiosk";
    a_.run(json::array({{{"tap", "muktopaath.course.enrol"}},
                        {{"tap", "muktopaath.enrol.name"}},
                        {{"keys", kName}},
                        {{"tap", "muktopaath.enrol.phone"}},
                        {{"keys", "01711223344"}},
                        {{"tap", "muktopaath.enrol.submit"}}}));
    ASSERT_TRUE(a_.node("muktopaath.slip.code")) << a_.state().tree_json().dump().substr(0, 2000);
    const std::string code = a_.node("muktopaath.slip.code")->value;
    a_.tap("muktopaath.slip.start");

    // [SECTION] every page of every lesson
    int pages = 0;
    int images = 0;
    for (const json& lesson : course_["lessons"]) {
        const std::string id = lesson["id"];
        ASSERT_TRUE(a_.node("muktopaath.lesson." + id))
            << a_.state().tree_json().dump().substr(0, 2000);
        a_.tap("muktopaath.lesson." + id);
        const std::size_t count = lesson["pages"].size();
        for (std::size_t page = 0; page < count; ++page) {
            EXPECT_EQ(a_.label("muktopaath.page.title"), lesson["title"].get<std::string>());
            EXPECT_EQ(a_.label("muktopaath.page.number"),
                      fmt::format("Page {} / {}", page + 1, count));
            // Each block of the page, images drawn from the downloaded files.
            const json& blocks = lesson["pages"][page];
            for (std::size_t b = 0; b < blocks.size(); ++b) {
                const std::string block = "muktopaath.page.block." + std::to_string(b);
                if (blocks[b].contains("img")) {
                    const ui::Node* image = a_.node(block);
                    ASSERT_TRUE(image) << id << " page " << page << " block " << b;
                    EXPECT_EQ(image->role, ui::Role::Image) << "not a placeholder";
                    EXPECT_TRUE(fs::exists(image->value)) << image->value;
                    ++images;
                } else if (blocks[b].contains("p")) {
                    EXPECT_EQ(a_.label(block), blocks[b]["p"].get<std::string>());
                }
            }
            ++pages;
            a_.tap(page + 1 < count ? "muktopaath.page.next" : "muktopaath.page.finish");
        }
    }
    EXPECT_GT(images, 0) << "the course's pictures were shown";
    EXPECT_EQ(a_.node("muktopaath.lessons.progress")->label,
              fmt::format("{0} / {0} lessons done", course_["lessons"].size()));

    // [SECTION] the quiz, passed; the certificate printed
    a_.tap("muktopaath.lessons.quiz");
    answer_quiz(a_);
    a_.tap("muktopaath.quiz.submit");
    ASSERT_TRUE(a_.node("muktopaath.result.passed"))
        << a_.state().tree_json().dump().substr(0, 3000);
    EXPECT_EQ(a_.label("muktopaath.result.score"), "Score: 100%");
    const std::string shown_qr = a_.node("muktopaath.result.qr")->value;
    const std::string text = a_.label("muktopaath.result.text");
    ASSERT_TRUE(text.starts_with("SB1:")) << text;

    const fs::path certificate = printed(a_, "mp-certificate-");
    ASSERT_FALSE(certificate.empty());
    const std::string paper =
        run_process(quoted(SEBA_PDFTOTEXT) + " " + quoted(certificate) + " -").output;
    EXPECT_THAT(paper, HasSubstr("Certificate of completion"));
    EXPECT_THAT(paper, HasSubstr(kName));
    EXPECT_THAT(paper, HasSubstr("Digital literacy"));
    const std::string info = run_process(quoted(SEBA_PDFINFO) + " " + quoted(certificate)).output;
    EXPECT_THAT(info, HasSubstr("(A4)"));
    EXPECT_THAT(info, ::testing::ContainsRegex("Pages: +1\n")) << "one page";
    // The page as a photograph would show it, and the QR read off it.
    const fs::path photo = dir_ / "certificate.png";
    const std::string qr = qr_on_paper(certificate, photo);
    // Kept in the build folder for a person to look at.
    fs::copy_file(certificate, fs::path(SEBA_BINARY_DIR) / "muktopaath-e2e-certificate.pdf",
                  fs::copy_options::overwrite_existing);
    fs::copy_file(photo, fs::path(SEBA_BINARY_DIR) / "muktopaath-e2e-certificate.png",
                  fs::copy_options::overwrite_existing);
    EXPECT_EQ(qr, shown_qr) << "the printed QR is the one on screen";
    EXPECT_TRUE(qr.starts_with(std::string(kPublicUrl) + "/verify?c=SB1%3A")) << qr;
    EXPECT_EQ(credentials::extract_text(qr), text);

    // [SECTION] the next session: signed in with the return code, the certificate printed
    // again from the learner's box, with the same QR
    a_.run(R"([{"tap": "muktopaath.result.done"}, {"tap": "shell.home"},
               {"expect_screen": "home"}, {"tap": "shell.home.muktopaath"}])");
    EXPECT_FALSE(a_.node("muktopaath.signed_in"));
    a_.run(json::array({{{"tap", "muktopaath.sign_in"}},
                        {{"tap", "muktopaath.sign_in.phone"}},
                        {{"keys", "01711223344"}},
                        {{"tap", "muktopaath.sign_in.code"}},
                        {{"keys", code}},
                        {{"tap", "muktopaath.sign_in.submit"}},
                        {{"tap", std::string("muktopaath.mine.") + kCourse}}}));
    ASSERT_TRUE(a_.node("muktopaath.lessons.passed"))
        << a_.state().tree_json().dump().substr(0, 2000);
    a_.tap("muktopaath.lessons.print_certificate");
    const fs::path copy = printed(a_, "mp-certificate-", {certificate});
    ASSERT_FALSE(copy.empty());
    EXPECT_THAT(run_process(quoted(SEBA_PDFTOTEXT) + " " + quoted(copy) + " -").output,
                HasSubstr(kName));
    EXPECT_EQ(qr_on_paper(copy, dir_ / "again.png"), qr) << "the copy opens the same page";

    // Forgeries: the same claims signed by a key no server vouches for (as a QR on paper),
    // and the real text with one character changed (as typed).
    const credentials::Decoded decoded = credentials::decode(text);
    ASSERT_EQ(decoded.reason, credentials::Reason::None) << decoded.detail;
    const std::string forged = credentials::encode(decoded.claims, signing::generate_key_pair());
    const fs::path forged_photo = dir_ / "forged.png";
    write_qr_png(credentials::verify_url(kPublicUrl, forged), forged_photo);
    std::string altered = text;
    altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';

    // [SECTION] the events reach the server exactly once, though a reply is lost
    std::map<std::string, int> expected = {
        {"muktopaath.enrolled", 1},
        {"muktopaath.progress", pages + static_cast<int>(course_["lessons"].size())},
        {"muktopaath.quiz_attempt", 1},
        {"muktopaath.certified", 1}};
    {
        seba::testing::FaultProxy losing(
            server_->port(), seba::testing::FaultProxy::Fault::LoseReply, "POST /v1/events ");
        EXPECT_THROW(sync(a_, "http://127.0.0.1:" + std::to_string(losing.port()))->push_outbox(),
                     SyncError);
        EXPECT_GE(losing.faults_seen()[1], 1) << "a reply lost";
        EXPECT_EQ(server_events(), expected) << "the server has them; the kiosk does not know";
    }
    std::unique_ptr<SyncClient> a_sync = sync(a_, server_->url());
    SyncClient::PushReport again = a_sync->push_outbox();
    EXPECT_EQ(again.accepted, 0);
    EXPECT_GE(again.duplicates, 4 + pages);
    EXPECT_EQ(a_sync->push_outbox().sent, 0) << "nothing left to send";
    EXPECT_EQ(server_events(), expected);

    // The centre's learner record, which the other kiosks of the centre pull: passed once.
    server::ChannelPage learners =
        store_->changes("muktopaath.learners", kCentre, std::nullopt, 100, 1 << 20);
    ASSERT_EQ(learners.changes.size(), 1u);
    ASSERT_TRUE(learners.changes[0].data);
    const json record = json::parse(*learners.changes[0].data);
    EXPECT_THAT(record.dump(), Not(HasSubstr(kName))) << "no name in clear";
    const json& studied = record["courses"][kCourse];
    EXPECT_EQ(studied["attempts"], 1);
    EXPECT_EQ(studied["passed"], true);
    EXPECT_EQ(studied["score_band"], "distinction");
    for (const json& lesson : course_["lessons"])
        EXPECT_EQ(studied["lessons"][lesson["id"].get<std::string>()]["done"], true)
            << lesson["id"];

    // [SECTION] kiosk B syncs the trust list (A is in it), then the network is cut
    b_.config().camera.image = photo;  // B's camera sees the printed certificate
    start_enrolled(b_);
    sync(b_, server_->url())->pull(credentials::kTrustChannel);

    // [SECTION] on the server: POST /v1/credentials/verify
    json valid = check_on_server(qr);
    EXPECT_EQ(valid["status"], "valid") << valid.dump();
    EXPECT_EQ(valid["claims"]["subject"], kName);
    EXPECT_EQ(valid["claims"]["achievement"]["course"], kCourse);
    json forged_verdict = check_on_server(forged);
    EXPECT_EQ(forged_verdict["status"], "unknown_issuer");
    EXPECT_FALSE(forged_verdict.contains("claims"));
    json altered_verdict = check_on_server(altered);
    EXPECT_EQ(altered_verdict["status"], "invalid");
    EXPECT_FALSE(altered_verdict.contains("claims"));

    // [SECTION] on the public page, in a real browser
    const std::string page = render(local_page(qr) + "&lang=en", "muktopaath-e2e-valid.png");
    EXPECT_THAT(page, HasSubstr("data-status=\"valid\""));
    EXPECT_THAT(page, HasSubstr("Genuine certificate"));
    EXPECT_THAT(page, HasSubstr(kName));
    EXPECT_THAT(page, HasSubstr("Digital literacy"));
    for (const auto& [fake, shot] : {std::pair{forged, "muktopaath-e2e-forged.png"},
                                     std::pair{altered, "muktopaath-e2e-altered.png"}}) {
        const std::string refused =
            render(credentials::verify_url(server_->url(), fake) + "&lang=en", shot);
        EXPECT_THAT(refused, HasSubstr("Not valid")) << shot;
        EXPECT_THAT(refused, Not(HasSubstr("data-status=\"valid\""))) << shot;
        EXPECT_THAT(refused, Not(HasSubstr(kName))) << shot;
    }

    // [SECTION] kiosk B with the server stopped
    server_->stop();
    EXPECT_THROW(sync(b_, server_->url())->pull(credentials::kTrustChannel), SyncError)
        << "the network is cut";
    b_.run(R"([{"tap": "shell.home.muktopaath"}, {"tap": "muktopaath.verify"}])");
    ASSERT_TRUE(b_.node("muktopaath.verify.camera")) << "B's camera is on";
    wait_for_verdict(b_);
    ASSERT_TRUE(b_.node("muktopaath.verify.verdict"))
        << b_.state().tree_json().dump().substr(0, 2000);
    EXPECT_EQ(b_.label("muktopaath.verify.verdict"), "Valid certificate");
    EXPECT_EQ(b_.node("muktopaath.verify.name")->value, kName);
    EXPECT_EQ(b_.node("muktopaath.verify.course")->value,
              "Digital literacy: first steps with a smartphone");

    // The forged certificate's QR in front of the camera.
    b_.config().camera.image = forged_photo;
    b_.restart();
    b_.run(R"([{"tap": "shell.home.muktopaath"}, {"tap": "muktopaath.verify"}])");
    wait_for_verdict(b_);
    ASSERT_TRUE(b_.node("muktopaath.verify.verdict"));
    EXPECT_EQ(b_.label("muktopaath.verify.verdict"), "Unknown issuer");
    EXPECT_THAT(b_.label("muktopaath.verify.reason"), HasSubstr("does not know"));
    EXPECT_FALSE(b_.node("muktopaath.verify.name")) << "no name from a forgery";

    // The altered text typed in.
    b_.run(json::array({{{"tap", "muktopaath.verify.text"}},
                        {{"type", altered}},
                        {{"tap", "muktopaath.verify.check"}}}));
    EXPECT_EQ(b_.label("muktopaath.verify.verdict"), "Not valid");
    EXPECT_FALSE(b_.node("muktopaath.verify.name")) << "no name from an altered text";
}

}  // namespace
}  // namespace seba::mp::testing

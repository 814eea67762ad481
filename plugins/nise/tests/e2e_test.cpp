// SPDX-License-Identifier: Apache-2.0
// Issue 21's "done means", end to end: a real seba-server on loopback publishes the demo
// pack's skills taxonomy and MuktoPaath courses, the directory's places and a day's
// opportunities; kiosk A (seba::testing::KioskHarness: the real host loading the built,
// signed muktopaath and nise plugins, driven by taps and the on-screen keyboard, printing
// PDFs) passes a MuktoPaath course and prints its certificate. The citizen then builds a NISE
// profile by taps, attaches that certificate through the camera (the printed page, read by the
// kiosk's scanner), sees opportunities ranked with their reasons (closed, full and
// other-country ones hidden), is referred to the best one with consent and leaves with a slip.
// The first push's reply is lost and the kiosk pushes again: the referral reaches the server
// exactly once. The employer answers with the real `seba-server admin nise-answer`; after a
// pull the kiosk shows "Interview" for the reference typed in lower case. Kiosk B of the same
// centre finds the profile by phone and return code, withdraws it, and the server deletes it:
// no box, no name, and a later referral of that login is rejected.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

#include "fault_proxy.hpp"
#include "kiosk_harness.hpp"
#include "process.hpp"
#include "seba/server/country_pack.hpp"
#include "seba/server/file_store.hpp"
#include "seba/server/http_server.hpp"
#include "seba/sync_client.hpp"
#include "server_fixture.hpp"
#include "temp_dir.hpp"

namespace seba::nise::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using seba::testing::KioskHarness;
using seba::testing::run_process;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kCentre = "debidwar-1";
constexpr const char* kCourse = "digital-literacy-en";
constexpr const char* kName = "Rahim Uddin";
constexpr const char* kPhone = "01711223344";
constexpr const char* kDebidwar = "geo.bd.upazilas/1";  // Cumilla district, Chattogram division

std::string quoted(const fs::path& path) {
    return "'" + path.string() + "'";
}

json read_json(const fs::path& file) {
    std::ifstream in(file);
    return json::parse(in);
}

// A local date `days` from today, in Bangladesh (UTC+6), as the kiosk's setting says.
std::string local_day(int days) {
    const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(
        std::chrono::system_clock::now() + std::chrono::hours(6 + 24 * days))};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(day.year()),
                       static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
}

class NiseEndToEnd : public ::testing::Test {
  protected:
    void SetUp() override {
        // The demo pack's taxonomy, courses and places, as a pack of its own for this centre.
        const fs::path demo = SEBA_DEMO_PACK;
        fs::create_directories(pack_ / "geo");
        fs::copy(demo / "muktopaath", pack_ / "muktopaath", fs::copy_options::recursive);
        fs::copy(demo / "nise", pack_ / "nise", fs::copy_options::recursive);
        fs::copy(demo / "search", pack_ / "search", fs::copy_options::recursive);
        for (const char* level : {"divisions", "districts", "upazilas"})
            fs::copy_file(
                demo / ".." / ".." / "data" / "bd-geocode" / (std::string(level) + ".csv"),
                pack_ / "geo" / (std::string(level) + ".csv"));
        std::ofstream(pack_ / "pack.json") << json{
            {"name", "NISE end to end"},
            {"centres", {{{"id", kCentre}, {"name", "Debidwar Union Digital Centre"}}}},
            {"channels",
             {{{"channel", "geo.bd.divisions"},
               {"file", "geo/divisions.csv"},
               {"columns", {"id", "name_en", "name_bn", "portal_url"}}},
              {{"channel", "geo.bd.districts"},
               {"file", "geo/districts.csv"},
               {"columns",
                {"id", "division_id", "name_en", "name_bn", "lat", "lon", "portal_url"}}},
              {{"channel", "geo.bd.upazilas"},
               {"file", "geo/upazilas.csv"},
               {"columns", {"id", "district_id", "name_en", "name_bn", "portal_url"}}},
              {{"channel", "search.indexes"}, {"file", "search/indexes.json"}},
              {{"channel", "muktopaath.categories"}, {"file", "muktopaath/categories.json"}},
              {{"channel", "muktopaath.courses"}, {"file", "muktopaath/courses.json"}},
              {{"channel", "nise.skill_categories"}, {"file", "nise/skill-categories.json"}},
              {{"channel", "nise.skills"}, {"file", "nise/skills.json"}}}}};
        server::import_country_pack(*store_, pack_ / "pack.json", false, &files_);
        course_ = read_json(pack_ / "muktopaath" / "courses" / kCourse / "course.json");
        taught_ = read_json(pack_ / "muktopaath" / "courses.json")[kCourse]["skills"]
                      .get<std::vector<std::string>>();
        ASSERT_FALSE(taught_.empty()) << kCourse << " teaches skills in the demo pack";
        publish_opportunities();

        server::ServerOptions options;
        options.trust_key = trust_key_;
        options.files_dir = files_.dir();
        server_.emplace(*store_, options);
        config_ = dir_ / "seba-server.toml";
        std::ofstream(config_) << fmt::format("[server]\ndatabase = \"{}\"\n",
                                              (dir_ / "server.db").string());

        for (KioskHarness* kiosk : {&a_, &b_}) {
            kiosk->config().centre = kCentre;
            kiosk->config().languages = {"bn", "en"};
            kiosk->config().default_language = "en";
            kiosk->config().enabled_plugins = {"muktopaath", "nise"};
            kiosk->config().plugin_settings["nise"] = {
                {"centre_code", "DBW1"}, {"centre_place", kDebidwar}, {"utc_offset_minutes", 360}};
            kiosk->config().printer.pdf_dir = kiosk->dir() / "papers";
        }
        // A's camera sees the certificate once it is printed and photographed.
        a_.config().camera.image = dir_ / "certificate.png";
        b_.config().kiosk_id = "kiosk-b";
    }

    // Today's opportunities: the best for this citizen (near, asks the certificate's skills
    // and one more), a farther one asking the same, and three that must never show: closed
    // yesterday, full, and in another country.
    void publish_opportunities() {
        auto opportunity = [&](const std::string& title, const std::string& place, int closes_in,
                               int seats) {
            json skills = json::array();
            for (const std::string& s : taught_) skills.push_back({{"skill", s}, {"weight", 3}});
            skills.push_back({{"skill", missing_skill_}, {"weight", 1}});
            return json{{"kind", "job"},
                        {"title", {{"en", title}, {"bn", title}}},
                        {"summary", {{"en", "Enter forms on a computer."}}},
                        {"organisation", {{"en", "Gomti Traders (fictional)"}}},
                        {"place", place},
                        {"skills", skills},
                        {"wage", {{"amount", 14000}, {"currency", "BDT"}, {"per", "month"}}},
                        {"closes", local_day(closes_in)},
                        {"seats", seats},
                        {"source", "Illustrative: written for this test."}};
        };
        std::vector<server::ChannelRecord> records = {
            {"e2e-near", opportunity("Data entry operator", kDebidwar, 5, 3).dump()},
            {"e2e-far", opportunity("Office assistant", "geo.bd.upazilas/200", 20, 2).dump()},
            {"e2e-closed", opportunity("Closed yesterday", kDebidwar, -1, 3).dump()},
            {"e2e-full", opportunity("No seats left", kDebidwar, 5, 0).dump()},
            {"e2e-elsewhere", opportunity("In Uzbekistan", "geo.uz.districts/1", 5, 3).dump()}};
        store_->publish("nise.opportunities", "", records, true, false);
    }

    std::unique_ptr<SyncClient> sync(KioskHarness& kiosk, const std::string& url) {
        SyncOptions options;
        options.server_url = url;
        options.device_key_file = kiosk.config().data_dir / "device.key";
        options.files_dir = kiosk.config().data_dir / "files";
        options.total_timeout_ms = 5000;
        return std::make_unique<SyncClient>(kiosk.host().database(), options);
    }

    void pull_all(KioskHarness& kiosk) {
        std::unique_ptr<SyncClient> client = sync(kiosk, server_->url());
        // The search specs first: they name the place channels the directory reads.
        client->pull("search.indexes");
        for (const std::string& channel : kiosk.host().channels()) client->pull(channel);
        client->download_files();
    }

    void start_enrolled(KioskHarness& kiosk) {
        kiosk.start();
        sync(kiosk, server_->url())
            ->enroll(store_->create_enrollment_code(kCentre, std::chrono::hours(1),
                                                    server::Clock::now()),
                     kCentre);
        kiosk.restart();
        for (const char* id : {"muktopaath", "nise"}) {
            std::optional<PluginInfo> plugin = kiosk.host().find(id);
            ASSERT_TRUE(plugin) << id;
            ASSERT_EQ(plugin->state, PluginState::Running) << id << ": " << plugin->reason;
        }
        pull_all(kiosk);
    }

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

    std::string pdf_text(const fs::path& pdf) {
        return run_process(quoted(SEBA_PDFTOTEXT) + " " + quoted(pdf) + " -").output;
    }

    // MuktoPaath, as a learner does it: enrol, every page of every lesson, the quiz right.
    void pass_course(KioskHarness& kiosk) {
        kiosk.tap("shell.home.muktopaath");  // the plugin reads the catalog and wants its files
        sync(kiosk, server_->url())->download_files();
        kiosk.run(R"([{"tap": "muktopaath.category.digital"}])");
        kiosk.tap(std::string("muktopaath.course.") + kCourse);
        ASSERT_TRUE(kiosk.node("muktopaath.pack.ready")) << "the lessons are on the kiosk";
        kiosk.run(json::array({{{"tap", "muktopaath.course.enrol"}},
                               {{"tap", "muktopaath.enrol.name"}},
                               {{"keys", kName}},
                               {{"tap", "muktopaath.enrol.phone"}},
                               {{"keys", kPhone}},
                               {{"tap", "muktopaath.enrol.submit"}},
                               {{"tap", "muktopaath.slip.start"}}}));
        for (const json& lesson : course_["lessons"]) {
            kiosk.tap("muktopaath.lesson." + lesson["id"].get<std::string>());
            const std::size_t count = lesson["pages"].size();
            for (std::size_t page = 0; page < count; ++page)
                kiosk.tap(page + 1 < count ? "muktopaath.page.next" : "muktopaath.page.finish");
        }
        kiosk.tap("muktopaath.lessons.quiz");
        for (const json& q : course_["quiz"]["questions"]) {
            const std::string id = "muktopaath.quiz.q." + q["id"].get<std::string>();
            const std::set<std::string> right = q["answer"].get<std::set<std::string>>();
            if (q["kind"] == "multiple") {
                for (const std::string& option : right) kiosk.tap(id + "." + option);
                continue;
            }
            std::string right_text;
            for (const json& o : q["options"])
                if (right.contains(o["id"].get<std::string>())) right_text = o["text"];
            for (int i = 0; kiosk.node(id + ".choice." + std::to_string(i)); ++i)
                if (kiosk.label(id + ".choice." + std::to_string(i)) == right_text)
                    kiosk.tap(id + ".choice." + std::to_string(i));
        }
        kiosk.tap("muktopaath.quiz.submit");
        ASSERT_TRUE(kiosk.node("muktopaath.result.passed"))
            << kiosk.state().tree_json().dump().substr(0, 3000);
    }

    // The QR code on the first page of a PDF as a photograph shows it (pdftoppm at 200 dpi).
    void photograph(const fs::path& pdf, const fs::path& photo) {
        fs::path stem = photo;
        stem.replace_extension();
        ASSERT_EQ(run_process(quoted(SEBA_PDFTOPPM) + " -r 200 -png -singlefile " + quoted(pdf) +
                              " " + quoted(stem))
                      .exit_code,
                  0);
    }

    seba::testing::ProcessResult admin(const std::string& args) {
        return run_process(fmt::format("'{}' --config '{}' admin {} 2>&1", SEBA_SERVER_BIN,
                                       config_.string(), args));
    }

    std::map<std::string, int> server_events() {
        std::map<std::string, int> by_type;
        for (const server::StoredEvent& e : store_->events(kCentre))
            if (e.type.starts_with("nise.")) ++by_type[e.type];
        return by_type;
    }

    seba::testing::TempDir dir_;
    fs::path pack_ = dir_ / "pack";
    fs::path config_;
    std::unique_ptr<server::Store> store_ = server::open_sqlite_store(dir_ / "server.db");
    server::FileStore files_{dir_ / "server-files"};
    std::shared_ptr<const signing::KeyPair> trust_key_ =
        std::make_shared<const signing::KeyPair>(signing::generate_key_pair());
    std::optional<server::RunningServer> server_;
    json course_;
    std::vector<std::string> taught_;  // the skills kCourse teaches
    // A skill the profile lacks, which freelancing-basics-en teaches.
    std::string missing_skill_ = "freelancing";
    KioskHarness a_, b_;
};

TEST_F(NiseEndToEnd, ProfileCertificateRankedMatchesReferralOnceAnswerAfterSyncWithdrawal) {
    start_enrolled(a_);

    // [SECTION] a MuktoPaath certificate, earned and printed at this kiosk
    pass_course(a_);
    const fs::path certificate = printed(a_, "mp-certificate-");
    ASSERT_FALSE(certificate.empty());
    photograph(certificate, dir_ / "certificate.png");
    a_.run(R"([{"tap": "muktopaath.result.done"}, {"tap": "shell.home"}])");
    if (a_.node("shell.finish.yes")) a_.tap("shell.finish.yes");

    // [SECTION] the profile by taps: education, a skill found by typing in Bangla, one from a
    // pictogram category, the certificate through the camera, the centre's place, languages
    a_.tap("shell.home.nise");
    a_.run(R"([{"tap": "nise.home.profile"}, {"tap": "nise.edu.secondary"},
               {"tap": "nise.edu.next"}])");
    a_.run(R"([{"tap": "nise.skills.cat.digital"}, {"tap": "nise.skill.spreadsheet"},
               {"tap": "nise.skills.cat.done"}])");
    const json skills = read_json(pack_ / "nise" / "skills.json");
    ASSERT_TRUE(skills.contains("typing-bangla")) << "the demo taxonomy has Bangla typing";
    a_.run(json::array(
        {{{"tap", "nise.skills.search"}}, {{"type", skills["typing-bangla"]["names"]["bn"]}}}));
    ASSERT_TRUE(a_.node("nise.skill.typing-bangla"))
        << "found by its Bangla name: " << a_.state().tree_json().dump().substr(0, 2000);
    a_.tap("nise.skill.typing-bangla");
    EXPECT_TRUE(a_.node("nise.skills.chosen.typing-bangla"));
    EXPECT_TRUE(a_.node("nise.skills.chosen.spreadsheet"));
    a_.tap("nise.skills.next");
    a_.tap("nise.cert.scan");
    for (int i = 0; i < 500 && !a_.node("nise.cert.result"); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        a_.wait_s(0.01);
    }
    ASSERT_TRUE(a_.node("nise.cert.result")) << "the camera read the certificate";
    EXPECT_THAT(a_.label("nise.cert.result"), HasSubstr("certificate is added"))
        << a_.state().tree_json().dump().substr(0, 2000);
    a_.tap("nise.cert.next");
    EXPECT_THAT(a_.node("nise.place.current")->value, HasSubstr("Debidwar"));
    a_.run(R"([{"tap": "nise.place.keep"}])");
    if (a_.node("nise.place.next")) a_.tap("nise.place.next");
    a_.tap("nise.lang.next");

    // [SECTION] ranked matches with their reasons; closed, full and foreign ones hidden
    ASSERT_TRUE(a_.node("nise.matches.title")) << a_.state().tree_json().dump().substr(0, 2000);
    EXPECT_EQ(a_.label("nise.match.e2e-near.skills"),
              fmt::format("You have {} of {} skills", taught_.size(), taught_.size() + 1));
    EXPECT_EQ(a_.node("nise.match.e2e-near.skills")->value,
              fmt::format("{} shown by certificates", taught_.size()))
        << "the certificate verified them";
    EXPECT_EQ(a_.label("nise.match.e2e-near.closes"), "Closes in 5 days");
    EXPECT_EQ(a_.label("nise.match.e2e-near.seats"), "3 places left");
    EXPECT_EQ(a_.label("nise.match.e2e-near.place"), "Where you live");
    EXPECT_TRUE(a_.node("nise.match.e2e-far"));
    for (const char* hidden :
         {"nise.match.e2e-closed", "nise.match.e2e-full", "nise.match.e2e-elsewhere"})
        EXPECT_FALSE(a_.node(hidden)) << hidden;
    {
        // The near one first: cards in the screen's order.
        const std::string tree = a_.state().tree_json().dump();
        EXPECT_LT(tree.find("nise.match.e2e-near"), tree.find("nise.match.e2e-far"));
    }

    // [SECTION] details: what is missing, and the course that teaches it
    a_.tap("nise.match.e2e-near");
    EXPECT_TRUE(a_.node("nise.detail.missing." + missing_skill_));
    EXPECT_TRUE(a_.node("nise.detail.course.freelancing-basics-en") ||
                a_.node("nise.detail.course.freelancing-basics-bn"));
    for (const std::string& skill : taught_)
        EXPECT_TRUE(a_.node("nise.detail.have." + skill)) << skill;

    // [SECTION] refer: the profile saved with consent (a return code), then the referral
    a_.tap("nise.detail.refer");
    a_.run(json::array({{{"tap", "nise.save.name"}},
                        {{"keys", kName}},
                        {{"tap", "nise.save.phone"}},
                        {{"keys", kPhone}},
                        {{"tap", "nise.save.agree"}},
                        {{"tap", "nise.save.send"}}}));
    ASSERT_TRUE(a_.node("nise.code.panel")) << a_.state().tree_json().dump().substr(0, 2000);
    const std::string code = a_.node("nise.code.panel")->value;
    a_.tap("nise.code.next");
    a_.run(R"([{"tap": "nise.refer.agree"}, {"tap": "nise.refer.send"}])");
    ASSERT_TRUE(a_.node("nise.slip.panel")) << a_.state().tree_json().dump().substr(0, 2000);
    const std::string reference = a_.node("nise.slip.panel")->value;
    EXPECT_TRUE(reference.starts_with("DBW1-N")) << reference;
    const fs::path slip = printed(a_, reference);
    ASSERT_FALSE(slip.empty());
    const std::string paper = pdf_text(slip);
    EXPECT_THAT(paper, HasSubstr(reference));
    EXPECT_THAT(paper, HasSubstr("Data entry operator"));
    EXPECT_THAT(paper, Not(HasSubstr(kName))) << "no name on the slip";
    a_.tap("nise.slip.done");

    // [SECTION] the referral reaches the server exactly once, though a reply is lost
    const std::map<std::string, int> expected = {{"nise.profile_saved", 1}, {"nise.referral", 1}};
    {
        seba::testing::FaultProxy losing(
            server_->port(), seba::testing::FaultProxy::Fault::LoseReply, "POST /v1/events ");
        EXPECT_THROW(sync(a_, "http://127.0.0.1:" + std::to_string(losing.port()))->push_outbox(),
                     SyncError);
        EXPECT_GE(losing.faults_seen()[1], 1) << "a reply lost";
    }
    std::unique_ptr<SyncClient> a_sync = sync(a_, server_->url());
    EXPECT_EQ(a_sync->push_outbox().accepted, 0) << "all were stored the first time";
    EXPECT_EQ(a_sync->push_outbox().sent, 0) << "nothing left to send";
    EXPECT_EQ(server_events(), expected);
    for (const server::StoredEvent& e : store_->events(kCentre))
        EXPECT_THAT(e.payload, Not(HasSubstr(kName))) << e.type << ": name only sealed";
    const seba::testing::ProcessResult listed = admin("nise-referrals --format json");
    ASSERT_EQ(listed.exit_code, 0) << listed.output;
    const json referrals = json::parse(listed.output.substr(listed.output.find('[')));
    ASSERT_EQ(referrals.size(), 1u) << listed.output;
    EXPECT_EQ(referrals[0]["reference"], reference);
    EXPECT_EQ(referrals[0]["opportunity"], "e2e-near");

    // [SECTION] the employer's answer, published by the real seba-server, seen after a pull
    const seba::testing::ProcessResult answered = admin(fmt::format(
        "nise-answer {} {} interview --note 'Come on Sunday at 10'", kCentre, reference));
    ASSERT_EQ(answered.exit_code, 0) << answered.output;
    a_sync->pull("nise.referrals");
    a_.run(R"([{"tap": "shell.home"}])");
    if (a_.node("shell.finish.yes")) a_.tap("shell.finish.yes");
    std::string typed = reference;
    for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    a_.run(json::array({{{"tap", "shell.home.nise"}},
                        {{"tap", "nise.home.check"}},
                        {{"tap", "nise.check.ref"}},
                        {{"keys", typed}},
                        {{"tap", "nise.check.go"}}}));
    ASSERT_TRUE(a_.node("nise.check.status")) << a_.state().tree_json().dump().substr(0, 2000);
    EXPECT_THAT(a_.label("nise.check.status"), HasSubstr("interview"));
    EXPECT_THAT(a_.state().tree_json().dump(), HasSubstr("Come on Sunday at 10"));

    // [SECTION] kiosk B of the centre: the profile found by phone and code, then withdrawn
    start_enrolled(b_);
    b_.run(json::array({{{"tap", "shell.home.nise"}},
                        {{"tap", "nise.home.return"}},
                        {{"tap", "nise.return.phone"}},
                        {{"keys", kPhone}},
                        {{"tap", "nise.return.code"}},
                        {{"keys", code}},
                        {{"tap", "nise.return.open"}}}));
    ASSERT_TRUE(b_.node("nise.me.withdraw")) << b_.state().tree_json().dump().substr(0, 2000);
    for (const std::string& skill : taught_)
        EXPECT_TRUE(b_.node("nise.me.skill." + skill)) << "verified skill " << skill;
    b_.run(R"([{"tap": "nise.me.withdraw"}, {"tap": "nise.withdraw.yes"}])");
    EXPECT_TRUE(b_.node("nise.deleted.title"));
    sync(b_, server_->url())->push_outbox();
    EXPECT_EQ(server_events()["nise.profile_withdrawn"], 1);
    for (const server::StoredEvent& e : store_->events(kCentre))
        if (e.type == "nise.profile_saved" || e.type == "nise.referral") {
            const json payload = json::parse(e.payload);
            EXPECT_FALSE(payload.contains("box")) << e.type << " keeps no box";
            EXPECT_FALSE(payload.contains("sealed")) << e.type << " keeps no sealed fields";
        }
    server::ChannelPage profiles =
        store_->changes("nise.profiles", kCentre, std::nullopt, 100, 1 << 20);
    ASSERT_EQ(profiles.changes.size(), 1u);
    ASSERT_TRUE(profiles.changes[0].data);
    EXPECT_EQ(json::parse(*profiles.changes[0].data).size(), 1u)
        << "only when it was withdrawn: " << *profiles.changes[0].data;

    // Kiosk A, after a pull, cannot find it either.
    a_sync->pull("nise.profiles");
    a_.run(R"([{"tap": "shell.home"}])");
    if (a_.node("shell.finish.yes")) a_.tap("shell.finish.yes");
    a_.run(json::array({{{"tap", "shell.home.nise"}},
                        {{"tap", "nise.home.return"}},
                        {{"tap", "nise.return.phone"}},
                        {{"keys", kPhone}},
                        {{"tap", "nise.return.code"}},
                        {{"keys", code}},
                        {{"tap", "nise.return.open"}}}));
    EXPECT_TRUE(a_.node("nise.return.problem"));
    EXPECT_FALSE(a_.node("nise.me.withdraw"));
}

}  // namespace
}  // namespace seba::nise::testing

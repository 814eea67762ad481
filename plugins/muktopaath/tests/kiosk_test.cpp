// SPDX-License-Identifier: Apache-2.0
// MuktoPaath in a whole kiosk (seba::testing::KioskHarness: the real host loading the built,
// signed plugin, the shell drawn by the recorder, the print queue writing each paper as a
// PDF): a citizen finds a course, enrols on the on-screen keyboard, gets the return code on
// screen and on paper, and signs in with it in the next session; the event carries the name
// and phone only sealed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>

#include "kiosk_harness.hpp"
#include "mp_fixture.hpp"
#include "process.hpp"

namespace seba::mp::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

class MuktoPaathKiosk : public ::testing::Test, public seba::testing::KioskHarness {
  protected:
    void SetUp() override {
        config().languages = {"bn", "en"};
        config().default_language = "en";
        config().enabled_plugins = {"muktopaath"};
        config().plugin_settings["muktopaath"] = {{"centre", "debidwar-1"}};
        config().printer.pdf_dir = dir() / "papers";
        give_server_key();
        start();
        std::optional<PluginInfo> plugin = host().find("muktopaath");
        ASSERT_TRUE(plugin);
        ASSERT_EQ(plugin->state, PluginState::Running) << plugin->reason;
        publish("muktopaath.categories", "digital",
                {{"names", {{"en", "Digital skills"}, {"bn", "ডিজিটাল দক্ষতা"}}},
                 {"icon", "computer"},
                 {"order", 1}});
        publish("muktopaath.courses", "test-course", course_record());
        json elsewhere = course_record();
        elsewhere["centres"] = {"tashkent-1"};
        elsewhere["title"] = {{"en", "Elsewhere only"}};
        publish("muktopaath.courses", "elsewhere", elsewhere);
    }

    std::string printed_text(const std::string& prefix) {
        for (int i = 0; i < 1000; ++i) {
            std::error_code ec;
            for (const auto& f : std::filesystem::directory_iterator(dir() / "papers", ec))
                if (f.path().filename().string().starts_with(prefix) &&
                    f.path().extension() == ".pdf")
                    return seba::testing::run_process("'" + std::string(SEBA_PDFTOTEXT) + "' '" +
                                                      f.path().string() + "' -")
                        .output;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            run(R"([{"wait_s": 0.01}])");
        }
        return "(nothing printed)";
    }
};

TEST_F(MuktoPaathKiosk, ACitizenEnrolsGetsTheReturnCodeOnPaperAndSignsInWithItLater) {
    run(R"([{"tap": "shell.home.muktopaath"}])");
    EXPECT_EQ(label("muktopaath.category.digital"), "Digital skills");
    EXPECT_TRUE(node("muktopaath.verify"));
    run(R"([{"tap": "muktopaath.category.digital"}])");
    EXPECT_TRUE(node("muktopaath.course.test-course"));
    EXPECT_FALSE(node("muktopaath.course.elsewhere")) << "not enabled for this centre";
    run(R"([{"tap": "muktopaath.course.test-course"}])");
    EXPECT_EQ(label("muktopaath.course.title"), "Test course");
    EXPECT_EQ(node("muktopaath.course.duration")->value, "30 minutes");
    run(R"([{"tap": "muktopaath.course.enrol"},
            {"tap": "muktopaath.enrol.name"}, {"keys": "Rahim Uddin"},
            {"tap": "muktopaath.enrol.phone"}, {"keys": "01711223344"},
            {"tap": "muktopaath.enrol.submit"}])");
    ASSERT_TRUE(node("muktopaath.slip.code")) << state().tree_json().dump().substr(0, 2000);
    const std::string code = node("muktopaath.slip.code")->value;
    EXPECT_TRUE(std::regex_match(code, std::regex("[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}")))
        << code;
    EXPECT_THAT(printed_text("mp-slip-"), HasSubstr(code));

    Statement event = host().database().prepare(
        "SELECT payload FROM core__outbox WHERE type = 'muktopaath.enrolled'");
    ASSERT_TRUE(event.step());
    const json payload = json::parse(event.text(0));
    EXPECT_FALSE(event.step()) << "one enrolment";
    EXPECT_THAT(payload.dump(), Not(HasSubstr("Rahim")));
    EXPECT_THAT(payload.dump(), Not(HasSubstr("1711223344")));
    const json opened = open_sealed(payload["sealed"]);
    EXPECT_EQ(opened["fields"]["name"], "Rahim Uddin");
    EXPECT_EQ(opened["fields"]["phone"], "+8801711223344");

    // The next session: signed out; the code and phone find the learner again.
    run(R"([{"tap": "shell.home"}, {"expect_screen": "home"},
            {"tap": "shell.home.muktopaath"}])");
    EXPECT_FALSE(node("muktopaath.signed_in"));
    std::string typed;
    for (char c : code)
        if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string wrong = typed;
    wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
    run(json::array({{{"tap", "muktopaath.sign_in"}},
                     {{"tap", "muktopaath.sign_in.phone"}},
                     {{"keys", "01711223344"}},
                     {{"tap", "muktopaath.sign_in.code"}},
                     {{"keys", wrong}},
                     {{"tap", "muktopaath.sign_in.submit"}}}));
    EXPECT_TRUE(node("muktopaath.sign_in.problem")) << "a wrong code is refused";
    EXPECT_FALSE(node("muktopaath.mine.title"));
    run(json::array({{{"tap", "shell.back"}},
                     {{"tap", "muktopaath.sign_in"}},
                     {{"tap", "muktopaath.sign_in.phone"}},
                     {{"keys", "01711223344"}},
                     {{"tap", "muktopaath.sign_in.code"}},
                     {{"keys", typed}},
                     {{"tap", "muktopaath.sign_in.submit"}}}));
    ASSERT_TRUE(node("muktopaath.mine.title")) << state().tree_json().dump().substr(0, 2000);
    EXPECT_EQ(label("muktopaath.mine.test-course"), "Test course");
}

}  // namespace
}  // namespace seba::mp::testing

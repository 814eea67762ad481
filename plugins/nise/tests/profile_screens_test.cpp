// SPDX-License-Identifier: Apache-2.0
// Home and the profile as a citizen taps them, in a whole kiosk: four pictogram tiles; five
// steps with their counter whose choices stay as the citizen goes back and forth; a
// certificate code that is not one answered with a translated banner; a wrong phone and code
// refused with the same words whatever was wrong; the session's end forgets the citizen; every
// text translated in all four catalogs.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "profile_kiosk_fixture.hpp"
#include "screen_checks.hpp"

namespace seba::nise::profile_testing {
namespace {

using ::testing::HasSubstr;

class NiseProfileScreens : public NiseKioskTest {};

TEST_F(NiseProfileScreens, HomeHasFourPictogramTiles) {
    start();
    open_nise();
    const std::pair<const char*, const char*> tiles[] = {
        {"nise.home.profile", "আমার দক্ষতা"},
        {"nise.home.matches", "আমার জন্য চাকরি ও প্রশিক্ষণ"},
        {"nise.home.return", "আমার প্রোফাইল আছে"},
        {"nise.home.check", "রেফারেল দেখুন"}};
    for (const auto& [id, words] : tiles) {
        SCOPED_TRACE(id);
        const ui::Node* tile = node(id);
        ASSERT_TRUE(tile) << tree();
        EXPECT_EQ(tile->role, ui::Role::Tile);
        EXPECT_EQ(tile->label, words);
        EXPECT_FALSE(tile->icon.empty()) << "a pictogram for those who read little";
    }
    // In Russian too.
    run(R"([{"language": "ru"}])");
    EXPECT_EQ(label("nise.home.profile"), "Мои навыки");
}

TEST_F(NiseProfileScreens, TheFiveStepsKeepWhatWasChosenBackAndForth) {
    start();
    open_nise();
    tap("nise.home.profile");
    ASSERT_TRUE(node("nav.steps")) << tree();
    EXPECT_THAT(label("nav.steps"), HasSubstr("১"));
    EXPECT_THAT(label("nav.steps"), HasSubstr("৫"));
    // Step 1: a chip per education level, with its pictogram; one chosen at a time.
    for (const char* level :
         {"none", "primary", "secondary", "higher_secondary", "vocational", "tertiary"})
        ASSERT_TRUE(node(std::string("nise.edu.") + level)) << level;
    EXPECT_EQ(label("nise.edu.secondary"), "মাধ্যমিক (এসএসসি)");
    tap("nise.edu.primary");
    tap("nise.edu.secondary");
    EXPECT_EQ(node("nise.edu.secondary")->value, "বেছে নেওয়া হয়েছে");
    EXPECT_EQ(node("nise.edu.primary")->value, "");
    tap("nise.edu.next");
    // Step 2: skills.
    expect("nise.skills.title");
    EXPECT_THAT(label("nav.steps"), HasSubstr("২"));
    expect("nise.skills.search");
    tap("nise.skills.next");
    // Step 3: certificates.
    expect("nise.cert.title");
    EXPECT_THAT(label("nav.steps"), HasSubstr("৩"));
    expect("nise.cert.code");
    tap("nise.cert.next");
    // Step 4: the place, this centre's to begin with.
    expect("nise.place.title");
    EXPECT_THAT(label("nav.steps"), HasSubstr("৪"));
    ASSERT_TRUE(node("nise.place.current"));
    EXPECT_FALSE(node("nise.place.current")->value.empty());
    expect("nise.place.search");
    tap("nise.place.keep");
    // Step 5: languages; the one the citizen reads the kiosk in is chosen to begin with.
    expect("nise.lang.title");
    EXPECT_THAT(label("nav.steps"), HasSubstr("৫"));
    for (const char* tag : {"bn", "en", "ru", "uz-Latn", "uz-Cyrl"})
        ASSERT_TRUE(node(std::string("nise.lang.") + tag)) << tag;
    EXPECT_EQ(label("nise.lang.ru"), "Русский");
    EXPECT_EQ(node("nise.lang.bn")->value, "বেছে নেওয়া হয়েছে");
    tap("nise.lang.ru");
    tap("nise.lang.en");
    tap("nise.lang.en");
    EXPECT_EQ(node("nise.lang.ru")->value, "বেছে নেওয়া হয়েছে");
    EXPECT_EQ(node("nise.lang.en")->value, "");
    // Next opens the matches.
    tap("nise.lang.next");
    expect_absent("nise.lang.title");
    EXPECT_EQ(screen(), "plugin");
    // Back to the first step: every choice is still there.
    for (int i = 0; i < 5; ++i) tap("shell.back");
    expect("nise.edu.title");
    EXPECT_EQ(node("nise.edu.secondary")->value, "বেছে নেওয়া হয়েছে");
    run(R"([{"tap": "nise.edu.next"}, {"tap": "nise.skills.next"}, {"tap": "nise.cert.next"},
            {"tap": "nise.place.next"}])");
    EXPECT_EQ(node("nise.lang.ru")->value, "বেছে নেওয়া হয়েছে");
    EXPECT_EQ(node("nise.lang.bn")->value, "বেছে নেওয়া হয়েছে");
}

TEST_F(NiseProfileScreens, ACodeThatIsNoCertificateGetsATranslatedBannerAndIsForgotten) {
    start();
    open_nise();
    run(R"([{"tap": "nise.home.profile"}, {"tap": "nise.edu.next"}, {"tap": "nise.skills.next"}])");
    expect("nise.cert.title");
    expect_absent("nise.cert.result");
    EXPECT_FALSE(node("nise.cert.add")->enabled) << "nothing typed yet";
    run(R"([{"tap": "nise.cert.code"}, {"type": "hello"}, {"tap": "nise.cert.add"}])");
    ASSERT_TRUE(node("nise.cert.result")) << tree();
    EXPECT_EQ(node("nise.cert.result")->value, "error");
    EXPECT_EQ(label("nise.cert.result"), "এটি মুক্তপাঠ সনদের কোড নয়।");
    EXPECT_EQ(node("nise.cert.code")->value, "") << "the field is cleared";
    // No camera on this kiosk: no Scan button, typing only.
    expect_absent("nise.cert.scan");
}

TEST_F(NiseProfileScreens, AWrongPhoneOrCodeIsRefusedWithTheSameWords) {
    start();
    open_nise();
    tap("nise.home.return");
    expect("nise.return.title");
    std::set<std::string> said;
    for (const auto& [phone, code] :
         {std::pair{"01711223344", "K7QP-2M9X"}, std::pair{"01811000000", "k7qp2m9x"},
          std::pair{"12", "K7QP-2M9X"}}) {
        SCOPED_TRACE(phone);
        run(json::array({{{"tap", "nise.return.phone"}},
                         {{"type", phone}},
                         {{"tap", "nise.return.code"}},
                         {{"type", code}},
                         {{"tap", "nise.return.open"}}}));
        ASSERT_TRUE(node("nise.return.problem")) << tree();
        EXPECT_EQ(node("nise.return.problem")->value, "error");
        said.insert(label("nise.return.problem"));
        expect_absent("nise.me.title");
        // Cleared for the next try (the kit keeps what was typed while the page is shown).
        run(R"([{"tap": "shell.back"}, {"tap": "nise.home.return"}])");
    }
    EXPECT_EQ(said.size(), 1u) << "nothing tells whether a phone has a profile";
    EXPECT_THAT(*said.begin(), HasSubstr("ফোন নম্বর ও কোড"));
    // A code that cannot be one is said under its field, before any look-up.
    run(R"([{"tap": "nise.return.phone"}, {"type": "01711223344"}, {"tap": "nise.return.code"},
            {"type": "OI10"}, {"tap": "nise.return.open"}])");
    EXPECT_THAT(node("nise.return.code")->error, HasSubstr("K7QP-2M9X"));
}

// Guessing at the screen: five wrong phone-and-code tries in a row, and the form waits a
// minute, for the next citizen too (a new session does not start the count again).
TEST_F(NiseProfileScreens, FiveWrongTriesMakeTheFormWaitAcrossSessions) {
    start();
    open_nise();
    tap("nise.home.return");
    for (int i = 0; i < 5; ++i) {
        SCOPED_TRACE(i);
        ASSERT_TRUE(node("nise.return.open")) << tree();
        run(json::array({{{"tap", "nise.return.phone"}},
                         {{"type", "01711223344"}},
                         {{"tap", "nise.return.code"}},
                         {{"type", "K7QP-2M9" + std::to_string(i + 2)}},
                         {{"tap", "nise.return.open"}}}));
        run(R"([{"tap": "shell.back"}, {"tap": "nise.home.return"}])");
    }
    expect("nise.return.locked");
    expect_absent("nise.return.open");
    EXPECT_THAT(label("nise.return.locked"), HasSubstr("এক মিনিট"));
    run(R"([{"tap": "shell.home"}])");
    if (node("shell.finish.yes")) tap("shell.finish.yes");
    open_nise();
    tap("nise.home.return");
    expect("nise.return.locked");
}

TEST_F(NiseProfileScreens, TheEndOfTheSessionForgetsTheCitizen) {
    start();
    open_nise();
    run(R"([{"tap": "nise.home.profile"}, {"tap": "nise.edu.tertiary"}, {"tap": "nise.edu.next"},
            {"tap": "nise.skills.search"}, {"type": "সেলাই"}])");
    EXPECT_EQ(node("nise.skills.search")->value, "সেলাই");
    // The citizen walks away.
    run(R"([{"wait_s": 200}])");
    expect_screen("home");
    open_nise();
    tap("nise.home.profile");
    EXPECT_EQ(node("nise.edu.tertiary")->value, "");
    tap("nise.edu.next");
    EXPECT_EQ(node("nise.skills.search")->value, "");
}

// Every msgid the plugin's sources pass to ui.tr(), ui.trn(), say() or tr_format() (and the
// education levels' words) has a translation in each catalog, with its placeholders kept.
TEST(NiseTranslations, EveryTextIsTranslatedInEveryCatalog) {
    std::vector<std::filesystem::path> sources;
    for (const auto& f : std::filesystem::recursive_directory_iterator(SEBA_NISE_SOURCE_DIR))
        if (f.path().extension() == ".cpp") sources.push_back(f.path());
    std::set<std::string> msgids = seba::testing::msgids_in(
        sources,
        std::regex(R"re((?:ui\.tr|ui\.trn|say\(ui,|tr_format\(ui,)\(?\s*"((?:[^"\\]|\\.)*)")re"));
    msgids.merge(
        seba::testing::msgids_in({std::filesystem::path(SEBA_NISE_SOURCE_DIR) / "profile.cpp"},
                                 std::regex(R"re(\{"\w+", "\w+", "([^"]+)"\})re")));
    EXPECT_GT(msgids.size(), 180u);
    seba::testing::expect_translated(msgids, SEBA_NISE_LOCALE_DIR,
                                     {"bn", "uz-Latn", "uz-Cyrl", "ru"});
}

}  // namespace
}  // namespace seba::nise::profile_testing

// SPDX-License-Identifier: Apache-2.0
// Translations as a citizen meets them: the shell's real catalogs say real things in Bangla,
// Uzbek (both scripts) and Russian, anything untranslated falls back to English, and a broken
// catalog is reported by file and line instead of silently showing English.
#include "seba/ui/i18n.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "seba/error.hpp"
#include "seba/kiosk_settings.hpp"
#include "seba/utf8.hpp"

namespace seba::ui {
namespace {

namespace fs = std::filesystem;

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::ThrowsMessage;
using ::testing::UnorderedElementsAreArray;

const fs::path kLocaleDir = SEBA_KIOSK_LOCALE_DIR;
constexpr std::string_view kLanguages[] = {"bn", "uz-Latn", "uz-Cyrl", "ru"};

// Everything the shell asks to be translated, as the engineers wrote it.
const std::vector<std::string> kShellMsgids = {
    // the kit's own words and the header
    "optional",
    "Fill in this field.",
    "There is a problem",
    "Change",
    "Step {0} of {1}",
    "Read aloud",
    "Large text",
    "High contrast",
    "Home",
    "Back",
    "Online",
    "Offline",
    "Never synced",
    "Last sync {0}",
    "{0} waiting to send",
    "Language",
    "Are you still there?",
    "Your session will end in {0} second.",  // plural: seconds
    "Continue",
    "Are you finished?",
    "What you typed will be erased, so that the next person cannot see it.",
    "Yes, I am finished",
    "No, go back",
    "Service unavailable",
    "This service is not available right now. Please choose another service or ask the "
    "operator.",
    "Choose a service",
    "Operator",
    "Enter PIN",
    "Wrong PIN",
    "Too many wrong PINs. Try again in {0} second.",  // plural: seconds
    "Plugins",
    "Enabled",
    "Disabled",
    "Move up",
    "Move down",
    "Re-enable",
    "Settings",
    "Kiosk settings",
    "Server URL",
    "Centre",
    "Idle timeout (seconds)",
    "Languages",
    "Save",
    "Exit operator mode",
    "Plugin health",
    "Outbox",
    "Events waiting",
    "Failed events",
    "Development mode: unsigned plugins are allowed",
    "Space",
    "Enter",
    "Delete",
    "OK",
    "Cancel",
    "This field is required",
    "Set a new PIN",
    "PIN must be 4 to 12 digits",
    "Saved",
    "Running",
    "Failed",
    "Refused",
    "Quarantined",
    "Stopped",
    "Locked for {0} seconds",
    "Reason",
    "Crashes",
    "Updating catalogs: {0} received",
    "Catalogs",
    "{0} record",  // plural: records
    "Sync now",
    "Sync started",
    "Changed on this kiosk, over the fleet's settings",
    "Use the fleet's settings",
    "Sync problem",
    "Not yet checked against the server's clock",
    "Agrees with the server's clock",
    "{0} second ahead of the server's clock",  // plural: seconds
    "{0} second behind the server's clock",    // plural: seconds
    // Resources running out: a full disk, a database that cannot be opened
    "This service cannot take requests right now. Please ask the operator.",
    "Not available right now",
    "The disk is full: {0} MB free, at least {1} MB needed",
    "The database cannot be opened: {0}",
    "The database cannot be written: {0}",
    "Free space on this disk. The kiosk takes requests again by itself within a minute; it does "
    "not need a restart.",
    "The kiosk tries again every 30 seconds. Do not delete the database: requests not yet sent "
    "are only in it. If this stays, call support.",
    "Check again",
    "Waiting",
    "Not saved: the kiosk cannot write to its database now.",
    // seba-kiosk doctor (kiosk/shell/doctor.cpp)
    "This could not be checked: {0}",
    "Run this check again as the kiosk's user or as root. If this stays, call support.",
    "Fonts",
    "Screen and graphics",
    "On-screen keyboards",
    "Receipt printer",
    "Database",
    "Free disk space",
    "Server and enrollment",
    "Clock",
    "Install the Debian package {0} (as root: apt-get install {0}), then restart the kiosk.",
    "{0}: the font {1} is not installed.",
    "{0}: the kiosk has no record of this language, so its fonts are unknown.",
    "Add the language's record to the country pack (channel i18n.languages), or remove it from "
    "kiosk.languages.",
    "{0}: the font {1} shows “{2}”.",
    "{0}: the font {1} lacks letters of “{2}”.",
    "Pictograms",
    "{0}: the font {1} has all {2} of the kiosk's pictograms.",
    "{0}: the font {1} lacks pictograms the kiosk draws: {2}.",
    "This terminal has no screen (DISPLAY and WAYLAND_DISPLAY are not set), for example over SSH, "
    "so the kiosk's screen was not checked.",
    "Check the kiosk's own session (systemctl status seba-kiosk), or run this check on the kiosk's "
    "screen, for example: DISPLAY=:0 {0}",
    "The screen {0} cannot be opened: {1}",
    "Check that the kiosk's screen session runs (systemctl status seba-kiosk) and that this user "
    "may use the screen.",
    "The screen {0} has no OpenGL {1} for the kiosk: {2}",
    "Screen {0}: OpenGL {1}, drawn by {2}.",
    "The picture is drawn by software ({0}): the kiosk works, but may be slow.",
    "If this computer has a graphics card, install its driver. Without one, this is expected.",
    "{0}: layout {1}.",
    "{0}: the keyboard layout cannot be read: {1}",
    "No plugin that prints is enabled, so nothing is printed.",
    "No receipt printer is set: receipts are only shown on screen.",
    "The printer {0} is not there.",
    "Plug the printer in, switch it on and check its cable; then run this check again.",
    "The user {1} may not write to the printer {0}.",
    "Add the kiosk's user to the lp group (as root: usermod -aG lp {0}), then restart the kiosk.",
    "Let the user {0} write to {1}, or set another printer as printer.device in {2}.",
    "The printer {0} is ready: the user {1} may write to it.",
    "There is no database yet ({0}); the kiosk makes it when it first starts.",
    "Start the kiosk once (systemctl start seba-kiosk), then run this check again.",
    "Stop the kiosk (systemctl stop seba-kiosk) and keep a copy of the file for support. Do not "
    "delete it: requests not yet sent to the server are only in this file. Then call support.",
    "The database {0} cannot be read: {1}",
    "The database {0} is damaged: {1}",
    "{0}: no damage found ({1}).",
    "Free some space on this disk: as root, run apt-get clean and journalctl --vacuum-size=100M, "
    "and delete files that are not the kiosk's. Never delete {0}: it holds requests not yet sent.",
    "Only {0} free on the disk that holds {1}: the kiosk needs at least {2}.",
    "Only {0} free on the disk that holds {1}: keep at least {2} free.",
    "{0} free on the disk that holds {1}.",
    "No server is set: server.url in {0} is empty, so nothing reaches the centre.",
    "Set server.url in {0} to the address from your administrator, then restart the kiosk.",
    "Ask the administrator for an enrollment code (seba-server admin enroll-code CENTRE), then "
    "run: {0}",
    "This kiosk is not enrolled with the server.",
    "Enrolled as device {0} for centre {1}.",
    "The device key {0} cannot be used: {1}",
    "Check the network (cable, Wi-Fi or modem), any firewall on the way, and server.url in {0}.",
    "The server {0} answers ({1} ms).",
    "The server {0} answered with HTTP {1}, not as seba-server does.",
    "Check that server.url in {0} points to seba-server, not to another web page or a proxy.",
    "The server {0} cannot be reached: the connection was refused.",
    "Check that seba-server runs on the server machine and that server.url in {0} has the right "
    "address and port.",
    "The server's name in {0} was not found (DNS).",
    "The server {0} did not answer within {1} seconds.",
    "The secure (TLS) connection to {0} failed: {1}",
    "Check this kiosk's clock (see below) and, with the server's administrator, the server's "
    "certificate.",
    "The server {0} cannot be reached: {1}",
    "Turn on time sync, as root: timedatectl set-ntp true (check it with: timedatectl status).",
    "The clock was not compared: the server cannot be reached.",
    "Fix the server connection first (see above), then run this check again.",
    "The clock was not compared: the server did not say its time (an older seba-server).",
    "This kiosk's clock is {0} seconds ahead of the server's; the server refuses requests more "
    "than {1} seconds off.",
    "This kiosk's clock is {0} seconds behind the server's; the server refuses requests more than "
    "{1} seconds off.",
    "This kiosk's clock agrees with the server's (difference: {0} seconds).",
    "The plugins could not be checked: {0}",
    "This kiosk is in development mode (kiosk.mode in {0}): plugins signed with a development key "
    "load.",
    "On a kiosk in service, set kiosk.mode = \"production\" in {0} and install the release build "
    "of the plugins.",
    "On a kiosk in service, set plugins.allow_unsigned = false in {0}.",
    "{0}: running without a signature (development mode).",
    "{0}: running, signed by trusted key {1}.",
    "{0}: running, but it stopped the kiosk {1} times before.",
    "Look in the kiosk's log ({0}) for what happened, and tell support.",
    "{0} was refused. Reason: {1}",
    "Reinstall {0} from the kiosk's package (a signed build), or take it out of plugins.enabled in "
    "{1}.",
    "{0} failed. Reason: {1}",
    "After fixing the cause, start it again: {0}",
    "{0} is quarantined. Reason: {1}",
    "{0} is not running ({1}).",
    "No plugin is enabled: citizens see no services.",
    "List the services in plugins.enabled in {0}, or publish a fleet configuration for this "
    "centre.",
    "Seba kiosk check-up: {0}",
    "WARNING",
    "PROBLEM",
    "Found",
    "What to do",
    "Problems: {0}. Warnings: {1}.",
    // The operator screen's outbox list
    "Waiting to send",
    "Not sent",
    "{0} min",
    "{0} h",
    "{0} d",
    "Attempts: {0}",
    "and {0} more",
    "Retry",
    "Retry all failed",
    "Back in line to send: {0}",
    // The exit survey (seba/ui/exit_survey.hpp), and the answers it refuses (seba::tcv::describe)
    "Tell us about your visit",
    "Will you answer 5 short questions about your visit?",
    "It helps improve this service. Your name is not asked.",
    "Tap to hear the question",
    "Yes",
    "No",
    "Skip this question",
    "Next",
    "How many times did you come for this service, today included?",
    "More",
    "Number of times",
    "How long was your journey here, one way?",
    "{0} minutes",
    "Other",
    "Minutes, one way",
    "How much did your journey here cost, one way?",
    "Nothing",
    "I walked, or came for free",
    "Amount",
    "Did you pay anyone extra, beyond the receipt?",
    "Your answer is not linked to your name.",
    "How much did you pay extra?",
    "How was the service today?",
    "Very bad",
    "Bad",
    "Neither good nor bad",
    "Good",
    "Very good",
    "Thank you!",
    "Your answers help improve this service.",
    "Your answers could not be saved. Your request is not affected.",
    "Enter how many times you came: 1 to 30",
    "Enter the minutes of your journey: 0 to 1440",
    "This amount is too large; check it",
    "An extra amount needs a yes to paying extra",
    "Choose one of the five faces",
    "This survey is not linked to a service",
};

bool has_code_point_in(std::string_view text, char32_t low, char32_t high) {
    for (const char32_t cp : utf8::to_utf32(text)) {
        if (cp >= low && cp <= high) return true;
    }
    return false;
}

bool is_bangla_script(std::string_view text) {
    return has_code_point_in(text, 0x0980, 0x09FF);
}
bool is_cyrillic_script(std::string_view text) {
    return has_code_point_in(text, 0x0400, 0x04FF);
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

const Catalog& shell_catalog() {
    static const Catalog catalog = Catalog::load("seba", kLocaleDir);
    return catalog;
}

// --- the real catalogs ------------------------------------------------------------------------

TEST(ShellCatalogTest, HomeIsBanglaInBangla) {
    const std::string& home = shell_catalog().translate("bn", "Home");
    EXPECT_NE(home, "Home");
    EXPECT_TRUE(is_bangla_script(home)) << home;
}

TEST(ShellCatalogTest, HoldsExactlyTheShellStrings) {
    EXPECT_EQ(shell_catalog().domain(), "seba");
    EXPECT_THAT(shell_catalog().msgids(), UnorderedElementsAreArray(kShellMsgids));
}

// The operator screen shows each kiosk setting the operator may change by the table's label
// (seba/kiosk_settings.hpp), so a key added there for the operator needs its label here.
TEST(ShellCatalogTest, HoldsTheLabelOfEveryKioskSettingTheOperatorChanges) {
    for (const KioskSetting& setting : kiosk_settings())
        if (setting.settable_by(SettingLayer::Operator)) {
            EXPECT_THAT(kShellMsgids, Contains(std::string(setting.label))) << setting.key;
        }
}

TEST(ShellCatalogTest, BanglaAndUzbekTranslateEverything) {
    for (const std::string_view language : {"bn", "uz-Latn", "uz-Cyrl"}) {
        EXPECT_THAT(shell_catalog().missing(language), IsEmpty()) << language;
    }
}

TEST(ShellCatalogTest, EachLanguageIsWrittenInItsScript) {
    for (const std::string& english : kShellMsgids) {
        // Mixed-script strings are fine ("সার্ভারের URL"); each must carry its own script.
        EXPECT_TRUE(is_bangla_script(shell_catalog().translate("bn", english))) << english;
        EXPECT_TRUE(is_cyrillic_script(shell_catalog().translate("uz-Cyrl", english)) ||
                    english == "OK")
            << english;
        EXPECT_FALSE(is_cyrillic_script(shell_catalog().translate("uz-Latn", english))) << english;
        if (english != "Crashes") {
            EXPECT_TRUE(is_cyrillic_script(shell_catalog().translate("ru", english))) << english;
        }
    }
    EXPECT_EQ(shell_catalog().translate("uz-Latn", "Choose a service"), "Xizmatni tanlang");
    EXPECT_EQ(shell_catalog().translate("ru", "Back"), "Назад");
}

TEST(ShellCatalogTest, UzbekLatinUsesTheModifierLetterNotAnApostrophe) {
    const std::string& language = shell_catalog().translate("uz-Latn", "Language");
    EXPECT_NE(language, "Language");
    EXPECT_EQ(language.find('\''), std::string::npos) << language;

    // oʻ and gʻ need U+02BB; an ASCII apostrophe or a typographic quote is a typo here.
    const std::string_view wrong_marks[] = {"'", "\u2018", "\u2019", "`"};
    for (const std::string& english : kShellMsgids) {
        const std::string& text = shell_catalog().translate("uz-Latn", english);
        for (const std::string_view letter : {"o", "O", "g", "G"}) {
            for (const std::string_view mark : wrong_marks) {
                const std::string typo = std::string(letter) + std::string(mark);
                EXPECT_EQ(text.find(typo), std::string::npos)
                    << "uz-Latn translation of \"" << english << "\" has \"" << typo
                    << "\" where \"" << letter << "\u02BB\" belongs: " << text;
            }
        }
    }
    EXPECT_THAT(shell_catalog().translate("uz-Latn", "Wrong PIN"),
                HasSubstr("noto\u02BBg\u02BBri"));
}

TEST(ShellCatalogTest, UzbekCyrillicUsesUzbekLetters) {
    std::string all;
    for (const std::string& english : kShellMsgids) {
        all += shell_catalog().translate("uz-Cyrl", english);
    }
    for (const std::string_view letter : {"ў", "қ", "ғ", "ҳ"}) {
        EXPECT_THAT(all, HasSubstr(std::string(letter)));
    }
}

TEST(ShellCatalogTest, RussianMissesExactlyCrashes) {
    EXPECT_THAT(shell_catalog().missing("ru"), ElementsAre("Crashes"));
    EXPECT_EQ(shell_catalog().translate("ru", "Crashes"), "Crashes");
    EXPECT_THAT(read_text(kLocaleDir / "ru.po"), HasSubstr("# TODO(translator)"));
}

TEST(ShellCatalogTest, TranslationsKeepTheirPlaceholders) {
    for (const std::string_view language : kLanguages) {
        for (const std::string& english : kShellMsgids) {
            EXPECT_EQ(placeholders(shell_catalog().translate(language, english)),
                      placeholders(english))
                << language << ": " << english;
        }
    }
}

TEST(ShellCatalogTest, PassMsgfmtCheck) {
    for (const std::string_view language : kLanguages) {
        const fs::path file = kLocaleDir / (std::string(language) + ".po");
        ASSERT_TRUE(fs::is_regular_file(file)) << file;
        const std::string command = "msgfmt --check -o /dev/null '" + file.string() + "'";
        EXPECT_EQ(std::system(command.c_str()), 0) << command;
    }
}

TEST(ShellCatalogTest, LanguageWithoutCatalogFallsBackToEnglish) {
    EXPECT_EQ(shell_catalog().translate("en", "Home"), "Home");
    EXPECT_EQ(shell_catalog().translate("fr", "Choose a service"), "Choose a service");
    EXPECT_THAT(shell_catalog().missing("en"), IsEmpty());
    // A language the kiosk has no catalog for misses everything.
    EXPECT_EQ(shell_catalog().missing("fr").size(), kShellMsgids.size());
}

TEST(ShellCatalogTest, UnknownMsgidFallsBackToEnglishThatOutlivesTheArgument) {
    const std::string* kept = nullptr;
    {
        const std::string english = "A string no catalog has";
        kept = &shell_catalog().translate("bn", english);
        EXPECT_NE(kept, &english);  // a stored copy, not the caller's string
    }
    EXPECT_EQ(*kept, "A string no catalog has");
    EXPECT_EQ(&shell_catalog().translate("ru", "A string no catalog has"), kept);
    EXPECT_EQ(shell_catalog().translate("bn", "nav", "Home"), "Home");
}

TEST(ShellCatalogTest, TranslateIsSafeFromManyThreads) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([t] {
            for (int i = 0; i < 200; ++i) {
                const std::string english =
                    "thread " + std::to_string(t) + " " + std::to_string(i % 20);
                EXPECT_EQ(shell_catalog().translate("bn", english), english);
                EXPECT_NE(shell_catalog().translate("bn", "Home"), "Home");
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
}

// --- catalogs written by the tests ----------------------------------------------------------

constexpr std::string_view kHeader =
    "msgid \"\"\n"
    "msgstr \"\"\n"
    "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
    "\n";

class CatalogFilesTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char pattern[] = "/tmp/seba-i18n-test-XXXXXX";
        ASSERT_NE(mkdtemp(pattern), nullptr);
        dir_ = pattern;
    }
    void TearDown() override {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
    void write_po(std::string_view language, std::string_view body) const {
        std::ofstream out(dir_ / (std::string(language) + ".po"), std::ios::binary);
        out << body;
    }

    fs::path dir_;
};

TEST_F(CatalogFilesTest, FuzzyEmptyAndObsoleteEntriesCountAsMissing) {
    write_po("bn", std::string(kHeader) +
                       "msgid \"Home\"\nmsgstr \"প্রথম পাতা\"\n\n"
                       "#, fuzzy\nmsgid \"Back\"\nmsgstr \"পিছনে\"\n\n"
                       "msgid \"Save\"\nmsgstr \"\"\n\n"
                       "#~ msgid \"Old\"\n#~ msgstr \"পুরোনো\"\n");
    const Catalog catalog = Catalog::load("test", dir_);
    EXPECT_EQ(catalog.translate("bn", "Home"), "প্রথম পাতা");
    EXPECT_EQ(catalog.translate("bn", "Back"), "Back");
    EXPECT_EQ(catalog.translate("bn", "Save"), "Save");
    EXPECT_EQ(catalog.translate("bn", "Old"), "Old");
    EXPECT_THAT(catalog.missing("bn"), ElementsAre("Back", "Save"));
    // The header and obsolete entries are not msgids.
    EXPECT_THAT(catalog.msgids(), ElementsAre("Back", "Home", "Save"));
}

TEST_F(CatalogFilesTest, MissingListsTheUnionOfAllCatalogs) {
    write_po("bn", std::string(kHeader) + "msgid \"Home\"\nmsgstr \"প্রথম পাতা\"\n");
    write_po("ru", std::string(kHeader) + "msgid \"Back\"\nmsgstr \"Назад\"\n");
    const Catalog catalog = Catalog::load("test", dir_);
    EXPECT_THAT(catalog.missing("bn"), ElementsAre("Back"));
    EXPECT_THAT(catalog.missing("ru"), ElementsAre("Home"));
    EXPECT_THAT(catalog.missing("uz-Latn"), ElementsAre("Back", "Home"));
}

TEST_F(CatalogFilesTest, ContextSeparatesTranslationsOfOneMsgid) {
    write_po("ru", std::string(kHeader) +
                       "msgctxt \"keyboard\"\nmsgid \"Enter\"\nmsgstr \"Ввод\"\n\n"
                       "msgctxt \"door\"\nmsgid \"Enter\"\nmsgstr \"Войти\"\n\n"
                       "msgid \"Enter\"\nmsgstr \"Введите\"\n");
    const Catalog catalog = Catalog::load("test", dir_);
    EXPECT_EQ(catalog.translate("ru", "keyboard", "Enter"), "Ввод");
    EXPECT_EQ(catalog.translate("ru", "door", "Enter"), "Войти");
    EXPECT_EQ(catalog.translate("ru", "Enter"), "Введите");
    EXPECT_EQ(catalog.translate("ru", "window", "Enter"), "Enter");
    EXPECT_EQ(catalog.translate("bn", "keyboard", "Enter"), "Enter");
    // Keys are msgctxt + '\x04' + msgid, as gettext forms them.
    const std::string door = std::string("door") + '\x04' + "Enter";
    const std::string keyboard = std::string("keyboard") + '\x04' + "Enter";
    EXPECT_THAT(catalog.msgids(), ElementsAre("Enter", door, keyboard));
    EXPECT_THAT(catalog.missing("ru"), IsEmpty());
}

TEST_F(CatalogFilesTest, MalformedCatalogNamesFileAndLine) {
    write_po("bn", std::string(kHeader) +                          // lines 1-4
                       "msgid \"Home\"\nmsgstr \"প্রথম পাতা\"\n\n"  // lines 5-7
                       "msgid \"Back\"\nmsgstrr \"ফিরে যান\"\n");  // lines 8-9: typo
    const std::string where = (dir_ / "bn.po").string() + ":9";
    EXPECT_THAT([&] { Catalog::load("test", dir_); },
                ThrowsMessage<Error>(AllOf(HasSubstr(where), HasSubstr("msgstrr"))));
}

TEST_F(CatalogFilesTest, UnterminatedStringAndDuplicatesAreErrors) {
    write_po("ru", std::string(kHeader) + "msgid \"Home\nmsgstr \"Главная\"\n");
    EXPECT_THAT([&] { Catalog::load("test", dir_); },
                ThrowsMessage<Error>(HasSubstr((dir_ / "ru.po").string() + ":")));

    write_po("ru", std::string(kHeader) +
                       "msgid \"Home\"\nmsgstr \"Главная\"\n\n"
                       "msgid \"Home\"\nmsgstr \"Домой\"\n");
    EXPECT_THAT([&] { Catalog::load("test", dir_); },
                ThrowsMessage<Error>(
                    AllOf(HasSubstr((dir_ / "ru.po").string() + ":8"), HasSubstr("duplicate"))));
}

TEST_F(CatalogFilesTest, BrokenCatalogDoesNotSpoilTheNextLoad) {
    write_po("bn", std::string(kHeader) + "msgid \"Home\"\nmsgstr \"ভুল\n");
    EXPECT_THROW(Catalog::load("test", dir_), Error);
    write_po("bn", std::string(kHeader) + "msgid \"Home\"\nmsgstr \"প্রথম পাতা\"\n");
    EXPECT_EQ(Catalog::load("test", dir_).translate("bn", "Home"), "প্রথম পাতা");
}

TEST_F(CatalogFilesTest, CatalogMustBeUtf8) {
    write_po("ru",
             "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=KOI8-R\\n\"\n\n"
             "msgid \"Home\"\nmsgstr \"\xE7\xEC\xE1\xF7\xEE\xE1\xF1\"\n");
    EXPECT_THAT([&] { Catalog::load("test", dir_); },
                ThrowsMessage<Error>(AllOf(HasSubstr("ru.po"), HasSubstr("koi8-r"))));
}

TEST_F(CatalogFilesTest, DirectoryInPlaceOfACatalogIsAnError) {
    fs::create_directory(dir_ / "uz-Cyrl.po");
    EXPECT_THAT([&] { Catalog::load("test", dir_); },
                ThrowsMessage<Error>(HasSubstr("uz-Cyrl.po is not a regular file")));
}

TEST_F(CatalogFilesTest, MissingDirectoryMeansEnglishEverywhere) {
    const Catalog catalog = Catalog::load("plugin.about", dir_ / "no-such-locale");
    EXPECT_EQ(catalog.domain(), "plugin.about");
    EXPECT_THAT(catalog.msgids(), IsEmpty());
    EXPECT_THAT(catalog.missing("bn"), IsEmpty());
    EXPECT_EQ(catalog.translate("bn", "Home"), "Home");

    const Catalog empty_dir = Catalog::load("test", dir_);
    EXPECT_THAT(empty_dir.msgids(), IsEmpty());
    EXPECT_EQ(empty_dir.translate("uz-Latn", "Home"), "Home");
}

TEST_F(CatalogFilesTest, EnglishCatalogIsOptionalAndCorrectsWording) {
    write_po("en", std::string(kHeader) + "msgid \"Centre\"\nmsgstr \"Service centre\"\n");
    write_po("bn", std::string(kHeader) +
                       "msgid \"Centre\"\nmsgstr \"\"\n\nmsgid \"Home\"\nmsgstr \"প্রথম পাতা\"\n");
    const Catalog catalog = Catalog::load("test", dir_);
    EXPECT_EQ(catalog.translate("en", "Centre"), "Service centre");
    EXPECT_EQ(catalog.translate("bn", "Centre"), "Service centre");
    EXPECT_EQ(catalog.translate("en", "Home"), "Home");
    EXPECT_THAT(catalog.missing("bn"), ElementsAre("Centre"));
    EXPECT_THAT(catalog.missing("en"), IsEmpty());
}

// --- digits and names -------------------------------------------------------------------------

TEST(DigitsTest, BanglaShowsBanglaDigits) {
    EXPECT_EQ(localize_digits("Tk 1250", "bn"), "Tk ১২৫০");
    EXPECT_EQ(localize_digits("0123456789", "bn"), "০১২৩৪৫৬৭৮৯");
    EXPECT_EQ(localize_digits("টোকেন 17", "bn"), "টোকেন ১৭");
    for (const std::string_view language : {"en", "ru", "uz-Latn", "uz-Cyrl", ""}) {
        EXPECT_EQ(localize_digits("Tk 1250", language), "Tk 1250") << language;
    }
}

TEST(DigitsTest, TypedDigitsBecomeAscii) {
    EXPECT_EQ(ascii_digits("০১৭১১-২৩৪৫৬৭"), "01711-234567");
    EXPECT_EQ(ascii_digits("٠١٢٣٤٥٦٧٨٩"), "0123456789");
    EXPECT_EQ(ascii_digits("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
    EXPECT_EQ(ascii_digits("ফোন: ০১৭ (Tk 5)"), "ফোন: 017 (Tk 5)");
    // Neighbours of the digit blocks, and other scripts, pass through untouched.
    EXPECT_EQ(ascii_digits("৥৹٪۽ Oʻzbek Тел"), "৥৹٪۽ Oʻzbek Тел");
    EXPECT_EQ(ascii_digits(""), "");
    EXPECT_EQ(ascii_digits(localize_digits("+880 1711 234567", "bn")), "+880 1711 234567");
}

TEST(EndonymTest, NamesEachLanguageInItself) {
    EXPECT_EQ(language_endonym("bn"), "বাংলা");
    EXPECT_EQ(language_endonym("uz-Latn"), "O\u02BBzbekcha");
    EXPECT_EQ(language_endonym("uz-Cyrl"), "Ўзбекча");
    EXPECT_EQ(language_endonym("ru"), "Русский");
    EXPECT_EQ(language_endonym("en"), "English");
    EXPECT_EQ(language_endonym("fr"), "fr");
    EXPECT_THAT(std::string(language_endonym("uz-Latn")), Not(HasSubstr("'")));
}

}  // namespace
}  // namespace seba::ui

namespace seba::ui {
namespace {

TEST(Placeholders, FindsEachBracedNameOnce) {
    EXPECT_EQ(placeholders("{0} waiting to send, {1} failed, {0} in all"),
              (std::set<std::string>{"{0}", "{1}"}));
    EXPECT_TRUE(placeholders("no placeholder, an unclosed { brace").empty());
    EXPECT_NE(placeholders("Last sync {0}"), placeholders("Последняя синхронизация {1}"))
        << "a translator who renamed the placeholder is caught";
}

}  // namespace
}  // namespace seba::ui

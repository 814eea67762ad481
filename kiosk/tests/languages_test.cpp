// SPDX-License-Identifier: Apache-2.0
// Languages as data (seba/language.hpp, seba/ui/languages.hpp): the five Seba ships are
// records like any country's; a country pack's language and translations arrive on their
// channels and a running kiosk speaks it after the next sync, with no build. Tried: the
// shipped records, a Nepali record, malformed records of every field, a record keyed by
// another tag, a stale and a malformed translation, a fleet naming a language whose font is
// not installed, and one the kiosk has never heard of.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "kiosk_harness.hpp"
#include "language_check.hpp"
#include "seba/audit.hpp"
#include "seba/catalog.hpp"
#include "seba/error.hpp"
#include "seba/language.hpp"
#include "seba/sync_engine.hpp"
#include "seba/ui/i18n.hpp"
#include "seba/ui/keyboard.hpp"
#include "seba/ui/languages.hpp"
#include "seba/ui/recorder.hpp"
#include "seba/ui/ui_state.hpp"

namespace seba::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Nepali as a pilot writes it into a country pack: Devanagari, its own digits, the xkb
// layout np, Debian's Noto Sans Devanagari.
json nepali() {
    return json::parse(R"({
        "tag": "ne", "name": "नेपाली", "english_name": "Nepali",
        "scripts": ["Deva"], "digits": "deva", "locale": "ne_NP",
        "keyboard": {"layout": "np", "variant": ""},
        "fonts": {"Deva": ["Noto Sans Devanagari"]}, "font_packages": ["fonts-noto-core"],
        "voice": "ne"
    })");
}

TEST(LanguagesTest, TheShippedFiveAreRecordsWithTheirNamesKeyboardsDigitsAndVoices) {
    const ui::Languages shipped = ui::Languages::shipped();
    ASSERT_EQ(shipped.all().size(), 5u);
    const ui::Language* bn = shipped.find("bn");
    ASSERT_NE(bn, nullptr);
    EXPECT_EQ(bn->name, "বাংলা");
    EXPECT_EQ(bn->digits, "beng");
    EXPECT_EQ(bn->keyboard_layout + "(" + bn->keyboard_variant + ")", "bd(probhat)");
    EXPECT_EQ(shipped.find("uz-Latn")->name, "O\u02BBzbekcha");
    EXPECT_EQ(shipped.find("uz-Cyrl")->voice, "uz");
    EXPECT_EQ(shipped.find("ru")->keyboard_layout, "ru");
    EXPECT_EQ(shipped.find("en")->locale, "en");
    EXPECT_EQ(shipped.find("ne"), nullptr);
    EXPECT_EQ(ui::localize_digits("2024", "bn"), "২০২৪");
    EXPECT_EQ(ui::localize_digits("2024", "ru"), "2024");
}

TEST(LanguagesTest, ACountrysRecordReadsAndRoundTrips) {
    const Language ne = Language::from_json(nepali());
    EXPECT_EQ(ne.tag, "ne");
    EXPECT_FALSE(ne.right_to_left);
    EXPECT_EQ(ne.calendar, "gregorian") << "the default";
    EXPECT_EQ(Language::from_json(ne.to_json()).to_json(), ne.to_json());

    json persian = nepali();
    persian["tag"] = "fa";
    persian["scripts"] = json::array({"Arab"});
    persian["fonts"] = {{"Arab", json::array({"Noto Sans Arabic"})}};
    EXPECT_TRUE(Language::from_json(persian).right_to_left) << "from its script";
    json no_locale = nepali();
    no_locale.erase("locale");
    no_locale["tag"] = "sr-Cyrl-RS";
    EXPECT_EQ(Language::from_json(no_locale).locale, "sr_Cyrl_RS");
}

TEST(LanguagesTest, AMalformedRecordIsRefusedNamingTheField) {
    struct Case {
        std::function<void(json&)> spoil;
        std::string said;
    };
    const std::vector<Case> cases = {
        {[](json& r) { r["tag"] = "Nepali"; }, "tag must be a BCP 47 tag"},
        {[](json& r) { r["tag"] = "ne-deva"; }, "tag must be a BCP 47 tag"},
        {[](json& r) { r.erase("name"); }, "name must be given"},
        {[](json& r) { r["name"] = std::string(65, 'x'); }, "name must be a string of at most 64"},
        {[](json& r) { r["scripts"] = json::array(); }, "scripts must be at least one"},
        {[](json& r) { r["scripts"] = json::array({"Devanagari"}); }, "ISO 15924 codes such as"},
        {[](json& r) { r["scripts"] = json::array({"Zzzq"}); }, "ISO 15924 codes such as"},
        {[](json& r) { r["fonts"] = {{"Latn", json::array({"Noto Sans"})}}; }, "Deva has none"},
        {[](json& r) { r["fonts"]["Deva"] = json::array(); }, "at least one family"},
        {[](json& r) { r["fonts"]["Deva"] = json::array({1}); }, "fonts must be a list of"},
        {[](json& r) { r["keyboard"] = "np"; }, "keyboard must be"},
        {[](json& r) { r["keyboard"]["layout"] = "../../etc/passwd"; }, "xkb layout and variant"},
        {[](json& r) { r["digits"] = "Deva digits"; }, "ICU numbering system"},
        {[](json& r) { r["font_packages"] = json::array({"fonts noto"}); }, "Debian package names"},
        {[](json& r) { r["voice"] = "ne; rm -rf /"; }, "espeak-ng voice"},
        {[](json& r) { r["colour"] = "red"; }, "colour must be left out"},
        {[](json& r) { r["right_to_left"] = "yes"; }, "right_to_left must be true or false"},
    };
    for (const Case& c : cases) {
        json record = nepali();
        c.spoil(record);
        EXPECT_THAT([&] { Language::from_json(record); },
                    ::testing::ThrowsMessage<Error>(HasSubstr(c.said)))
            << record.dump();
    }
    EXPECT_THROW(Language::from_json(json::array()), Error);
}

TEST(LanguagesTest, NativeDigitsAndTheKeyboardOfACountrysLanguage) {
    ui::Languages known = ui::Languages::shipped();
    known.add(Language::from_json(nepali()));
    ui::set_languages(known);
    EXPECT_EQ(ui::language_endonym("ne"), "नेपाली");
    EXPECT_EQ(ui::language_voice("ne"), "ne");
    EXPECT_EQ(ui::localize_digits("Step 2 of 10", "ne"), "Step २ of १०");
    EXPECT_EQ(ui::ascii_digits("९८४१२३४५६७"), "9841234567");
    EXPECT_EQ(ui::ascii_digits("๑๒ ၃၄ ០៥"), "12 34 05") << "Thai, Myanmar, Khmer digits";

    const ui::KeyboardLayout keyboard = ui::keyboard_for_language("ne");
    EXPECT_EQ(keyboard.xkb_name, "np");
    bool devanagari = false;
    for (const auto& row : keyboard.rows)
        for (const ui::Key& key : row)
            if (key.text == "क" || key.text == "न") devanagari = true;
    EXPECT_TRUE(devanagari) << "the keys are Devanagari letters from xkb's np layout";
    ui::set_languages(ui::Languages::shipped());
}

TEST(LanguagesTest, TheKitWritesMoneyAndDatesInTheLanguagesLocaleCalendarAndDigits) {
    json persian = nepali();
    persian.update(json::parse(R"({"tag": "fa", "name": "فارسی", "scripts": ["Arab"],
        "digits": "arabext", "locale": "fa_IR", "calendar": "persian",
        "keyboard": {"layout": "ir", "variant": ""}, "fonts": {"Arab": ["Noto Sans Arabic"]}})"));
    ui::Languages known = ui::Languages::shipped();
    known.add(Language::from_json(nepali()));
    known.add(Language::from_json(persian));
    ui::set_languages(known);
    ui::UiState state;
    ui::Recorder ui(state);
    state.language = "fa";
    EXPECT_THAT(ui.date("2024-03-19"), HasSubstr("۱۴۰۲")) << "the Persian year, its digits";
    EXPECT_THAT(ui.date("2024-03-19"), HasSubstr("۲۹"));
    state.language = "ne";
    EXPECT_THAT(ui.money(150, "NPR"), HasSubstr("१५०"));
    EXPECT_EQ(ui.date("not a date"), "not a date");
    state.language = "en";
    EXPECT_THAT(ui.money(80, "KES"), HasSubstr("80"));
    EXPECT_THAT(ui.money(80, "KES"), HasSubstr("KES")) << "any ISO 4217 code";
    ui::set_languages(ui::Languages::shipped());
}

TEST(LanguagesTest, ShiftSaysWhatItTypesInTheKeyboardsOwnScript) {
    auto shift_of = [](std::string_view language) {
        for (const auto& row : ui::keyboard_for_language(language).rows)
            for (const ui::Key& key : row)
                if (key.action == ui::Key::Action::Shift) return key;
        return ui::Key{};
    };
    EXPECT_EQ(shift_of("en").label, "QWE");
    EXPECT_EQ(shift_of("en").shifted, "qwe") << "shown while Shift is held";
    EXPECT_EQ(shift_of("ru").label, "ЙЦУ");
    EXPECT_NE(shift_of("bn").label, "ABC");
    EXPECT_NE(shift_of("bn").label, shift_of("bn").shifted);
}

TEST(LanguagesTest, AChannelRecordKeyedByAnotherTagOrMalformedCostsOnlyItself) {
    KioskHarness kiosk;
    kiosk.start();
    json georgian = nepali();
    georgian["tag"] = "ka";
    kiosk.publish(std::string(ui::kLanguagesChannel), "ne", nepali());
    kiosk.publish(std::string(ui::kLanguagesChannel), "hi", georgian);  // keyed by another tag
    kiosk.publish(std::string(ui::kLanguagesChannel), "am", json{{"tag", "am"}});
    std::vector<std::string> problems;
    const ui::Languages known = ui::languages_from(kiosk.host().database(), &problems);
    EXPECT_NE(known.find("ne"), nullptr);
    EXPECT_EQ(known.find("ka"), nullptr);
    EXPECT_EQ(known.find("am"), nullptr);
    EXPECT_NE(known.find("bn"), nullptr) << "the shipped ones stay";
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_THAT(problems[0], HasSubstr("language \"am\": name must be given"));
    EXPECT_THAT(problems[1], HasSubstr("record hi defines \"ka\""));
}

TEST(LanguagesTest, TranslationsFromTheChannelAreWrittenForTheKioskAloneAndStaleOnesGo) {
    KioskHarness kiosk;
    kiosk.start();
    Database& db = kiosk.host().database();
    const fs::path dir = kiosk.dir() / "locale";
    kiosk.publish(std::string(ui::kTranslationsChannel), "seba/ne",
                  json{{"po", "msgid \"Choose a service\"\nmsgstr \"सेवा छान्नुहोस्\"\n"}});
    kiosk.publish(std::string(ui::kTranslationsChannel), "digital_centre/ne",
                  json{{"po", "msgid \"Apply\"\nmsgstr \"आवेदन दिनुहोस्\"\n"}});
    kiosk.publish(std::string(ui::kTranslationsChannel), "../../etc/ne", json{{"po", ""}});
    kiosk.publish(std::string(ui::kTranslationsChannel), "seba/Nepali", json{{"po", ""}});
    kiosk.publish(std::string(ui::kTranslationsChannel), "seba/bn", json{{"po", 12}});
    std::vector<std::string> problems;
    ui::export_translations(db, dir, &problems);
    EXPECT_EQ(problems.size(), 3u);
    ASSERT_TRUE(fs::exists(dir / "seba" / "ne.po"));
    EXPECT_EQ(fs::status(dir / "seba" / "ne.po").permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_FALSE(fs::exists(dir / "seba" / "bn.po"));

    // A country's catalog over the shell's own: its language added, the rest untouched.
    const ui::Catalog catalog = ui::Catalog::load(
        "seba", std::vector<fs::path>{SEBA_KIOSK_LOCALE_DIR, dir / "seba"});
    EXPECT_EQ(catalog.translate("ne", "Choose a service"), "सेवा छान्नुहोस्");
    EXPECT_EQ(catalog.translate("bn", "Choose a service"), "একটি সেবা বেছে নিন");
    EXPECT_THAT(catalog.languages(), ::testing::Contains("ne"));

    // A country's correction of a shipped language, with no Plural-Forms in its header,
    // keeps that language's plural rule (Russian's three forms), and corrects its word.
    std::ofstream(dir / "seba" / "ru.po") << "msgid \"Choose a service\"\nmsgstr \"Выберите\"\n";
    const ui::Catalog corrected = ui::Catalog::load(
        "seba", std::vector<fs::path>{SEBA_KIOSK_LOCALE_DIR, dir / "seba"});
    EXPECT_EQ(corrected.translate("ru", "Choose a service"), "Выберите");
    EXPECT_EQ(corrected.translate_plural("ru", "{0} record", "{0} records", 5), "{0} записей");
    EXPECT_EQ(corrected.translate_plural("ru", "{0} record", "{0} records", 2), "{0} записи");
    fs::remove(dir / "seba" / "ru.po");

    // The channel no longer holds the Digital Centre's: its file goes.
    catalog::Page page;
    page.changes.push_back({"digital_centre/ne", std::nullopt});
    page.cursor = "99";
    catalog::keep_page(db, ui::kTranslationsChannel, page);
    ui::export_translations(db, dir, &problems);
    EXPECT_FALSE(fs::exists(dir / "digital_centre" / "ne.po"));
    EXPECT_TRUE(fs::exists(dir / "seba" / "ne.po"));
}

// The whole way on a running kiosk: the pack's language, its translation and the fleet's
// choice of languages arrive in one sync; between citizens the kiosk offers the language,
// its picker shows it by its own name, and the home screen speaks it.
TEST(LanguagesTest, ARunningKioskSpeaksACountrysLanguageAfterASyncWithNoBuild) {
    KioskHarness kiosk;
    kiosk.config().enabled_plugins = {"about"};
    kiosk.start();
    kiosk.host().set_language_check(kiosk::language_problem);
    SyncStatus status;
    kiosk.shell().sync_status = [&] { return status; };

    kiosk.publish("fleet", "config", json{{"settings", {{"kiosk.languages", json::array({"en", "ne"})}}}});
    kiosk.publish(std::string(ui::kLanguagesChannel), "ne", nepali());
    kiosk.publish(std::string(ui::kTranslationsChannel), "seba/ne",
                  json{{"po", "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
                              "msgid \"Choose a service\"\nmsgstr \"सेवा छान्नुहोस्\"\n"}});
    status.catalog_changes = 1;
    kiosk.wait_s(1);
    EXPECT_THAT(kiosk.host().config().languages, ElementsAre("en", "ne"));

    kiosk.tap("shell.language");
    EXPECT_EQ(kiosk.label("shell.lang.ne"), "नेपाली");
    kiosk.tap("shell.lang.ne");
    EXPECT_EQ(kiosk.label("shell.home.title"), "सेवा छान्नुहोस्");
}

TEST(LanguagesTest, AFleetNamingALanguageTheKioskCannotShowKeepsItsLanguagesAndSaysWhy) {
    KioskHarness kiosk;
    kiosk.config().languages = {"bn", "en"};
    kiosk.start();
    kiosk.host().set_language_check(kiosk::language_problem);
    SyncStatus status;
    kiosk.shell().sync_status = [&] { return status; };

    json imaginary = nepali();
    imaginary["tag"] = "xx";
    imaginary["fonts"]["Deva"] = json::array({"Noto Sans Imaginary"});
    imaginary["font_packages"] = json::array({"fonts-noto-imaginary"});
    kiosk.publish(std::string(ui::kLanguagesChannel), "xx", imaginary);
    kiosk.publish("fleet", "config", json{{"settings", {{"kiosk.languages", json::array({"xx", "en"})}}}});
    status.catalog_changes = 1;
    kiosk.wait_s(1);
    EXPECT_THAT(kiosk.host().config().languages, ElementsAre("bn", "en"));
    bool said = false;
    for (const AuditEntry& e : kiosk.host().audit().recent(50))
        if (e.action == "fleet.languages_refused") {
            said = true;
            EXPECT_THAT(e.detail, HasSubstr("install the Debian package fonts-noto-imaginary"));
        }
    EXPECT_TRUE(said) << "the audit log says why";

    // Nor may the operator choose it, nor a language with no definition at all.
    EXPECT_THAT([&] { kiosk.host().change_setting("kiosk.languages", json::array({"bn", "xx"}), "operator"); },
                ::testing::ThrowsMessage<ConfigError>(HasSubstr("fonts-noto-imaginary")));
    EXPECT_THAT([&] { kiosk.host().change_setting("kiosk.languages", json::array({"bn", "ka"}), "operator"); },
                ::testing::ThrowsMessage<ConfigError>(HasSubstr("has no definition")));
}

}  // namespace
}  // namespace seba::testing

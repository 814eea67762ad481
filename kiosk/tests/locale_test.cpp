// SPDX-License-Identifier: Apache-2.0
// Digits, dates, money and plurals as a citizen of any country reads and types them: each
// language's own digits, dates in its order and calendar, amounts with its currency sign,
// and "1 секунду / 2 секунды / 5 секунд" rather than one form for every count.
#include "seba/ui/locale.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "seba/error.hpp"
#include "seba/ui/i18n.hpp"
#include "seba/ui/ui.hpp"
#include "seba/ui/ui_state.hpp"

namespace seba::ui {
namespace {

namespace fs = std::filesystem;

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

// --- digits ---------------------------------------------------------------------------------

TEST(NativeDigitsTest, WritesEachNumberingSystemsDigits) {
    EXPECT_EQ(native_digits("Tk 1250", "beng"), "Tk ১২৫০");
    EXPECT_EQ(native_digits("0123456789", "beng"), "০১২৩৪৫৬৭৮৯");
    EXPECT_EQ(native_digits("0123456789", "deva"), "०१२३४५६७८९");
    EXPECT_EQ(native_digits("0123456789", "arabext"), "۰۱۲۳۴۵۶۷۸۹");
    EXPECT_EQ(native_digits("No 42, রোড 7", "deva"), "No ४२, রোড ७");
}

TEST(NativeDigitsTest, LatinUnknownAndAlgorithmicSystemsLeaveTextAlone) {
    for (const std::string_view numbering : {"latn", "roman", "hebr", "nosuch", "", "BENG"})
        EXPECT_EQ(native_digits("Tk 1250", numbering), "Tk 1250") << numbering;
    EXPECT_EQ(native_digits(std::string_view("12\0x", 4), std::string_view("beng\0", 5)),
              std::string("12\0x", 4));
}

TEST(AsciiDigitsAnyTest, ReadsTheDigitsOfAnyScript) {
    EXPECT_EQ(ascii_digits("০১৭১১-২৩৪৫৬৭"), "01711-234567");
    EXPECT_EQ(ascii_digits("०१२३४५६७८९ ۰۱۲ ٣٤ ๕๖ ၇ ፩"), "0123456789 012 34 56 7 ፩")
        << "Ethiopic numerals are not decimal digits (No, not Nd)";
    EXPECT_EQ(ascii_digits("Oʻzbek Тел ½ ²"), "Oʻzbek Тел ½ ²");
    EXPECT_EQ(ascii_digits("1\xff\xe0\xa7"), "1\xff\xe0\xa7") << "malformed bytes stay";
}

TEST(AsciiDigitsAnyTest, RoundTripsEveryNativeSystem) {
    for (const std::string_view numbering : {"beng", "deva", "arabext", "arab", "thai", "mymr"})
        EXPECT_EQ(ascii_digits(native_digits("+880 1711-234567", numbering)),
                  "+880 1711-234567")
            << numbering;
}

// --- dates ----------------------------------------------------------------------------------

TEST(FormatDateTest, InTheLocalesOrderCalendarAndDigits) {
    EXPECT_EQ(format_date("2024-02-21", "bn_BD", "gregorian", "beng"), "২১/২/২০২৪");
    EXPECT_EQ(format_date("2024-02-21", "ne_NP", "gregorian", "deva"), "२०२४-०२-२१");
    EXPECT_EQ(format_date("2024-03-19", "fa_IR", "persian", "arabext"), "۱۴۰۲/۱۲/۲۹");
    // Ethiopic: 2024-02-21 is Yekatit 13, 2016 Amete Mihret.
    EXPECT_EQ(format_date("2024-02-21", "am_ET", "ethiopic", "latn"), "13/6/2016");
    EXPECT_EQ(format_date("2024-02-21", "ru", "gregorian", "latn"), "21.02.2024");
    EXPECT_EQ(format_date("2024-02-21", "uz-Latn", "gregorian", "latn"), "21/02/2024");
    // The language's digits win over the locale's: Persian dates in ASCII digits.
    EXPECT_EQ(format_date("2024-03-19", "fa_IR", "persian", "latn"), "1402/12/29");
}

TEST(FormatDateTest, WhatIsNoDateIsShownAsItIs) {
    for (const std::string_view text : {"2023-02-29", "2024-13-01", "2024-2-21", "tomorrow", ""})
        EXPECT_EQ(format_date(text, "bn_BD", "gregorian", "beng"), text);
}

TEST(DateExampleTest, IsTodayAsTheCitizenWouldWriteIt) {
    EXPECT_EQ(date_example("bn_BD", "gregorian", "beng", "2024-12-05"), "৫/১২/২০২৪");
    EXPECT_EQ(date_example("fa_IR", "persian", "arabext", "2024-03-19"), "۱۴۰۲/۱۲/۲۹");
}

TEST(ParseDateTest, ReadsTheLocalesOrderWithAnySeparatorAndDigits) {
    EXPECT_THAT(parse_date("21/2/2024", "bn_BD", "gregorian"), Optional(std::string("2024-02-21")));
    EXPECT_THAT(parse_date("২১-০২-২০২৪", "bn_BD", "gregorian"),
                Optional(std::string("2024-02-21")));
    EXPECT_THAT(parse_date(" 21 02 2024 ", "ru", "gregorian"), Optional(std::string("2024-02-21")));
    EXPECT_THAT(parse_date("21.2.2024", "uz-Latn", "gregorian"),
                Optional(std::string("2024-02-21")));
    EXPECT_THAT(parse_date("२०२४.२.२१", "ne_NP", "gregorian"), Optional(std::string("2024-02-21")));
    EXPECT_THAT(parse_date("۱۴۰۲/۱۲/۲۹", "fa_IR", "persian"), Optional(std::string("2024-03-19")));
    EXPECT_THAT(parse_date("13/6/2016", "am_ET", "ethiopic"), Optional(std::string("2024-02-21")));
}

TEST(ParseDateTest, RoundTripsWhatFormatDateWrites) {
    for (const std::string_view iso : {"2024-02-29", "1999-12-31", "2025-03-20", "2023-09-11"}) {
        EXPECT_THAT(parse_date(format_date(iso, "fa_IR", "persian", "arabext"), "fa_IR", "persian"),
                    Optional(std::string(iso)));
        EXPECT_THAT(parse_date(format_date(iso, "am_ET", "ethiopic", "latn"), "am_ET", "ethiopic"),
                    Optional(std::string(iso)));
        EXPECT_THAT(
            parse_date(format_date(iso, "bn_BD", "gregorian", "beng"), "bn_BD", "gregorian"),
            Optional(std::string(iso)));
    }
}

TEST(ParseDateTest, RefusesDatesTheCalendarDoesNotHave) {
    EXPECT_EQ(parse_date("29/2/2023", "bn_BD", "gregorian"), std::nullopt);
    EXPECT_EQ(parse_date("31.04.2024", "ru", "gregorian"), std::nullopt);
    EXPECT_EQ(parse_date("0/1/2024", "bn_BD", "gregorian"), std::nullopt);
    EXPECT_EQ(parse_date("1/13/2024", "bn_BD", "gregorian"), std::nullopt);
    // Esfand has 30 days only in a Persian leap year: 1403 is one, 1402 is not.
    EXPECT_EQ(parse_date("1402/12/30", "fa_IR", "persian"), std::nullopt);
    EXPECT_THAT(parse_date("1403/12/30", "fa_IR", "persian"), Optional(std::string("2025-03-20")));
    // Pagume, the 13th Ethiopian month, has a 6th day only before an Ethiopian leap year.
    EXPECT_THAT(parse_date("6/13/2015", "am_ET", "ethiopic"), Optional(std::string("2023-09-11")));
    EXPECT_EQ(parse_date("6/13/2016", "am_ET", "ethiopic"), std::nullopt);
    EXPECT_EQ(parse_date("1/14/2016", "am_ET", "ethiopic"), std::nullopt);
}

TEST(ParseDateTest, RefusesWhatIsNotADateInTheLocalesOrder) {
    // The year first is not Bangladesh's order, nor is a two-digit year.
    EXPECT_EQ(parse_date("2024/2/21", "bn_BD", "gregorian"), std::nullopt);
    EXPECT_EQ(parse_date("21/2/24", "bn_BD", "gregorian"), std::nullopt);
    EXPECT_EQ(parse_date("021/2/2024", "bn_BD", "gregorian"), std::nullopt);
    for (const std::string_view typed : {"", "21/2", "21/2/2024/1", "21//2024", "21/2/2024/",
                                         "/21/2/2024", "21a/2/2024", "21,2,2024", "tomorrow"})
        EXPECT_EQ(parse_date(typed, "bn_BD", "gregorian"), std::nullopt) << typed;
}

// --- money ----------------------------------------------------------------------------------

TEST(FormatMoneyTest, UsesTheCurrencySignGroupingAndDigits) {
    // Bangla: Indian grouping (lakhs), Bangla digits, the taka sign.
    const std::string taka = format_money(1234567, "BDT", "bn_BD", "beng");
    EXPECT_THAT(taka, AllOf(HasSubstr("১২,৩৪,৫৬৭"), HasSubstr("৳"), Not(HasSubstr("1"))));
    EXPECT_THAT(format_money(120, "BDT", "bn_BD", "beng"), AllOf(HasSubstr("১২০"), HasSubstr("৳")));

    EXPECT_THAT(format_money(120, "UZS", "uz-Latn", "latn"),
                AllOf(HasSubstr("120"), HasSubstr("so\u02BBm")));
    EXPECT_THAT(format_money(120, "UZS", "uz-Cyrl", "latn"),
                AllOf(HasSubstr("120"), HasSubstr("сўм")));
    EXPECT_THAT(format_money(120, "UZS", "ru", "latn"), AllOf(HasSubstr("120"), HasSubstr("UZS")));

    EXPECT_THAT(format_money(1234567, "NPR", "ne_NP", "deva"),
                AllOf(HasSubstr("१२,३४,५६७"), HasSubstr("नेरू")));
    // No fraction digits for whole units, whatever the currency's own minor unit.
    EXPECT_THAT(format_money(1234567, "EUR", "de_DE", "latn"),
                AllOf(HasSubstr("1.234.567"), HasSubstr("€"), Not(HasSubstr(",00"))));
    EXPECT_THAT(format_money(5, "EUR", "bn_BD", "beng"), AllOf(HasSubstr("৫"), HasSubstr("€")));
    EXPECT_THAT(format_money(300, "KES", "sw_KE", "latn"),
                AllOf(HasSubstr("300"), HasSubstr("Ksh")));
    EXPECT_THAT(format_money(300, "GEL", "ka_GE", "latn"),
                AllOf(HasSubstr("300"), HasSubstr("₾")));
}

TEST(FormatMoneyTest, AnUnknownCodeIsNamedAfterTheAmount) {
    EXPECT_EQ(format_money(120, "XYZ", "bn_BD", "beng"), "১২০ XYZ");
    EXPECT_EQ(format_money(120, "usd", "en", "latn"), "120 usd");
    EXPECT_EQ(format_money(120, "", "ru", "latn"), "120 ");
}

// --- plurals --------------------------------------------------------------------------------

constexpr std::string_view kRussian =
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);";
constexpr std::string_view kArabic =
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 ? 4 : 5);";

TEST(PluralRuleTest, EnglishIsTheDefault) {
    const PluralRule english;
    EXPECT_EQ(english.nplurals(), 2);
    EXPECT_EQ(english.index(0), 1);
    EXPECT_EQ(english.index(1), 0);
    EXPECT_EQ(english.index(2), 1);
    EXPECT_EQ(english.index(1000001), 1);
}

TEST(PluralRuleTest, RussianHasThreeForms) {
    const auto russian = PluralRule::parse(kRussian);
    ASSERT_TRUE(russian);
    EXPECT_EQ(russian->nplurals(), 3);
    const std::pair<unsigned long, int> expected[] = {
        {0, 2},  {1, 0},  {2, 1},  {4, 1},  {5, 2},   {11, 2},  {12, 2},
        {14, 2}, {21, 0}, {22, 1}, {25, 2}, {101, 0}, {111, 2}, {1001, 0}};
    for (const auto& [n, form] : expected) EXPECT_EQ(russian->index(n), form) << n;
}

TEST(PluralRuleTest, ArabicHasSixForms) {
    const auto arabic = PluralRule::parse(kArabic);
    ASSERT_TRUE(arabic);
    EXPECT_EQ(arabic->nplurals(), 6);
    const std::pair<unsigned long, int> expected[] = {{0, 0},   {1, 1},   {2, 2},  {3, 3},
                                                      {10, 3},  {11, 4},  {99, 4}, {100, 5},
                                                      {102, 5}, {103, 3}, {111, 4}};
    for (const auto& [n, form] : expected) EXPECT_EQ(arabic->index(n), form) << n;
}

TEST(PluralRuleTest, ReadsTheWholeCSubset) {
    const auto rule = [](std::string_view expression) {
        return PluralRule::parse("nplurals=16; plural=" + std::string(expression) + ";");
    };
    EXPECT_EQ(rule("!(n > 1)")->index(0), 1);
    EXPECT_EQ(rule("!(n > 1)")->index(5), 0);
    EXPECT_EQ(rule("n*2+1-3")->index(4), 6);
    EXPECT_EQ(rule("n/2")->index(9), 4);
    EXPECT_EQ(rule("n%3 == 1 || n <= 0")->index(0), 1);
    EXPECT_EQ(rule("n >= 3 && n < 5")->index(4), 1);
    EXPECT_EQ(rule("n != 2 ? 7 : 9")->index(2), 9);
    EXPECT_EQ(rule("2 + 3 * 4")->index(0), 14) << "multiplication binds tighter";
    EXPECT_EQ(rule("1 ? 0 ? 3 : 4 : 5")->index(0), 4) << "?: nests to the right";
    EXPECT_EQ(rule("n/0 + n%0")->index(7), 0) << "division by zero counts as 0";
    EXPECT_EQ(rule("0")->index(7), 0);
    // Whitespace, a missing final ';' and the value over several header lines.
    const auto spaced = PluralRule::parse("  nplurals = 2 ;\n plural = ( n != 1 )  ");
    ASSERT_TRUE(spaced);
    EXPECT_EQ(spaced->index(1), 0);
    EXPECT_EQ(spaced->index(3), 1);
}

TEST(PluralRuleTest, IndexStaysWithinTheForms) {
    const auto rule = PluralRule::parse("nplurals=2; plural=n;");
    ASSERT_TRUE(rule);
    EXPECT_EQ(rule->index(0), 0);
    EXPECT_EQ(rule->index(1), 1);
    EXPECT_EQ(rule->index(7), 1);
}

TEST(PluralRuleTest, RefusesMalformedHeaders) {
    for (const std::string_view header : {
             "",
             "plural=(n != 1);",
             "nplurals=2;",
             "nplurals=2 plural=(n != 1);",
             "nplurals=0; plural=0;",
             "nplurals=17; plural=0;",
             "nplurals=x; plural=0;",
             "nplurals=2; plural=;",
             "nplurals=2; plural=(n != 1;",
             "nplurals=2; plural=n != 1);",
             "nplurals=2; plural=(n ! 1);",
             "nplurals=2; plural=(n = 1);",
             "nplurals=2; plural=(m != 1);",
             "nplurals=2; plural=(n != 1) ? 1;",
             "nplurals=2; plural=(n != -1);",
             "nplurals=2; plural=(n != 1); extra",
             "nplurals=2; plural=n & 1;",
             "nplurals=2; plural=99999999999999999999999;",
         }) {
        EXPECT_EQ(PluralRule::parse(header), std::nullopt) << header;
    }
}

TEST(PluralRuleTest, RefusesHugeAndDeepExpressions) {
    // 512 bytes of expression are read; 513 are not.
    std::string fits = "(n != 1)";
    fits.resize(512, ' ');
    EXPECT_TRUE(PluralRule::parse("nplurals=2; plural=" + fits + ";"));
    EXPECT_EQ(PluralRule::parse("nplurals=2; plural=" + fits + " ;"), std::nullopt);

    const auto nested = [](int depth) {
        return "nplurals=2; plural=" + std::string(depth, '(') + "n" + std::string(depth, ')') +
               ";";
    };
    EXPECT_TRUE(PluralRule::parse(nested(40)));
    EXPECT_EQ(PluralRule::parse(nested(200)), std::nullopt);
    EXPECT_EQ(PluralRule::parse("nplurals=2; plural=" + std::string(200, '!') + "n;"),
              std::nullopt);
    // A long chain is as deep as it is long when evaluated.
    std::string chain = "n";
    for (int i = 0; i < 100; ++i) chain += "+1";
    EXPECT_EQ(PluralRule::parse("nplurals=2; plural=" + chain + ";"), std::nullopt);
}

// --- plural messages in a catalog ---------------------------------------------------------

class PluralCatalogTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char pattern[] = "/tmp/seba-locale-test-XXXXXX";
        ASSERT_NE(mkdtemp(pattern), nullptr);
        dir_ = pattern;
    }
    void TearDown() override {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
    void write_po(std::string_view language, std::string_view plural_forms,
                  std::string_view body) const {
        std::ofstream out(dir_ / (std::string(language) + ".po"), std::ios::binary);
        out << "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n";
        if (!plural_forms.empty()) out << "\"Plural-Forms: " << plural_forms << "\\n\"\n";
        out << "\n" << body;
    }
    fs::path dir_;
};

TEST_F(PluralCatalogTest, EachLanguagePicksItsForm) {
    write_po("ru", kRussian,
             "msgid \"{0} document\"\nmsgid_plural \"{0} documents\"\n"
             "msgstr[0] \"{0} документ\"\nmsgstr[1] \"{0} документа\"\n"
             "msgstr[2] \"{0} документов\"\n");
    write_po("bn", "nplurals=2; plural=(n > 1);",
             "msgid \"{0} document\"\nmsgid_plural \"{0} documents\"\n"
             "msgstr[0] \"{0}টি নথি\"\nmsgstr[1] \"{0}টি নথি\"\n");
    const Catalog catalog = Catalog::load("test", dir_);
    const std::string one = "{0} document", many = "{0} documents";
    EXPECT_EQ(catalog.translate_plural("ru", one, many, 1), "{0} документ");
    EXPECT_EQ(catalog.translate_plural("ru", one, many, 3), "{0} документа");
    EXPECT_EQ(catalog.translate_plural("ru", one, many, 11), "{0} документов");
    EXPECT_EQ(catalog.translate_plural("ru", one, many, 21), "{0} документ");
    EXPECT_EQ(catalog.translate_plural("bn", one, many, 5), "{0}টি নথি");
    // English for a language without it, and for one without a catalog at all.
    EXPECT_EQ(catalog.translate_plural("uz-Latn", one, many, 1), "{0} document");
    EXPECT_EQ(catalog.translate_plural("uz-Latn", one, many, 0), "{0} documents");
    EXPECT_EQ(catalog.translate_plural("fr", one, many, 2), "{0} documents");
    // The singular msgid is a msgid like any other: translate() gives the first form.
    EXPECT_EQ(catalog.translate("ru", one), "{0} документ");
    EXPECT_THAT(catalog.missing("uz-Latn"), ::testing::ElementsAre("{0} document"));
}

TEST_F(PluralCatalogTest, AnIncompleteOrFuzzyEntryShowsEnglish) {
    write_po("ru", kRussian,
             "msgid \"{0} file\"\nmsgid_plural \"{0} files\"\n"
             "msgstr[0] \"{0} файл\"\nmsgstr[1] \"\"\nmsgstr[2] \"{0} файлов\"\n\n"
             "#, fuzzy\nmsgid \"{0} day\"\nmsgid_plural \"{0} days\"\n"
             "msgstr[0] \"{0} день\"\nmsgstr[1] \"{0} дня\"\nmsgstr[2] \"{0} дней\"\n");
    const Catalog catalog = Catalog::load("test", dir_);
    EXPECT_EQ(catalog.translate_plural("ru", "{0} file", "{0} files", 5), "{0} files");
    EXPECT_EQ(catalog.translate_plural("ru", "{0} day", "{0} days", 1), "{0} day");
}

TEST_F(PluralCatalogTest, WithoutTheHeaderTheEnglishRuleHolds) {
    write_po("uz-Latn", "",
             "msgid \"{0} item\"\nmsgid_plural \"{0} items\"\n"
             "msgstr[0] \"{0} ta narsa (1)\"\nmsgstr[1] \"{0} ta narsa\"\n");
    const Catalog catalog = Catalog::load("test", dir_);
    EXPECT_EQ(catalog.translate_plural("uz-Latn", "{0} item", "{0} items", 1), "{0} ta narsa (1)");
    EXPECT_EQ(catalog.translate_plural("uz-Latn", "{0} item", "{0} items", 2), "{0} ta narsa");
}

TEST_F(PluralCatalogTest, EnglishCatalogCorrectsPluralWording) {
    write_po("en", "nplurals=2; plural=(n != 1);",
             "msgid \"{0} item\"\nmsgid_plural \"{0} items\"\n"
             "msgstr[0] \"{0} thing\"\nmsgstr[1] \"{0} things\"\n");
    const Catalog catalog = Catalog::load("test", dir_);
    EXPECT_EQ(catalog.translate_plural("bn", "{0} item", "{0} items", 1), "{0} thing");
    EXPECT_EQ(catalog.translate_plural("bn", "{0} item", "{0} items", 4), "{0} things");
}

TEST_F(PluralCatalogTest, ABrokenPluralFormsHeaderNamesTheFile) {
    write_po("ru", "nplurals=3; plural=(n%10==1 ? 0 : ;", "msgid \"Home\"\nmsgstr \"Главная\"\n");
    EXPECT_THAT(
        [&] { (void)Catalog::load("test", dir_); },
        ::testing::ThrowsMessage<Error>(AllOf(HasSubstr("ru.po"), HasSubstr("Plural-Forms"))));
}

TEST_F(PluralCatalogTest, UiTrnFillsTheCountInTheLanguagesDigits) {
    write_po("ru", kRussian,
             "msgid \"{0} request\"\nmsgid_plural \"{0} requests\"\n"
             "msgstr[0] \"{0} заявка\"\nmsgstr[1] \"{0} заявки\"\nmsgstr[2] \"{0} заявок\"\n");
    write_po("bn", "nplurals=2; plural=(n > 1);",
             "msgid \"{0} request\"\nmsgid_plural \"{0} requests\"\n"
             "msgstr[0] \"{0}টি আবেদন\"\nmsgstr[1] \"{0}টি আবেদন ({0})\"\n");
    const Catalog catalog = Catalog::load("test", dir_);
    UiState state;
    Ui ui(state);
    EXPECT_EQ(ui.trn("{0} request", "{0} requests", 3), "3 requests") << "no catalog: English";
    state.catalog = &catalog;
    state.language = "ru";
    EXPECT_EQ(ui.trn("{0} request", "{0} requests", 1), "1 заявка");
    EXPECT_EQ(ui.trn("{0} request", "{0} requests", 24), "24 заявки");
    EXPECT_EQ(ui.trn("{0} request", "{0} requests", 15), "15 заявок");
    state.language = "bn";
    EXPECT_EQ(ui.trn("{0} request", "{0} requests", 12), "১২টি আবেদন (১২)") << "every {0}";
    state.language = "en";
    EXPECT_EQ(ui.trn("{0} request", "{0} requests", 1), "1 request");
}

// The shell's own catalogs: counted messages in Russian take the form of the number.
TEST(ShellPluralsTest, RussianSecondsTakeTheFormOfTheNumber) {
    const Catalog catalog = Catalog::load("seba", SEBA_KIOSK_LOCALE_DIR);
    const std::string one = "Your session will end in {0} second.";
    const std::string many = "Your session will end in {0} seconds.";
    EXPECT_THAT(catalog.translate_plural("ru", one, many, 1), HasSubstr("{0} секунду."));
    EXPECT_THAT(catalog.translate_plural("ru", one, many, 3), HasSubstr("{0} секунды."));
    EXPECT_THAT(catalog.translate_plural("ru", one, many, 30), HasSubstr("{0} секунд."));
    EXPECT_EQ(catalog.translate_plural("en", one, many, 1), one);
    EXPECT_EQ(catalog.translate_plural("en", one, many, 30), many);
    for (const std::string_view language : {"bn", "uz-Latn", "uz-Cyrl"})
        EXPECT_NE(catalog.translate_plural(language, one, many, 30), many) << language;
}

}  // namespace
}  // namespace seba::ui

// SPDX-License-Identifier: Apache-2.0
// The Digital Centre's form checks, rule by rule, with input as citizens type it: Bangla
// digits, spaces and hyphens, both countries' phones, names in any script. Bangladesh's and
// Uzbekistan's own rules are read from the demo country pack's records, as a kiosk reads them.
#include "validators.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "seba/ui/i18n.hpp"

namespace {

using seba::dc::check;
using seba::dc::Checked;
using seba::dc::FormRule;

constexpr std::string_view kToday = "2024-06-15";

// The record "rule/<id>" of a demo pack's catalog file.
FormRule pack_rule(const char* path, std::string_view id) {
    std::ifstream in(path);
    for (const nlohmann::json& record : nlohmann::json::parse(in))
        if (record.at("key") == "rule/" + std::string(id)) return seba::dc::parse_rule(id, record);
    throw std::runtime_error(std::string(path) + " has no rule/" + std::string(id));
}

// The rules these tests were first written for: the built-in ones, and the demo packs'.
struct Rule {
    static inline const FormRule& Text = *seba::dc::builtin_rule("text");
    static inline const FormRule& Name = *seba::dc::builtin_rule("name");
    static inline const FormRule& Number = *seba::dc::builtin_rule("number");
    static inline const FormRule& Date = *seba::dc::builtin_rule("date");
    static inline const FormRule& PastDate = *seba::dc::builtin_rule("past_date");
    static inline const FormRule NidBd = pack_rule(SEBA_DC_SERVICES, "nid_bd");
    static inline const FormRule BirthRegBd = pack_rule(SEBA_DC_SERVICES, "birth_reg_bd");
    static inline const FormRule PhoneBd = pack_rule(SEBA_DC_SERVICES, "phone_bd");
    static inline const FormRule PinflUz = pack_rule(SEBA_DC_SERVICES_UZ, "pinfl_uz");
    static inline const FormRule PhoneUz = pack_rule(SEBA_DC_SERVICES_UZ, "phone_uz");
};

const FormRule* const kAllRules[] = {
    &Rule::Text,    &Rule::Name,    &Rule::NidBd, &Rule::BirthRegBd, &Rule::PinflUz,
    &Rule::PhoneBd, &Rule::PhoneUz, &Rule::Date,  &Rule::PastDate,   &Rule::Number};

// The problems, spelled out here so that a changed msgid (which orphans its translations)
// fails a test.
constexpr std::string_view kRequired = "This field is required";
constexpr std::string_view kUnreadable = "This text could not be read; type it again";
constexpr std::string_view kDigitsOnly = "Type digits only, without letters or symbols";
constexpr std::string_view kNidLength = "A national ID number has 10, 13 or 17 digits";
constexpr std::string_view kBirthRegLength = "A birth registration number has 17 digits";
constexpr std::string_view kPinflLength = "A PINFL has 14 digits";
constexpr std::string_view kNumberTooLong = "Use at most 30 digits";
constexpr std::string_view kPhoneBd = "Enter a Bangladesh mobile number, e.g. 01711-223344";
constexpr std::string_view kPhoneBdGotUz =
    "This is an Uzbekistan number; enter a Bangladesh mobile number, e.g. 01711-223344";
constexpr std::string_view kPhoneBdLandline =
    "This is a landline number; enter a Bangladesh mobile number, e.g. 01711-223344";
constexpr std::string_view kPhoneUz = "Enter an Uzbekistan phone number, e.g. 90 123 45 67";
constexpr std::string_view kPhoneUzGotBd =
    "This is a Bangladesh number; enter an Uzbekistan phone number, e.g. 90 123 45 67";
constexpr std::string_view kPhoneUzLandline =
    "This is a landline number; enter an Uzbekistan mobile number, e.g. 90 123 45 67";
constexpr std::string_view kDateShape = "Enter the date as DD-MM-YYYY, e.g. 21-02-2024";
constexpr std::string_view kDateNotReal = "This date does not exist; check the day and month";
constexpr std::string_view kDateYear = "Enter a year between 1900 and 2100";
constexpr std::string_view kDateFuture = "This date is in the future";
constexpr std::string_view kNameTooShort = "A name needs at least 2 letters";
constexpr std::string_view kNameTooLong = "A name can have at most 100 characters";
constexpr std::string_view kNameDigits = "A name cannot contain digits";
constexpr std::string_view kNameSymbols =
    "A name can have only letters, spaces, dots, hyphens and apostrophes";
constexpr std::string_view kTextTooLong = "Use at most 200 characters";
constexpr std::string_view kTextControl =
    "This text has characters that cannot be used; type it again without them";

std::string repeat(std::string_view piece, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i) out.append(piece);
    return out;
}

// Every result, good or bad, must be well-formed: ok with a value and no problem, or a problem
// (a default one, or one the rule's record wrote) and no value.
testing::AssertionResult well_formed(const FormRule& rule, const Checked& result) {
    if (result.ok) {
        if (!result.problem.empty()) {
            return testing::AssertionFailure() << "ok but with problem \"" << result.problem << '"';
        }
        return testing::AssertionSuccess();
    }
    if (!result.value.empty()) {
        return testing::AssertionFailure() << "refused but with value \"" << result.value << '"';
    }
    const auto problems = seba::dc::all_problems();
    const bool own = std::any_of(rule.problems.begin(), rule.problems.end(), [&](const auto& slot) {
        return slot.second.en == result.message.en;
    });
    if (!own && std::find(problems.begin(), problems.end(), result.message.en) == problems.end()) {
        return testing::AssertionFailure() << "problem \"" << result.message.en
                                           << "\" is neither the rule's nor in all_problems()";
    }
    if (result.problem.empty()) return testing::AssertionFailure() << "refused without a problem";
    return testing::AssertionSuccess();
}

testing::AssertionResult accepts(const FormRule& rule, std::string_view input,
                                 std::string_view expected, bool required = true) {
    const Checked result = check(rule, input, required, kToday);
    if (testing::AssertionResult formed = well_formed(rule, result); !formed) return formed;
    if (!result.ok) {
        return testing::AssertionFailure()
               << '"' << input << "\" refused: \"" << result.problem << '"';
    }
    if (result.value != expected) {
        return testing::AssertionFailure() << '"' << input << "\" gave \"" << result.value
                                           << "\", expected \"" << expected << '"';
    }
    return testing::AssertionSuccess();
}

testing::AssertionResult refuses(const FormRule& rule, std::string_view input,
                                 std::string_view problem, bool required = true) {
    const Checked result = check(rule, input, required, kToday);
    if (testing::AssertionResult formed = well_formed(rule, result); !formed) return formed;
    if (result.ok) {
        return testing::AssertionFailure()
               << '"' << input << "\" accepted as \"" << result.value << '"';
    }
    if (result.problem != problem) {
        return testing::AssertionFailure() << '"' << input << "\" refused with \"" << result.problem
                                           << "\", expected \"" << problem << '"';
    }
    return testing::AssertionSuccess();
}

// --- names and digits -----------------------------------------------------------------------

TEST(BuiltinRules, AreTheCountryFreeOnesOnly) {
    for (const char* id : {"text", "name", "number", "date", "past_date"}) {
        ASSERT_NE(seba::dc::builtin_rule(id), nullptr) << id;
        EXPECT_EQ(seba::dc::builtin_rule(id)->id, id);
    }
    // A country's IDs and phones are its pack's records now.
    for (const char* id :
         {"nid_bd", "birth_reg_bd", "pinfl_uz", "phone_bd", "phone_uz", "NAME", "phone", ""}) {
        EXPECT_EQ(seba::dc::builtin_rule(id), nullptr) << id;
    }
}

TEST(AsciiDigits, MapsEveryDecimalDigitAndNothingElse) {
    EXPECT_EQ(seba::dc::ascii_digits("০১২৩৪৫৬৭৮৯"), "0123456789");
    EXPECT_EQ(seba::dc::ascii_digits("বাড়ি ১২/ক"), "বাড়ি 12/ক");
    EXPECT_EQ(seba::dc::ascii_digits("٠١٢ ۳۴ १२ ０９"), "012 34 12 09");  // Arabic, Persian...
    EXPECT_EQ(seba::dc::ascii_digits("৳ ½ Ⅻ ²"), "৳ ½ Ⅻ ²");  // numbers, but not decimal digits
    EXPECT_EQ(seba::dc::ascii_digits("১\xff২\xe0\xa7"),
              "1\xff"
              "2\xe0\xa7");
    EXPECT_EQ(seba::dc::ascii_digits(""), "");
}

// --- what every rule shares -----------------------------------------------------------------

TEST(EveryRule, EmptyIsRefusedOnlyWhenRequired) {
    for (const FormRule* rule : kAllRules) {
        SCOPED_TRACE(rule->id);
        EXPECT_TRUE(refuses(*rule, "", kRequired));
        EXPECT_TRUE(refuses(*rule, "  \t\u00a0 ", kRequired));  // spaces, a tab, a no-break space
        EXPECT_TRUE(accepts(*rule, "", "", false));
        EXPECT_TRUE(accepts(*rule, "   ", "", false));
    }
}

TEST(EveryRule, InvalidUtf8IsRefusedNotCrashedOn) {
    const std::string_view broken[] = {
        "\xff",
        "\xc3",                // a lead byte with nothing after it
        "\xc0\xaf",            // overlong '/'
        "\xed\xa0\x80",        // a UTF-16 surrogate
        "\xf4\x90\x80\x80",    // past U+10FFFF
        "০১৭১১২২৩৩৪\xe0\xa7",  // a Bangla phone cut mid-digit
        "রহিম\x80",
    };
    for (const FormRule* rule : kAllRules) {
        SCOPED_TRACE(rule->id);
        for (const std::string_view input : broken) {
            EXPECT_TRUE(refuses(*rule, input, kUnreadable));
            EXPECT_TRUE(refuses(*rule, input, kUnreadable, false));
        }
    }
}

TEST(EveryRule, TenThousandCharactersFailCleanly) {
    const std::string inputs[] = {repeat("a", 10000), repeat("1", 10000), repeat("১", 10000),
                                  repeat("ক ", 5000), repeat("\xff", 10000)};
    for (const FormRule* rule : kAllRules) {
        SCOPED_TRACE(rule->id);
        for (const std::string& input : inputs) {
            const Checked result = check(*rule, input, true, kToday);
            EXPECT_FALSE(result.ok);
            EXPECT_TRUE(well_formed(*rule, result));
        }
    }
    EXPECT_TRUE(refuses(Rule::Text, repeat("a", 10000), kTextTooLong));
    EXPECT_TRUE(refuses(Rule::Name, repeat("ক", 10000), kNameTooLong));
    EXPECT_TRUE(refuses(Rule::NidBd, repeat("১", 10000), kNidLength));
    EXPECT_TRUE(refuses(Rule::Number, repeat("1", 10000), kNumberTooLong));
}

// Seeded junk: pieces of real input and raw bytes, glued at random. Nothing may throw, and
// every answer must be well-formed.
TEST(EveryRule, RandomInputNeverThrows) {
    const std::string_view pieces[] = {
        "০",    "৯",    "1",    "+",   "-",   ".",      "/",      " ",
        "\xe0", "\xa7", "\xff", "ক",   "্",    "\u200d", "ʻ",      "Ў",
        "a",    "😀",    "\n",   "880", "998", "2024",   "29-02-", std::string_view("\0", 1)};
    std::mt19937 random(20240615);
    std::uniform_int_distribution<std::size_t> piece(0, std::size(pieces) - 1);
    std::uniform_int_distribution<std::size_t> length(0, 40);
    for (int round = 0; round < 3000; ++round) {
        std::string input;
        for (std::size_t i = length(random); i > 0; --i) input.append(pieces[piece(random)]);
        for (const FormRule* rule : kAllRules) {
            Checked result;
            EXPECT_NO_THROW(result = check(*rule, input, round % 2 == 0, kToday));
            EXPECT_TRUE(well_formed(*rule, result));
        }
    }
}

// A rule made from a record written here.
FormRule rule_from(std::string_view record) {
    return seba::dc::parse_rule("made_up", nlohmann::json::parse(record));
}

TEST(EveryRule, EachListedProblemCanHappen) {
    const FormRule digits = rule_from(R"({"kind": "digits", "lengths": [4]})");
    const FormRule luhn =
        rule_from(R"({"kind": "digits", "lengths": [4], "check": {"method": "luhn"}})");
    const FormRule phone =
        rule_from(R"({"kind": "phone", "region": "BD", "other_regions": ["UZ"]})");
    const FormRule year_first = rule_from(R"({"kind": "date", "order": "ymd"})");
    const FormRule devanagari = rule_from(R"({"kind": "letters", "scripts": ["Deva"]})");
    struct Case {
        const FormRule& rule;
        std::string input;
    };
    const Case cases[] = {
        {Rule::Text, ""},
        {Rule::Text, "\xff"},
        {Rule::NidBd, "12345abcde"},
        {Rule::Number, "1234567890123456789012345678901"},
        {digits, "123"},
        {luhn, "1235"},
        {phone, "12"},
        {phone, "029556677"},
        {phone, "+998901234567"},
        {Rule::Date, "2024"},
        {year_first, "21-02-2024"},
        {Rule::Date, "31-04-2020"},
        {Rule::Date, "01-01-1800"},
        {Rule::PastDate, "01-01-2099"},
        {Rule::Name, "A"},
        {Rule::Name, repeat("a", 101)},
        {Rule::Name, "R2D2"},
        {Rule::Name, "a@b"},
        {devanagari, "Rahim"},
        {Rule::Text, repeat("a", 201)},
        {Rule::Text, "a\nb"},
    };
    std::vector<std::string> seen;
    for (const Case& c : cases) seen.push_back(check(c.rule, c.input, true, kToday).message.en);
    for (const std::string_view problem : seba::dc::all_problems()) {
        EXPECT_THAT(seen, testing::Contains(std::string(problem)))
            << "no case here returns \"" << problem << "\"; is it still used?";
    }
}

// The English msgids the demo packs' rule records name (their inline texts need no catalog).
std::vector<std::string> pack_msgids() {
    std::vector<std::string> out;
    for (const char* path : {SEBA_DC_SERVICES, SEBA_DC_SERVICES_UZ}) {
        std::ifstream in(path);
        for (const nlohmann::json& record : nlohmann::json::parse(in)) {
            const std::string key = record.at("key");
            if (!key.starts_with("rule/")) continue;
            const FormRule rule = seba::dc::parse_rule(key.substr(5), record);
            for (const auto& [slot, message] : rule.problems)
                if (message.by_language.empty()) out.push_back(message.en);
        }
    }
    return out;
}

// Every problem the kiosk can show is translated in every kiosk language, read the way the
// kiosk reads it: the defaults, and the messages the demo packs' rules name.
TEST(Catalogs, TranslateEveryProblem) {
    const seba::ui::Catalog catalog = seba::ui::Catalog::load("digital_centre", DC_LOCALE_DIR);
    std::vector<std::string> problems(seba::dc::all_problems().begin(),
                                      seba::dc::all_problems().end());
    const std::vector<std::string> from_packs = pack_msgids();
    EXPECT_GE(from_packs.size(), 9u) << "the packs' ID and phone messages";
    problems.insert(problems.end(), from_packs.begin(), from_packs.end());
    for (const std::string_view language : {"bn", "ru", "uz-Latn", "uz-Cyrl"}) {
        for (const std::string& english : problems) {
            const std::string& shown = catalog.translate(language, english);
            EXPECT_FALSE(shown.empty()) << language << ": " << english;
            EXPECT_NE(shown, english) << language << " does not translate \"" << english << '"';
            // A placeholder lost in translation would hide the example or the limit.
            for (const char* placeholder : {"{0}", "{1}"}) {
                EXPECT_EQ(english.find(placeholder) == std::string::npos,
                          shown.find(placeholder) == std::string::npos)
                    << language << ": " << english;
            }
        }
    }
}

// --- IDs ------------------------------------------------------------------------------------

TEST(NidBd, AcceptsTenThirteenOrSeventeenDigitsOnly) {
    const std::string digits = "12345678901234567890";
    for (std::size_t length = 1; length <= 20; ++length) {
        const std::string input = digits.substr(0, length);
        if (length == 10 || length == 13 || length == 17) {
            EXPECT_TRUE(accepts(Rule::NidBd, input, input));
        } else {
            EXPECT_TRUE(refuses(Rule::NidBd, input, kNidLength));
        }
    }
}

TEST(NidBd, ReadsBanglaDigitsSpacesAndHyphens) {
    EXPECT_TRUE(accepts(Rule::NidBd, "১২৩৪৫৬৭৮৯০", "1234567890"));
    EXPECT_TRUE(accepts(Rule::NidBd, " 1234 567 890 ", "1234567890"));
    EXPECT_TRUE(accepts(Rule::NidBd, "19901234-567890123", "19901234567890123"));
    EXPECT_TRUE(accepts(Rule::NidBd, "১৯৯০ ১২৩৪ ৫৬৭৮৯ ০১২৩", "19901234567890123"));
    EXPECT_TRUE(refuses(Rule::NidBd, "১২৩৪৫৬৭৮৯", kNidLength));  // 9 Bangla digits
}

TEST(NidBd, RefusesLettersAndSymbols) {
    EXPECT_TRUE(refuses(Rule::NidBd, "12345678O0", kDigitsOnly));  // letter O for zero
    EXPECT_TRUE(refuses(Rule::NidBd, "১২৩৪৫৬৭৮৯ক", kDigitsOnly));
    EXPECT_TRUE(refuses(Rule::NidBd, "1234567890.", kDigitsOnly));
    EXPECT_TRUE(refuses(Rule::NidBd, "+1234567890", kDigitsOnly));
}

TEST(BirthRegBd, NeedsSeventeenDigits) {
    EXPECT_TRUE(accepts(Rule::BirthRegBd, "20012695847123456", "20012695847123456"));
    EXPECT_TRUE(accepts(Rule::BirthRegBd, "২০০১২৬৯৫৮৪৭১২৩৪৫৬", "20012695847123456"));
    EXPECT_TRUE(accepts(Rule::BirthRegBd, "2001 2695 8471 23456", "20012695847123456"));
    EXPECT_TRUE(refuses(Rule::BirthRegBd, "2001269584712345", kBirthRegLength));    // 16
    EXPECT_TRUE(refuses(Rule::BirthRegBd, "200126958471234567", kBirthRegLength));  // 18
    EXPECT_TRUE(refuses(Rule::BirthRegBd, "1234567890", kBirthRegLength));  // an NID, not a BRN
    EXPECT_TRUE(refuses(Rule::BirthRegBd, "2001269584712345X", kDigitsOnly));
}

TEST(PinflUz, NeedsFourteenDigits) {
    EXPECT_TRUE(accepts(Rule::PinflUz, "31506901234567", "31506901234567"));
    EXPECT_TRUE(accepts(Rule::PinflUz, "315 069 012 345 67", "31506901234567"));
    EXPECT_TRUE(accepts(Rule::PinflUz, "৩১৫০৬৯০১২৩৪৫৬৭", "31506901234567"));
    EXPECT_TRUE(refuses(Rule::PinflUz, "3150690123456", kPinflLength));    // 13
    EXPECT_TRUE(refuses(Rule::PinflUz, "315069012345678", kPinflLength));  // 15
    EXPECT_TRUE(refuses(Rule::PinflUz, "AB1234567", kDigitsOnly));         // a passport number
    EXPECT_TRUE(refuses(Rule::PinflUz, "3150690123456Б", kDigitsOnly));
}

TEST(Number, AcceptsDigitsOnly) {
    EXPECT_TRUE(accepts(Rule::Number, "42", "42"));
    EXPECT_TRUE(accepts(Rule::Number, "০৪২", "042"));  // leading zeros kept: plot numbers
    EXPECT_TRUE(accepts(Rule::Number, " 7 ", "7"));
    EXPECT_TRUE(accepts(Rule::Number, repeat("9", 30), repeat("9", 30)));
    EXPECT_TRUE(refuses(Rule::Number, repeat("9", 31), kNumberTooLong));
    EXPECT_TRUE(refuses(Rule::Number, "4 2", kDigitsOnly));
    EXPECT_TRUE(refuses(Rule::Number, "4.5", kDigitsOnly));
    EXPECT_TRUE(refuses(Rule::Number, "-3", kDigitsOnly));
    EXPECT_TRUE(refuses(Rule::Number, "12ক", kDigitsOnly));
    EXPECT_TRUE(refuses(Rule::Number, "½", kDigitsOnly));
}

// --- phones ---------------------------------------------------------------------------------

TEST(PhoneBd, AcceptsNationalAndInternationalForms) {
    for (const std::string_view input :
         {"01711223344", "01711-223344", "০১৭১১২২৩৩৪৪", "০১৭১১-২২৩৩৪৪", "+8801711223344",
          "8801711223344", "+880 1711-223344", "+880 01711223344", "00880 1711 223344",
          "(01711) 223344", " 01711 223 344 "}) {
        EXPECT_TRUE(accepts(Rule::PhoneBd, input, "+8801711223344"));
    }
    EXPECT_TRUE(accepts(Rule::PhoneBd, "01311-223344", "+8801311223344"));
    EXPECT_TRUE(accepts(Rule::PhoneBd, "01911223344", "+8801911223344"));
}

TEST(PhoneBd, RefusesWrongLengthsPrefixesAndLetters) {
    for (const std::string_view input :
         {"0171122334", "017112233445", "01211223344", "1234", "0", "+", "+880", "01711-CALL-ME",
          "01711223344 ext 5", "01711223344#", "+8801711+223344", "+7 916 123-45-67"}) {
        EXPECT_TRUE(refuses(Rule::PhoneBd, input, kPhoneBd));
    }
}

TEST(PhoneBd, SaysWhenTheNumberIsUzbekOrALandline) {
    for (const std::string_view input :
         {"+998 90 123-45-67", "+998901234567", "998901234567", "90 123 45 67", "৯০ ১২৩ ৪৫ ৬৭"}) {
        EXPECT_TRUE(refuses(Rule::PhoneBd, input, kPhoneBdGotUz));
    }
    EXPECT_TRUE(refuses(Rule::PhoneBd, "02-9556677", kPhoneBdLandline));  // Dhaka
    EXPECT_TRUE(refuses(Rule::PhoneBd, "+880 2 9556677", kPhoneBdLandline));
}

TEST(PhoneUz, AcceptsNationalAndInternationalForms) {
    for (const std::string_view input :
         {"+998 90 123-45-67", "+998901234567", "998901234567", "90 123 45 67", "901234567",
          "(90) 123-45-67", "+998 (90) 123 45 67", "৯০ ১২৩ ৪৫ ৬৭", "00998 90 1234567"}) {
        EXPECT_TRUE(accepts(Rule::PhoneUz, input, "+998901234567"));
    }
    EXPECT_TRUE(accepts(Rule::PhoneUz, "+998 33 123 45 67", "+998331234567"));
    EXPECT_TRUE(accepts(Rule::PhoneUz, "99 765 43 21", "+998997654321"));
}

TEST(PhoneUz, RefusesWrongLengthsAndLetters) {
    for (const std::string_view input :
         {"90123456", "9012345678", "+998 90 123 45 6", "+998 90 123 45 678", "12", "+998",
          "90 ABC 45 67", "+7 916 123-45-67"}) {
        EXPECT_TRUE(refuses(Rule::PhoneUz, input, kPhoneUz));
    }
}

TEST(PhoneUz, SaysWhenTheNumberIsBangladeshiOrALandline) {
    for (const std::string_view input :
         {"01711223344", "01711-223344", "০১৭১১২২৩৩৪৪", "+8801711223344", "8801711223344"}) {
        EXPECT_TRUE(refuses(Rule::PhoneUz, input, kPhoneUzGotBd));
    }
    EXPECT_TRUE(refuses(Rule::PhoneUz, "+998 71 123 45 67", kPhoneUzLandline));  // Tashkent
    EXPECT_TRUE(refuses(Rule::PhoneUz, "71 123 45 67", kPhoneUzLandline));
}

// --- dates ----------------------------------------------------------------------------------

TEST(Date, AcceptsTheFourShapes) {
    EXPECT_TRUE(accepts(Rule::Date, "21-02-2024", "2024-02-21"));
    EXPECT_TRUE(accepts(Rule::Date, "21.02.2024", "2024-02-21"));
    EXPECT_TRUE(accepts(Rule::Date, "21/02/2024", "2024-02-21"));
    EXPECT_TRUE(accepts(Rule::Date, "2024-02-21", "2024-02-21"));
    EXPECT_TRUE(accepts(Rule::Date, "1-2-2024", "2024-02-01"));  // day first, one digit each
    EXPECT_TRUE(accepts(Rule::Date, "২১-০২-২০২৪", "2024-02-21"));
    EXPECT_TRUE(accepts(Rule::Date, " 21.02.2024 ", "2024-02-21"));
    EXPECT_TRUE(accepts(Rule::Date, "01-01-2099", "2099-01-01"));  // Date allows the future
}

TEST(Date, RefusesOtherShapes) {
    for (const std::string_view input :
         {"21-02-24", "21022024", "21 02 2024", "21-02.2024", "2024/02/21", "2024.02.21",
          "21-02-2024-", "-21-02-2024", "21--02-2024", "021-02-2024", "21-002-2024", "21-02-02024",
          "Feb 21 2024", "21 февраля 2024", "2024-02-21T10:00", "১১"}) {
        EXPECT_TRUE(refuses(Rule::Date, input, kDateShape));
    }
}

TEST(Date, KnowsLeapYearsAndMonthLengths) {
    EXPECT_TRUE(accepts(Rule::Date, "29-02-2024", "2024-02-29"));
    EXPECT_TRUE(accepts(Rule::Date, "29-02-2000", "2000-02-29"));
    EXPECT_TRUE(refuses(Rule::Date, "29-02-2023", kDateNotReal));
    EXPECT_TRUE(refuses(Rule::Date, "29-02-1900", kDateNotReal));  // centuries are not leap
    EXPECT_TRUE(accepts(Rule::Date, "30.04.2020", "2020-04-30"));
    EXPECT_TRUE(refuses(Rule::Date, "31.04.2020", kDateNotReal));
    EXPECT_TRUE(accepts(Rule::Date, "31.12.2020", "2020-12-31"));
    EXPECT_TRUE(refuses(Rule::Date, "32.12.2020", kDateNotReal));
    EXPECT_TRUE(refuses(Rule::Date, "00.12.2020", kDateNotReal));
    EXPECT_TRUE(refuses(Rule::Date, "12.13.2020", kDateNotReal));  // month-first US style
    EXPECT_TRUE(refuses(Rule::Date, "2020-02-30", kDateNotReal));
}

TEST(Date, YearIsFrom1900To2100) {
    EXPECT_TRUE(accepts(Rule::Date, "01-01-1900", "1900-01-01"));
    EXPECT_TRUE(accepts(Rule::Date, "31-12-2100", "2100-12-31"));
    EXPECT_TRUE(refuses(Rule::Date, "31-12-1899", kDateYear));
    EXPECT_TRUE(refuses(Rule::Date, "01-01-2101", kDateYear));
    EXPECT_TRUE(refuses(Rule::Date, "0000-01-01", kDateYear));
}

TEST(PastDate, RefusesDatesAfterToday) {
    EXPECT_TRUE(accepts(Rule::PastDate, "15-06-2024", "2024-06-15"));  // today itself
    EXPECT_TRUE(accepts(Rule::PastDate, "14.06.2024", "2024-06-14"));
    EXPECT_TRUE(accepts(Rule::PastDate, "26-03-1971", "1971-03-26"));
    EXPECT_TRUE(refuses(Rule::PastDate, "16-06-2024", kDateFuture));
    EXPECT_TRUE(refuses(Rule::PastDate, "01-07-2024", kDateFuture));
    EXPECT_TRUE(refuses(Rule::PastDate, "2025-01-01", kDateFuture));
    EXPECT_TRUE(refuses(Rule::PastDate, "৩১-১২-২০৩০", kDateFuture));
    // The other date checks still come first.
    EXPECT_TRUE(refuses(Rule::PastDate, "31-04-2020", kDateNotReal));
    EXPECT_TRUE(refuses(Rule::PastDate, "21-02-24", kDateShape));
}

TEST(PastDate, NeedsARealToday) {
    for (const std::string_view today : {"", "15-06-2024", "2024-6-15", "2024-02-30", "today"}) {
        EXPECT_THROW(check(Rule::PastDate, "01-01-2000", true, today), std::invalid_argument)
            << today;
    }
    EXPECT_NO_THROW(check(Rule::Date, "01-01-2000", true, "garbage"));  // only PastDate reads it
}

// --- names ----------------------------------------------------------------------------------

TEST(Name, AcceptsBanglaLatinAndCyrillicNames) {
    for (const std::string_view name : {
             "রহিম উদ্দিন",
             "Oʻgʻiloy Qodirova",  // ʻ U+02BB
             "O‘g‘iloy Qodirova",  // ‘ U+2018, as Uzbek print often has it
             "Мухаммад Ўринов",
             "Md. করিম",                        // mixed scripts, as people write them
             "মোঃ আব্দুল্লাহ্",                     // visarga, hasanta
             "চাঁদ সুলতানা",                      // chandrabindu
             "\u09B8\u09C8\u09AF\u09BC\u09A6",  // সৈয়দ: য + nukta, as NFC writes য়
             "র‍্যাব",              // ZWJ for ya-phala
             "ক্‌ষ",                    // ZWNJ
             "O'Brien", "D’Costa", "Anne-Marie", "Ботирова Ҳилола", "Жасур Тошматов",
             "Raʼno",  // ʼ U+02BC
             "José Ramírez",
             "মা",  // one letter and a vowel sign
         }) {
        EXPECT_TRUE(accepts(Rule::Name, name, name));
    }
}

TEST(Name, CollapsesSpacesAndNormalises) {
    EXPECT_TRUE(accepts(Rule::Name, "  রহিম   উদ্দিন  ", "রহিম উদ্দিন"));
    EXPECT_TRUE(accepts(Rule::Name, "Md.\t\u00a0Karim", "Md. Karim"));
    EXPECT_TRUE(accepts(Rule::Name, "\u0423\u0306ринов", "Ўринов"));  // У + combining breve
    EXPECT_TRUE(accepts(Rule::Name, "Jose\u0301", "José"));
    // য় (U+09DF) is a composition exclusion: NFC writes it as য + nukta.
    EXPECT_TRUE(accepts(Rule::Name, "\u09B8\u09C8\u09DF\u09A6", "\u09B8\u09C8\u09AF\u09BC\u09A6"));
}

TEST(Name, RefusesDigits) {
    EXPECT_TRUE(refuses(Rule::Name, "Rahim 2", kNameDigits));
    EXPECT_TRUE(refuses(Rule::Name, "রহিম ১", kNameDigits));  // a Bangla digit
    EXPECT_TRUE(refuses(Rule::Name, "R2D2", kNameDigits));
}

TEST(Name, RefusesSymbolsAndEmoji) {
    for (const std::string_view name :
         {"Rahim 😀", "রহিম@", "Karim_Uddin", "রহিম৳", "Karim!", "Karim, Rahim", "Rahim\"",
          "রহিম\x07", "Rahim ্", "\u09be রহিম", "Karim `", "नाम।"}) {
        EXPECT_TRUE(refuses(Rule::Name, name, kNameSymbols));
    }
}

// The built-in name rule takes letters of any script: a country's pack narrows it.
TEST(Name, AcceptsLettersOfAnyScript) {
    for (const std::string_view name :
         {"Ανδρέας", "محمد", "张伟", "राम बहादुर", "ශ්‍රී ලංකා", "Ёқубов"}) {
        EXPECT_TRUE(accepts(Rule::Name, name, name));
    }
}

TEST(Name, NeedsTwoToHundredCharacters) {
    for (const std::string_view name : {"A", "ক", "A.", "..", "- '", "ʻ"}) {
        EXPECT_TRUE(refuses(Rule::Name, name, kNameTooShort));
    }
    EXPECT_TRUE(accepts(Rule::Name, "Al", "Al"));
    EXPECT_TRUE(accepts(Rule::Name, repeat("ক", 100), repeat("ক", 100)));  // 300 bytes
    EXPECT_TRUE(refuses(Rule::Name, repeat("ক", 101), kNameTooLong));
    EXPECT_TRUE(accepts(Rule::Name, repeat("a", 50) + "   " + repeat("b", 49),
                        repeat("a", 50) + " " + repeat("b", 49)));  // counted after collapsing
}

// --- free text ------------------------------------------------------------------------------

TEST(Text, AcceptsPrintableTextUpTo200CodePoints) {
    EXPECT_TRUE(accepts(Rule::Text, "বাড়ি ১২, রোড ৫, মিরপুর", "বাড়ি 12, রোড 5, মিরপুর"));
    EXPECT_TRUE(accepts(Rule::Text, "Toshkent sh., Chilonzor 9-kvartal",
                        "Toshkent sh., "
                        "Chilonzor 9-kvartal"));
    EXPECT_TRUE(
        accepts(Rule::Text, "г. Самарканд, ул. Регистан 1", "г. Самарканд, ул. Регистан 1"));
    EXPECT_TRUE(accepts(Rule::Text, "Thanks 👍🏽 #1 @ 50%", "Thanks 👍🏽 #1 @ 50%"));
    EXPECT_TRUE(accepts(Rule::Text, "  padded  ", "padded"));
    EXPECT_TRUE(accepts(Rule::Text, repeat("অ", 200), repeat("অ", 200)));  // 600 bytes
    EXPECT_TRUE(refuses(Rule::Text, repeat("অ", 201), kTextTooLong));
    EXPECT_TRUE(accepts(Rule::Text, "x", "x"));
}

TEST(Text, RefusesControlAndUnprintableCharacters) {
    using namespace std::string_view_literals;
    for (const std::string_view text :
         {"line\nbreak"sv, "tab\there"sv, "bell\x07"sv, "nul\0inside"sv, "del\x7f"sv,
          "private\ue000use"sv, "line\u2028separator"sv, "unassigned\U000E0080"sv}) {
        EXPECT_TRUE(refuses(Rule::Text, text, kTextControl)) << text.size();
    }
}

// --- tracking numbers, typed back -----------------------------------------------------------

TEST(Tracking, ReadsANumberHoweverACitizenTypesIt) {
    using seba::dc::normalise_tracking;
    const std::string made = "DHK1-261128-A7-0042";
    for (const char* typed :
         {"DHK1-261128-A7-0042", "dhk1-261128-a7-0042", "DHK1 261128 A7 0042", "dhk1261128a70042",
          "  DHK1 - 261128 - A7 - 0042 ", "DHK1-২৬১১২৮-A7-০০৪২", "DHK1–261128–A7–0042",
          "DHK1-26 11 28-A7-00 42", "DHK1-261128-A7-42", "DHK1-261I28-A7-OO42"}) {
        EXPECT_EQ(normalise_tracking(typed, "DHK1"), made) << typed;
    }
    // No kiosk code given: the centre part is read as typed, upper case.
    EXPECT_EQ(normalise_tracking("tsh3 261206 kq 0007"), "TSH3-261206-KQ-0007");
    // A kiosk code with its own hyphen and case comes back as configured.
    EXPECT_EQ(normalise_tracking("dcdhaka1 261128 a7 0042", "DC-Dhaka1"),
              "DC-Dhaka1-261128-A7-0042");
    // More than 9999 in a day, typed apart.
    EXPECT_EQ(normalise_tracking("DHK1-261128-A7-12345", "DHK1"), "DHK1-261128-A7-12345");
}

TEST(Tracking, RefusesWhatCannotBeOne) {
    using seba::dc::normalise_tracking;
    for (const char* typed :
         {"", "D", "0042", "A7-0042", "DHK1-2611-A7-0042", "DHK1-261128-A7-00X2",
          "DHK1-261128-A7-0042!", "ডিHK1-261128-A7-0042", "DHK1-26112X-A7-0042", "\xff\xfe"}) {
        EXPECT_EQ(normalise_tracking(typed, "DHK1"), std::nullopt) << typed;
    }
    EXPECT_EQ(normalise_tracking(std::string(5000, '1')), std::nullopt);
}

// --- rules as data ---------------------------------------------------------------------------

// A made-up country's pack: Nepal's 10-digit ID with a weighted check digit, its mobiles, and
// names in Devanagari only, with messages in Nepali written in the records.
TEST(RulesAsData, AMadeUpCountryAddsItsIdPhoneAndNameRules) {
    const FormRule id = seba::dc::parse_rule("nid_np", nlohmann::json::parse(R"({
        "kind": "digits", "lengths": [10],
        "check": {"method": "weighted", "weights": [7, 3, 1], "modulus": 10},
        "example": "1234567897",
        "problem": {"en": "A national ID number has 10 digits, e.g. {0}",
                    "ne": "राष्ट्रिय परिचयपत्र नम्बरमा १० अङ्क हुन्छन्, जस्तै {0}"}})"));
    const FormRule phone = seba::dc::parse_rule("phone_np", nlohmann::json::parse(R"({
        "kind": "phone", "region": "NP", "types": ["mobile"], "other_regions": ["IN"],
        "example": "9841234567",
        "problems": {"other_region": {"en": "This is an Indian number; enter a Nepal mobile number",
                                      "ne": "यो भारतीय नम्बर हो; नेपालको मोबाइल नम्बर लेख्नुहोस्"}}})"));
    const FormRule name = seba::dc::parse_rule("name_np", nlohmann::json::parse(R"({
        "kind": "letters", "scripts": ["Deva"],
        "problems": {"script": {"en": "Write the name in Devanagari",
                                "ne": "नाम देवनागरीमा लेख्नुहोस्"}}})"));

    // Devanagari digits, as a Nepali keyboard types them.
    EXPECT_TRUE(accepts(id, "१२३४५६७८९७", "1234567897"));
    EXPECT_TRUE(accepts(id, "123 456 7897", "1234567897"));
    EXPECT_TRUE(refuses(id, "१२३४५६७८९८", "A national ID number has 10 digits, e.g. 1234567897"));
    EXPECT_TRUE(refuses(id, "१२३४५६७८९", "A national ID number has 10 digits, e.g. 1234567897"));
    EXPECT_TRUE(accepts(phone, "९८४१२३४५६७", "+9779841234567"));
    EXPECT_TRUE(accepts(phone, "+977 984-1234567", "+9779841234567"));
    EXPECT_TRUE(refuses(phone, "01-4412345",  // Kathmandu
                        "This is a landline number; enter a mobile number, e.g. 9841234567"));
    EXPECT_TRUE(refuses(phone, "98412", "Enter a valid phone number, e.g. 9841234567"));
    EXPECT_TRUE(
        refuses(phone, "+91 98765 43210", "This is an Indian number; enter a Nepal mobile number"));
    EXPECT_TRUE(accepts(name, "राम बहादुर थापा", "राम बहादुर थापा"));
    EXPECT_TRUE(accepts(name, "श्री कृष्ण", "श्री कृष्ण"));
    EXPECT_TRUE(refuses(name, "Ram Bahadur", "Write the name in Devanagari"));
    EXPECT_TRUE(refuses(name, "রহিম", "Write the name in Devanagari"));  // Bangla

    // The citizen's language from the record; English where the record has none.
    const auto tr = [](const std::string& msgid) { return "catalog: " + msgid; };
    const auto devanagari = [](const std::string& digits) {
        std::string out;
        for (char c : digits)
            out += c >= '0' && c <= '9'
                       ? std::string("०१२३४५६७८९").substr(static_cast<std::size_t>(c - '0') * 3, 3)
                       : std::string(1, c);
        return out;
    };
    const Checked wrong = check(id, "1234567898", true, kToday);
    EXPECT_EQ(seba::dc::problem_in(wrong, "ne", tr, devanagari),
              "राष्ट्रिय परिचयपत्र नम्बरमा १० अङ्क हुन्छन्, जस्तै १२३४५६७८९७");
    EXPECT_EQ(seba::dc::problem_in(wrong, "bn", tr, devanagari),
              "A national ID number has 10 digits, e.g. १२३४५६७८९७");
    // A default message goes through the plugin's catalog.
    EXPECT_EQ(seba::dc::problem_in(check(phone, "12", true, kToday), "ne", tr, devanagari),
              "catalog: Enter a valid phone number, e.g. ९८४१२३४५६७");
}

TEST(RulesAsData, ATranslationThatLostItsPlaceholderShowsTheEnglish) {
    const Checked short_name = check(Rule::Name, "A", true, kToday);
    const auto same = [](const std::string& s) { return s; };
    EXPECT_EQ(seba::dc::problem_in(
                  short_name, "bn",
                  [](const std::string&) { return std::string("নামে অন্তত {0}টি অক্ষর"); },
                  [](const std::string&) { return std::string("২"); }),
              "নামে অন্তত ২টি অক্ষর");
    EXPECT_EQ(
        seba::dc::problem_in(
            short_name, "bn", [](const std::string&) { return std::string("নামে অক্ষর"); }, same),
        "A name needs at least 2 letters");
}

// Luhn: from the right, every second digit doubled.
TEST(CheckDigits, Luhn) {
    const FormRule luhn = rule_from(R"({"kind": "digits", "lengths": [11, 16],
                                        "check": {"method": "luhn"}})");
    for (const char* good : {"79927398713", "4539 1488 0343 6467", "4111-1111-1111-1111"})
        EXPECT_TRUE(check(luhn, good, true, kToday).ok) << good;
    for (const char* bad : {"79927398710", "79927398711", "79927398731", "4539148803436468"}) {
        const Checked c = check(luhn, bad, true, kToday);
        EXPECT_FALSE(c.ok) << bad;
        EXPECT_EQ(c.problem, "This number is not valid; check each digit") << bad;
    }
}

// mod 11: the check digit is (11 - Σ digit × weight mod 11) mod 11; ISBN-10 is one.
TEST(CheckDigits, Mod11) {
    const FormRule isbn = rule_from(R"({"kind": "digits", "lengths": [10],
        "check": {"method": "mod11", "weights": [10, 9, 8, 7, 6, 5, 4, 3, 2]}})");
    EXPECT_TRUE(check(isbn, "0-306-40615-2", true, kToday).ok);
    EXPECT_TRUE(check(isbn, "0-19-853453-1", true, kToday).ok);
    EXPECT_FALSE(check(isbn, "0-306-40615-3", true, kToday).ok);
    EXPECT_FALSE(check(isbn, "0-306-40651-2", true, kToday).ok);  // two digits swapped
    // 080442957X: a check of 10 cannot be one digit, so no last digit makes it valid.
    for (char last = '0'; last <= '9'; ++last)
        EXPECT_FALSE(check(isbn, std::string("080442957") + last, true, kToday).ok) << last;
}

// weighted: the check digit is Σ digit × weight mod modulus (ICAO 9303's 7-3-1), or its
// complement.
TEST(CheckDigits, Weighted) {
    const FormRule icao = rule_from(R"({"kind": "digits", "lengths": [7],
        "check": {"method": "weighted", "weights": [7, 3, 1], "modulus": 10}})");
    EXPECT_TRUE(check(icao, "7408122", true, kToday).ok);  // 12 Aug 1974, check 2
    EXPECT_FALSE(check(icao, "7408123", true, kToday).ok);
    const FormRule complement = rule_from(R"({"kind": "digits", "lengths": [4],
        "check": {"method": "weighted", "weights": [3, 1], "modulus": 10, "complement": true}})");
    // 1×3 + 2×1 + 3×3 = 14; (10 - 4) mod 10 = 6
    EXPECT_TRUE(check(complement, "1236", true, kToday).ok);
    EXPECT_FALSE(check(complement, "1234", true, kToday).ok);
}

// A date typed in the Persian (Solar Hijri) calendar, stored as the Gregorian day.
TEST(RulesAsData, PersianCalendarDates) {
    const FormRule persian = rule_from(R"({"kind": "date", "calendar": "persian",
                                           "order": "ymd", "not_after": "today"})");
    EXPECT_TRUE(accepts(persian, "1403/01/01", "2024-03-20"));  // Nowruz
    EXPECT_TRUE(accepts(persian, "۱۴۰۳/۰۱/۰۱", "2024-03-20"));  // Persian digits
    EXPECT_TRUE(accepts(persian, "1403-03-26", "2024-06-15"));  // today
    EXPECT_TRUE(accepts(persian, "1357.11.22", "1979-02-11"));
    EXPECT_TRUE(refuses(persian, "1403-03-27", "This date is in the future"));
    EXPECT_TRUE(
        refuses(persian, "1402-07-31", "This date does not exist; check the day and month"));
    EXPECT_TRUE(
        refuses(persian, "1401-12-30", "This date does not exist; check the day and month"));
    EXPECT_TRUE(accepts(persian, "1399-12-30", "2021-03-20"));  // a leap year's last day
    EXPECT_TRUE(
        refuses(persian, "1402-13-01", "This date does not exist; check the day and month"));
    // The default years, 1900 to 2100, in the rule's calendar; its own example.
    EXPECT_TRUE(refuses(persian, "1200-01-01", "Enter a year between 1278 and 1479"));
    EXPECT_TRUE(refuses(persian, "01-01-1403", "Enter the date as YYYY-MM-DD, e.g. 1402-12-02"));
}

TEST(RulesAsData, MalformedRecordsAreRefusedWithAReason) {
    struct Case {
        std::string record;
        std::string reason;  // a part of it
    };
    const std::string long_text(201, 'a');
    std::string long_bangla;  // 201 letters, 603 bytes
    for (int i = 0; i < 201; ++i) long_bangla += "ক";
    const Case cases[] = {
        {R"({})", "a rule needs a \"kind\""},
        {R"([1])", "must be an object"},
        {R"({"kind": "digit"})", "kind \"digit\" is not one of"},
        {R"({"kind": "digits"})", "a digits rule needs \"lengths\""},
        {R"({"kind": "digits", "lengths": []})", "lengths must be a list of 1 to 16"},
        {R"({"kind": "digits", "lengths": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]})",
         "lengths must be a list of 1 to 16"},
        {R"({"kind": "digits", "lengths": [0]})", "lengths[] must be a whole number from 1 to 64"},
        {R"({"kind": "digits", "lengths": [65]})", "from 1 to 64"},
        {R"({"kind": "digits", "lengths": ["10"]})", "lengths[] must be a whole number"},
        {R"({"kind": "digits", "lengths": [10], "check": {"method": "crc"}})",
         "check.method \"crc\" is not luhn, mod11 or weighted"},
        {R"({"kind": "digits", "lengths": [10], "check": {"method": "mod11"}})",
         "the mod11 method needs \"weights\""},
        {R"({"kind": "digits", "lengths": [10], "check": {"method": "luhn", "weights": [1]}})",
         "check.weights is not a field of the luhn method"},
        {R"({"kind": "digits", "lengths": [10],
             "check": {"method": "weighted", "weights": [1], "modulus": 11}})",
         "check.modulus must be a whole number from 2 to 10"},
        {R"({"kind": "digits", "lengths": [10], "example": "123"})",
         "example \"123\" does not follow the rule"},
        {R"({"kind": "digits", "lengths": [10], "region": "BD"})",
         "region is not a field of a digits rule"},
        {R"({"kind": "letters", "scripts": ["Xyzw"]})", "\"Xyzw\" is not an ISO 15924 script code"},
        {R"({"kind": "letters", "scripts": ["Latn","Cyrl","Beng","Deva","Arab","Grek","Hani","Thai","Taml"]})",
         "scripts must be a list of 1 to 8"},
        {R"({"kind": "letters", "min_letters": 5, "max_length": 3})",
         "min_letters is more than max_length"},
        {R"({"kind": "phone"})", "a phone rule needs \"region\""},
        {R"({"kind": "phone", "region": "XX"})",
         "region \"XX\" is not a region libphonenumber knows"},
        {R"({"kind": "phone", "region": "BD", "types": ["cell"]})",
         "types: \"cell\" is not a phone number type"},
        {R"({"kind": "phone", "region": "BD", "example": "12"})", "does not follow the rule"},
        {R"({"kind": "date", "calendar": "martian"})",
         "calendar \"martian\" is not an ICU calendar"},
        {R"({"kind": "date", "order": "mdy"})", "order must be \"dmy\" or \"ymd\""},
        {R"({"kind": "date", "not_after": "tomorrow"})", "not_after can only be \"today\""},
        {R"({"kind": "date", "min_year": 2000, "max_year": 1990})", "min_year is after max_year"},
        {R"({"kind": "number", "max_digits": 100})",
         "max_digits must be a whole number from 1 to 64"},
        {R"({"kind": "text", "problem": ")" + long_text + R"("})",
         "problem is 201 characters; at most 200"},
        {R"({"kind": "text", "problem": ")" + long_bangla + R"("})",
         "problem is 201 characters; at most 200"},
        {R"({"kind": "text", "problem": {"bn": "ভুল"}})", "problem has no \"en\" text"},
        {R"({"kind": "text", "problem": {"en": "x", "not a tag": "y"}})",
         "\"not a tag\" is not a BCP 47 language tag"},
        {R"({"kind": "text", "problems": {"colour": "x"}})",
         "problems.colour is not a message of this kind (required, unreadable, too_long, control)"},
        {R"({"kind": "text", "example": ""})", "example must not be empty"},
    };
    for (const Case& c : cases) {
        try {
            rule_from(c.record);
            ADD_FAILURE() << "accepted: " << c.record;
        } catch (const std::invalid_argument& e) {
            EXPECT_THAT(e.what(), testing::HasSubstr(c.reason)) << c.record;
        }
    }
    EXPECT_THROW(seba::dc::parse_rule("Bad Id", nlohmann::json::parse(R"({"kind": "text"})")),
                 std::invalid_argument);
    // A field no version knows is a warning, not a refusal: a newer pack on an older kiosk.
    std::vector<std::string> warnings;
    EXPECT_NO_THROW(seba::dc::parse_rule(
        "future", nlohmann::json::parse(R"({"kind": "text", "colour": "red"})"), &warnings));
    EXPECT_EQ(warnings, std::vector<std::string>{"unknown field \"colour\" ignored"});
}

// A pack may narrow a built-in kind: a name rule of two scripts, longer names, more marks.
TEST(RulesAsData, LettersRuleLimitsAndExtras) {
    const FormRule latin = rule_from(R"({"kind": "letters", "scripts": ["Latn", "Cyrl"],
                                         "min_letters": 3, "max_length": 10, "also": " -"})");
    EXPECT_TRUE(accepts(latin, "Ann-Marie", "Ann-Marie"));
    EXPECT_TRUE(accepts(latin, "Ёқуб", "Ёқуб"));
    EXPECT_TRUE(refuses(latin, "Al", "A name needs at least 3 letters"));
    EXPECT_TRUE(refuses(latin, "Abcdefghijk", "A name can have at most 10 characters"));
    EXPECT_TRUE(refuses(latin, "O'Brien", kNameSymbols));  // ' is not in its "also"
    EXPECT_TRUE(accepts(latin, "Jose\u0301", "José"));     // NFC, and an Inherited accent
    EXPECT_TRUE(refuses(latin, "রহিম", "Write the name in the alphabet this form asks for"));
}

}  // namespace

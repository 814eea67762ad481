// SPDX-License-Identifier: Apache-2.0
// Reading "rule/<id>" records (docs/digital-centre.md, "Form rules"), and the built-in rules.
#include <fmt/format.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/calendar.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "rules_internal.hpp"
#include "seba/utf8.hpp"
#include "validators.hpp"

namespace seba::dc {

namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;
using nlohmann::json;

// Limits, so a pack cannot make a kiosk build huge tables or print walls of text. Texts are
// counted in characters: a message in Devanagari or Bangla takes three bytes a letter.
constexpr std::size_t kMaxStringCharacters = 200;
constexpr std::size_t kMaxStringBytes = 4 * kMaxStringCharacters;
constexpr std::size_t kMaxLengths = 16;
constexpr int kMaxDigits = 64;
constexpr std::size_t kMaxWeights = 64;
constexpr std::size_t kMaxScripts = 8;
constexpr std::size_t kMaxRegions = 8;
constexpr std::size_t kMaxLanguages = 32;
constexpr std::size_t kMaxIdBytes = 64;

[[noreturn]] void refuse(const std::string& why) {
    throw std::invalid_argument(why);
}

std::string text(const json& j, std::string_view what) {
    if (!j.is_string()) refuse(fmt::format("{} must be a text", what));
    const std::string& s = j.get_ref<const std::string&>();
    if (s.empty()) refuse(fmt::format("{} must not be empty", what));
    if (s.size() > kMaxStringBytes)
        refuse(fmt::format("{} is {} bytes; at most {}", what, s.size(), kMaxStringBytes));
    const auto characters = utf8::to_utf32_strict(s);
    if (!characters) refuse(fmt::format("{} is not valid UTF-8", what));
    if (characters->size() > kMaxStringCharacters)
        refuse(fmt::format("{} is {} characters; at most {}", what, characters->size(),
                           kMaxStringCharacters));
    return s;
}

int whole(const json& j, std::string_view what, int min, int max) {
    if (!j.is_number_integer() || j.get<long long>() < min || j.get<long long>() > max)
        refuse(fmt::format("{} must be a whole number from {} to {}", what, min, max));
    return j.get<int>();
}

const json& array(const json& j, std::string_view what, std::size_t min, std::size_t max) {
    if (!j.is_array() || j.size() < min || j.size() > max)
        refuse(fmt::format("{} must be a list of {} to {} entries", what, min, max));
    return j;
}

bool language_tag(std::string_view tag) {
    return tag.size() >= 2 && tag.size() <= 35 && std::all_of(tag.begin(), tag.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-';
           });
}

// A string is an English msgid of the catalogs; an object gives the texts by language.
Message message(const json& j, std::string_view what) {
    Message m;
    if (j.is_string()) {
        m.en = text(j, what);
        return m;
    }
    if (!j.is_object() || j.empty() || j.size() > kMaxLanguages)
        refuse(
            fmt::format("{} must be a text (an English msgid) or an object of up to {} texts "
                        "by language",
                        what, kMaxLanguages));
    for (const auto& [language, t] : j.items()) {
        if (!language_tag(language))
            refuse(fmt::format("{}: \"{}\" is not a BCP 47 language tag", what, language));
        m.by_language.emplace(language, text(t, fmt::format("{}.{}", what, language)));
    }
    auto en = m.by_language.find("en");
    if (en == m.by_language.end())
        refuse(fmt::format("{} has no \"en\" text to fall back to", what));
    m.en = en->second;
    return m;
}

RuleKind kind_named(const std::string& name) {
    static const std::pair<std::string_view, RuleKind> kKinds[] = {
        {"text", RuleKind::Text},   {"letters", RuleKind::Letters}, {"digits", RuleKind::Digits},
        {"phone", RuleKind::Phone}, {"date", RuleKind::Date},       {"number", RuleKind::Number}};
    for (const auto& [known, kind] : kKinds)
        if (known == name) return kind;
    refuse(
        fmt::format("kind \"{}\" is not one of text, letters, digits, phone, date, number", name));
}

// The fields a kind reads, besides those every rule has.
std::set<std::string_view> fields_of(RuleKind kind) {
    switch (kind) {
        case RuleKind::Text:
            return {"max_length"};
        case RuleKind::Letters:
            return {"scripts", "min_letters", "max_length", "also"};
        case RuleKind::Digits:
            return {"lengths", "check"};
        case RuleKind::Phone:
            return {"region", "types", "other_regions"};
        case RuleKind::Date:
            return {"calendar", "order", "not_after", "min_year", "max_year"};
        case RuleKind::Number:
            return {"max_digits"};
    }
    return {};
}

const std::set<std::string_view> kEveryKindsFields = {"key", "kind", "example", "problem",
                                                      "problems"};
const std::set<std::string_view> kAnyKindsFields = {
    "max_length", "scripts",   "min_letters", "also",          "lengths",
    "check",      "region",    "types",       "other_regions", "calendar",
    "order",      "not_after", "min_year",    "max_year",      "max_digits"};

void read_check(FormRule& rule, const json& j) {
    if (!j.is_object()) refuse("check must be an object with a \"method\"");
    const std::string method = text(j.value("method", json()), "check.method");
    if (method == "luhn") {
        rule.check_digit = CheckDigit::Luhn;
    } else if (method == "mod11") {
        rule.check_digit = CheckDigit::Mod11;
    } else if (method == "weighted") {
        rule.check_digit = CheckDigit::Weighted;
    } else {
        refuse(fmt::format("check.method \"{}\" is not luhn, mod11 or weighted", method));
    }
    for (const auto& [field, value] : j.items()) {
        const bool known = field == "method" ||
                           (rule.check_digit != CheckDigit::Luhn && field == "weights") ||
                           (rule.check_digit == CheckDigit::Weighted &&
                            (field == "modulus" || field == "complement"));
        if (!known) refuse(fmt::format("check.{} is not a field of the {} method", field, method));
    }
    if (rule.check_digit == CheckDigit::Luhn) return;
    if (!j.contains("weights")) refuse(fmt::format("the {} method needs \"weights\"", method));
    for (const json& w : array(j["weights"], "check.weights", 1, kMaxWeights))
        rule.weights.push_back(whole(w, "check.weights[]", 0, 99));
    if (rule.check_digit == CheckDigit::Weighted) {
        // A check digit is one digit: a larger modulus could ask for 10 or more.
        if (j.contains("modulus")) rule.modulus = whole(j["modulus"], "check.modulus", 2, 10);
        if (j.contains("complement")) {
            if (!j["complement"].is_boolean()) refuse("check.complement must be true or false");
            rule.complement = j["complement"].get<bool>();
        }
    }
    if (*std::min_element(rule.lengths.begin(), rule.lengths.end()) < 2)
        refuse("a number with a check digit needs at least 2 digits");
}

void read_digits(FormRule& rule, const json& data) {
    if (!data.contains("lengths")) refuse("a digits rule needs \"lengths\"");
    for (const json& l : array(data["lengths"], "lengths", 1, kMaxLengths))
        rule.lengths.push_back(whole(l, "lengths[]", 1, kMaxDigits));
    if (data.contains("check")) read_check(rule, data["check"]);
}

void read_letters(FormRule& rule, const json& data) {
    rule.max_length = 100;
    rule.also = U" .-'\u2019\u02BB\u02BC\u2018";
    if (data.contains("scripts")) {
        for (const json& s : array(data["scripts"], "scripts", 1, kMaxScripts)) {
            const std::string code = text(s, "scripts[]");
            const int script = u_getPropertyValueEnum(UCHAR_SCRIPT, code.c_str());
            if (script == UCHAR_INVALID_CODE)
                refuse(fmt::format("scripts: \"{}\" is not an ISO 15924 script code", code));
            rule.scripts.push_back(script);
        }
    }
    if (data.contains("min_letters"))
        rule.min_letters = whole(data["min_letters"], "min_letters", 1, 64);
    if (data.contains("max_length"))
        rule.max_length = whole(data["max_length"], "max_length", 1, 1000);
    if (rule.min_letters > rule.max_length) refuse("min_letters is more than max_length");
    if (data.contains("also")) rule.also = *utf8::to_utf32_strict(text(data["also"], "also"));
}

void check_region(const std::string& region, std::string_view what) {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    std::set<std::string> regions;
    util.GetSupportedRegions(&regions);
    if (!regions.count(region))
        refuse(fmt::format("{} \"{}\" is not a region libphonenumber knows", what, region));
}

PhoneNumberUtil::PhoneNumberType phone_type(const std::string& name) {
    static const std::pair<std::string_view, PhoneNumberUtil::PhoneNumberType> kTypes[] = {
        {"mobile", PhoneNumberUtil::MOBILE},
        {"fixed_line", PhoneNumberUtil::FIXED_LINE},
        {"toll_free", PhoneNumberUtil::TOLL_FREE},
        {"premium_rate", PhoneNumberUtil::PREMIUM_RATE},
        {"shared_cost", PhoneNumberUtil::SHARED_COST},
        {"voip", PhoneNumberUtil::VOIP},
        {"personal_number", PhoneNumberUtil::PERSONAL_NUMBER},
        {"pager", PhoneNumberUtil::PAGER},
        {"uan", PhoneNumberUtil::UAN},
        {"voicemail", PhoneNumberUtil::VOICEMAIL}};
    for (const auto& [known, type] : kTypes)
        if (known == name) return type;
    refuse(
        fmt::format("types: \"{}\" is not a phone number type (mobile, fixed_line, "
                    "toll_free, premium_rate, shared_cost, voip, personal_number, pager, "
                    "uan, voicemail)",
                    name));
}

void read_phone(FormRule& rule, const json& data) {
    if (!data.contains("region")) refuse("a phone rule needs \"region\"");
    rule.region = text(data["region"], "region");
    check_region(rule.region, "region");
    if (data.contains("types")) {
        for (const json& t : array(data["types"], "types", 1, 10)) {
            rule.types.push_back(text(t, "types[]"));
            phone_type(rule.types.back());
        }
    } else {
        rule.types = {"mobile"};
    }
    if (data.contains("other_regions")) {
        for (const json& r : array(data["other_regions"], "other_regions", 1, kMaxRegions)) {
            rule.other_regions.push_back(text(r, "other_regions[]"));
            check_region(rule.other_regions.back(), "other_regions[]");
        }
    }
    if (rule.example.empty()) {
        // libphonenumber's own example of the first type, as the country writes it.
        const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
        PhoneNumber example;
        if (util.GetExampleNumberForType(rule.region, phone_type(rule.types.front()), &example))
            util.Format(example, PhoneNumberUtil::NATIONAL, &rule.example);
    }
}

bool calendar_exists(const std::string& name) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Calendar> calendar(
        icu::Calendar::createInstance(icu::Locale(("@calendar=" + name).c_str()), status));
    // ICU answers an unknown name with the Gregorian calendar.
    return U_SUCCESS(status) && calendar && name == calendar->getType();
}

void read_date(FormRule& rule, const json& data) {
    if (data.contains("calendar")) rule.calendar = text(data["calendar"], "calendar");
    if (!calendar_exists(rule.calendar))
        refuse(fmt::format("calendar \"{}\" is not an ICU calendar", rule.calendar));
    if (data.contains("order")) {
        const std::string order = text(data["order"], "order");
        if (order != "dmy" && order != "ymd") refuse("order must be \"dmy\" or \"ymd\"");
        rule.year_first = order == "ymd";
    }
    if (data.contains("not_after")) {
        if (text(data["not_after"], "not_after") != "today")
            refuse("not_after can only be \"today\"");
        rule.not_after_today = true;
    }
    // The defaults, 1900 to 2100 in the Gregorian calendar, in the rule's own years.
    const auto year_of = [&](detail::Ymd gregorian) {
        std::optional<detail::Ymd> there = detail::from_gregorian(rule.calendar, gregorian);
        if (!there) refuse(fmt::format("calendar \"{}\" cannot convert dates", rule.calendar));
        return there->year;
    };
    rule.min_year = data.contains("min_year") ? whole(data["min_year"], "min_year", 1, 9999)
                                              : year_of({1900, 1, 1});
    rule.max_year = data.contains("max_year") ? whole(data["max_year"], "max_year", 1, 9999)
                                              : year_of({2100, 12, 31});
    if (rule.min_year > rule.max_year) refuse("min_year is after max_year");
    if (rule.example.empty()) {
        std::optional<detail::Ymd> example = detail::from_gregorian(rule.calendar, {2024, 2, 21});
        if (example) rule.example = detail::format_date(*example, rule.year_first);
    }
}

void read_problems(FormRule& rule, const json& data) {
    const std::span<const std::string_view> slots = detail::slots(rule.kind);
    if (data.contains("problem")) {
        const Message main = message(data["problem"], "problem");
        for (std::string_view slot : detail::main_slots(rule.kind))
            rule.problems[std::string(slot)] = main;
    }
    if (!data.contains("problems")) return;
    const json& problems = data["problems"];
    if (!problems.is_object()) refuse("problems must be an object of messages by slot");
    for (const auto& [slot, m] : problems.items()) {
        if (std::find(slots.begin(), slots.end(), slot) == slots.end()) {
            std::string known;
            for (std::string_view s : slots) known += (known.empty() ? "" : ", ") + std::string(s);
            refuse(fmt::format("problems.{} is not a message of this kind ({})", slot, known));
        }
        rule.problems[slot] = message(m, "problems." + slot);
    }
}

bool rule_id_ok(std::string_view id) {
    return !id.empty() && id.size() <= kMaxIdBytes && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

FormRule builtin(std::string id, RuleKind kind) {
    FormRule rule;
    rule.id = std::move(id);
    rule.kind = kind;
    if (kind == RuleKind::Letters) {
        rule.max_length = 100;
        rule.also = U" .-'\u2019\u02BB\u02BC\u2018";
    }
    if (kind == RuleKind::Date) rule.example = "21-02-2024";
    return rule;
}

}  // namespace

FormRule parse_rule(std::string_view id, const json& data, std::vector<std::string>* warnings) {
    if (!rule_id_ok(id))
        refuse(fmt::format("rule id \"{}\" must be 1-{} of a-z 0-9 _ -", id, kMaxIdBytes));
    if (!data.is_object()) refuse("a rule record must be an object");
    if (!data.contains("kind")) refuse("a rule needs a \"kind\"");
    FormRule rule;
    rule.id = std::string(id);
    rule.kind = kind_named(text(data["kind"], "kind"));

    const std::set<std::string_view> own = fields_of(rule.kind);
    for (const auto& [field, value] : data.items()) {
        if (kEveryKindsFields.count(field) || own.count(field)) continue;
        if (kAnyKindsFields.count(field))
            refuse(fmt::format("{} is not a field of a {} rule", field,
                               data["kind"].get<std::string>()));
        if (warnings) warnings->push_back(fmt::format("unknown field \"{}\" ignored", field));
    }
    if (data.contains("example")) rule.example = text(data["example"], "example");

    switch (rule.kind) {
        case RuleKind::Text:
            if (data.contains("max_length"))
                rule.max_length = whole(data["max_length"], "max_length", 1, 1000);
            break;
        case RuleKind::Letters:
            read_letters(rule, data);
            break;
        case RuleKind::Digits:
            read_digits(rule, data);
            break;
        case RuleKind::Phone:
            read_phone(rule, data);
            break;
        case RuleKind::Date:
            read_date(rule, data);
            break;
        case RuleKind::Number:
            if (data.contains("max_digits"))
                rule.max_digits = whole(data["max_digits"], "max_digits", 1, kMaxDigits);
            break;
    }
    read_problems(rule, data);

    // The example is shown as the right way to write it: it must be one.
    if (data.contains("example")) {
        FormRule unbounded = rule;
        unbounded.not_after_today = false;
        const Checked checked = check(unbounded, rule.example, true, {});
        if (!checked.ok)
            refuse(fmt::format("example \"{}\" does not follow the rule: {}", rule.example,
                               checked.problem));
    }
    return rule;
}

const FormRule* builtin_rule(std::string_view id) {
    static const FormRule kBuiltins[] = {
        builtin("text", RuleKind::Text), builtin("name", RuleKind::Letters),
        builtin("number", RuleKind::Number), builtin("date", RuleKind::Date), [] {
            FormRule past = builtin("past_date", RuleKind::Date);
            past.not_after_today = true;
            return past;
        }()};
    for (const FormRule& rule : kBuiltins)
        if (rule.id == id) return &rule;
    return nullptr;
}

}  // namespace seba::dc

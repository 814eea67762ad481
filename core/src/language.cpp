// SPDX-License-Identifier: Apache-2.0
#include "seba/language.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <utility>

#include "seba/config.hpp"
#include "seba/error.hpp"
#include "seba/utf8.hpp"

namespace seba {

namespace {

using nlohmann::json;

// A record comes from a country pack over the network: every list and string is bounded.
constexpr std::size_t kMaxText = 64;
constexpr std::size_t kMaxScripts = 8;
constexpr std::size_t kMaxFamilies = 8;
constexpr std::size_t kMaxPackages = 8;

bool all_of_chars(std::string_view text, std::string_view allowed_punctuation) {
    return std::all_of(text.begin(), text.end(), [&](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               allowed_punctuation.find(c) != std::string_view::npos;
    });
}

[[noreturn]] void refuse(std::string_view tag, std::string_view field, std::string_view expected) {
    throw Error("language " + (tag.empty() ? std::string("record") : "\"" + std::string(tag) + "\"") +
                ": " + std::string(field) + " must be " + std::string(expected));
}

std::string text_field(const json& record, std::string_view tag, const char* field,
                       bool required, std::string fallback = {}) {
    const auto found = record.find(field);
    if (found == record.end()) {
        if (required) refuse(tag, field, "given");
        return fallback;
    }
    if (!found->is_string() || found->get_ref<const std::string&>().size() > kMaxText ||
        !utf8::is_valid(found->get_ref<const std::string&>()))
        refuse(tag, field, "a string of at most 64 bytes of UTF-8");
    return found->get<std::string>();
}

std::vector<std::string> text_list(const json& value, std::string_view tag, const char* field,
                                   std::size_t max) {
    if (!value.is_array() || value.size() > max)
        refuse(tag, field, "a list of at most " + std::to_string(max) + " strings");
    std::vector<std::string> out;
    for (const json& item : value) {
        if (!item.is_string() || item.get_ref<const std::string&>().empty() ||
            item.get_ref<const std::string&>().size() > kMaxText ||
            !utf8::is_valid(item.get_ref<const std::string&>()))
            refuse(tag, field, "a list of non-empty strings of at most 64 bytes");
        out.push_back(item.get<std::string>());
    }
    return out;
}

// An ISO 15924 code ICU knows ("Deva"), spelled as the standard does.
bool is_script_code(const std::string& code) {
    if (code.size() != 4 || code[0] < 'A' || code[0] > 'Z') return false;
    if (!std::all_of(code.begin() + 1, code.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        return false;
    return u_getPropertyValueEnum(UCHAR_SCRIPT, code.c_str()) != UCHAR_INVALID_CODE;
}

bool is_script_rtl(const std::string& code) {
    const int32_t script = u_getPropertyValueEnum(UCHAR_SCRIPT, code.c_str());
    return script != UCHAR_INVALID_CODE && uscript_isRightToLeft(static_cast<UScriptCode>(script));
}

const std::set<std::string, std::less<>> kFields = {
    "tag",      "name",     "english_name", "scripts", "right_to_left", "digits", "locale",
    "calendar", "keyboard", "fonts",        "font_packages", "voice",   "notes"};

}  // namespace

Language Language::from_json(const json& record) {
    if (!record.is_object()) throw Error("a language record must be a JSON object");
    Language language;
    language.tag = text_field(record, {}, "tag", true);
    const std::string& tag = language.tag;
    if (!is_language_tag(tag))
        refuse({}, "tag", "a BCP 47 tag such as \"ne\", \"uz-Latn\" or \"sr-Cyrl-RS\" (found \"" +
                              tag + "\")");
    for (const auto& [field, value] : record.items())
        if (!kFields.contains(field)) refuse(tag, field, "left out: it is not a language field");

    language.name = text_field(record, tag, "name", true);
    if (language.name.empty()) refuse(tag, "name", "the language's name for itself");
    language.english_name = text_field(record, tag, "english_name", false, tag);

    if (!record.contains("scripts")) refuse(tag, "scripts", "given (ISO 15924 codes: [\"Deva\"])");
    language.scripts = text_list(record["scripts"], tag, "scripts", kMaxScripts);
    if (language.scripts.empty()) refuse(tag, "scripts", "at least one ISO 15924 code");
    for (const std::string& script : language.scripts)
        if (!is_script_code(script))
            refuse(tag, "scripts", "ISO 15924 codes such as \"Deva\" (found \"" + script + "\")");

    if (const auto rtl = record.find("right_to_left"); rtl != record.end()) {
        if (!rtl->is_boolean()) refuse(tag, "right_to_left", "true or false");
        language.right_to_left = rtl->get<bool>();
    } else {
        language.right_to_left = is_script_rtl(language.scripts.front());
    }

    language.digits = text_field(record, tag, "digits", false, "latn");
    if (language.digits.empty() || !all_of_chars(language.digits, ""))
        refuse(tag, "digits", "an ICU numbering system such as \"latn\", \"beng\" or \"deva\"");
    language.locale = text_field(record, tag, "locale", false);
    if (language.locale.empty()) {
        language.locale = tag;
        std::replace(language.locale.begin(), language.locale.end(), '-', '_');
    }
    language.calendar = text_field(record, tag, "calendar", false, "gregorian");
    if (language.calendar.empty() || !all_of_chars(language.calendar, "-"))
        refuse(tag, "calendar", "an ICU calendar such as \"gregorian\" or \"persian\"");

    const auto keyboard = record.find("keyboard");
    if (keyboard == record.end() || !keyboard->is_object() || !keyboard->contains("layout"))
        refuse(tag, "keyboard", "{\"layout\": \"<xkb layout>\", \"variant\": \"<variant>\"}");
    language.keyboard_layout = text_field(*keyboard, tag, "layout", true);
    language.keyboard_variant = text_field(*keyboard, tag, "variant", false);
    if (language.keyboard_layout.empty() || !all_of_chars(language.keyboard_layout, "_-") ||
        !all_of_chars(language.keyboard_variant, "_-"))
        refuse(tag, "keyboard", "an xkb layout and variant of a-z, 0-9, '_' and '-'");

    const auto fonts = record.find("fonts");
    if (fonts == record.end() || !fonts->is_object() || fonts->empty() ||
        fonts->size() > kMaxScripts)
        refuse(tag, "fonts", "{\"<script>\": [\"<fontconfig family>\", ...]} for its scripts");
    for (const auto& [script, families] : fonts->items()) {
        if (!is_script_code(script))
            refuse(tag, "fonts", "keyed by ISO 15924 codes (found \"" + script + "\")");
        ScriptFonts entry{script, text_list(families, tag, "fonts", kMaxFamilies)};
        if (entry.families.empty()) refuse(tag, "fonts", "at least one family per script");
        language.fonts.push_back(std::move(entry));
    }
    for (const std::string& script : language.scripts) {
        const bool has = std::any_of(language.fonts.begin(), language.fonts.end(),
                                     [&](const ScriptFonts& f) { return f.script == script; });
        if (!has) refuse(tag, "fonts", "given for each of its scripts (" + script + " has none)");
    }

    if (const auto packages = record.find("font_packages"); packages != record.end()) {
        language.font_packages = text_list(*packages, tag, "font_packages", kMaxPackages);
        for (const std::string& package : language.font_packages)
            if (!all_of_chars(package, "+.-"))
                refuse(tag, "font_packages", "Debian package names (found \"" + package + "\")");
    }
    language.voice = text_field(record, tag, "voice", false);
    if (!all_of_chars(language.voice, "-+_"))
        refuse(tag, "voice", "an espeak-ng voice name such as \"ne\", or empty");
    return language;
}

json Language::to_json() const {
    json fonts_json = json::object();
    for (const ScriptFonts& entry : fonts) fonts_json[entry.script] = entry.families;
    return {{"tag", tag},
            {"name", name},
            {"english_name", english_name},
            {"scripts", scripts},
            {"right_to_left", right_to_left},
            {"digits", digits},
            {"locale", locale},
            {"calendar", calendar},
            {"keyboard", {{"layout", keyboard_layout}, {"variant", keyboard_variant}}},
            {"fonts", fonts_json},
            {"font_packages", font_packages},
            {"voice", voice}};
}

}  // namespace seba

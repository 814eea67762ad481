// SPDX-License-Identifier: Apache-2.0
#include "language_check.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "language_fonts.hpp"
#include "seba/error.hpp"
#include "seba/text/fonts.hpp"
#include "seba/ui/keyboard.hpp"
#include "seba/ui/languages.hpp"

namespace seba::kiosk {
namespace {

std::string examine(const ui::Language& language) {
    const std::string who = fmt::format("{} ({})", language.name, language.tag);
    if (std::string missing = text::FontSet::missing_fonts(font_choices({language}));
        !missing.empty())
        return missing;
    try {
        ui::keyboard_for_language(language.tag);
    } catch (const Error& e) {
        return fmt::format("{}: its keyboard layout {}{} cannot be read: {}", who,
                           language.keyboard_layout,
                           language.keyboard_variant.empty() ? ""
                                                             : "(" + language.keyboard_variant + ")",
                           e.what());
    }
    return {};
}

}  // namespace

std::string language_problem(std::string_view tag) {
    const ui::Languages& known = ui::languages();
    const ui::Language* language = known.find(tag);
    if (language == nullptr) {
        return fmt::format(
            "the language \"{}\" has no definition on this kiosk; a country pack publishes one "
            "on the channel i18n.languages (docs/country-packs.md)",
            tag);
    }
    static std::mutex mutex;
    static std::map<std::string, std::string> answers;  // definition -> problem
    const std::string definition = language->to_json().dump();
    {
        const std::lock_guard lock(mutex);
        if (auto it = answers.find(definition); it != answers.end()) return it->second;
    }
    std::string problem = examine(*language);
    const std::lock_guard lock(mutex);
    answers.emplace(definition, problem);
    return problem;
}

}  // namespace seba::kiosk

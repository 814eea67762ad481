// SPDX-License-Identifier: Apache-2.0
#include "language_fonts.hpp"

#include <algorithm>

namespace seba::kiosk {

std::vector<text::FontChoice> font_choices(const std::vector<ui::Language>& languages) {
    std::vector<text::FontChoice> choices;
    for (const ui::Language& language : languages)
        for (const ui::ScriptFonts& fonts : language.fonts) {
            bool chosen = std::any_of(choices.begin(), choices.end(), [&](const auto& c) {
                return c.script == fonts.script && c.families == fonts.families;
            });
            if (chosen) continue;  // Russian and Uzbek (Cyrillic) both want Noto Sans
            choices.push_back({fonts.script, fonts.families, language.font_packages,
                               language.name + " (" + language.tag + ")"});
        }
    return choices;
}

std::vector<std::string> print_font_families(const std::vector<ui::Language>& languages) {
    std::vector<std::string> families{"Noto Sans"};
    for (const ui::Language& language : languages)
        for (const ui::ScriptFonts& fonts : language.fonts)
            for (const std::string& family : fonts.families)
                if (std::find(families.begin(), families.end(), family) == families.end())
                    families.push_back(family);
    return families;
}

}  // namespace seba::kiosk

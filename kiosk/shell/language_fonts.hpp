// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The fonts the kiosk draws and prints its languages with, from their records
/// (seba/ui/languages.hpp), in the plain form libseba_text and libseba_print take.

#include <string>
#include <vector>

#include "seba/text/fonts.hpp"
#include "seba/ui/languages.hpp"

namespace seba::kiosk {

/// One choice per script of each language, in order: its fontconfig families, its
/// font_packages and "<endonym> (<tag>)" for messages. A script whose families an earlier
/// language already chose is given once.
std::vector<text::FontChoice> font_choices(const std::vector<ui::Language>& languages);

/// The font families documents are printed with (seba::print::set_font_families): Noto Sans
/// first (Latin, Cyrillic, digits), then every family of every language, each once.
std::vector<std::string> print_font_families(const std::vector<ui::Language>& languages);

}  // namespace seba::kiosk

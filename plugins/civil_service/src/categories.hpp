// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a complaint can be about, each with a pictogram for citizens who read little, and the
// common phrases a citizen may pick instead of typing. Their ids travel in the event
// "civil_service.grievance" and are what the server counts; their words are msgids of the
// plugin's catalogs (assets/locale/*.po).

#include <span>
#include <string_view>

namespace seba::civil {

struct Category {
    std::string_view id;    ///< [a-z_]: in the event and the server's counts
    std::string_view icon;  ///< a Material Icons name the kit's font has
    std::string_view name;  ///< English; the msgid of the tile's word
};

struct Phrase {
    std::string_view id;
    std::string_view text;  ///< English; the msgid of the chip
};

/// Every category, in the order the tiles show them ("other" last).
std::span<const Category> categories();
/// The category `id`, or null.
const Category* find_category(std::string_view id);

/// Every common phrase, in the order the chips show them.
std::span<const Phrase> phrases();
const Phrase* find_phrase(std::string_view id);

}  // namespace seba::civil

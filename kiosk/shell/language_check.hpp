// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace seba::kiosk {

/// Why this kiosk cannot offer the language `tag` (seba/ui/languages.hpp), or "" when it can:
/// it has no definition (a country pack publishes one on i18n.languages), none of the fonts
/// of one of its scripts is installed (the message names the Debian package), or its
/// keyboard layout is not in xkb's data. Remembered per definition, so it is cheap to ask
/// every frame; a redefined language is looked at again.
std::string language_problem(std::string_view tag);

}  // namespace seba::kiosk

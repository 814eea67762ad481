// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

/// The plugin API this host provides. Minor versions only append; a plugin built for a
/// newer minor (or another major) than the host is refused before any of its code runs.
#define SEBA_API_VERSION_MAJOR 1
// 1.1: PluginContext::audit; 1.2: seba::kiosk_now(); 1.3: PluginStore::emit with sealed fields;
// 1.4: PluginContext::printer (seba/print.hpp), seba/sdk.hpp, seba::utf8, seba::ui::Navigator,
//      Ui::field_text and clear_field (Ui::state and begin_content left the plugin API);
// 1.5: search over catalog channels (seba/search.hpp, PluginStore::search, the manifest's
//      "search" indexes);
// 1.6: PluginContext::credentials (seba/credentials.hpp), files (seba/content_files.hpp) and
//      scanner (seba/scanner.hpp), with the capabilities "credentials", "files" and "camera"
// 1.7: Time-Cost-Visit (seba/tcv.hpp): the manifest's "service_events", checked by
//      PluginStore::emit, and the capability "survey" with the kit's exit survey
//      (seba/ui/exit_survey.hpp); Ui::kit_tr
#define SEBA_API_VERSION_MINOR 7
#define SEBA_API_VERSION_PATCH 0

/// major<<24 | minor<<16 | patch, as OBS Studio encodes its module API.
#define SEBA_MAKE_VERSION(major, minor, patch)                                               \
    ((static_cast<std::uint32_t>(major) << 24) | (static_cast<std::uint32_t>(minor) << 16) | \
     static_cast<std::uint32_t>(patch))

#define SEBA_API_VERSION \
    SEBA_MAKE_VERSION(SEBA_API_VERSION_MAJOR, SEBA_API_VERSION_MINOR, SEBA_API_VERSION_PATCH)

namespace seba {

constexpr std::uint32_t version_major(std::uint32_t word) {
    return word >> 24;
}
constexpr std::uint32_t version_minor(std::uint32_t word) {
    return (word >> 16) & 0xffu;
}
constexpr std::uint32_t version_patch(std::uint32_t word) {
    return word & 0xffffu;
}

/// "1.2.3" for a version word.
inline std::string version_string(std::uint32_t word) {
    return std::to_string(version_major(word)) + "." + std::to_string(version_minor(word)) + "." +
           std::to_string(version_patch(word));
}

}  // namespace seba

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "seba/manifest.hpp"
#include "seba/plugin.hpp"
#include "seba/signature.hpp"

namespace seba::detail {

/// How a build says it is not a release: the development key's `.pub` file carries this in
/// its comment (cmake/SebaPlugin.cmake writes it), and a plugin signed for a development
/// build says so in its signature's trusted comment (tools/seba-plugin-sign writes it).
inline constexpr std::string_view kDevelopmentKeyMark = "seba development key";
inline constexpr std::string_view kDevelopmentBuildMark = "development build";

/// Which signatures a kiosk accepts (from its Config).
struct SigningPolicy {
    std::span<const minisign::PublicKey> trusted_keys;
    bool development_mode = false;  ///< development-signed plugins may load
    bool allow_unsigned = false;    ///< unsigned plugins may load (development mode only)
};

struct ModuleLoad {
    void* (*create)(void) = nullptr;  ///< set when the module passed every check
    std::string refusal;              ///< why not, for the operator
    std::string signed_by;            ///< key id of the signer, when signed
    bool unsigned_dev = false;        ///< loaded without a signature (development mode)
};

/// Checks the module's signature, loads it with dlopen(RTLD_NOW | RTLD_LOCAL) and checks its
/// handshake. The bytes that were verified are the bytes that are loaded: they are copied
/// into a sealed memfd first, so swapping the file after the check changes nothing.
/// Runs no C++ code of the plugin's except its static initialisers. Never unloads.
/// In production (not policy.development_mode) a signature from a development key or for a
/// development build is refused, whoever's key it is.
ModuleLoad load_module(const std::filesystem::path& module_file, const Manifest& manifest,
                       const SigningPolicy& policy);

/// Empty if a plugin written for API major.minor can run on this host; else why not.
std::string check_api(std::uint32_t major, std::uint32_t minor);

}  // namespace seba::detail

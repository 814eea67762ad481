// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

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

/// A plugin folder whose signed file list was checked, and the bytes of its manifest and
/// module as they were hashed: nothing of the plugin is read from the folder again.
struct VerifiedPlugin {
    std::string refusal;        ///< why not, for the operator; empty when it may load
    std::string signed_by;      ///< key id of the signer, when signed
    bool unsigned_dev = false;  ///< no signature, allowed by policy (development mode)
    std::string manifest_json;
    std::vector<std::uint8_t> module;
};

/// Checks `folder` (named after the plugin id) before anything of it is read: the signature
/// of plugin.files (seba/plugin_files.hpp) against the policy's keys, then every file of the
/// folder against that list (nothing added, missing or changed; no symbolic links, devices
/// or paths outside; the limits). In production (not policy.development_mode) a signature
/// from a development key or for a development build is refused, whoever's key it is. A
/// signature that is present but wrong is refused even where unsigned plugins may load.
VerifiedPlugin verify_plugin(const std::filesystem::path& folder, const SigningPolicy& policy);

struct ModuleLoad {
    void* (*create)(void) = nullptr;  ///< set when the module passed every check
    std::string refusal;              ///< why not, for the operator
};

/// Loads `module` (bytes verify_plugin() checked, from `module_file`) with
/// dlopen(RTLD_NOW | RTLD_LOCAL) and checks its handshake. The bytes are copied into a sealed
/// memfd first, so swapping the file after the check changes nothing. Runs no C++ code of
/// the plugin's except its static initialisers. Never unloads.
ModuleLoad load_module(const std::filesystem::path& module_file,
                       const std::vector<std::uint8_t>& module, const Manifest& manifest);

/// Empty if a plugin written for API major.minor can run on this host; else why not.
std::string check_api(std::uint32_t major, std::uint32_t minor);

}  // namespace seba::detail

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <span>
#include <string>

#include "seba/manifest.hpp"
#include "seba/plugin.hpp"
#include "seba/signature.hpp"

namespace seba::detail {

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
ModuleLoad load_module(const std::filesystem::path& module_file, const Manifest& manifest,
                       std::span<const minisign::PublicKey> trusted_keys, bool allow_unsigned);

/// Empty if a plugin written for API major.minor can run on this host; else why not.
std::string check_api(std::uint32_t major, std::uint32_t minor);

}  // namespace seba::detail

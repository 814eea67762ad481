// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "seba/export.hpp"

/// Verification of minisign signatures (the format of Debian's `minisign` tool), with
/// libsodium's Ed25519. Both the legacy ("Ed", signs the file) and the default prehashed
/// ("ED", signs BLAKE2b-512 of the file) algorithms are accepted; the trusted comment is
/// always checked by its global signature.
namespace seba::minisign {

struct SEBA_API PublicKey {
    std::array<std::uint8_t, 8> key_id{};  ///< little-endian, as minisign stores it
    std::array<std::uint8_t, 32> key{};    ///< Ed25519 public key
    std::string comment;                   ///< the `.pub` file's untrusted comment, if it had one

    /// The key id as minisign prints it: 16 upper-case hex digits.
    std::string key_id_hex() const;
};

/// Parses a public key: either the whole `.pub` file (comment line + base64 line) or the
/// base64 line alone, as `minisign -P` takes it. Throws seba::Error saying what is wrong.
SEBA_API PublicKey parse_public_key(std::string_view text);

/// Reads and parses a `.pub` file. Errors name the file.
SEBA_API PublicKey load_public_key(const std::filesystem::path& file);

struct Verification {
    bool ok = false;
    std::string reason;           ///< why not, when !ok; for the operator
    std::string trusted_comment;  ///< when ok
    std::string key_id_hex;       ///< the key that signed, when ok
};

/// Checks `signature_text` (the contents of a `.minisig` file) over `message` against
/// every key in `trusted`. Never throws on bad input: a malformed signature is a failed
/// verification with its reason.
SEBA_API Verification verify(std::span<const std::uint8_t> message, std::string_view signature_text,
                             std::span<const PublicKey> trusted);

}  // namespace seba::minisign

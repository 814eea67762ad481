// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "seba/export.hpp"

/// Ed25519 keys and signed requests between a kiosk and seba-server (docs/protocol.md).
namespace seba::signing {

struct KeyPair {
    std::array<std::uint8_t, 32> public_key{};
    std::array<std::uint8_t, 64> secret_key{};
};

SEBA_API KeyPair generate_key_pair();

/// The device's key pair, kept in `file` (created with mode 0600 when absent; the secret
/// key never leaves it). Throws seba::Error naming the file when it is unreadable,
/// malformed, or readable by others.
SEBA_API KeyPair load_or_create_device_key(const std::filesystem::path& file);

/// The device's key pair from `file`, or nullopt when there is no such file: an enrolled
/// kiosk must not make a new key silently in place of a lost one (the server would refuse
/// it forever). Throws as load_or_create_device_key() for a file it cannot use.
SEBA_API std::optional<KeyPair> load_device_key(const std::filesystem::path& file);

/// A new key pair in `file`, for enrolling again after the enrolled key was lost. A file
/// already there is kept beside it as FILE.replaced, not destroyed.
SEBA_API KeyPair replace_device_key(const std::filesystem::path& file);

SEBA_API std::string to_base64(std::span<const std::uint8_t> bytes);
/// Standard base64 with padding; nullopt for anything else.
SEBA_API std::optional<std::vector<std::uint8_t>> from_base64(std::string_view text);

/// What a request signature covers, one item per line:
///   "SEBA-V1", METHOD, PATH (with query), hex(BLAKE2b-256(body)), TIMESTAMP (Unix seconds), NONCE
SEBA_API std::string canonical_request(std::string_view method, std::string_view path,
                                       std::string_view body, std::int64_t timestamp_s,
                                       std::string_view nonce);

/// The four headers of a signed request: X-Seba-Device, X-Seba-Timestamp, X-Seba-Nonce,
/// X-Seba-Signature (base64 of the Ed25519 signature of canonical_request()).
struct SignedHeaders {
    std::string device;
    std::string timestamp;
    std::string nonce;  ///< 32 hex digits, random per request
    std::string signature;
};

SEBA_API SignedHeaders sign_request(const KeyPair& key, std::string_view device_id,
                                    std::string_view method, std::string_view path,
                                    std::string_view body, std::int64_t now_s);

/// Checks the signature alone (freshness and replay are the server's business). Never
/// throws: malformed headers fail.
SEBA_API bool verify_request(std::span<const std::uint8_t> public_key, const SignedHeaders& headers,
                             std::string_view method, std::string_view path, std::string_view body);

}  // namespace seba::signing

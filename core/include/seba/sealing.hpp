// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "seba/error.hpp"
#include "seba/export.hpp"

/// Citizen data sealed to the server (docs/protocol.md, "Sealed fields"): a libsodium sealed
/// box (crypto_box_seal: X25519, XSalsa20-Poly1305, an ephemeral key per box) to the
/// server's public sealing key. The kiosk can make a box but never open one, so a stolen
/// kiosk, or the next citizen, cannot read back what an earlier citizen typed.
namespace seba {

class Database;

namespace sealing {

/// The envelope's "alg".
inline constexpr std::string_view kAlgorithm = "x25519-xsalsa20poly1305-sealedbox";
/// The most plain text one box holds (a form's fields are far smaller).
inline constexpr std::size_t kMaxPlainBytes = 64 * 1024;

/// The server's public sealing key, as the kiosk keeps it.
struct ServerKey {
    std::string id;  ///< key_id(public_key): which of the server's keys opens a box
    std::array<std::uint8_t, 32> public_key{};
    friend bool operator==(const ServerKey&, const ServerKey&) = default;
};

/// A key's id: the first 8 bytes of BLAKE2b-256 of the public key, in hex.
SEBA_API std::string key_id(const std::array<std::uint8_t, 32>& public_key);

/// {"id": ..., "alg": ..., "key": "<base64>"}: how the server names its key to kiosks.
SEBA_API nlohmann::json to_json(const ServerKey& key);
/// The key from what the server sent; nullopt unless alg, key (32 bytes of base64) and an id
/// that matches the key are all there.
SEBA_API std::optional<ServerKey> from_json(const nlohmann::json& value);

/// The sealing key this kiosk's server gave it (none before enrollment).
SEBA_API std::optional<ServerKey> server_key(Database& db);
/// Keeps the key the server sent over its authenticated channel (enrollment, or
/// GET /v1/seal-key over the TLS the kiosk verifies).
SEBA_API void store_server_key(Database& db, const ServerKey& key);

/// NoServerKey (the kiosk was never enrolled) is in seba/error.hpp.

/// {"alg": kAlgorithm, "key": key id, "box": base64(crypto_box_seal(value.dump()))}.
/// Throws seba::Error when the value's text is larger than kMaxPlainBytes.
SEBA_API nlohmann::json seal(const ServerKey& key, const nlohmann::json& value);

}  // namespace sealing
}  // namespace seba

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seba/sealing.hpp"

namespace seba::server {

/// The server's sealing keys and its key for citizen hashes, kept in one file (mode 0600,
/// JSON) that never leaves the server. Kiosks seal citizens' data to the current key's
/// public half; older keys stay to open what was sealed to them, so a rotation loses
/// nothing. docs/security.md, "Citizen data on the kiosk and the server".
class SealKeys {
  public:
    struct Key {
        std::string id;  ///< sealing::key_id(public_key)
        std::array<std::uint8_t, 32> public_key{};
        std::array<std::uint8_t, 32> secret_key{};
        std::string created;  ///< UTC ISO 8601
    };

    /// Fresh keys, in memory only (tests).
    static SealKeys generate();
    /// The keys in `file`; made (mode 0600) when there is no such file. Throws seba::Error
    /// naming the file when it is unreadable, malformed, or readable by others.
    static SealKeys load_or_create(const std::filesystem::path& file);
    /// The keys in `file`; throws seba::Error as above, and when it is missing.
    static SealKeys load(const std::filesystem::path& file);
    /// Writes them to `file` (mode 0600, replaced atomically).
    void save(const std::filesystem::path& file) const;

    /// A new current key; the older ones are kept for what was sealed to them.
    const Key& rotate();

    /// The key kiosks seal to now: the newest.
    const Key& current() const { return keys_.back(); }
    const std::vector<Key>& keys() const { return keys_; }
    sealing::ServerKey current_public() const;

    /// Opens a sealed envelope (sealing::seal()); nullopt when it is not one, names a key
    /// this server does not have, or does not open (altered, or sealed to another key).
    std::optional<nlohmann::json> open(const nlohmann::json& envelope) const;

    /// The citizen hash: keyed BLAKE2b-256 of the identifier, hex. Keyed with a key of this
    /// server alone, so the same citizen has the same hash from every kiosk and no one
    /// without the key can test identifiers against it.
    std::string citizen_hash(std::string_view identifier) const;

  private:
    std::vector<Key> keys_;
    std::array<std::uint8_t, 32> hash_key_{};
};

}  // namespace seba::server

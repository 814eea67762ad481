// SPDX-License-Identifier: Apache-2.0
#include "seba/sealing.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <vector>

#include "seba/signing.hpp"

namespace seba {

namespace sealing {

namespace {

void init_sodium() {
    if (sodium_init() < 0) throw Error("libsodium failed to initialise");
}

}  // namespace

std::string key_id(const std::array<std::uint8_t, 32>& public_key) {
    init_sodium();
    std::array<unsigned char, 32> digest{};
    crypto_generichash(digest.data(), digest.size(), public_key.data(), public_key.size(), nullptr,
                       0);
    std::array<char, 17> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), 8);
    return std::string(hex.data(), 16);
}

nlohmann::json to_json(const ServerKey& key) {
    return {{"id", key.id}, {"alg", kAlgorithm}, {"key", signing::to_base64(key.public_key)}};
}

std::optional<ServerKey> from_json(const nlohmann::json& value) {
    if (!value.is_object()) return std::nullopt;
    auto text = [&](const char* name) -> std::string {
        auto it = value.find(name);
        return it != value.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (text("alg") != kAlgorithm) return std::nullopt;
    std::optional<std::vector<std::uint8_t>> bytes = signing::from_base64(text("key"));
    if (!bytes || bytes->size() != 32) return std::nullopt;
    ServerKey key;
    std::copy(bytes->begin(), bytes->end(), key.public_key.begin());
    key.id = key_id(key.public_key);
    if (text("id") != key.id) return std::nullopt;  // an id that is not this key's: garbled
    return key;
}

nlohmann::json seal(const ServerKey& key, const nlohmann::json& value) {
    init_sodium();
    std::string plain = value.dump();
    if (plain.size() > kMaxPlainBytes)
        throw Error(fmt::format("{} bytes are too many to seal (at most {})", plain.size(),
                                kMaxPlainBytes));
    std::vector<std::uint8_t> box(plain.size() + crypto_box_SEALBYTES);
    if (crypto_box_seal(box.data(), reinterpret_cast<const unsigned char*>(plain.data()),
                        plain.size(), key.public_key.data()) != 0)
        throw Error("sealing for the server failed");
    sodium_memzero(plain.data(), plain.size());
    return {{"alg", kAlgorithm}, {"key", key.id}, {"box", signing::to_base64(box)}};
}

}  // namespace sealing
}  // namespace seba

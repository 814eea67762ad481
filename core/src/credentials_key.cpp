// SPDX-License-Identifier: Apache-2.0
// Key ids and the server's trust key as it names it to kiosks (docs/credentials.md). Apart
// from the rest of credentials, so that the fuzzed enrollment reply reader needs only this.
#include <fmt/format.h>
#include <sodium.h>

#include "seba/credential_keys.hpp"
#include "seba/error.hpp"

namespace seba::credentials {

namespace {

using nlohmann::json;

constexpr std::string_view kAlgorithm = "ed25519";
constexpr std::size_t kMaxUrlBytes = 512;

std::string member(const json& data, const char* name) {
    auto it = data.find(name);
    return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_web_url(std::string_view url) {
    return url.size() <= kMaxUrlBytes &&
           (url.starts_with("https://") || url.starts_with("http://")) &&
           url.find_first_of(" \"'<>\\\r\n\t") == std::string_view::npos;
}

}  // namespace

std::string key_id(const std::array<std::uint8_t, 32>& public_key) {
    if (sodium_init() < 0) throw Error("libsodium failed to initialise");
    std::array<std::uint8_t, 32> digest{};
    crypto_generichash(digest.data(), digest.size(), public_key.data(), public_key.size(), nullptr,
                       0);
    std::array<char, 17> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), 8);
    return std::string(hex.data(), 16);
}

json to_json(const TrustKey& key) {
    json out = {{"alg", kAlgorithm},
                {"id", key_id(key.public_key)},
                {"key", signing::to_base64(key.public_key)}};
    if (!key.public_url.empty()) out["public_url"] = key.public_url;
    return out;
}

std::optional<TrustKey> trust_key_from_json(const json& value) {
    try {
        if (!value.is_object() || member(value, "alg") != kAlgorithm) return std::nullopt;
        std::optional<std::vector<std::uint8_t>> bytes = signing::from_base64(member(value, "key"));
        if (!bytes || bytes->size() != 32) return std::nullopt;
        TrustKey key;
        std::copy(bytes->begin(), bytes->end(), key.public_key.begin());
        if (member(value, "id") != key_id(key.public_key)) return std::nullopt;
        if (auto url = value.find("public_url"); url != value.end()) {
            if (!url->is_string() || !is_web_url(url->get<std::string>())) return std::nullopt;
            key.public_url = url->get<std::string>();
            while (key.public_url.ends_with('/')) key.public_url.pop_back();
        }
        return key;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace seba::credentials

// SPDX-License-Identifier: Apache-2.0
#include "seba/return_code.hpp"

#include <sodium.h>

#include <span>
#include <vector>

#include "seba/error.hpp"
#include "seba/ui/i18n.hpp"

namespace seba::return_code {

namespace {
std::string hex(std::span<const std::uint8_t> bytes) {
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
    out.pop_back();
    return out;
}
}  // namespace

std::string make() {
    if (sodium_init() < 0) throw Error("libsodium cannot start");
    std::string code;
    for (int i = 0; i < 8; ++i)
        code += kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))];
    return code;
}

std::optional<std::string> normalise(std::string_view typed) {
    if (typed.size() > 64) return std::nullopt;
    const std::string ascii = ui::ascii_digits(typed);
    std::string code;
    for (char c : ascii) {
        if (c == ' ' || c == '-') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (kAlphabet.find(c) == std::string_view::npos) return std::nullopt;
        code += c;
    }
    if (code.size() != 8) return std::nullopt;
    return code;
}

std::string grouped(std::string_view code) {
    if (code.size() != 8) return std::string(code);
    return std::string(code.substr(0, 4)) + "-" + std::string(code.substr(4));
}

Keys::~Keys() {
    sodium_memzero(box_key.data(), box_key.size());
}

Keys derive_keys(std::string_view phone_e164, std::string_view code, std::string_view centre,
                 Contexts contexts) {
    if (contexts.login.size() != crypto_kdf_CONTEXTBYTES ||
        contexts.box.size() != crypto_kdf_CONTEXTBYTES)
        throw Error("a return code's subkey context is not 8 characters");
    if (sodium_init() < 0) throw Error("libsodium cannot start");
    std::array<std::uint8_t, crypto_generichash_BYTES> centre_hash{};
    crypto_generichash(centre_hash.data(), centre_hash.size(),
                       reinterpret_cast<const unsigned char*>(centre.data()), centre.size(),
                       nullptr, 0);
    std::string secret = std::string(phone_e164) + "|" + std::string(code);
    std::array<std::uint8_t, crypto_kdf_KEYBYTES> master{};
    static_assert(crypto_pwhash_SALTBYTES == 16);
    const int failed =
        crypto_pwhash(master.data(), master.size(), secret.data(), secret.size(),
                      centre_hash.data(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                      crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
    sodium_memzero(secret.data(), secret.size());
    if (failed) throw Error("not enough memory to check a return code");
    // crypto_kdf reads exactly 8 context bytes; the views are not NUL-terminated.
    const std::string login_context(contexts.login), box_context(contexts.box);
    Keys keys;
    std::array<std::uint8_t, 32> login{};
    crypto_kdf_derive_from_key(login.data(), login.size(), 1, login_context.c_str(), master.data());
    crypto_kdf_derive_from_key(keys.box_key.data(), keys.box_key.size(), 2, box_context.c_str(),
                               master.data());
    sodium_memzero(master.data(), master.size());
    keys.login = hex(login);
    return keys;
}

std::string seal_box(const std::array<std::uint8_t, 32>& key, std::string_view plain) {
    if (sodium_init() < 0) throw Error("libsodium cannot start");
    std::vector<std::uint8_t> out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                  plain.size());
    randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                          out.data(), key.data());
    std::string text(sodium_base64_encoded_len(out.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(text.data(), text.size(), out.data(), out.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    text.pop_back();
    return text;
}

std::optional<std::string> open_box(const std::array<std::uint8_t, 32>& key,
                                    std::string_view boxed) {
    if (boxed.size() > 64 * 1024) return std::nullopt;
    std::vector<std::uint8_t> raw(boxed.size());
    std::size_t length = 0;
    if (sodium_base642bin(raw.data(), raw.size(), boxed.data(), boxed.size(), nullptr, &length,
                          nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return std::nullopt;
    std::string plain(length - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                   raw.data() + crypto_secretbox_NONCEBYTES,
                                   length - crypto_secretbox_NONCEBYTES, raw.data(),
                                   key.data()) != 0)
        return std::nullopt;
    return plain;
}

bool SignInLimit::locked(std::chrono::seconds* wait) const {
    if (!locked_until_) return false;
    const auto now = std::chrono::steady_clock::now();
    if (now >= *locked_until_) return false;
    if (wait) *wait = std::chrono::ceil<std::chrono::seconds>(*locked_until_ - now);
    return true;
}

void SignInLimit::failed() {
    if (++failures_ >= free_tries_) {
        locked_until_ = std::chrono::steady_clock::now() + lock_;
        failures_ = 0;
    }
}

void SignInLimit::reset() {
    failures_ = 0;
    locked_until_.reset();
}

}  // namespace seba::return_code

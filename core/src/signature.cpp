// SPDX-License-Identifier: Apache-2.0
#include "seba/signature.hpp"

#include <sodium.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

#include "seba/error.hpp"
#include "text_lines.hpp"

namespace seba::minisign {

namespace {

// Layouts of minisign's binary blobs (see minisign.h: PubkeyStruct, SigStruct).
constexpr std::size_t kAlgLen = 2;
constexpr std::size_t kKeyIdLen = 8;
constexpr std::size_t kKeyLen = crypto_sign_PUBLICKEYBYTES;           // 32
constexpr std::size_t kSigLen = crypto_sign_BYTES;                    // 64
constexpr std::size_t kPublicKeyLen = kAlgLen + kKeyIdLen + kKeyLen;  // 42
constexpr std::size_t kSignatureLen = kAlgLen + kKeyIdLen + kSigLen;  // 74
constexpr std::size_t kPrehashLen = crypto_generichash_BYTES_MAX;     // 64, BLAKE2b-512

constexpr std::string_view kUntrustedPrefix = "untrusted comment:";
constexpr std::string_view kTrustedPrefix = "trusted comment: ";

using Bytes = std::vector<std::uint8_t>;

// sodium_init() is idempotent and thread-safe; a function-local static just avoids calling
// it on every verification.
bool sodium_ready() {
    static const bool ready = sodium_init() >= 0;
    return ready;
}

std::string_view trim(std::string_view text) {
    constexpr std::string_view kSpace = " \t\r\n\v\f";
    const auto first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(kSpace);
    return text.substr(first, last - first + 1);
}

// Decodes standard (padded) base64; nullopt unless the whole text is valid base64.
std::optional<Bytes> decode_base64(std::string_view text) {
    text = trim(text);
    if (text.empty()) return std::nullopt;
    Bytes bin(text.size() / 4 * 3 + 3);
    std::size_t bin_len = 0;
    if (sodium_base642bin(bin.data(), bin.size(), text.data(), text.size(), nullptr, &bin_len,
                          nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
        return std::nullopt;
    }
    bin.resize(bin_len);
    return bin;
}

// minisign prints the id as the 8 bytes read as a little-endian uint64, in upper-case hex.
std::string key_id_to_hex(const std::uint8_t* id) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string hex;
    hex.reserve(kKeyIdLen * 2);
    for (std::size_t i = kKeyIdLen; i-- > 0;) {
        hex.push_back(kDigits[id[i] >> 4]);
        hex.push_back(kDigits[id[i] & 0x0F]);
    }
    return hex;
}

Verification fail(std::string reason) {
    Verification result;
    result.reason = std::move(reason);
    return result;
}

}  // namespace

std::string PublicKey::key_id_hex() const {
    return key_id_to_hex(key_id.data());
}

PublicKey parse_public_key(std::string_view text) {
    sodium_ready();
    const std::string prefix = "not a minisign public key: ";

    // Keep the non-blank lines; a leading "untrusted comment:" line is the .pub header.
    std::vector<std::string_view> lines;
    for (const auto line : detail::split_lines(text)) {
        if (!trim(line).empty()) lines.push_back(trim(line));
    }
    std::string comment;
    if (!lines.empty() && lines.front().starts_with(kUntrustedPrefix)) {
        comment = trim(lines.front().substr(kUntrustedPrefix.size()));
        lines.erase(lines.begin());
    }
    if (lines.empty()) throw Error(prefix + "it is empty");
    if (lines.size() > 1) {
        throw Error(prefix +
                    "expected one base64 line (after an optional "
                    "\"untrusted comment:\" line), found " +
                    std::to_string(lines.size()));
    }

    const auto bin = decode_base64(lines.front());
    if (!bin) throw Error(prefix + "the key line is not valid base64");
    if (bin->size() != kPublicKeyLen) {
        throw Error(prefix + "the key is " + std::to_string(bin->size()) + " bytes, expected " +
                    std::to_string(kPublicKeyLen));
    }
    if ((*bin)[0] != 'E' || (*bin)[1] != 'd') {
        throw Error(prefix + "unknown key algorithm (expected Ed25519, \"Ed\")");
    }

    PublicKey key;
    std::copy_n(bin->begin() + kAlgLen, kKeyIdLen, key.key_id.begin());
    std::copy_n(bin->begin() + kAlgLen + kKeyIdLen, kKeyLen, key.key.begin());
    key.comment = std::move(comment);
    return key;
}

PublicKey load_public_key(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error("cannot read " + file.string());
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw Error("cannot read " + file.string());
    try {
        return parse_public_key(text.str());
    } catch (const Error& e) {
        throw Error(file.string() + ": " + e.what());
    }
}

Verification verify(std::span<const std::uint8_t> message, std::string_view signature_text,
                    std::span<const PublicKey> trusted) {
    if (!sodium_ready()) return fail("the signature library (libsodium) could not start");

    const auto lines = detail::split_lines(signature_text);
    if (lines.empty() || trim(signature_text).empty()) return fail("the signature file is empty");
    if (!lines[0].starts_with(kUntrustedPrefix)) {
        return fail("not a minisign signature: the first line is not an \"untrusted comment:\"");
    }
    if (lines.size() < 4) {
        return fail("the signature file is incomplete: it has " + std::to_string(lines.size()) +
                    " lines, a minisign signature has 4");
    }

    const auto sig = decode_base64(lines[1]);
    if (!sig) return fail("the signature line (line 2) is not valid base64");
    if (sig->size() != kSignatureLen) {
        return fail("the signature line (line 2) is " + std::to_string(sig->size()) +
                    " bytes, expected " + std::to_string(kSignatureLen));
    }
    const bool legacy = (*sig)[0] == 'E' && (*sig)[1] == 'd';
    const bool prehashed = (*sig)[0] == 'E' && (*sig)[1] == 'D';
    if (!legacy && !prehashed) {
        return fail("unknown signature algorithm (expected \"Ed\" or \"ED\")");
    }

    if (!lines[2].starts_with(kTrustedPrefix)) {
        return fail("the third line is not a \"trusted comment:\"");
    }
    const std::string_view comment = lines[2].substr(kTrustedPrefix.size());

    const auto global_sig = decode_base64(lines[3]);
    if (!global_sig) return fail("the trusted comment signature (line 4) is not valid base64");
    if (global_sig->size() != kSigLen) {
        return fail("the trusted comment signature (line 4) is " +
                    std::to_string(global_sig->size()) + " bytes, expected " +
                    std::to_string(kSigLen));
    }

    const std::uint8_t* key_id = sig->data() + kAlgLen;
    const std::uint8_t* signature = key_id + kKeyIdLen;
    const auto key = std::find_if(trusted.begin(), trusted.end(), [&](const PublicKey& k) {
        return std::equal(k.key_id.begin(), k.key_id.end(), key_id);
    });
    if (key == trusted.end()) {
        return fail("signed by key " + key_id_to_hex(key_id) + " which is not trusted");
    }

    // "ED" signs BLAKE2b-512 of the file so huge files need not be held twice; "Ed" signs
    // the file itself.
    std::array<std::uint8_t, kPrehashLen> digest{};
    const std::uint8_t* signed_data = message.data();
    std::size_t signed_len = message.size();
    if (prehashed) {
        crypto_generichash(digest.data(), digest.size(), message.data(), message.size(), nullptr,
                           0);
        signed_data = digest.data();
        signed_len = digest.size();
    }
    if (crypto_sign_verify_detached(signature, signed_data,
                                    static_cast<unsigned long long>(signed_len),
                                    key->key.data()) != 0) {
        return fail("the file does not match its signature (changed after signing?)");
    }

    // The global signature covers the file signature and the trusted comment, so neither can
    // be swapped or edited on its own.
    Bytes global_message(signature, signature + kSigLen);
    global_message.insert(global_message.end(), comment.begin(), comment.end());
    if (crypto_sign_verify_detached(global_sig->data(), global_message.data(),
                                    static_cast<unsigned long long>(global_message.size()),
                                    key->key.data()) != 0) {
        return fail("the trusted comment was altered (its signature does not match)");
    }

    Verification result;
    result.ok = true;
    result.trusted_comment = std::string(comment);
    result.key_id_hex = key->key_id_hex();
    return result;
}

}  // namespace seba::minisign

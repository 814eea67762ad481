// SPDX-License-Identifier: Apache-2.0
#include "seba/server/seal_keys.hpp"

#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "seba/error.hpp"
#include "seba/signing.hpp"

namespace seba::server {

namespace {

using nlohmann::json;

void init_sodium() {
    if (sodium_init() < 0) throw Error("libsodium failed to initialise");
}

std::string now_iso() {
    return fmt::format("{:%FT%TZ}",
                       std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

SealKeys::Key new_key() {
    SealKeys::Key key;
    crypto_box_keypair(key.public_key.data(), key.secret_key.data());
    key.id = sealing::key_id(key.public_key);
    key.created = now_iso();
    return key;
}

template <std::size_t N>
bool read_bytes(const json& doc, const char* name, std::array<std::uint8_t, N>& out) {
    auto it = doc.find(name);
    if (it == doc.end() || !it->is_string()) return false;
    std::optional<std::vector<std::uint8_t>> bytes = signing::from_base64(it->get<std::string>());
    if (!bytes || bytes->size() != N) return false;
    std::copy(bytes->begin(), bytes->end(), out.begin());
    sodium_memzero(bytes->data(), bytes->size());
    return true;
}

}  // namespace

SealKeys SealKeys::generate() {
    init_sodium();
    SealKeys keys;
    keys.keys_.push_back(new_key());
    randombytes_buf(keys.hash_key_.data(), keys.hash_key_.size());
    return keys;
}

SealKeys SealKeys::load(const std::filesystem::path& file) {
    init_sodium();
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0)
        throw Error(fmt::format("{}: the sealing key file cannot be read: {}", file.string(),
                                std::strerror(errno)));
    if ((st.st_mode & 077) != 0)
        throw Error(
            fmt::format("{}: the sealing key file is readable by others (mode {:o}); "
                        "chmod 600 it",
                        file.string(), st.st_mode & 0777));
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    json doc = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    auto malformed = [&] {
        return Error(fmt::format("{}: not a seba-server sealing key file", file.string()));
    };
    if (!doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array() || doc["keys"].empty())
        throw malformed();
    SealKeys keys;
    if (!read_bytes(doc, "citizen_hash_key", keys.hash_key_)) throw malformed();
    for (const json& k : doc["keys"]) {
        Key key;
        if (!k.is_object() || !read_bytes(k, "public", key.public_key) ||
            !read_bytes(k, "secret", key.secret_key))
            throw malformed();
        // The public half must be the secret's: a file pieced together wrongly would seal to
        // a key no one can open.
        std::array<std::uint8_t, 32> derived{};
        crypto_scalarmult_base(derived.data(), key.secret_key.data());
        if (derived != key.public_key) throw malformed();
        key.id = sealing::key_id(key.public_key);
        key.created = k.value("created", "");
        keys.keys_.push_back(key);
    }
    return keys;
}

SealKeys SealKeys::load_or_create(const std::filesystem::path& file) {
    if (std::filesystem::exists(file)) return load(file);
    SealKeys keys = generate();
    keys.save(file);
    return keys;
}

void SealKeys::save(const std::filesystem::path& file) const {
    json list = json::array();
    for (const Key& k : keys_)
        list.push_back({{"id", k.id},
                        {"public", signing::to_base64(k.public_key)},
                        {"secret", signing::to_base64(k.secret_key)},
                        {"created", k.created}});
    std::string text =
        json{{"keys", list}, {"citizen_hash_key", signing::to_base64(hash_key_)}}.dump(2) + "\n";
    const std::filesystem::path temporary = file.string() + ".new";
    int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        throw Error(fmt::format("{}: cannot write the sealing key file: {}", temporary.string(),
                                std::strerror(errno)));
    bool ok = ::fchmod(fd, 0600) == 0 &&
              ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
              ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    sodium_memzero(text.data(), text.size());
    if (!ok || ::rename(temporary.c_str(), file.c_str()) != 0)
        throw Error(fmt::format("{}: cannot write the sealing key file: {}", file.string(),
                                std::strerror(errno)));
}

const SealKeys::Key& SealKeys::rotate() {
    init_sodium();
    keys_.push_back(new_key());
    return keys_.back();
}

sealing::ServerKey SealKeys::current_public() const {
    return {current().id, current().public_key};
}

std::optional<json> SealKeys::open(const json& envelope) const {
    if (!envelope.is_object()) return std::nullopt;
    auto text = [&](const char* name) -> std::string {
        auto it = envelope.find(name);
        return it != envelope.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (text("alg") != sealing::kAlgorithm) return std::nullopt;
    const std::string id = text("key");
    const Key* key = nullptr;
    for (const Key& k : keys_)
        if (k.id == id) key = &k;
    if (!key) return std::nullopt;
    std::optional<std::vector<std::uint8_t>> box = signing::from_base64(text("box"));
    if (!box || box->size() < crypto_box_SEALBYTES ||
        box->size() > sealing::kMaxPlainBytes + crypto_box_SEALBYTES)
        return std::nullopt;
    std::string plain(box->size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()), box->data(),
                             box->size(), key->public_key.data(), key->secret_key.data()) != 0)
        return std::nullopt;
    json value = json::parse(plain, nullptr, /*allow_exceptions=*/false);
    sodium_memzero(plain.data(), plain.size());
    if (value.is_discarded()) return std::nullopt;
    return value;
}

std::string SealKeys::citizen_hash(std::string_view identifier) const {
    std::array<unsigned char, 32> out{};
    crypto_generichash(out.data(), out.size(),
                       reinterpret_cast<const unsigned char*>(identifier.data()), identifier.size(),
                       hash_key_.data(), hash_key_.size());
    std::array<char, 65> hex{};
    sodium_bin2hex(hex.data(), hex.size(), out.data(), out.size());
    return std::string(hex.data(), 64);
}

}  // namespace seba::server

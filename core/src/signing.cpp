// SPDX-License-Identifier: Apache-2.0
#include "seba/signing.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "seba/error.hpp"
#include "text_lines.hpp"

namespace seba::signing {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kKeyMagic = "seba-device-key-v1";
constexpr std::string_view kCanonicalTag = "SEBA-V1";
constexpr std::size_t kNonceBytes = 16;               // 32 hex digits
constexpr std::size_t kBodyHashBytes = 32;            // BLAKE2b-256
constexpr std::size_t kMaxKeyFileBytes = 4096;        // a real key file is ~108 bytes
constexpr mode_t kOthersMayRead = S_IRGRP | S_IROTH;  // what "chmod 600" takes away
constexpr mode_t kOthersMayWrite = S_IWGRP | S_IWOTH;

static_assert(sizeof(KeyPair::public_key) == crypto_sign_PUBLICKEYBYTES);
static_assert(sizeof(KeyPair::secret_key) == crypto_sign_SECRETKEYBYTES);

// sodium_init() is idempotent and thread-safe; the static only saves repeating it.
bool sodium_ready() {
    static const bool ready = sodium_init() >= 0;
    return ready;
}

void require_sodium() {
    if (!sodium_ready()) throw Error("libsodium failed to initialise");
}

// Fills `key` in place, so no copy of the secret is left behind in a temporary.
void fill_new_key_pair(KeyPair& key) {
    require_sodium();
    if (crypto_sign_keypair(key.public_key.data(), key.secret_key.data()) != 0) {
        throw Error("libsodium failed to generate a key pair");
    }
}

void wipe(KeyPair& key) {
    sodium_memzero(key.secret_key.data(), key.secret_key.size());
}

// Owns a buffer that held secret material and wipes it however the scope is left, so a
// thrown error never leaves key bytes behind in freed heap memory.
class WipedString {
  public:
    WipedString() = default;
    ~WipedString() { sodium_memzero(text_.data(), text_.size()); }
    WipedString(const WipedString&) = delete;
    WipedString& operator=(const WipedString&) = delete;

    std::string& get() { return text_; }

  private:
    std::string text_;
};

class WipedBytes {
  public:
    explicit WipedBytes(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {}
    ~WipedBytes() { sodium_memzero(bytes_.data(), bytes_.size()); }
    WipedBytes(const WipedBytes&) = delete;
    WipedBytes& operator=(const WipedBytes&) = delete;

    const std::vector<std::uint8_t>& get() const { return bytes_; }

  private:
    std::vector<std::uint8_t> bytes_;
};

// Closes a file descriptor on every path out of a scope.
class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;

    int get() const { return fd_; }
    // close() can report a deferred write error, so the writer checks it.
    int release_and_close() {
        const int rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }

  private:
    int fd_;
};

std::string errno_text(int error) {
    return std::system_category().message(error);
}

std::string hex(const std::uint8_t* bytes, std::size_t size) {
    std::string text(size * 2 + 1, '\0');
    sodium_bin2hex(text.data(), text.size(), bytes, size);
    text.pop_back();  // sodium_bin2hex writes a terminating NUL
    return text;
}

bool is_lower_hex(std::string_view text) {
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

// Only the form canonical_request() itself prints: digits, no sign, no leading zeros. Any
// other spelling of the same number would make one signature valid for several headers.
std::optional<std::int64_t> parse_timestamp(std::string_view text) {
    if (text.empty() || (text.size() > 1 && text.front() == '0')) return std::nullopt;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
    }
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t written = ::write(fd, data.data(), data.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::system_category());
        }
        data.remove_prefix(static_cast<std::size_t>(written));
    }
}

// The two-line file body for `key`, built in place so the base64 secret exists only once.
void format_key_file(const KeyPair& key, std::string& out) {
    const std::size_t b64_len =
        sodium_base64_ENCODED_LEN(key.secret_key.size(), sodium_base64_VARIANT_ORIGINAL);
    out.assign(kKeyMagic.size() + 1 + b64_len, '\0');
    std::memcpy(out.data(), kKeyMagic.data(), kKeyMagic.size());
    out[kKeyMagic.size()] = '\n';
    char* b64 = out.data() + kKeyMagic.size() + 1;
    sodium_bin2base64(b64, b64_len, key.secret_key.data(), key.secret_key.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.back() = '\n';  // replaces the NUL sodium_bin2base64 wrote
}

// Writes the key next to `file` and links it into place: link() fails if `file` appeared
// meanwhile, so no reader ever sees a half-written key and two racing kiosks keep one key.
// Returns false when another process created `file` first.
bool create_key_file(const fs::path& file, const KeyPair& key) {
    const std::string where = file.string() + ": cannot create the device key: ";
    std::error_code ec;
    if (file.has_parent_path()) fs::create_directories(file.parent_path(), ec);
    if (ec) throw Error(where + ec.message());

    std::array<std::uint8_t, 8> suffix{};
    randombytes_buf(suffix.data(), suffix.size());
    fs::path temp = file;
    temp += ".tmp-" + hex(suffix.data(), suffix.size());

    const int raw = ::open(temp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (raw < 0) throw Error(where + errno_text(errno));
    Fd fd(raw);
    try {
        WipedString content;
        format_key_file(key, content.get());
        write_all(fd.get(), content.get());
        if (::fsync(fd.get()) != 0 || fd.release_and_close() != 0) {
            throw std::system_error(errno, std::system_category());
        }
        if (::link(temp.c_str(), file.c_str()) != 0) {
            if (errno == EEXIST) {
                ::unlink(temp.c_str());
                return false;
            }
            throw std::system_error(errno, std::system_category());
        }
    } catch (const std::system_error& e) {
        ::unlink(temp.c_str());
        throw Error(where + e.code().message());
    }
    ::unlink(temp.c_str());

    // Make the new directory entry durable, so a power cut cannot lose an enrolled key.
    const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
        Fd dir_guard(dir_fd);
        if (::fsync(dir_guard.get()) != 0) throw Error(where + errno_text(errno));
    }
    return true;
}

// Parses the file body into `key`; false for anything but a magic line and a consistent
// secret key.
bool parse_key_file(std::string_view text, KeyPair& key) {
    auto lines = detail::split_lines(text);
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    if (lines.size() != 2 || lines[0] != kKeyMagic) return false;
    auto decoded = from_base64(lines[1]);
    if (!decoded) return false;
    const WipedBytes secret(std::move(*decoded));
    if (secret.get().size() != crypto_sign_SECRETKEYBYTES) return false;

    std::memcpy(key.secret_key.data(), secret.get().data(), key.secret_key.size());
    crypto_sign_ed25519_sk_to_pk(key.public_key.data(), key.secret_key.data());

    // The public half is stored inside the secret key; re-deriving it from the seed catches
    // a corrupted file before the kiosk signs with a key the server does not know.
    std::array<std::uint8_t, crypto_sign_SEEDBYTES> seed{};
    KeyPair check;
    crypto_sign_ed25519_sk_to_seed(seed.data(), key.secret_key.data());
    crypto_sign_seed_keypair(check.public_key.data(), check.secret_key.data(), seed.data());
    const bool consistent =
        sodium_memcmp(check.public_key.data(), key.public_key.data(), key.public_key.size()) == 0;
    sodium_memzero(seed.data(), seed.size());
    sodium_memzero(check.secret_key.data(), check.secret_key.size());
    if (!consistent) wipe(key);
    return consistent;
}

// Loads an existing key file into `key`; false only when the file does not exist.
bool load_key_file(const fs::path& file, KeyPair& key) {
    const std::string name = file.string();
    const int raw = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (raw < 0) {
        if (errno == ENOENT) return false;
        throw Error(name + ": cannot read the device key: " + errno_text(errno));
    }
    Fd fd(raw);

    // fstat on the open file, so the mode checked is the mode of the file read.
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        throw Error(name + ": cannot read the device key: " + errno_text(errno));
    }
    if (!S_ISREG(info.st_mode)) throw Error(name + ": not a Seba device key (not a file)");
    if ((info.st_mode & kOthersMayRead) != 0) {
        throw Error(name + " is readable by other users; chmod 600 it");
    }
    if ((info.st_mode & kOthersMayWrite) != 0) {
        throw Error(name + " is writable by other users; chmod 600 it");
    }

    WipedString content;
    content.get().assign(kMaxKeyFileBytes + 1, '\0');
    std::size_t size = 0;
    while (size < content.get().size()) {
        const ssize_t got =
            ::read(fd.get(), content.get().data() + size, content.get().size() - size);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw Error(name + ": cannot read the device key: " + errno_text(errno));
        }
        if (got == 0) break;
        size += static_cast<std::size_t>(got);
    }
    if (size > kMaxKeyFileBytes) throw Error(name + ": not a Seba device key");

    if (!parse_key_file(std::string_view(content.get()).substr(0, size), key)) {
        throw Error(name + ": not a Seba device key");
    }
    return true;
}

}  // namespace

KeyPair generate_key_pair() {
    KeyPair key;
    fill_new_key_pair(key);
    return key;
}

KeyPair load_or_create_device_key(const std::filesystem::path& file) {
    require_sodium();
    KeyPair key;
    if (load_key_file(file, key)) return key;

    fill_new_key_pair(key);
    if (create_key_file(file, key)) return key;

    // Another process created the file between our two looks: use its key, not ours.
    wipe(key);
    if (load_key_file(file, key)) return key;
    throw Error(file.string() +
                ": cannot create the device key: the path exists but cannot be opened "
                "(a broken symlink?)");
}

std::optional<KeyPair> load_device_key(const std::filesystem::path& file) {
    require_sodium();
    KeyPair key;
    if (load_key_file(file, key)) return key;
    return std::nullopt;
}

KeyPair replace_device_key(const std::filesystem::path& file) {
    require_sodium();
    fs::path kept = file;
    kept += ".replaced";
    if (::rename(file.c_str(), kept.c_str()) != 0 && errno != ENOENT)
        throw Error(file.string() + ": cannot set the old device key aside: " + errno_text(errno));
    KeyPair key;
    fill_new_key_pair(key);
    if (!create_key_file(file, key))
        throw Error(file.string() +
                    ": another process made a device key at the same moment; try again");
    return key;
}

std::string to_base64(std::span<const std::uint8_t> bytes) {
    const std::size_t size =
        sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    std::string text(size, '\0');
    sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    text.pop_back();  // the terminating NUL
    return text;
}

std::optional<std::vector<std::uint8_t>> from_base64(std::string_view text) {
    if (text.empty()) return std::nullopt;
    // libsodium 1.0.18 (Debian 12) decodes bytes above 0x7F as '/', so two spellings would
    // give one key or signature; only the alphabet itself is accepted.
    if (!std::all_of(text.begin(), text.end(), [](char c) {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '+' || c == '/' || c == '=';
        }))
        return std::nullopt;
    std::vector<std::uint8_t> bytes(text.size() / 4 * 3 + 3);
    std::size_t size = 0;
    // A null end pointer makes libsodium reject input it did not consume (trailing garbage);
    // the ORIGINAL variant requires padding and canonical trailing bits.
    if (sodium_base642bin(bytes.data(), bytes.size(), text.data(), text.size(), nullptr, &size,
                          nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
        sodium_memzero(bytes.data(), bytes.size());
        return std::nullopt;
    }
    bytes.resize(size);
    return bytes;
}

std::string canonical_request(std::string_view method, std::string_view path, std::string_view body,
                              std::int64_t timestamp_s, std::string_view nonce) {
    std::array<std::uint8_t, kBodyHashBytes> digest{};
    crypto_generichash(digest.data(), digest.size(),
                       reinterpret_cast<const unsigned char*>(body.data()), body.size(), nullptr,
                       0);
    std::string text;
    text.append(kCanonicalTag).append("\n");
    text.append(method).append("\n");
    text.append(path).append("\n");
    text.append(hex(digest.data(), digest.size())).append("\n");
    text.append(std::to_string(timestamp_s)).append("\n");
    text.append(nonce);
    return text;
}

SignedHeaders sign_request(const KeyPair& key, std::string_view device_id, std::string_view method,
                           std::string_view path, std::string_view body, std::int64_t now_s) {
    require_sodium();
    std::array<std::uint8_t, kNonceBytes> nonce_bytes{};
    randombytes_buf(nonce_bytes.data(), nonce_bytes.size());

    SignedHeaders headers;
    headers.device = std::string(device_id);
    headers.timestamp = std::to_string(now_s);
    headers.nonce = hex(nonce_bytes.data(), nonce_bytes.size());

    const std::string text = canonical_request(method, path, body, now_s, headers.nonce);
    std::array<std::uint8_t, crypto_sign_BYTES> signature{};
    crypto_sign_detached(signature.data(), nullptr,
                         reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                         key.secret_key.data());
    headers.signature = to_base64(signature);
    return headers;
}

bool verify_request(std::span<const std::uint8_t> public_key, const SignedHeaders& headers,
                    std::string_view method, std::string_view path, std::string_view body) {
    try {
        if (!sodium_ready()) return false;
        if (public_key.size() != crypto_sign_PUBLICKEYBYTES) return false;
        // A newline inside a field would let one canonical text stand for two requests.
        if (method.find('\n') != std::string_view::npos) return false;
        if (path.find('\n') != std::string_view::npos) return false;

        const auto timestamp = parse_timestamp(headers.timestamp);
        if (!timestamp) return false;
        if (headers.nonce.size() != kNonceBytes * 2 || !is_lower_hex(headers.nonce)) {
            return false;
        }
        const auto signature = from_base64(headers.signature);
        if (!signature || signature->size() != crypto_sign_BYTES) return false;

        const std::string text = canonical_request(method, path, body, *timestamp, headers.nonce);
        return crypto_sign_verify_detached(signature->data(),
                                           reinterpret_cast<const unsigned char*>(text.data()),
                                           text.size(), public_key.data()) == 0;
    } catch (...) {
        // Only allocation can throw here; a request we cannot check is a request we refuse.
        return false;
    }
}

}  // namespace seba::signing

// SPDX-License-Identifier: Apache-2.0
// Signed kiosk -> server requests: a signature covers the method, path, body, time and nonce,
// so changing any of them is detected; malformed headers fail quietly instead of throwing;
// and the device key lives in a 0600 file that is refused when others can read it.
#include "seba/signing.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "seba/error.hpp"
#include "temp_dir.hpp"

namespace seba::signing {
namespace {

namespace fs = std::filesystem;
using seba::testing::read_file;
using seba::testing::TempDir;
using seba::testing::write_file;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

using Bytes = std::vector<std::uint8_t>;

constexpr std::int64_t kNow = 1'900'000'000;
constexpr const char* kDevice = "kiosk-7";
constexpr const char* kMethod = "POST";
constexpr const char* kPath = "/api/v1/heartbeat?seq=12";
constexpr const char* kBody = R"({"uptime_s":3600,"plugins":["clock","menu"]})";
constexpr const char* kNonce = "0123456789abcdef0123456789abcdef";

Bytes to_bytes(std::string_view text) {
    return Bytes(text.begin(), text.end());
}

// Base64 Ed25519 signature of arbitrary text, to forge headers that are correctly signed but
// malformed: only the format check can then reject them.
std::string sign_text(const KeyPair& key, const std::string& text) {
    std::array<std::uint8_t, crypto_sign_BYTES> signature{};
    crypto_sign_detached(signature.data(), nullptr,
                         reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                         key.secret_key.data());
    return to_base64(signature);
}

// Headers signed over canonical_request() with the given timestamp text and nonce.
SignedHeaders forge(const KeyPair& key, std::int64_t signed_timestamp, std::string timestamp,
                    std::string nonce) {
    SignedHeaders headers;
    headers.device = kDevice;
    headers.timestamp = std::move(timestamp);
    headers.signature =
        sign_text(key, canonical_request(kMethod, kPath, kBody, signed_timestamp, nonce));
    headers.nonce = std::move(nonce);
    return headers;
}

class SigningTest : public ::testing::Test {
  protected:
    bool verifies(const SignedHeaders& headers, std::string_view method = kMethod,
                  std::string_view path = kPath, std::string_view body = kBody) const {
        return verify_request(key_.public_key, headers, method, path, body);
    }

    // False without an exception, as the server's request handler relies on.
    ::testing::AssertionResult rejected(const SignedHeaders& headers,
                                        std::span<const std::uint8_t> public_key) const {
        try {
            if (verify_request(public_key, headers, kMethod, kPath, kBody)) {
                return ::testing::AssertionFailure() << "verified";
            }
            return ::testing::AssertionSuccess();
        } catch (const std::exception& e) {
            return ::testing::AssertionFailure() << "threw: " << e.what();
        }
    }
    ::testing::AssertionResult rejected(const SignedHeaders& headers) const {
        return rejected(headers, key_.public_key);
    }

    KeyPair key_ = generate_key_pair();
    SignedHeaders signed_ = sign_request(key_, kDevice, kMethod, kPath, kBody, kNow);
};

TEST_F(SigningTest, SignedRequestVerifies) {
    EXPECT_TRUE(verifies(signed_));
    EXPECT_EQ(signed_.device, kDevice);
    EXPECT_EQ(signed_.timestamp, "1900000000");
}

TEST_F(SigningTest, ChangedMethodFails) {
    EXPECT_FALSE(verifies(signed_, "PUT"));
}

TEST_F(SigningTest, ChangedPathOrQueryFails) {
    EXPECT_FALSE(verifies(signed_, kMethod, "/api/v1/heartbeat?seq=13"));
    EXPECT_FALSE(verifies(signed_, kMethod, "/api/v1/heartbeat"));
}

TEST_F(SigningTest, ChangedBodyByteFails) {
    std::string body = kBody;
    body[body.find("3600")] = '9';
    EXPECT_FALSE(verifies(signed_, kMethod, kPath, body));
    EXPECT_FALSE(verifies(signed_, kMethod, kPath, ""));
}

TEST_F(SigningTest, ChangedTimestampFails) {
    SignedHeaders replayed = signed_;
    replayed.timestamp = "1900000001";
    EXPECT_FALSE(verifies(replayed));
}

TEST_F(SigningTest, ChangedNonceFails) {
    SignedHeaders replayed = signed_;
    replayed.nonce.back() = replayed.nonce.back() == '0' ? '1' : '0';
    EXPECT_FALSE(verifies(replayed));
}

TEST_F(SigningTest, ChangedSignatureFails) {
    auto signature = from_base64(signed_.signature);
    ASSERT_TRUE(signature);
    (*signature)[10] ^= 0x01;
    SignedHeaders forged = signed_;
    forged.signature = to_base64(*signature);
    EXPECT_FALSE(verifies(forged));
}

TEST_F(SigningTest, OtherDevicesKeyFails) {
    const KeyPair other = generate_key_pair();
    EXPECT_FALSE(verify_request(other.public_key, signed_, kMethod, kPath, kBody));
    const SignedHeaders by_other = sign_request(other, kDevice, kMethod, kPath, kBody, kNow);
    EXPECT_FALSE(verifies(by_other));
}

TEST(CanonicalRequest, HasTheDocumentedFormat) {
    std::array<std::uint8_t, 32> digest{};
    const std::string body = "{}";
    crypto_generichash(digest.data(), digest.size(),
                       reinterpret_cast<const unsigned char*>(body.data()), body.size(), nullptr,
                       0);
    std::string body_hex;
    for (const auto byte : digest) {
        static constexpr char kDigits[] = "0123456789abcdef";
        body_hex += kDigits[byte >> 4];
        body_hex += kDigits[byte & 0x0F];
    }
    // BLAKE2b-256 of "{}" as Python's hashlib.blake2b(b"{}", digest_size=32) prints it, so a
    // server written in another language computes the same text.
    ASSERT_EQ(body_hex, "c09da522dac261c3d2566230bed10d2f3ef13f8e7654576c12e857e07f786098");

    EXPECT_EQ(canonical_request("POST", "/api/v1/ping?a=b", body, 1'700'000'000, kNonce),
              "SEBA-V1\nPOST\n/api/v1/ping?a=b\n" + body_hex + "\n1700000000\n" + kNonce);
}

TEST_F(SigningTest, SignatureCoversTheCanonicalText) {
    // What an independent server implementation would check: Ed25519 over the documented text.
    const std::string text = canonical_request(kMethod, kPath, kBody, kNow, signed_.nonce);
    const auto signature = from_base64(signed_.signature);
    ASSERT_TRUE(signature);
    ASSERT_EQ(signature->size(), crypto_sign_BYTES);
    EXPECT_EQ(crypto_sign_verify_detached(signature->data(),
                                          reinterpret_cast<const unsigned char*>(text.data()),
                                          text.size(), key_.public_key.data()),
              0);
}

TEST_F(SigningTest, EachSignatureHasAFreshNonce) {
    const SignedHeaders again = sign_request(key_, kDevice, kMethod, kPath, kBody, kNow);
    EXPECT_THAT(signed_.nonce, MatchesRegex("[0-9a-f]{32}"));
    EXPECT_THAT(again.nonce, MatchesRegex("[0-9a-f]{32}"));
    EXPECT_NE(again.nonce, signed_.nonce);
    EXPECT_NE(again.signature, signed_.signature);
    EXPECT_TRUE(verifies(again));
}

TEST_F(SigningTest, MalformedHeadersFailWithoutThrowing) {
    // The forging helper itself yields a verifiable request, so each rejection below is
    // down to the one malformed field.
    ASSERT_TRUE(verifies(forge(key_, kNow, "1900000000", kNonce)));

    EXPECT_TRUE(rejected(SignedHeaders{}));

    EXPECT_TRUE(rejected(forge(key_, kNow, "1900000000", "0123456789abcdef0123456789abcdeg")));
    EXPECT_TRUE(rejected(forge(key_, kNow, "1900000000", "0123456789ABCDEF0123456789ABCDEF")));
    EXPECT_TRUE(rejected(forge(key_, kNow, "1900000000", "0123456789abcdef0123456789abcde")));
    EXPECT_TRUE(rejected(forge(key_, kNow, "1900000000", std::string(kNonce) + "0")));
    EXPECT_TRUE(rejected(forge(key_, kNow, "1900000000", "")));

    SignedHeaders short_signature = signed_;
    auto signature = from_base64(signed_.signature);
    ASSERT_TRUE(signature);
    signature->pop_back();
    short_signature.signature = to_base64(*signature);
    EXPECT_TRUE(rejected(short_signature));
    SignedHeaders long_signature = signed_;
    signature = from_base64(signed_.signature);
    signature->push_back(0);  // the first 64 bytes are still the valid signature
    long_signature.signature = to_base64(*signature);
    EXPECT_TRUE(rejected(long_signature));
    SignedHeaders garbled_signature = signed_;
    garbled_signature.signature += "AAAA";
    EXPECT_TRUE(rejected(garbled_signature));
    garbled_signature.signature = "not base64!";
    EXPECT_TRUE(rejected(garbled_signature));

    for (const char* timestamp : {"", "12a", "-5", "+5", " 5", "99999999999999999999"}) {
        SignedHeaders bad_time = signed_;
        bad_time.timestamp = timestamp;
        EXPECT_TRUE(rejected(bad_time)) << "timestamp \"" << timestamp << "\"";
    }
    // Correctly signed, yet refused: a negative time, and a zero-padded spelling that would
    // let one signature stand for several header values.
    EXPECT_TRUE(rejected(sign_request(key_, kDevice, kMethod, kPath, kBody, -5)));
    EXPECT_TRUE(rejected(forge(key_, 7, "007", kNonce)));

    EXPECT_TRUE(rejected(signed_, Bytes(key_.public_key.begin(), key_.public_key.end() - 1)));
    EXPECT_TRUE(rejected(signed_, Bytes{}));
}

TEST_F(SigningTest, NewlineInMethodOrPathFails) {
    // Signed as method "GET", path "/a\nb"; the same canonical text would otherwise also
    // authorise method "GET\n/a", path "b".
    const SignedHeaders headers = sign_request(key_, kDevice, "GET", "/a\nb", kBody, kNow);
    EXPECT_FALSE(verifies(headers, "GET", "/a\nb"));
    EXPECT_FALSE(verifies(headers, "GET\n/a", "b"));
}

TEST(Base64, RoundTripsEveryLength) {
    EXPECT_EQ(to_base64(to_bytes("foobar")), "Zm9vYmFy");
    EXPECT_EQ(to_base64(to_bytes("fo")), "Zm8=");
    EXPECT_EQ(from_base64("Zm8="), to_bytes("fo"));
    for (std::size_t size = 1; size <= 70; ++size) {
        Bytes bytes(size);
        randombytes_buf(bytes.data(), bytes.size());
        EXPECT_EQ(from_base64(to_base64(bytes)), bytes) << size << " bytes";
    }
}

TEST(Base64, RejectsAnythingButPaddedStandardBase64) {
    for (const char* text : {"", "Zm9v!", "Zm9vYg", "Zm9vYmFy\n", " Zm9vYmFy", "Zm9vYmFyx",
                             "Zm9vYmFy====", "Zm9=", "-_-_", "Zm8=Zm8="}) {
        EXPECT_EQ(from_base64(text), std::nullopt) << '"' << text << '"';
    }
}

class DeviceKeyTest : public ::testing::Test {
  protected:
    // What the kiosk throws for `file`, or "" (and a test failure) when it does not throw.
    static std::string error_for(const fs::path& file) {
        try {
            load_or_create_device_key(file);
        } catch (const seba::Error& e) {
            return e.what();
        }
        ADD_FAILURE() << "no seba::Error for " << file;
        return {};
    }

    static void write_private(const fs::path& file, const std::string& text) {
        write_file(file, text);
        fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
    }

    static std::string key_file_text(const KeyPair& key) {
        return "seba-device-key-v1\n" + to_base64(key.secret_key) + "\n";
    }

    TempDir dir_;
    fs::path file_ = dir_ / "state/keys/device.key";
};

TEST_F(DeviceKeyTest, CreatesAFileOnlyTheOwnerCanRead) {
    // Even under a permissive umask, the new file must not be readable by others.
    const mode_t old_umask = ::umask(0);
    const KeyPair key = load_or_create_device_key(file_);
    ::umask(old_umask);

    struct stat info {};
    ASSERT_EQ(::stat(file_.c_str(), &info), 0);
    EXPECT_TRUE(S_ISREG(info.st_mode));
    EXPECT_EQ(info.st_mode & 07777, 0600u);
    EXPECT_EQ(read_file(file_), key_file_text(key));

    std::array<std::uint8_t, 32> derived{};
    crypto_sign_ed25519_sk_to_pk(derived.data(), key.secret_key.data());
    EXPECT_EQ(derived, key.public_key);
    const SignedHeaders headers = sign_request(key, kDevice, kMethod, kPath, kBody, kNow);
    EXPECT_TRUE(verify_request(key.public_key, headers, kMethod, kPath, kBody));

    // Written in place via a temporary file, which must not be left behind.
    std::vector<fs::path> entries(fs::directory_iterator(file_.parent_path()), {});
    EXPECT_EQ(entries, std::vector<fs::path>{file_});
}

TEST_F(DeviceKeyTest, KeepsTheSameKeyAcrossRestarts) {
    const KeyPair first = load_or_create_device_key(file_);
    const std::string text = read_file(file_);
    const KeyPair second = load_or_create_device_key(file_);
    EXPECT_EQ(second.public_key, first.public_key);
    EXPECT_EQ(second.secret_key, first.secret_key);
    EXPECT_EQ(read_file(file_), text);

    const KeyPair elsewhere = load_or_create_device_key(dir_ / "other.key");
    EXPECT_NE(elsewhere.public_key, first.public_key);
}

TEST_F(DeviceKeyTest, LoadsAKeyFileWrittenByHand) {
    const KeyPair key = generate_key_pair();
    std::string text = key_file_text(key);
    text.pop_back();  // no final newline
    write_private(file_, text);
    const KeyPair loaded = load_or_create_device_key(file_);
    EXPECT_EQ(loaded.public_key, key.public_key);
    EXPECT_EQ(loaded.secret_key, key.secret_key);
}

TEST_F(DeviceKeyTest, RefusesAFileOthersCanAccess) {
    const KeyPair key = load_or_create_device_key(file_);
    const std::string secret = to_base64(key.secret_key);
    const std::string text = read_file(file_);
    for (const auto mode : {fs::perms(0644), fs::perms(0640), fs::perms(0604), fs::perms(0620)}) {
        fs::permissions(file_, mode);
        const std::string error = error_for(file_);
        EXPECT_THAT(error, HasSubstr(file_.string()));
        EXPECT_THAT(error, HasSubstr("chmod 600"));
        EXPECT_THAT(error, Not(HasSubstr(secret)));
        // Refused, not silently replaced: the enrolled key is still there.
        EXPECT_EQ(read_file(file_), text);
    }
    fs::permissions(file_, fs::perms(0644));
    EXPECT_THAT(error_for(file_), HasSubstr("is readable by other users; chmod 600 it"));
}

TEST_F(DeviceKeyTest, RefusesAMalformedFile) {
    const KeyPair key = generate_key_pair();
    const std::string secret = to_base64(key.secret_key);
    std::array<std::uint8_t, 64> tampered = key.secret_key;
    tampered[40] ^= 0x01;  // the public half no longer matches the seed
    const Bytes short_key(key.secret_key.begin(), key.secret_key.begin() + 32);

    const std::vector<std::string> malformed = {
        "",
        "seba-device-key-v1\n",
        "seba-device-key-v2\n" + secret + "\n",
        secret + "\n",
        "seba-device-key-v1\n" + secret + "!\n",
        "seba-device-key-v1\n" + secret + "\n" + secret + "\n",
        "seba-device-key-v1\n" + to_base64(short_key) + "\n",
        "seba-device-key-v1\n" + to_base64(tampered) + "\n",
        std::string(10'000, 'A'),
    };
    for (const std::string& text : malformed) {
        write_private(file_, text);
        const std::string error = error_for(file_);
        EXPECT_THAT(error, HasSubstr(file_.string() + ": not a Seba device key"));
        EXPECT_THAT(error, Not(HasSubstr(secret)));
        EXPECT_THAT(error, Not(HasSubstr(secret.substr(0, 16))));
        EXPECT_EQ(read_file(file_), text);
    }
}

TEST_F(DeviceKeyTest, RefusesADirectoryInThePlaceOfTheKey) {
    fs::create_directories(file_);
    EXPECT_THAT(error_for(file_), HasSubstr(file_.string()));
}

TEST_F(DeviceKeyTest, ReportsAKeyThatCannotBeCreated) {
    // The key directory is a dangling symlink: the key is absent, and its directory cannot
    // be made.
    fs::create_directory_symlink(dir_ / "unmounted", dir_ / "state");
    const std::string error = error_for(file_);
    EXPECT_THAT(error, HasSubstr(file_.string() + ": cannot create the device key"));
    EXPECT_FALSE(fs::exists(dir_ / "unmounted"));
}

TEST_F(DeviceKeyTest, ReportsAKeyThatCannotBeRead) {
    write_file(dir_ / "state", "a file where the key directory should be");
    EXPECT_THAT(error_for(file_), HasSubstr(file_.string() + ": cannot read the device key"));
}

}  // namespace
}  // namespace seba::signing

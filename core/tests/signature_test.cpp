// SPDX-License-Identifier: Apache-2.0
#include "seba/signature.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "seba/error.hpp"
#include "temp_dir.hpp"

#ifndef SEBA_MINISIGN
#define SEBA_MINISIGN "minisign"
#endif

namespace {

namespace fs = std::filesystem;
using seba::minisign::load_public_key;
using seba::minisign::parse_public_key;
using seba::minisign::PublicKey;
using seba::minisign::Verification;
using seba::testing::read_file;
using seba::testing::write_file;

using Bytes = std::vector<std::uint8_t>;

Bytes to_bytes(const std::string& text) {
    return Bytes(text.begin(), text.end());
}

std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (const char c : text) {
        if (c == '\'') {
            quoted += "'\\''";
        } else {
            quoted += c;
        }
    }
    return quoted + "'";
}

// Runs the real minisign tool; returns its exit status (0 on success).
int minisign(const std::string& args) {
    const std::string command = std::string(SEBA_MINISIGN) + " " + args + " >/dev/null 2>&1";
    return std::system(command.c_str());
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
}

Bytes decode(const std::string& base64) {
    Bytes bin(base64.size());
    std::size_t len = 0;
    EXPECT_EQ(sodium_base642bin(bin.data(), bin.size(), base64.data(), base64.size(), nullptr, &len,
                                nullptr, sodium_base64_VARIANT_ORIGINAL),
              0);
    bin.resize(len);
    return bin;
}

std::string encode(const Bytes& bin) {
    std::string base64(sodium_base64_ENCODED_LEN(bin.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(base64.data(), base64.size(), bin.data(), bin.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    base64.resize(base64.size() - 1);  // the terminating NUL
    return base64;
}

bool contains(const std::string& text, const std::string& needle) {
    return text.find(needle) != std::string::npos;
}

struct Key {
    fs::path pub;
    fs::path sec;
    std::string id;  ///< as minisign printed it in the .pub comment, padded to 16 digits
};

// minisign prints the id with "%" PRIX64, dropping leading zeros (1 key in 16); Seba always
// prints all 16 digits, as the header promises.
std::string pad_key_id(const std::string& printed) {
    return std::string(printed.size() < 16 ? 16 - printed.size() : 0, '0') + printed;
}

class SignatureTest : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_GE(sodium_init(), 0); }

    Key make_key(const std::string& name) {
        Key key{dir_ / (name + ".pub"), dir_ / (name + ".key"), {}};
        EXPECT_EQ(minisign("-G -W -p " + shell_quote(key.pub.string()) + " -s " +
                           shell_quote(key.sec.string())),
                  0)
            << "minisign -G failed";
        const std::string first_line = split_lines(read_file(key.pub)).at(0);
        const std::string marker = "minisign public key ";
        const auto at = first_line.find(marker);
        EXPECT_NE(at, std::string::npos) << first_line;
        if (at != std::string::npos) key.id = pad_key_id(first_line.substr(at + marker.size()));
        return key;
    }

    fs::path write_message(const std::string& name, const std::string& text) {
        write_file(dir_ / name, text);
        return dir_ / name;
    }

    // Signs `file` with minisign and returns the .minisig text.
    std::string sign(const Key& key, const fs::path& file, const std::string& comment,
                     bool legacy = false) {
        const fs::path sig = file.string() + ".minisig";
        EXPECT_EQ(minisign(std::string("-S") + (legacy ? " -l" : "") + " -s " +
                           shell_quote(key.sec.string()) + " -m " + shell_quote(file.string()) +
                           " -x " + shell_quote(sig.string()) + " -t " + shell_quote(comment)),
                  0)
            << "minisign -S failed";
        return read_file(sig);
    }

    PublicKey load(const Key& key) { return load_public_key(key.pub); }

    // verify() must never throw on bad input; a throw fails the test instead of aborting it.
    static Verification check(const Bytes& message, const std::string& signature,
                              const std::vector<PublicKey>& trusted) {
        try {
            return seba::minisign::verify(message, signature, trusted);
        } catch (const std::exception& e) {
            ADD_FAILURE() << "verify threw: " << e.what();
        } catch (...) {
            ADD_FAILURE() << "verify threw a non-std exception";
        }
        return {};
    }

    // The usual fixture: one key, one message, one prehashed signature.
    void sign_default() {
        key_ = make_key("release");
        message_ = to_bytes("kiosk plugin payload\n");
        file_ = write_message("plugin.so", "kiosk plugin payload\n");
        signature_ = sign(key_, file_, "plugin queue 1.2.0");
    }

    Verification check_default(const std::string& signature) {
        return check(message_, signature, {load(key_)});
    }

    seba::testing::TempDir dir_;
    Key key_;
    Bytes message_;
    fs::path file_;
    std::string signature_;
};

#define EXPECT_REJECTED(verification, needle)                                \
    do {                                                                     \
        const Verification v_ = (verification);                              \
        EXPECT_FALSE(v_.ok);                                                 \
        EXPECT_TRUE(contains(v_.reason, needle)) << "reason: " << v_.reason; \
    } while (false)

// --- good signatures ---------------------------------------------------------------------

TEST_F(SignatureTest, PrehashedSignatureVerifiesWithCommentAndKeyId) {
    sign_default();
    ASSERT_TRUE(contains(signature_, "\nRU")) << "expected the prehashed \"ED\" algorithm";

    const auto v = check_default(signature_);
    EXPECT_TRUE(v.ok) << v.reason;
    EXPECT_EQ(v.trusted_comment, "plugin queue 1.2.0");
    EXPECT_EQ(v.key_id_hex, key_.id);
    EXPECT_TRUE(v.reason.empty());
}

TEST_F(SignatureTest, LegacySignatureVerifies) {
    const Key key = make_key("old");
    const fs::path file = write_message("legacy.bin", std::string("bytes\0with nul", 14));
    const std::string signature = sign(key, file, "legacy build", /*legacy=*/true);
    const Bytes sig = decode(split_lines(signature).at(1));
    ASSERT_EQ(sig.size(), 74u);
    ASSERT_EQ(sig[0], 'E');
    ASSERT_EQ(sig[1], 'd') << "minisign -l did not produce a legacy signature";

    const auto v = check(to_bytes(read_file(file)), signature, {load(key)});
    EXPECT_TRUE(v.ok) << v.reason;
    EXPECT_EQ(v.trusted_comment, "legacy build");
    EXPECT_EQ(v.key_id_hex, key.id);
}

TEST_F(SignatureTest, MinisignToolAgreesWithTheTestSetup) {
    sign_default();
    const std::string verify_args =
        "-V -p " + shell_quote(key_.pub.string()) + " -m " + shell_quote(file_.string());
    EXPECT_EQ(minisign(verify_args), 0);
    EXPECT_TRUE(check_default(signature_).ok);

    write_message("plugin.so", "kiosk plugin payloaD\n");
    EXPECT_NE(minisign(verify_args), 0);
    EXPECT_FALSE(check(to_bytes(read_file(file_)), signature_, {load(key_)}).ok);
}

TEST_F(SignatureTest, EmptyMessageVerifies) {
    const Key key = make_key("k");
    const std::string signature = sign(key, write_message("empty", ""), "nothing");
    const auto v = check({}, signature, {load(key)});
    EXPECT_TRUE(v.ok) << v.reason;
}

TEST_F(SignatureTest, CrlfLineEndingsVerify) {
    sign_default();
    std::string crlf;
    for (const auto& line : split_lines(signature_)) crlf += line + "\r\n";

    const auto v = check_default(crlf);
    EXPECT_TRUE(v.ok) << v.reason;
    EXPECT_EQ(v.trusted_comment, "plugin queue 1.2.0");
}

TEST_F(SignatureTest, SecondOfSeveralTrustedKeysMatches) {
    const Key other = make_key("other");
    sign_default();

    const auto v = check(message_, signature_, {load(other), load(key_)});
    EXPECT_TRUE(v.ok) << v.reason;
    EXPECT_EQ(v.key_id_hex, key_.id);
    EXPECT_NE(v.key_id_hex, other.id);
}

// --- tampering ---------------------------------------------------------------------------

TEST_F(SignatureTest, MessageChangedByOneByteFails) {
    sign_default();
    Bytes changed = message_;
    changed[3] ^= 0x01;
    EXPECT_REJECTED(check(changed, signature_, {load(key_)}), "does not match its signature");

    Bytes longer = message_;
    longer.push_back('x');
    EXPECT_REJECTED(check(longer, signature_, {load(key_)}), "does not match its signature");
}

TEST_F(SignatureTest, LegacyMessageChangedByOneByteFails) {
    const Key key = make_key("old");
    const std::string signature = sign(key, write_message("m", "abcdef"), "c", true);
    EXPECT_REJECTED(check(to_bytes("abcdeg"), signature, {load(key)}),
                    "does not match its signature");
}

TEST_F(SignatureTest, UntrustedKeyFailsNamingIt) {
    const Key stranger = make_key("stranger");
    sign_default();
    const std::string signature = sign(stranger, file_, "not ours");

    EXPECT_REJECTED(check(message_, signature, {load(key_)}),
                    "signed by key " + stranger.id + " which is not trusted");
    EXPECT_REJECTED(check(message_, signature, {}), stranger.id);
}

TEST_F(SignatureTest, AlteredTrustedCommentFails) {
    sign_default();
    auto lines = split_lines(signature_);
    ASSERT_EQ(lines.at(2), "trusted comment: plugin queue 1.2.0");
    lines[2] = "trusted comment: plugin queue 9.9.9";

    EXPECT_REJECTED(check_default(join_lines(lines)), "trusted comment was altered");
}

TEST_F(SignatureTest, TrustedCommentFromAnotherSignatureFails) {
    sign_default();
    const std::string other = sign(key_, write_message("b", "other file"), "other file");
    auto lines = split_lines(signature_);
    const auto other_lines = split_lines(other);
    lines[2] = other_lines.at(2);
    lines[3] = other_lines.at(3);

    EXPECT_REJECTED(check_default(join_lines(lines)), "trusted comment was altered");
}

TEST_F(SignatureTest, SignatureForAnotherKeyIdRelabelledFails) {
    // A stranger's signature relabelled with our key id must still fail on the signature.
    const Key stranger = make_key("stranger");
    sign_default();
    const std::string signature = sign(stranger, file_, "forged");
    auto lines = split_lines(signature);
    Bytes sig = decode(lines.at(1));
    const Bytes ours = decode(split_lines(signature_).at(1));
    std::copy(ours.begin() + 2, ours.begin() + 10, sig.begin() + 2);
    lines[1] = encode(sig);

    EXPECT_REJECTED(check_default(join_lines(lines)), "does not match its signature");
}

// --- malformed signature files ------------------------------------------------------------

TEST_F(SignatureTest, EmptyAndGarbageSignatureFilesFail) {
    sign_default();
    EXPECT_REJECTED(check_default(""), "empty");
    EXPECT_REJECTED(check_default("\n\n  \n"), "empty");
    EXPECT_REJECTED(check_default("hello world, this is not a signature"),
                    "not a minisign signature");
    EXPECT_REJECTED(check_default(std::string("\0\xff\x01\n\x80", 5)), "not a minisign signature");
}

TEST_F(SignatureTest, TruncatedSignatureFilesFail) {
    sign_default();
    // Cut halfway through the signature line: too few lines.
    EXPECT_REJECTED(check_default(signature_.substr(0, signature_.find("\nRU") + 30)),
                    "incomplete");
    // Cut halfway through the global signature: a broken base64 blob.
    const auto last = signature_.rfind('\n', signature_.size() - 2);
    const auto v = check_default(signature_.substr(0, last + 20));
    EXPECT_FALSE(v.ok);
    EXPECT_TRUE(contains(v.reason, "line 4")) << v.reason;
}

TEST_F(SignatureTest, MissingLinesFail) {
    sign_default();
    const auto lines = split_lines(signature_);
    ASSERT_EQ(lines.size(), 4u);

    EXPECT_REJECTED(check_default(lines[0] + "\n"), "incomplete");
    EXPECT_REJECTED(check_default(join_lines({lines[0], lines[1]})), "incomplete");
    EXPECT_REJECTED(check_default(join_lines({lines[0], lines[1], lines[2]})), "incomplete");
    // No untrusted comment: the remaining lines shift up and line 1 is base64.
    EXPECT_REJECTED(check_default(join_lines({lines[1], lines[2], lines[3]})), "untrusted comment");
    // Trusted comment line missing, the global signature in its place.
    EXPECT_REJECTED(check_default(join_lines({lines[0], lines[1], lines[3], lines[3]})),
                    "trusted comment");
}

TEST_F(SignatureTest, BadBase64Fails) {
    sign_default();
    auto lines = split_lines(signature_);
    auto bad_sig = lines;
    bad_sig[1][10] = '!';
    EXPECT_REJECTED(check_default(join_lines(bad_sig)), "line 2) is not valid base64");

    auto bad_global = lines;
    bad_global[3][5] = '*';
    EXPECT_REJECTED(check_default(join_lines(bad_global)), "line 4) is not valid base64");

    auto unpadded = lines;
    unpadded[1] = unpadded[1].substr(0, unpadded[1].size() - 1);  // drop the '=' padding
    EXPECT_REJECTED(check_default(join_lines(unpadded)), "not valid base64");
}

TEST_F(SignatureTest, WrongLengthsFail) {
    sign_default();
    auto lines = split_lines(signature_);

    auto short_sig = lines;
    Bytes sig = decode(lines[1]);
    sig.pop_back();
    short_sig[1] = encode(sig);
    EXPECT_REJECTED(check_default(join_lines(short_sig)), "73 bytes, expected 74");

    auto long_global = lines;
    Bytes global = decode(lines[3]);
    global.push_back(0);
    long_global[3] = encode(global);
    EXPECT_REJECTED(check_default(join_lines(long_global)), "65 bytes, expected 64");
}

TEST_F(SignatureTest, UnknownAlgorithmFails) {
    sign_default();
    for (const std::string alg : {"XX", "ed", "Ee"}) {
        auto lines = split_lines(signature_);
        Bytes sig = decode(lines[1]);
        sig[0] = static_cast<std::uint8_t>(alg[0]);
        sig[1] = static_cast<std::uint8_t>(alg[1]);
        lines[1] = encode(sig);
        EXPECT_REJECTED(check_default(join_lines(lines)), "unknown signature algorithm");
    }
}

TEST_F(SignatureTest, AlgorithmSwitchedFromPrehashedToLegacyFails) {
    sign_default();
    auto lines = split_lines(signature_);
    Bytes sig = decode(lines[1]);
    sig[1] = 'd';
    lines[1] = encode(sig);
    EXPECT_REJECTED(check_default(join_lines(lines)), "does not match its signature");
}

// --- public keys -------------------------------------------------------------------------

TEST_F(SignatureTest, ParsesWholePubFileAndBareLine) {
    const Key key = make_key("k");
    const std::string pub = read_file(key.pub);
    const std::string bare = split_lines(pub).at(1);

    const PublicKey from_file = parse_public_key(pub);
    const PublicKey from_line = parse_public_key(bare);
    const PublicKey from_padded = parse_public_key("  " + bare + " \r\n\n");
    std::string crlf_pub;
    for (const auto& line : split_lines(pub)) crlf_pub += line + "\r\n";
    const PublicKey from_crlf = parse_public_key(crlf_pub);

    EXPECT_EQ(from_file.key_id_hex(), key.id);
    EXPECT_EQ(key.id.size(), 16u);
    for (const PublicKey* other : {&from_line, &from_padded, &from_crlf}) {
        EXPECT_EQ(other->key_id, from_file.key_id);
        EXPECT_EQ(other->key, from_file.key);
    }
    EXPECT_EQ(load_public_key(key.pub).key, from_file.key);
}

TEST_F(SignatureTest, KeyIdHexIsLittleEndianUpperCase) {
    PublicKey key;
    key.key_id = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
    EXPECT_EQ(key.key_id_hex(), "EFCDAB8967452301");
    // Leading zeros are kept (minisign itself would print "ABCDEF").
    key.key_id = {0xef, 0xcd, 0xab, 0, 0, 0, 0, 0};
    EXPECT_EQ(key.key_id_hex(), "0000000000ABCDEF");
}

// parse_public_key must throw seba::Error whose message contains `needle`.
void expect_parse_error(const std::string& text, const std::string& needle) {
    try {
        parse_public_key(text);
        ADD_FAILURE() << "no exception for: " << text;
    } catch (const seba::Error& e) {
        EXPECT_TRUE(contains(e.what(), needle)) << e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "wrong exception type: " << e.what();
    }
}

TEST_F(SignatureTest, MalformedPublicKeysThrow) {
    const Key key = make_key("k");
    const std::string bare = split_lines(read_file(key.pub)).at(1);
    Bytes raw = decode(bare);

    expect_parse_error("", "empty");
    expect_parse_error("untrusted comment: nothing follows\n", "empty");
    expect_parse_error("not base64 at all!", "not valid base64");

    Bytes short_key(raw.begin(), raw.end() - 1);
    expect_parse_error(encode(short_key), "41 bytes, expected 42");

    Bytes wrong_alg = raw;
    wrong_alg[1] = 'D';
    expect_parse_error(encode(wrong_alg), "unknown key algorithm");

    expect_parse_error(bare + "\n" + bare, "expected one base64 line");
    // A signature is not a key.
    sign_default();
    expect_parse_error(signature_, "not a minisign public key");
}

TEST_F(SignatureTest, LoadPublicKeyOfMissingFileNamesIt) {
    const fs::path missing = dir_ / "nowhere.pub";
    try {
        load_public_key(missing);
        FAIL() << "expected seba::Error";
    } catch (const seba::Error& e) {
        EXPECT_TRUE(contains(e.what(), "cannot read " + missing.string())) << e.what();
    }
}

TEST_F(SignatureTest, LoadPublicKeyOfMalformedFileNamesIt) {
    const fs::path bad = dir_ / "bad.pub";
    write_file(bad, "untrusted comment: minisign public key 0000\nRWQgarbage\n");
    try {
        load_public_key(bad);
        FAIL() << "expected seba::Error";
    } catch (const seba::Error& e) {
        EXPECT_TRUE(contains(e.what(), bad.string() + ": not a minisign public key: ")) << e.what();
    }
}

}  // namespace

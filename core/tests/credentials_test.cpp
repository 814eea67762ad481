// SPDX-License-Identifier: Apache-2.0
// Credentials anyone can check offline (docs/credentials.md): the encoding, its limits, and
// the kiosk's trust list kept in a real SQLite file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "seba/catalog.hpp"
#include "seba/credential_keys.hpp"
#include "seba/error.hpp"
#include "seba/storage.hpp"
#include "temp_dir.hpp"

namespace seba::credentials {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;

std::vector<std::uint8_t> bytes(std::string_view text) {
    return {text.begin(), text.end()};
}

std::string text(const std::vector<std::uint8_t>& data) {
    return {data.begin(), data.end()};
}

Claims sample_claims(const std::string& issuer = "dev-00000000000000a1") {
    Claims c;
    c.id = "0123456789abcdef";
    c.type = "course-certificate";
    c.subject = "রহিম উদ্দিন";
    c.achievement = {{"course", "digital-literacy"},
                     {"title", {{"bn", "ডিজিটাল সাক্ষরতা"}, {"en", "Digital literacy"}}},
                     {"version", "1.0"},
                     {"score_band", "merit"},
                     {"score", 87}};
    c.issued = "2026-12-07";
    c.expires = "2030-12-31";
    c.issuer = issuer;
    c.centre = "debidwar-1";
    return c;
}

TrustEntry entry_for(const signing::KeyPair& key, const std::string& device,
                     const std::string& centre = "debidwar-1") {
    TrustEntry e;
    e.kid = key_id(key.public_key);
    e.device = device;
    e.centre = centre;
    e.public_key = key.public_key;
    e.since = "2026-12-01T00:00:00.000Z";
    return e;
}

// A trust source holding exactly `entries`.
TrustSource trusting(std::vector<TrustEntry> entries, std::vector<std::string> revoked = {}) {
    TrustSource source;
    source.entry = [entries](std::string_view kid) -> std::optional<TrustEntry> {
        for (const TrustEntry& e : entries)
            if (e.kid == kid) return e;
        return std::nullopt;
    };
    source.revoked = [revoked](std::string_view id) {
        return std::find(revoked.begin(), revoked.end(), id) != revoked.end();
    };
    return source;
}

TEST(Base45, EncodesAndDecodesTheRfc9285Examples) {
    // RFC 9285, sections 4.3 and 4.4.
    EXPECT_EQ(base45_encode(bytes("AB")), "BB8");
    EXPECT_EQ(base45_encode(bytes("Hello!!")), "%69 VD92EX0");
    EXPECT_EQ(base45_encode(bytes("base-45")), "UJCLQE7W581");
    EXPECT_EQ(text(*base45_decode("QED8WEX0")), "ietf!");
    EXPECT_EQ(text(*base45_decode("%69 VD92EX0")), "Hello!!");
    EXPECT_EQ(text(*base45_decode("")), "");
}

TEST(Base45, RefusesWhatIsNotBase45AndSaysWhenItWasCutOff) {
    Base45Error why = Base45Error::None;
    EXPECT_FALSE(base45_decode("GGW", &why));  // 65536 + ...: more than two bytes hold
    EXPECT_EQ(why, Base45Error::BadCharacter);
    EXPECT_FALSE(base45_decode("bb8", &why));  // lower case is not in the alphabet
    EXPECT_EQ(why, Base45Error::BadCharacter);
    EXPECT_FALSE(base45_decode("BB8B", &why));  // a group of one
    EXPECT_EQ(why, Base45Error::CutOff);
}

TEST(Credential, IssuedTextChecksAsValidWithItsClaims) {
    signing::KeyPair key = signing::generate_key_pair();
    const std::string sb1 = encode(sample_claims(), key);
    EXPECT_TRUE(sb1.starts_with("SB1:"));
    EXPECT_LE(sb1.size(), kMaxTextChars);
    Verdict v = check(sb1, trusting({entry_for(key, "dev-00000000000000a1")}), "2026-12-08");
    EXPECT_EQ(v.status, Status::Valid) << v.detail;
    EXPECT_EQ(v.reason, Reason::None);
    ASSERT_TRUE(v.claims);
    const Claims expected = sample_claims();
    EXPECT_EQ(v.claims->subject, expected.subject);
    EXPECT_EQ(v.claims->achievement, expected.achievement);
    EXPECT_EQ(v.claims->issued, "2026-12-07");
    EXPECT_EQ(v.claims->expires, "2030-12-31");
    EXPECT_EQ(v.claims->id, expected.id);
    EXPECT_EQ(v.claims->issuer, expected.issuer);
    EXPECT_EQ(v.claims->centre, expected.centre);
    EXPECT_EQ(v.claims->type, expected.type);
}

TEST(Credential, OneCharacterChangedAnywhereIsRefused) {
    signing::KeyPair key = signing::generate_key_pair();
    const std::string sb1 = encode(sample_claims(), key);
    const TrustSource trust = trusting({entry_for(key, "dev-00000000000000a1")});
    int checked = 0, read_as_cut = 0;
    // (The last group is left alone: changed, it reads as a cut-off text.)
    for (std::size_t at = kPrefix.size(); at + 3 < sb1.size(); at += 3) {
        std::string altered = sb1;
        altered[at] = altered[at] == 'A' ? 'B' : 'A';
        Verdict v = check(altered, trust, "2026-12-08");
        EXPECT_EQ(v.status, Status::Invalid) << "at " << at;
        EXPECT_FALSE(v.claims);
        // zlib's check catches the change, or the signature does; rarely the change leaves
        // the deflate stream wanting more input, which reads as a cut-off text.
        if (v.reason == Reason::Truncated)
            ++read_as_cut;
        else
            EXPECT_THAT(v.reason, AnyOf(Reason::BadSignature, Reason::Malformed)) << "at " << at;
        ++checked;
    }
    EXPECT_GT(checked, 50);
    EXPECT_LE(read_as_cut * 20, checked) << "at most one change in twenty reads as cut off";
}

TEST(Credential, ClaimsSignedByAnotherKeyThanTheEntrysHaveABadSignature) {
    signing::KeyPair kiosk = signing::generate_key_pair();
    signing::KeyPair forger = signing::generate_key_pair();
    const std::string forged = encode(sample_claims(), forger);
    // A list that answers the forger's kid with the real kiosk's key: the content matches
    // no signature of that key.
    TrustSource trust;
    trust.entry = [&](std::string_view) { return entry_for(kiosk, "dev-00000000000000a1"); };
    Verdict v = check(forged, trust, "2026-12-08");
    EXPECT_EQ(v.status, Status::Invalid);
    EXPECT_EQ(v.reason, Reason::BadSignature);
    EXPECT_FALSE(v.claims);
}

TEST(Credential, ACutOffTextIsTruncated) {
    signing::KeyPair key = signing::generate_key_pair();
    const std::string sb1 = encode(sample_claims(), key);
    const TrustSource trust = trusting({entry_for(key, "dev-00000000000000a1")});
    for (std::size_t keep : {sb1.size() - 1, sb1.size() - 2, sb1.size() - 3, sb1.size() - 30,
                             sb1.size() / 2, std::size_t{10}, kPrefix.size()}) {
        Verdict v = check(sb1.substr(0, keep), trust, "2026-12-08");
        EXPECT_EQ(v.status, Status::Invalid) << keep;
        EXPECT_EQ(v.reason, Reason::Truncated) << keep << " of " << sb1.size();
    }
}

TEST(Credential, SignedByAKeyNotInTheListIsUnknown) {
    signing::KeyPair kiosk = signing::generate_key_pair();
    signing::KeyPair stranger = signing::generate_key_pair();
    Verdict v = check(encode(sample_claims(), stranger),
                      trusting({entry_for(kiosk, "dev-00000000000000a1")}), "2026-12-08");
    EXPECT_EQ(v.status, Status::UnknownIssuer);
    EXPECT_EQ(v.reason, Reason::UnknownKey);
    EXPECT_FALSE(v.claims);
}

TEST(Credential, ExpiresAfterItsLastDay) {
    signing::KeyPair key = signing::generate_key_pair();
    const std::string sb1 = encode(sample_claims(), key);
    const TrustSource trust = trusting({entry_for(key, "dev-00000000000000a1")});
    EXPECT_EQ(check(sb1, trust, "2030-12-31").status, Status::Valid);
    Verdict v = check(sb1, trust, "2031-01-01");
    EXPECT_EQ(v.status, Status::Expired);
    EXPECT_EQ(v.reason, Reason::Expired);
    ASSERT_TRUE(v.claims);  // genuine: what it said is shown
    Claims forever = sample_claims();
    forever.expires.clear();
    EXPECT_EQ(check(encode(forever, key), trust, "2099-01-01").status, Status::Valid);
}

TEST(Credential, RevokedKeyAndRevokedCredential) {
    signing::KeyPair key = signing::generate_key_pair();
    const std::string sb1 = encode(sample_claims(), key);
    TrustEntry revoked = entry_for(key, "dev-00000000000000a1");
    revoked.revoked_at = "2026-12-09T10:00:00.000Z";
    Verdict v = check(sb1, trusting({revoked}), "2026-12-10");
    EXPECT_EQ(v.status, Status::Revoked);
    EXPECT_EQ(v.reason, Reason::KeyRevoked);
    v = check(sb1, trusting({entry_for(key, "dev-00000000000000a1")}, {"0123456789abcdef"}),
              "2026-12-10");
    EXPECT_EQ(v.status, Status::Revoked);
    EXPECT_EQ(v.reason, Reason::CredentialRevoked);
}

TEST(Credential, AKeyThatSignsForAnotherDeviceIsRefused) {
    signing::KeyPair key = signing::generate_key_pair();
    Verdict v = check(encode(sample_claims("dev-someone-else"), key),
                      trusting({entry_for(key, "dev-00000000000000a1")}), "2026-12-08");
    EXPECT_EQ(v.status, Status::Invalid);
    EXPECT_EQ(v.reason, Reason::Malformed);
}

TEST(Credential, FieldsOverTheirLimitsAreRefusedWhenIssued) {
    signing::KeyPair key = signing::generate_key_pair();
    Claims c = sample_claims();
    c.subject = std::string(129, 'a');
    EXPECT_THROW(encode(c, key), Error);
    c.subject = std::string(128, 'a');
    EXPECT_NO_THROW(encode(c, key));
    c = sample_claims();
    c.achievement = {{"notes", std::string(2100, 'x')}};
    EXPECT_THROW(encode(c, key), Error);
    c = sample_claims();
    c.expires = "2030-02-30";
    EXPECT_THROW(encode(c, key), Error);
    c = sample_claims();
    c.achievement = nlohmann::json::parse("{\"a\":[[[[[[[[[1]]]]]]]]]}");
    EXPECT_THROW(encode(c, key), Error);
}

TEST(Credential, NonsenseNeverThrowsAndSaysWhy) {
    TrustSource trust = trusting({});
    EXPECT_EQ(check("hello", trust, "2026-12-08").reason, Reason::NotACredential);
    EXPECT_EQ(check("SB1:ab", trust, "2026-12-08").reason, Reason::Truncated);  // a cut group
    EXPECT_EQ(check("SB1:AB~", trust, "2026-12-08").reason, Reason::NotACredential);
    EXPECT_EQ(check("SB1:" + base45_encode(bytes("not zlib at all")), trust, "2026-12-08").reason,
              Reason::Malformed);
    EXPECT_EQ(check("SB1:" + std::string(5000, 'A'), trust, "2026-12-08").reason,
              Reason::Malformed);
}

TEST(ExtractText, TakesTheTextOrAVerificationUrl) {
    EXPECT_EQ(extract_text("SB1:ABC"), "SB1:ABC");
    EXPECT_EQ(extract_text("  sb1:abc \n"), "SB1:ABC");
    EXPECT_EQ(extract_text("https://seba.example.org/verify?c=SB1%3AA%20B%2BC"), "SB1:A B+C");
    EXPECT_EQ(extract_text("https://seba.example.org/verify?lang=bn&c=SB1%3AAB+C#top"),
              "SB1:AB C");  // '+' is a space, as a form sends it
    EXPECT_EQ(extract_text("https://seba.example.org/verify?c=sb1%3aabc"), "SB1:ABC");
    EXPECT_EQ(extract_text("https://seba.example.org/verify?x=SB1:ABC"), std::nullopt);
    EXPECT_EQ(extract_text("https://seba.example.org/"), std::nullopt);
    EXPECT_EQ(extract_text("hello"), std::nullopt);
    EXPECT_EQ(extract_text(std::string(20000, 'A')), std::nullopt);
}

TEST(ExtractText, AVerifyUrlCarriesTheTextBack) {
    signing::KeyPair key = signing::generate_key_pair();
    const std::string sb1 = encode(sample_claims(), key);
    const std::string url = verify_url("https://seba.example.org", sb1);
    EXPECT_TRUE(url.starts_with("https://seba.example.org/verify?c=SB1%3A"));
    EXPECT_EQ(url.find(' '), std::string::npos);
    EXPECT_EQ(url.find('+'), std::string::npos);
    EXPECT_EQ(extract_text(url), sb1);
}

// [SECTION] the kiosk's copy of the trust list, in a real database

class KioskTrust : public ::testing::Test {
  protected:
    void SetUp() override { migrate_core(db_); }

    void keep(std::vector<catalog::Page::Change> changes) {
        catalog::Page page;
        page.changes = std::move(changes);
        page.cursor = std::to_string(++cursor_);
        catalog::keep_page(db_, kTrustChannel, page);
    }
    catalog::Page::Change record(const std::string& key, const nlohmann::json& data) {
        return {key, data.dump()};
    }
    Verdict verify(const std::string& sb1, const std::string& today = "2026-12-08") {
        return check(sb1, kiosk_trust(db_), today);
    }

    seba::testing::TempDir dir_;
    Database db_ = Database::open(dir_ / "kiosk.db");
    signing::KeyPair server_ = signing::generate_key_pair();
    signing::KeyPair kiosk_ = signing::generate_key_pair();
    int cursor_ = 0;
};

TEST_F(KioskTrust, WithoutAListNothingIsTrustedYet) {
    const std::string sb1 = encode(sample_claims(), kiosk_);
    EXPECT_EQ(verify(sb1).reason, Reason::NoTrustList);
    store_trust_key(db_, {server_.public_key, ""});
    EXPECT_EQ(verify(sb1).reason, Reason::NoTrustList);  // the key, but no list pulled
    keep({});
    EXPECT_EQ(verify(sb1).reason, Reason::UnknownKey);
}

TEST_F(KioskTrust, EntriesSignedByTheServerAreTrustedAndRevocationsFollow) {
    store_trust_key(db_, {server_.public_key, "https://seba.example.org"});
    TrustEntry entry = entry_for(kiosk_, "dev-00000000000000a1");
    keep({record(entry.kid, sign_entry(entry, server_))});
    const std::string sb1 = encode(sample_claims(), kiosk_);
    EXPECT_EQ(verify(sb1).status, Status::Valid);

    keep({record(revocation_key("0123456789abcdef"),
                 sign_revocation({"0123456789abcdef", "2026-12-09T00:00:00.000Z"}, server_))});
    EXPECT_EQ(verify(sb1).reason, Reason::CredentialRevoked);

    entry.revoked_at = "2026-12-09T00:00:00.000Z";
    keep({record(entry.kid, sign_entry(entry, server_))});
    EXPECT_EQ(verify(sb1).reason, Reason::KeyRevoked);
}

TEST_F(KioskTrust, AnEntryWithABadServerSignatureIsIgnored) {
    store_trust_key(db_, {server_.public_key, ""});
    signing::KeyPair impostor = signing::generate_key_pair();
    TrustEntry entry = entry_for(kiosk_, "dev-00000000000000a1");
    keep({record(entry.kid, sign_entry(entry, impostor))});
    const std::string sb1 = encode(sample_claims(), kiosk_);
    EXPECT_EQ(verify(sb1).reason, Reason::UnknownKey);

    // Signed by the server, but altered after: the same.
    nlohmann::json altered = sign_entry(entry, server_);
    altered["centre"] = "elsewhere-1";
    keep({record(entry.kid, altered)});
    EXPECT_EQ(verify(sb1).reason, Reason::UnknownKey);

    // The server's own entry, filed under another kid: the same.
    TrustEntry other = entry_for(impostor, "dev-00000000000000b2");
    nlohmann::json moved = sign_entry(other, server_);
    keep({record(entry.kid, moved)});
    EXPECT_EQ(verify(sb1).reason, Reason::UnknownKey);

    // A revocation signed by someone else revokes nothing.
    keep({record(entry.kid, sign_entry(entry, server_)),
          record(revocation_key("0123456789abcdef"),
                 sign_revocation({"0123456789abcdef", "2026-12-09T00:00:00.000Z"}, impostor))});
    EXPECT_EQ(verify(sb1).status, Status::Valid);
}

TEST_F(KioskTrust, AnUnenrolledKioskCannotIssue) {
    std::unique_ptr<Credentials> credentials = kiosk_credentials(db_, dir_ / "device.key");
    try {
        credentials->issue(sample_claims());
        FAIL() << "issued without enrollment";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("not enrolled"));
    }
    // And checking still works, never throwing.
    EXPECT_EQ(credentials->verify("nonsense").reason, Reason::NotACredential);
}

TEST(TrustKeyJson, RoundTripsAndRefusesAKeyWithAnotherId) {
    signing::KeyPair server = signing::generate_key_pair();
    TrustKey key{server.public_key, "https://seba.example.org"};
    EXPECT_EQ(trust_key_from_json(to_json(key)), key);
    nlohmann::json wrong = to_json(key);
    wrong["id"] = "0000000000000000";
    EXPECT_FALSE(trust_key_from_json(wrong));
    nlohmann::json script = to_json(key);
    script["public_url"] = "javascript:alert(1)";
    EXPECT_FALSE(trust_key_from_json(script));
}

}  // namespace
}  // namespace seba::credentials

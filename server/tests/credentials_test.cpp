// SPDX-License-Identifier: Apache-2.0
// Credentials end to end (docs/credentials.md): kiosks enrolled with the real seba-server
// over loopback issue certificates, learn the trust list through sync, and check each
// other's certificates with the server stopped; the server checks them at once against its
// device table, over POST /v1/credentials/verify and on its public page, which a real
// headless chromium renders.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>

#include "browser.hpp"
#include "seba/catalog.hpp"
#include "seba/credential_keys.hpp"
#include "seba/server/credential_trust.hpp"
#include "seba/server/http_server.hpp"
#include "seba/sync_client.hpp"
#include "server_fixture.hpp"
#include "temp_dir.hpp"

namespace seba::server {
namespace {

using credentials::Reason;
using credentials::Status;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kPublicUrl = "https://verify.seba.example";

credentials::Claims certificate(const std::string& subject = "Rahim Uddin") {
    credentials::Claims c;
    c.type = "course-certificate";
    c.subject = subject;
    c.achievement = {{"course", "digital-literacy"},
                     {"title", {{"bn", "ডিজিটাল সাক্ষরতা"}, {"en", "Digital literacy"}}},
                     {"version", "1.0"},
                     {"score_band", "merit"}};
    return c;
}

// A second kiosk: its own folder, database and key.
struct OtherKiosk {
    seba::testing::TempDir dir;
    Database db = Database::open(dir / "kiosk.db");
    OtherKiosk() { migrate_core(db); }
    SyncClient client(const std::string& url) {
        SyncOptions options;
        options.server_url = url;
        options.device_key_file = dir / "device.key";
        options.total_timeout_ms = 3000;
        return SyncClient(db, options);
    }
    std::unique_ptr<credentials::Credentials> credentials() {
        return credentials::kiosk_credentials(db, dir / "device.key");
    }
};

class CredentialsTest : public SyncTest {
  protected:
    ServerOptions options() {
        ServerOptions o;
        o.trust_key = trust_key_;
        o.public_url = kPublicUrl;
        return o;
    }
    std::unique_ptr<credentials::Credentials> credentials() {
        return credentials::kiosk_credentials(kiosk_db_, dir_ / "device.key");
    }
    json check_on_server(const RunningServer& server, const json& body) {
        httplib::Client http("127.0.0.1", server.port());
        httplib::Result r = http.Post("/v1/credentials/verify", body.dump(), "application/json");
        EXPECT_TRUE(r);
        if (!r) return {};
        EXPECT_EQ(r->status, 200) << r->body;
        return json::parse(r->body, nullptr, false);
    }

    std::shared_ptr<const signing::KeyPair> trust_key_ =
        std::make_shared<const signing::KeyPair>(signing::generate_key_pair());
};

TEST_F(CredentialsTest, ACertificateFromKioskAChecksAtKioskBWithTheServerStopped) {
    OtherKiosk b;
    std::string a_device;
    credentials::Credential issued;
    {
        RunningServer server(*store_, options());
        SyncClient a = client(server.url());
        a.enroll(code());
        a_device = a.device_id();
        issued = credentials()->issue(certificate());
        SyncClient b_sync = b.client(server.url());
        b_sync.enroll(code("tashkent-1"));
        EXPECT_EQ(b.credentials()->verify(issued.text).reason, Reason::NoTrustList);
        b_sync.pull(credentials::kTrustChannel);
        server.stop();
    }
    EXPECT_EQ(issued.claims.issuer, a_device);
    EXPECT_EQ(issued.claims.centre, "dhaka-1");
    EXPECT_EQ(issued.claims.issued, credentials::utc_date(std::chrono::system_clock::now()));
    EXPECT_EQ(issued.claims.id.size(), 16u);
    // The QR code is the server's public page with the text.
    EXPECT_TRUE(issued.qr.starts_with(std::string(kPublicUrl) + "/verify?c=SB1%3A")) << issued.qr;

    for (const std::string& scanned : {issued.text, issued.qr}) {
        credentials::Verdict v = b.credentials()->verify(scanned);
        EXPECT_EQ(v.status, Status::Valid) << v.detail;
        ASSERT_TRUE(v.claims);
        EXPECT_EQ(v.claims->subject, "Rahim Uddin");
        EXPECT_EQ(v.claims->issuer, a_device);
    }

    // A certificate signed by a key the server never enrolled: unknown everywhere.
    credentials::Claims forged = issued.claims;
    const std::string fake = credentials::encode(forged, signing::generate_key_pair());
    credentials::Verdict v = b.credentials()->verify(fake);
    EXPECT_EQ(v.status, Status::UnknownIssuer);
    EXPECT_EQ(v.reason, Reason::UnknownKey);
}

TEST_F(CredentialsTest, ARevokedKioskIsRevokedOnTheServerAtOnceAndOnKiosksAfterTheirSync) {
    RunningServer server(*store_, options());
    SyncClient a = client(server.url());
    a.enroll(code());
    const credentials::Credential issued = credentials()->issue(certificate());
    OtherKiosk b;
    SyncClient b_sync = b.client(server.url());
    b_sync.enroll(code());
    b_sync.pull(credentials::kTrustChannel);
    EXPECT_EQ(b.credentials()->verify(issued.text).status, Status::Valid);
    EXPECT_EQ(check_on_server(server, {{"text", issued.text}})["status"], "valid");

    // What `seba-server admin revoke DEVICE` does.
    store_->revoke(a.device_id());
    publish_trust_entry(*store_, *store_->device(a.device_id()), *trust_key_);

    json now = check_on_server(server, {{"text", issued.text}});
    EXPECT_EQ(now["status"], "revoked");
    EXPECT_EQ(now["reason"], "key_revoked");
    // Kiosk B has not synced: it still knows only what it knew.
    EXPECT_EQ(b.credentials()->verify(issued.text).status, Status::Valid);
    b_sync.pull(credentials::kTrustChannel);
    credentials::Verdict v = b.credentials()->verify(issued.text);
    EXPECT_EQ(v.status, Status::Revoked);
    EXPECT_EQ(v.reason, Reason::KeyRevoked);
}

TEST_F(CredentialsTest, ARevokedCredentialIsRevokedAloneTheOthersStayValid) {
    RunningServer server(*store_, options());
    SyncClient a = client(server.url());
    a.enroll(code());
    const credentials::Credential first = credentials()->issue(certificate("First Holder"));
    const credentials::Credential second = credentials()->issue(certificate("Second Holder"));
    EXPECT_NE(first.claims.id, second.claims.id);

    // What `seba-server admin revoke-credential ID` does.
    publish_revocation(*store_, store_->revoke_credential(first.claims.id), *trust_key_);
    EXPECT_THROW(store_->revoke_credential("not-an-id"), Error);

    json r = check_on_server(server, {{"text", first.text}});
    EXPECT_EQ(r["status"], "revoked");
    EXPECT_EQ(r["reason"], "credential_revoked");
    EXPECT_EQ(check_on_server(server, {{"text", second.text}})["status"], "valid");

    a.pull(credentials::kTrustChannel);
    EXPECT_EQ(credentials()->verify(first.text).reason, Reason::CredentialRevoked);
    EXPECT_EQ(credentials()->verify(second.text).status, Status::Valid);
}

TEST_F(CredentialsTest, TheTrustListIsRebuiltWholeAndKiosksLearnTheKeyOverTheSignedChannel) {
    RunningServer server(*store_, options());
    SyncClient a = client(server.url());
    a.enroll(code());
    // The enrollment reply carried the key; a kiosk enrolled before it asks the signed route.
    std::optional<credentials::TrustKey> kept = credentials::trust_key(kiosk_db_);
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->public_key, trust_key_->public_key);
    EXPECT_EQ(kept->public_url, kPublicUrl);
    kiosk_db_.exec("DELETE FROM core__config WHERE key = 'credentials.trust_key'");
    a.pull(credentials::kTrustChannel);
    EXPECT_EQ(credentials::trust_key(kiosk_db_), kept);

    httplib::Client http("127.0.0.1", server.port());
    httplib::Result unsigned_get = http.Get("/v1/credentials/trust-key");
    ASSERT_TRUE(unsigned_get);
    EXPECT_EQ(unsigned_get->status, 401);

    // At start the server publishes the whole list again: the same entries change nothing.
    PublishReport again = publish_trust_list(*store_, *trust_key_);
    EXPECT_EQ(again.unchanged, 1);
    EXPECT_EQ(again.added + again.changed + again.removed, 0);
    EXPECT_EQ(catalog::size(kiosk_db_, credentials::kTrustChannel), 1);
}

TEST_F(CredentialsTest, TheVerifyEndpointIsOpenBoundedAndGivesClaimsOnlyWhenSigned) {
    ServerOptions o = options();
    o.verify_per_minute = 12;
    RunningServer server(*store_, o);
    SyncClient a = client(server.url());
    a.enroll(code());
    const credentials::Credential issued = credentials()->issue(certificate());

    json valid = check_on_server(server, {{"text", issued.qr}});  // the URL form too
    EXPECT_EQ(valid["status"], "valid");
    EXPECT_EQ(valid["reason"], "none");
    EXPECT_EQ(valid["claims"]["subject"], "Rahim Uddin");
    EXPECT_EQ(valid["claims"]["centre"], "dhaka-1");
    EXPECT_EQ(valid["claims"]["issuer"], a.device_id());
    EXPECT_EQ(valid["claims"]["achievement"]["course"], "digital-literacy");

    const std::string fake = credentials::encode(issued.claims, signing::generate_key_pair());
    json forged = check_on_server(server, {{"text", fake}});
    EXPECT_EQ(forged["status"], "unknown_issuer");
    EXPECT_EQ(forged["reason"], "unknown_key");
    EXPECT_FALSE(forged.contains("claims"));

    std::string tampered = issued.text;
    tampered[40] = tampered[40] == 'A' ? 'B' : 'A';
    json altered = check_on_server(server, {{"text", tampered}});
    EXPECT_EQ(altered["status"], "invalid");
    EXPECT_FALSE(altered.contains("claims"));

    json cut = check_on_server(server, {{"text", issued.text.substr(0, issued.text.size() - 5)}});
    EXPECT_EQ(cut["reason"], "truncated");

    httplib::Client http("127.0.0.1", server.port());
    httplib::Result big =
        http.Post("/v1/credentials/verify", json{{"text", std::string(9000, 'A')}}.dump(),
                  "application/json");
    ASSERT_TRUE(big);
    EXPECT_EQ(big->status, 413);
    httplib::Result bad = http.Post("/v1/credentials/verify", R"({"txt": 1})", "application/json");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);

    // Past the per-address limit (12 a minute here; 6 checks above, one refused): 429.
    int refused = 0;
    for (int i = 0; i < 10; ++i) {
        httplib::Result r = http.Post("/v1/credentials/verify", json{{"text", issued.text}}.dump(),
                                      "application/json");
        ASSERT_TRUE(r);
        if (r->status == 429) ++refused;
    }
    EXPECT_GE(refused, 3);
}

// [SECTION] the public page, in a real browser

class VerifyPageTest : public CredentialsTest {
  protected:
    // The page as headless chromium renders it (the DOM after parsing), and a screenshot of it
    // in the build folder for a person to look at.
    std::string render(const std::string& url, const std::string& screenshot) {
        seba::testing::BrowserPage page = seba::testing::open_in_browser(
            url, std::filesystem::path(SEBA_BINARY_DIR) / screenshot);
        EXPECT_EQ(page.problem, "");
        return page.dom;
    }
};

TEST_F(VerifyPageTest, AValidAndAForgedCertificateInARealBrowser) {
    RunningServer server(*store_, options());
    SyncClient a = client(server.url());
    a.enroll(code());
    const credentials::Credential issued = credentials()->issue(certificate());
    // The QR's URL with this server's address in place of the public one.
    std::string url = issued.qr;
    url.replace(0, std::string_view(kPublicUrl).size(), server.url());

    std::string page = render(url + "&lang=en", "verify-valid.png");
    EXPECT_THAT(page, HasSubstr("Genuine certificate"));
    EXPECT_THAT(page, HasSubstr("data-status=\"valid\""));
    EXPECT_THAT(page, HasSubstr("Rahim Uddin"));
    EXPECT_THAT(page, HasSubstr("Digital literacy"));
    // The course certificate's fields read as words, not as the record's keys.
    EXPECT_THAT(page, HasSubstr("<dt>Result</dt><dd>Merit</dd>"));
    EXPECT_THAT(page, HasSubstr("<dt>Course version</dt><dd>1.0</dd>"));
    EXPECT_THAT(page, Not(HasSubstr("score_band")));

    const std::string fake = credentials::encode(issued.claims, signing::generate_key_pair());
    std::string forged = render(credentials::verify_url(server.url(), fake), "verify-forged.png");
    EXPECT_THAT(forged, HasSubstr("Not valid"));
    EXPECT_THAT(forged, HasSubstr("It was not issued by any kiosk this service knows."));
    EXPECT_THAT(forged, Not(HasSubstr("Rahim Uddin")));

    std::string bangla = render(url + "&lang=bn", "verify-valid-bn.png");
    EXPECT_THAT(bangla, HasSubstr("সনদটি আসল"));
    EXPECT_THAT(bangla, HasSubstr("ডিজিটাল সাক্ষরতা"));
    EXPECT_THAT(bangla, HasSubstr("<dt>ফলাফল</dt><dd>কৃতিত্বসহ উত্তীর্ণ</dd>"));
}

TEST_F(VerifyPageTest, ClaimsCannotInjectHtmlAndThePageSendsItsSecurityHeaders) {
    RunningServer server(*store_, options());
    SyncClient a = client(server.url());
    a.enroll(code());
    const credentials::Credential issued =
        credentials()->issue(certificate("<script>document.title='owned'</script><b>x</b>"));
    std::string url = credentials::verify_url(server.url(), issued.text);

    std::string page = render(url, "verify-escaped.png");
    EXPECT_THAT(page, HasSubstr("&lt;script&gt;document.title='owned'&lt;/script&gt;"));
    EXPECT_THAT(page, Not(HasSubstr("<b>x</b>")));
    EXPECT_THAT(page, Not(HasSubstr("owned</title>")));

    httplib::Client http("127.0.0.1", server.port());
    httplib::Headers uzbek = {{"Accept-Language", "uz-Cyrl-UZ,uz;q=0.9,ru;q=0.8"}};
    httplib::Result r = http.Get(url.substr(server.url().size()), uzbek);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_THAT(r->get_header_value("Content-Security-Policy"), HasSubstr("default-src 'none'"));
    EXPECT_THAT(r->get_header_value("Content-Security-Policy"), Not(HasSubstr("script-src")));
    EXPECT_EQ(r->get_header_value("Referrer-Policy"), "no-referrer");
    EXPECT_EQ(r->get_header_value("Content-Language"), "uz-Cyrl");
    EXPECT_THAT(r->body, HasSubstr("Сертификат ҳақиқий"));
    EXPECT_THAT(r->body, Not(HasSubstr("<script")));
    EXPECT_THAT(r->body, Not(HasSubstr("src=")));  // no external assets

    httplib::Result empty = http.Get("/verify?lang=ru");
    ASSERT_TRUE(empty);
    EXPECT_THAT(empty->body, HasSubstr("Проверка сертификата"));
    EXPECT_THAT(empty->body, Not(HasSubstr("id=\"verdict\"")));
}

}  // namespace
}  // namespace seba::server

// SPDX-License-Identifier: Apache-2.0
// A kiosk and its server over TLS, as deployed: the real SyncClient through the real
// seba-front (nginx) before a real seba-server. The kiosk trusts the server's certificate
// by a CA file or by its key's pin, refuses a server it cannot verify, and never sends
// citizens' data in plain HTTP to another machine.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "front.hpp"
#include "process.hpp"
#include "server_fixture.hpp"

namespace seba::server {
namespace {

using ::testing::HasSubstr;

class TlsTest : public SyncTest {
  protected:
    SyncClient kiosk(const SyncOptions& trust) {
        SyncOptions options = trust;
        options.server_url = front_.url();
        options.device_key_file = dir_ / "device.key";
        options.total_timeout_ms = 5000;
        return SyncClient(kiosk_db_, options);
    }

    // "sha256//..." of the certificate's public key, as docs/deployment.md computes it.
    std::string pin_of(const std::filesystem::path& certificate) {
        seba::testing::ProcessResult r = seba::testing::run_process(
            "openssl x509 -in " + certificate.string() +
            " -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary "
            "| base64");
        EXPECT_EQ(r.exit_code, 0) << r.output;
        while (!r.output.empty() && r.output.back() == '\n') r.output.pop_back();
        return "sha256//" + r.output;
    }

    RunningServer backend_{*store_};
    seba::testing::Front front_{dir_ / "front", backend_.port()};
};

TEST_F(TlsTest, AKioskTrustingTheServersCertificateEnrollsPushesAndPulls) {
    SyncOptions trust;
    trust.ca_file = front_.certificate();
    SyncClient client = kiosk(trust);
    client.enroll(code());
    request("birth_registration");
    SyncClient::PushReport pushed = client.push_outbox();
    EXPECT_EQ(pushed.accepted, 1);
    EXPECT_EQ(store_->event_count(), 1);
    EXPECT_NO_THROW(client.pull("fleet"));
}

TEST_F(TlsTest, AKioskWithOnlyTheServersKeyPinnedTrustsThatKeyAlone) {
    SyncOptions trust;
    trust.pinned_key = pin_of(front_.certificate());
    SyncClient client = kiosk(trust);
    client.enroll(code());
    request("birth_registration");
    EXPECT_EQ(client.push_outbox().accepted, 1);

    // Another key under the same name: refused, and nothing sent.
    trust.pinned_key = "sha256//" + std::string(43, 'A') + "=";
    SyncClient misled = kiosk(trust);
    request("land_record");
    try {
        misled.push_outbox();
        ADD_FAILURE() << "a server with another key was trusted";
    } catch (const SyncError& e) {
        EXPECT_THAT(e.what(), HasSubstr("could not be verified as this kiosk's server"));
        EXPECT_THAT(e.what(), HasSubstr("server.pin"));
    }
    EXPECT_EQ(store_->event_count(), 1);
}

TEST_F(TlsTest, AServerTheKioskCannotVerifyIsRefusedAndTheMessageSaysWhatToDo) {
    // Neither the certificate nor a pin: only the system's CAs, which do not know it.
    SyncClient client = kiosk(SyncOptions{});
    try {
        client.enroll(code());
        ADD_FAILURE() << "a self-signed server was trusted";
    } catch (const SyncError& e) {
        EXPECT_THAT(e.what(), HasSubstr("could not be verified as this kiosk's server"));
        EXPECT_THAT(e.what(), HasSubstr("server.ca_file"));
        EXPECT_THAT(e.what(), HasSubstr("docs/deployment.md"));
    }
    EXPECT_FALSE(client.enrolled());
}

TEST_F(TlsTest, PlainHttpToAnotherMachineIsRefusedBeforeAnythingIsSent) {
    // Tried: a LAN address, a name, and a scheme that is not HTTP at all.
    for (const char* url : {"http://10.255.255.1:8470", "http://seba.example.org", "ftp://x"}) {
        SyncOptions options;
        options.server_url = url;
        options.device_key_file = dir_ / "device.key";
        auto started = std::chrono::steady_clock::now();
        try {
            SyncClient client(kiosk_db_, options);
            ADD_FAILURE() << url << " was accepted";
        } catch (const SyncError& e) {
            EXPECT_THAT(e.what(), HasSubstr("https://")) << url;
        }
        EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1))
            << url << ": the kiosk tried to connect";
    }
    // This machine, in plain HTTP, stays possible (a test kiosk; the config allows it only
    // in development mode).
    SyncOptions local;
    local.server_url = "http://127.0.0.1:" + std::to_string(backend_.port());
    local.device_key_file = dir_ / "device.key";
    EXPECT_NO_THROW(SyncClient(kiosk_db_, local).enroll(code()));
}

}  // namespace
}  // namespace seba::server

// SPDX-License-Identifier: Apache-2.0
// Catalog pull against the real seba-server over loopback: pages and their cursors, ETag
// and 304, gzip, snapshots for kiosks behind the tombstone horizon, per-centre channels,
// a faulty network, malformed pages, and plugins reading what arrived.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>

#include "fault_proxy.hpp"
#include "seba/catalog.hpp"
#include "seba/host.hpp"
#include "seba/server/country_pack.hpp"
#include "seba/signing.hpp"
#include "seba/sync_engine.hpp"
#include "server_fixture.hpp"

namespace seba::server {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Unions with Bangla names, as a pilot's catalog would hold them.
std::vector<ChannelRecord> unions(int count, const std::string& tag = "") {
    std::vector<ChannelRecord> records;
    for (int i = 1; i <= count; ++i)
        records.push_back({std::to_string(i), json{{"name_en", "Union " + std::to_string(i) + tag},
                                                   {"name_bn", "ইউনিয়ন " + std::to_string(i)}}
                                                  .dump()});
    return records;
}

class PullTest : public SyncTest {
  protected:
    // The kiosk's copy of a channel, key -> data text.
    std::map<std::string, std::string> local(const std::string& channel) {
        std::map<std::string, std::string> out;
        catalog::for_each(kiosk_db_, channel, [&](std::string_view key, const json& data) {
            out[std::string(key)] = data.dump();
        });
        return out;
    }

    // The server's live content of a channel for a centre, read through its change feed.
    std::map<std::string, std::string> published(const std::string& channel,
                                                 const std::string& centre = "dhaka-1") {
        std::map<std::string, std::string> out;
        ChannelPage page = store_->changes(channel, centre, std::nullopt, 1'000'000, 1u << 30);
        for (const ChannelChange& c : page.changes)
            if (c.data) out[c.key] = json::parse(*c.data).dump();
        return out;
    }
};

TEST_F(PullTest, KioskPullsAChannelInPagesAndKeepsACopyEqualToTheServers) {
    store_->publish("geo.unions", "", unions(2500), true, false);
    ServerOptions options;
    options.page_records = 400;
    RunningServer server(*store_, options);
    SyncClient kiosk = client(server.url());
    kiosk.enroll(code());

    std::vector<std::int64_t> seen;
    SyncClient::PullReport report =
        kiosk.pull("geo.unions",
                   [&](const SyncClient::PullReport& so_far) { seen.push_back(so_far.upserts); });
    EXPECT_EQ(report.pages, 7);  // 6 x 400 + 100
    EXPECT_EQ(report.upserts, 2500);
    EXPECT_TRUE(report.snapshot) << "a new kiosk starts from a snapshot";
    EXPECT_EQ(seen, (std::vector<std::int64_t>{400, 800, 1200, 1600, 2000, 2400, 2500}));
    EXPECT_EQ(catalog::size(kiosk_db_, "geo.unions"), 2500);
    EXPECT_EQ(local("geo.unions"), published("geo.unions"));
    EXPECT_EQ(catalog::record(kiosk_db_, "geo.unions", "17")->at("name_bn"), "ইউনিয়ন 17");
    EXPECT_GT(report.bytes, 0);
}

TEST_F(PullTest, NothingNewIsA304AndChangesArriveAsUpsertsAndTombstones) {
    store_->publish("geo.unions", "", unions(300), true, false);
    RunningServer server(*store_);
    SyncClient kiosk = client(server.url());
    kiosk.enroll(code());
    kiosk.pull("geo.unions");

    SyncClient::PullReport again = kiosk.pull("geo.unions");
    EXPECT_TRUE(again.not_modified) << "the ETag matched: nothing was read or sent";
    EXPECT_EQ(again.pages, 0);

    // An administrator renames union 5, drops union 7 and adds union 301.
    std::vector<ChannelRecord> next = unions(301);
    next[4].data = json{{"name_en", "Renamed"}, {"name_bn", "নতুন নাম"}}.dump();
    next.erase(next.begin() + 6);
    PublishReport published_now = store_->publish("geo.unions", "", next, true, false);
    EXPECT_EQ(published_now.added, 1);
    EXPECT_EQ(published_now.changed, 1);
    EXPECT_EQ(published_now.removed, 1);
    EXPECT_EQ(published_now.unchanged, 298);

    SyncClient::PullReport changes = kiosk.pull("geo.unions");
    EXPECT_FALSE(changes.not_modified);
    EXPECT_FALSE(changes.snapshot);
    EXPECT_EQ(changes.upserts, 2);
    EXPECT_EQ(changes.deletes, 1);
    EXPECT_EQ(catalog::record(kiosk_db_, "geo.unions", "5")->at("name_bn"), "নতুন নাম");
    EXPECT_FALSE(catalog::record(kiosk_db_, "geo.unions", "7"));
    EXPECT_TRUE(catalog::record(kiosk_db_, "geo.unions", "301"));
    EXPECT_EQ(local("geo.unions"), published("geo.unions"));
}

TEST_F(PullTest, AKioskBehindTheTombstoneHorizonGetsASnapshotAndDropsWhatIsGone) {
    store_->publish("geo.unions", "", unions(1000), true, false);
    ServerOptions options;
    options.page_records = 150;
    RunningServer server(*store_, options);
    SyncClient kiosk = client(server.url());
    kiosk.enroll(code());
    kiosk.pull("geo.unions");

    // While the kiosk is away: half the unions go, others change, and the server forgets
    // the tombstones, so a change feed could no longer tell the kiosk what was deleted.
    std::vector<ChannelRecord> next = unions(500, " (new)");
    store_->publish("geo.unions", "", next, true, false);
    EXPECT_EQ(store_->compact("geo.unions", 1'000'000), 500);

    SyncClient::PullReport report = kiosk.pull("geo.unions");
    EXPECT_TRUE(report.snapshot);
    EXPECT_EQ(report.pages, 4);  // 500 records in pages of 150
    EXPECT_EQ(catalog::size(kiosk_db_, "geo.unions"), 500)
        << "what the snapshot did not name is gone";
    EXPECT_EQ(local("geo.unions"), published("geo.unions"));
    EXPECT_TRUE(kiosk.pull("geo.unions").not_modified);
}

TEST_F(PullTest, PerCentreChannelsReachOnlyTheirOwnCentre) {
    store_->publish("fleet", "dhaka-1", {{"config", R"({"plugins":["about"]})"}}, true, false);
    store_->publish("fleet", "tashkent-1", {{"config", R"({"plugins":["nise"]})"}}, true, false);
    EXPECT_THROW(store_->publish("fleet", "", {{"config", "{}"}}, true, false), Error)
        << "a per-centre channel cannot also be for every centre";
    EXPECT_THROW(store_->publish("fleet", "nowhere", {{"config", "{}"}}, true, false), Error);
    RunningServer server(*store_);
    SyncClient kiosk = client(server.url());
    kiosk.enroll(code("dhaka-1"));
    kiosk.pull("fleet");
    EXPECT_EQ(local("fleet"),
              (std::map<std::string, std::string>{{"config", R"({"plugins":["about"]})"}}));

    // Another centre's change is not this kiosk's: it moves the cursor and nothing else.
    store_->publish("fleet", "tashkent-1", {{"config", R"({"plugins":[]})"}}, true, false);
    SyncClient::PullReport report = kiosk.pull("fleet");
    EXPECT_EQ(report.upserts + report.deletes, 0);
    EXPECT_EQ(local("fleet").at("config"), R"({"plugins":["about"]})");
}

TEST_F(PullTest, AnUnknownChannelIsEmptyUntilPublished) {
    RunningServer server(*store_);
    SyncClient kiosk = client(server.url());
    kiosk.enroll(code());
    SyncClient::PullReport empty = kiosk.pull("dc.services");
    EXPECT_EQ(empty.upserts, 0);
    EXPECT_EQ(catalog::size(kiosk_db_, "dc.services"), 0);
    store_->publish("dc.services", "", {{"birth_registration", R"({"fee":50})"}}, true, false);
    EXPECT_EQ(kiosk.pull("dc.services").upserts, 1);
}

TEST_F(PullTest, PublishRefusesBadInputAndADryRunChangesNothing) {
    EXPECT_THROW(store_->publish("Geo", "", unions(1), true, false), Error) << "upper case";
    EXPECT_THROW(store_->publish("geo", "", {{"1", "[1,2]"}}, true, false), Error)
        << "not an object";
    EXPECT_THROW(store_->publish("geo", "", {{"", "{}"}}, true, false), Error) << "empty key";
    EXPECT_THROW(store_->publish("geo", "", {{"1", "{}"}, {"1", "{}"}}, true, false), Error)
        << "duplicate key";
    PublishReport dry = store_->publish("geo", "", unions(10), true, /*dry_run=*/true);
    EXPECT_EQ(dry.added, 10);
    EXPECT_EQ(store_->channel_version("geo"), (std::pair<std::int64_t, std::int64_t>{0, 0}));
    EXPECT_TRUE(store_->channels().empty());
}

TEST_F(PullTest, ATooLongKeyIsQuotedCutBetweenCharacters) {
    std::string key;
    while (key.size() <= 128) key += "ইউনিয়ন";  // 21 bytes, three a code point
    try {
        store_->publish("geo", "", {{key, "{}"}}, true, false);
        FAIL() << "a key of " << key.size() << " bytes was published";
    } catch (const Error& e) {
        // The first 39 bytes: the 40th would split a letter.
        EXPECT_THAT(e.what(), HasSubstr("(\"" + key.substr(0, 39) + "\")"));
    }
}

// Signed GETs by hand, to see the wire.
class RawPull : public PullTest {
  protected:
    httplib::Result get(const std::string& target, httplib::Headers extra = {}) {
        auto now = std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch())
                       .count();
        signing::SignedHeaders h = signing::sign_request(key_, device_, "GET", target, "", now);
        extra.insert({{"X-Seba-Device", h.device},
                      {"X-Seba-Timestamp", h.timestamp},
                      {"X-Seba-Nonce", h.nonce},
                      {"X-Seba-Signature", h.signature}});
        httplib::Client http("127.0.0.1", server_->port());
        http.set_decompress(false);
        return http.Get(target.c_str(), extra);
    }
    void start() {
        server_ = std::make_unique<RunningServer>(*store_);
        SyncClient kiosk = client(server_->url());
        kiosk.enroll(code());
        device_ = kiosk.device_id();
        key_ = signing::load_or_create_device_key(dir_ / "device.key");
    }
    std::unique_ptr<RunningServer> server_;
    std::string device_;
    signing::KeyPair key_;
};

TEST_F(RawPull, RepliesAreGzippedWhenAskedAndCarryAnETagOnTheLastPage) {
    store_->publish("geo.unions", "", unions(2000), true, false);
    start();
    httplib::Result plain = get("/v1/channels/geo.unions");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->status, 200);
    std::size_t plain_size = plain->body.size();
    httplib::Result zipped = get("/v1/channels/geo.unions", {{"Accept-Encoding", "gzip"}});
    ASSERT_TRUE(zipped);
    EXPECT_EQ(zipped->get_header_value("Content-Encoding"), "gzip");
    EXPECT_LT(zipped->body.size() * 4, plain_size) << "gzip shrinks a catalog page well";
    std::string tag = zipped->get_header_value("ETag");
    EXPECT_FALSE(tag.empty());
    json page = json::parse(plain->body);
    httplib::Result unchanged =
        get("/v1/channels/geo.unions?cursor=" + page["cursor"].get<std::string>(),
            {{"If-None-Match", tag}});
    ASSERT_TRUE(unchanged);
    EXPECT_EQ(unchanged->status, 304);
    EXPECT_TRUE(unchanged->body.empty());
}

TEST_F(RawPull, UnsignedBadCursorAndBadLimitAreRefused) {
    start();
    httplib::Client http("127.0.0.1", server_->port());
    httplib::Result unsigned_get = http.Get("/v1/channels/geo.unions");
    ASSERT_TRUE(unsigned_get);
    EXPECT_EQ(unsigned_get->status, 401);
    for (const char* target :
         {"/v1/channels/geo.unions?cursor=abc", "/v1/channels/geo.unions?cursor=s1",
          "/v1/channels/geo.unions?cursor=-4"}) {
        httplib::Result r = get(target);
        ASSERT_TRUE(r) << target;
        EXPECT_EQ(r->status, 400) << target;
        EXPECT_EQ(json::parse(r->body).value("error", ""), "bad_cursor") << target;
    }
    httplib::Result zero = get("/v1/channels/geo.unions?limit=0");
    ASSERT_TRUE(zero);
    EXPECT_EQ(zero->status, 400);
    httplib::Result upper = get("/v1/channels/Geo");
    ASSERT_TRUE(upper);
    EXPECT_EQ(upper->status, 404) << "not a channel name";
}

TEST_F(PullTest, MalformedPagesChangeNothingAndSayWhy) {
    {
        store_->publish("geo.unions", "", unions(20), true, false);
        RunningServer server(*store_);
        SyncClient kiosk = client(server.url());
        kiosk.enroll(code());
        kiosk.pull("geo.unions");
    }
    std::map<std::string, std::string> before = local("geo.unions");
    std::string cursor_before = catalog::cursor(kiosk_db_, "geo.unions");
    const char* page_tail = R"(,"has_more":false,"snapshot":true,"reset":true})";
    struct Case {
        const char* what;
        std::string body;
        const char* expected;
    };
    const Case cases[] = {
        {"truncated", R"({"channel":"geo.unions","changes":[{"key":"1","da)", "malformed"},
        {"html", "<html>proxy error</html>", "malformed"},
        {"another channel",
         std::string(R"({"channel":"fleet","changes":[],"cursor":"9")") + page_tail, "malformed"},
        {"a change without a key",
         std::string(R"({"channel":"geo.unions","changes":[{"data":{}}],"cursor":"9")") + page_tail,
         "malformed"},
        {"data that is not an object",
         std::string(R"({"channel":"geo.unions","changes":[{"key":"1","data":7}],"cursor":"9")") +
             page_tail,
         "malformed"},
        {"a cursor that is a number",
         std::string(R"({"channel":"geo.unions","changes":[],"cursor":9)") + page_tail,
         "malformed"},
        {"more pages that never move on",
         std::string(R"({"channel":"geo.unions","changes":[],"cursor":")") + cursor_before +
             R"(","has_more":true,"snapshot":false,"reset":false})",
         "does not move on"},
    };
    for (const Case& c : cases) {
        BadServer bad([&](httplib::Response& res) { res.set_content(c.body, "application/json"); });
        SyncClient kiosk = client(bad.url());
        try {
            kiosk.pull("geo.unions");
            ADD_FAILURE() << c.what << ": no error";
        } catch (const SyncError& e) {
            EXPECT_THAT(e.what(), HasSubstr(c.expected)) << c.what;
        }
        EXPECT_EQ(local("geo.unions"), before) << c.what;
        EXPECT_EQ(catalog::cursor(kiosk_db_, "geo.unions"), cursor_before) << c.what;
    }
}

TEST_F(PullTest, AFaultyNetworkNeverLeavesAHalfAppliedPage) {
    store_->publish("geo.unions", "", unions(1200), true, false);
    ServerOptions options;
    options.page_records = 100;
    RunningServer server(*store_, options);
    client(server.url()).enroll(code());
    seba::testing::FaultProxy proxy(server.port(), 11, 0.3);
    SyncOptions through_proxy;
    through_proxy.server_url = "http://127.0.0.1:" + std::to_string(proxy.port());
    through_proxy.device_key_file = dir_ / "device.key";
    through_proxy.total_timeout_ms = 1500;
    SyncClient kiosk(kiosk_db_, through_proxy);
    int failures = 0;
    auto pull_until_done = [&] {
        for (int attempt = 0; attempt < 200; ++attempt) {
            try {
                kiosk.pull("geo.unions");
                return true;
            } catch (const SyncError&) {
                ++failures;
                // Whatever was kept is whole pages: a multiple of the page size, or all.
                std::int64_t kept = catalog::size(kiosk_db_, "geo.unions");
                EXPECT_TRUE(kept % 100 == 0) << kept << " records kept after a failure";
            }
        }
        return false;
    };
    ASSERT_TRUE(pull_until_done());
    EXPECT_EQ(local("geo.unions"), published("geo.unions"));
    // Then a change, through the same faults.
    std::vector<ChannelRecord> next = unions(1100, " v2");
    store_->publish("geo.unions", "", next, true, false);
    ASSERT_TRUE(pull_until_done());
    EXPECT_EQ(local("geo.unions"), published("geo.unions"));
    EXPECT_GT(failures, 0) << "the faults really hit the kiosk";
}

TEST_F(PullTest, PluginsReadTheChannelsTheyDeclareAndNoOthers) {
    store_->publish("dc.services", "", {{"birth_registration", R"({"fee":50})"}}, true, false);
    store_->publish("geo.unions", "", unions(3), true, false);
    RunningServer server(*store_);
    SyncClient kiosk = client(server.url());
    kiosk.enroll(code());
    kiosk.pull("dc.services");
    kiosk.pull("geo.unions");
    Manifest m = parse_manifest(
        R"({"id": "dc", "version": "1.0.0", "api": "1.0", "names": {"en": "DC"},
            "capabilities": ["storage"], "channels": ["dc.services"]})",
        "dc/manifest.json");
    PluginStore dc(kiosk_db_, m);
    EXPECT_EQ(dc.catalog_record("dc.services", "birth_registration")->at("fee"), 50);
    EXPECT_FALSE(dc.catalog_record("dc.services", "passport"));
    int seen = 0;
    dc.for_each_catalog_record("dc.services", [&](std::string_view, const json&) { ++seen; });
    EXPECT_EQ(seen, 1);
    EXPECT_FALSE(dc.catalog_cursor("dc.services").empty());
    EXPECT_THROW(dc.catalog_record("geo.unions", "1"), StorageError) << "not declared";
    EXPECT_THROW(dc.prepare("SELECT * FROM core__catalog"), StorageError)
        << "and no way around it through SQL";
}

// What the fleet check at publish lets through reaches the centre's kiosk and is applied
// there in full: the server and the kiosk read one table of kiosk settings.
TEST_F(PullTest, AFleetConfigurationPublishedForACentreIsAppliedByItsKiosk) {
    const json refused = {{"settings", {{"kiosk.idle_timeout_s", 5}}}};
    EXPECT_THROW(publish_fleet_config(*store_, "dhaka-1", refused, false), Error);
    const json fleet = json::parse(R"({"plugins": [], "settings": {"kiosk.idle_timeout_s": 90,
        "kiosk.languages": ["bn", "en"], "server.url": "https://seba.example.org"}})");
    publish_fleet_config(*store_, "dhaka-1", fleet, false);
    RunningServer server(*store_);

    Config config;
    config.source = dir_ / "seba.toml";
    config.kiosk_id = "dhaka-1-001";
    config.centre = "dhaka-1";
    config.languages = {"bn", "uz-Latn", "en"};
    config.default_language = "uz-Latn";
    config.data_dir = dir_ / "kiosk";
    Host host(config);
    SyncOptions options;
    options.server_url = server.url();
    options.device_key_file = dir_ / "device.key";
    options.total_timeout_ms = 3000;
    SyncClient kiosk(host.database(), options);
    kiosk.enroll(code());
    EXPECT_EQ(kiosk.pull("fleet").upserts, 1) << "the refused one never reached the server";
    EXPECT_TRUE(host.apply_fleet_config());
    EXPECT_EQ(host.config().idle_timeout_s, 90);
    EXPECT_THAT(host.config().languages, ElementsAre("bn", "en"));
    EXPECT_EQ(host.config().default_language, "bn") << "uz-Latn is no longer offered";
    EXPECT_EQ(host.config().server_url, "https://seba.example.org");
}

TEST_F(PullTest, TheEngineSyncsChannelsInTheBackgroundAndSaysWhatChanged) {
    store_->publish("geo.unions", "", unions(50), true, false);
    RunningServer server(*store_);
    client(server.url()).enroll(code());
    SyncOptions options;
    options.server_url = server.url();
    options.device_key_file = dir_ / "device.key";
    options.channels = {"geo.unions", "fleet"};
    std::mutex mutex;
    std::condition_variable changed;
    SyncEngine engine(dir_ / "kiosk.db", options, {}, [&] { changed.notify_all(); });
    auto wait_for = [&](auto done) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(10),
                                [&] { return done(engine.status()); });
    };
    ASSERT_TRUE(wait_for([](const SyncStatus& s) { return !s.last_sync.empty(); }));
    SyncStatus status = engine.status();
    EXPECT_TRUE(status.online);
    EXPECT_EQ(status.records, 50);
    EXPECT_GT(status.bytes, 0);
    EXPECT_EQ(status.catalog_changes, 1);
    EXPECT_EQ(status.changed_channels, std::vector<std::string>{"geo.unions"});
    EXPECT_TRUE(status.pulling.empty());

    store_->publish("fleet", "dhaka-1", {{"config", "{}"}}, true, false);
    engine.sync_now();
    ASSERT_TRUE(wait_for([](const SyncStatus& s) { return s.catalog_changes == 2; }));
    EXPECT_EQ(engine.status().changed_channels, (std::vector<std::string>{"geo.unions", "fleet"}));
}

}  // namespace
}  // namespace seba::server

// SPDX-License-Identifier: Apache-2.0
// The store's rules (server/src/store_rules.hpp) on their own, with plain values: what every
// store (SQLite, PostgreSQL) does the same way, as a kiosk, an operator or a pilot sees it.
#include "store_rules.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "event_payload.hpp"
#include "seba/error.hpp"

namespace {

using namespace seba::server;
using Action = rules::EnrollDecision::Action;
using namespace std::chrono_literals;

const Clock::time_point kNow = rules::from_unix_seconds(1'800'000'000);

std::array<std::uint8_t, 32> key(std::uint8_t fill) {
    std::array<std::uint8_t, 32> k{};
    k.fill(fill);
    return k;
}

Device device_with(const std::string& id, std::uint8_t key_fill, bool revoked = false) {
    return Device{.id = id,
                  .centre = "dhaka-1",
                  .public_key = key(key_fill),
                  .revoked = revoked,
                  .enrolled_at = "2027-01-15T08:00:00.000Z",
                  .revoked_at = {}};
}

rules::CodeRow live_code(bool used = false, std::string device = {}) {
    return {.centre = "dhaka-1",
            .expires_at = rules::unix_seconds(kNow + 1h),
            .used = used,
            .device = std::move(device)};
}

// ---- Enrollment codes

TEST(StoreRules, CodesNeverContainLookAlikes) {
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) {
        const std::string code = rules::new_enrollment_code();
        ASSERT_EQ(code.size(), rules::kCodeLength);
        EXPECT_EQ(code.find_first_of("0O1IL"), std::string::npos) << code;
        EXPECT_EQ(code.find_first_not_of(rules::kCodeAlphabet), std::string::npos) << code;
        seen.insert(code);
    }
    EXPECT_GT(seen.size(), 1990u);  // random, not a sequence
    for (char c : std::string_view("0O1IL"))
        EXPECT_EQ(rules::kCodeAlphabet.find(c), std::string::npos);
}

TEST(StoreRules, ACodeIsShownInTwoHalvesAndReadsBackTypedAnyWay) {
    const std::string code = "K7QP2M9XWA";
    EXPECT_EQ(rules::display_code(code), "K7QP2-M9XWA");
    for (std::string typed : {"K7QP2-M9XWA", "k7qp2 m9xwa", " k7qp2-m9xwa\t", "K7Q P2M-9XW A"}) {
        EXPECT_EQ(rules::normalise_code(typed), code) << typed;
        EXPECT_EQ(rules::code_hash(typed), rules::code_hash(code)) << typed;
    }
    EXPECT_NE(rules::code_hash("K7QP2M9XWB"), rules::code_hash(code));
    EXPECT_EQ(rules::code_hash(code).size(), 64u);  // BLAKE2b-256, hex: only this is kept
    EXPECT_THROW(rules::check_code_validity(0s), seba::Error);
    EXPECT_NO_THROW(rules::check_code_validity(1s));
}

// ---- Enrollment decisions

TEST(StoreRules, EveryBadCodeGetsTheVerySameMessage) {
    rules::EnrollmentRows unknown;
    rules::EnrollmentRows used{.code = live_code(true, "dev-1"),
                               .code_device = device_with("dev-1", 1),
                               .key_enrolled = false};
    rules::EnrollmentRows expired{.code = live_code(), .code_device = {}, .key_enrolled = false};
    expired.code->expires_at = rules::unix_seconds(kNow);  // expires at this very second
    rules::EnrollmentRows other_centre{
        .code = live_code(), .code_device = {}, .key_enrolled = false};
    std::set<std::string> messages;
    for (const auto* rows : {&unknown, &used, &expired}) {
        const rules::EnrollDecision d = rules::decide_enrollment(*rows, key(2), "dhaka-1", kNow);
        EXPECT_EQ(d.action, Action::RefuseBadCode);
        messages.insert(d.message);
    }
    const rules::EnrollDecision d =
        rules::decide_enrollment(other_centre, key(2), "sylhet-3", kNow);
    EXPECT_EQ(d.action, Action::RefuseBadCode);
    messages.insert(d.message);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(*messages.begin(), std::string(rules::kBadCodeMessage));
    // A kiosk that names no centre (or an unknown one) is not held to one.
    EXPECT_EQ(rules::decide_enrollment(other_centre, key(2), "", kNow).action, Action::BindNew);
}

TEST(StoreRules, SameCodeAndKeyAgainReturnTheDeviceItMade) {
    const rules::EnrollmentRows again{.code = live_code(true, "dev-1"),
                                      .code_device = device_with("dev-1", 7),
                                      .key_enrolled = true};
    const rules::EnrollDecision d = rules::decide_enrollment(again, key(7), "dhaka-1", kNow);
    ASSERT_EQ(d.action, Action::ReturnDevice);
    EXPECT_EQ(d.device.id, "dev-1");
    EXPECT_EQ(d.device.enrolled_at, "2027-01-15T08:00:00.000Z");  // as made, not now
    // Another key with that code: the code is used up.
    EXPECT_EQ(rules::decide_enrollment(again, key(8), "dhaka-1", kNow).action,
              Action::RefuseKeyEnrolled);
    rules::EnrollmentRows other_key = again;
    other_key.key_enrolled = false;
    EXPECT_EQ(rules::decide_enrollment(other_key, key(8), "dhaka-1", kNow).action,
              Action::RefuseBadCode);
    // A revoked device is not handed back; nor is one once the code expired.
    rules::EnrollmentRows revoked = again;
    revoked.code_device->revoked = true;
    EXPECT_EQ(rules::decide_enrollment(revoked, key(7), "dhaka-1", kNow).action,
              Action::RefuseKeyEnrolled);
    EXPECT_EQ(rules::decide_enrollment(again, key(7), "dhaka-1", kNow + 2h).action,
              Action::RefuseKeyEnrolled);
}

TEST(StoreRules, AKeyAlreadyEnrolledIsRefusedBeforeTheCodeIsJudged) {
    // The same answer for a good and a bad code: this refusal says nothing about the code.
    const rules::EnrollmentRows good{.code = live_code(), .code_device = {}, .key_enrolled = true};
    const rules::EnrollmentRows bad{.code = {}, .code_device = {}, .key_enrolled = true};
    for (const auto* rows : {&good, &bad}) {
        const rules::EnrollDecision d = rules::decide_enrollment(*rows, key(3), "dhaka-1", kNow);
        EXPECT_EQ(d.action, Action::RefuseKeyEnrolled);
        EXPECT_STREQ(d.message, rules::kKeyEnrolledMessage);
    }
}

TEST(StoreRules, AGoodCodeBindsANewDeviceOfItsCentre) {
    const rules::EnrollmentRows rows{.code = live_code(), .code_device = {}, .key_enrolled = false};
    const rules::EnrollDecision d = rules::decide_enrollment(rows, key(4), "dhaka-1", kNow + 250ms);
    ASSERT_EQ(d.action, Action::BindNew);
    EXPECT_EQ(d.device.centre, "dhaka-1");
    EXPECT_EQ(d.device.public_key, key(4));
    EXPECT_FALSE(d.device.revoked);
    EXPECT_EQ(d.device.enrolled_at, rules::iso_time(kNow + 250ms));
    const std::string id = rules::new_device_id();
    EXPECT_EQ(id.size(), 20u);
    EXPECT_EQ(id.rfind("dev-", 0), 0u);
    EXPECT_NE(id, rules::new_device_id());
}

TEST(StoreRules, PastTheLimitWaitUntilTheOldestFailureLeavesTheWindow) {
    const std::int64_t now = rules::unix_seconds(kNow);
    EXPECT_EQ(rules::failure_window_start(kNow), now - kEnrollFailureWindow.count());
    EXPECT_FALSE(rules::enrollment_wait(
        {.count = kEnrollFailuresPerWindow - 1, .oldest_at = now - 5}, kNow));
    auto wait =
        rules::enrollment_wait({.count = kEnrollFailuresPerWindow, .oldest_at = now - 15}, kNow);
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, kEnrollFailureWindow - 15s);
    // Never "retry after 0 seconds", even on the window's edge.
    wait = rules::enrollment_wait({.count = 50, .oldest_at = now - kEnrollFailureWindow.count()},
                                  kNow);
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, 1s);
    // Failures count per named, existing centre; the rest count together.
    EXPECT_EQ(rules::failure_scope("dhaka-1", true), "dhaka-1");
    EXPECT_EQ(rules::failure_scope("made-up", false), "");
    EXPECT_EQ(rules::failure_scope("", false), "");
}

// ---- Ids and texts

TEST(StoreRules, CentreIds) {
    EXPECT_TRUE(rules::valid_centre_id(std::string(64, 'a')));
    EXPECT_FALSE(rules::valid_centre_id(std::string(65, 'a')));
    EXPECT_TRUE(rules::valid_centre_id("Dhaka_1.north-2"));
    for (std::string bad : {"", "a/b", "../etc", "a b", "dhaka\n", "ঢাকা", "ta\xC5\x9Fkent"})
        EXPECT_FALSE(rules::valid_centre_id(bad)) << bad;
    EXPECT_THROW(rules::check_new_centre("a/b", "A"), seba::Error);
    EXPECT_THROW(rules::check_new_centre("dhaka-1", ""), seba::Error);
    EXPECT_NO_THROW(rules::check_new_centre("dhaka-1", "Dhaka 1"));
}

TEST(StoreRules, RegionAndDistrictText) {
    EXPECT_NO_THROW(rules::check_place(""));
    EXPECT_NO_THROW(rules::check_place("কুমিল্লা"));
    EXPECT_NO_THROW(rules::check_place("Fargʻona"));
    EXPECT_NO_THROW(rules::check_place(std::string(64, 'x')));
    EXPECT_THROW(rules::check_place(std::string(65, 'x')), seba::Error);
    EXPECT_THROW(rules::check_place("a\tb"), seba::Error);
    EXPECT_THROW(rules::check_place("\xFF\xFE"), seba::Error);
}

TEST(StoreRules, DashboardUsersAndCredentialIds) {
    EXPECT_TRUE(rules::valid_dashboard_user(std::string(64, 'a')));
    EXPECT_FALSE(rules::valid_dashboard_user(std::string(65, 'a')));
    for (std::string bad : {"", "Admin", "a/b", "a b", "নাম"})
        EXPECT_THROW(rules::check_dashboard_user(bad), seba::Error) << bad;
    EXPECT_NO_THROW(rules::check_dashboard_user("pilot.uz_1-a"));
    EXPECT_NO_THROW(rules::check_credential_id("0123456789abcdef"));
    for (std::string bad : {"0123456789ABCDEF", "0123456789abcde", "0123456789abcdef0", ""})
        EXPECT_THROW(rules::check_credential_id(bad), seba::Error) << bad;
    EXPECT_EQ(rules::login_failure_field(std::string(100, 'u')), std::string(64, 'u'));
}

// ---- Times

TEST(StoreRules, TimesAndPurgeDates) {
    EXPECT_EQ(rules::iso_time(rules::from_unix_seconds(0) + 5ms), "1970-01-01T00:00:00.005Z");
    EXPECT_EQ(rules::iso_time(kNow), "2027-01-15T08:00:00.000Z");
    EXPECT_EQ(rules::unix_seconds(kNow + 999ms), rules::unix_seconds(kNow));
    for (std::string good : {"2026-12-01", "2026-12-01T10:00:00Z", "2026-12-01T10:00:00.123Z"})
        EXPECT_NO_THROW(rules::check_purge_before(good)) << good;
    for (std::string bad : {"", "yesterday", "2026-12-01 10:00", "2026-12-01T10:00:00",
                            "2026-12-01'; DROP TABLE server__events; --"})
        EXPECT_THROW(rules::check_purge_before(bad), seba::Error) << bad;
}

// ---- Pushed events

StoredEvent event(std::string type, std::string payload) {
    StoredEvent e;
    e.device = "dev-1";
    e.centre = "dhaka-1";
    e.uuid = "6f1c2b3a-0000-4000-8000-000000000001";
    e.type = std::move(type);
    e.payload = std::move(payload);
    e.received_at = "2027-01-15T08:00:00.000Z";
    e.created_at = "2027-01-15T07:59:58.000Z";
    e.clock_checked = true;
    e.citizen = std::string(64, 'c');
    return e;
}

TEST(StoreRules, DuplicateOrConflictFieldByField) {
    const StoredEvent kept = event("dc.application", R"({"service":"birth_reg","fee":50})");
    const rules::EventContent content = rules::content_of(kept);
    EXPECT_EQ(content.type, "dc.application");
    EXPECT_EQ(content.payload_hash, rules::hash_hex(kept.payload));
    EXPECT_EQ(rules::compare_pushed(content, kept), PushOutcome::Duplicate);

    // Content: the type and the payload, byte for byte (a re-serialised payload is different).
    StoredEvent other = kept;
    other.type = "dc.payment";
    EXPECT_EQ(rules::compare_pushed(content, other), PushOutcome::Conflict);
    other = kept;
    other.payload = R"({"service":"birth_reg","fee":60})";
    EXPECT_EQ(rules::compare_pushed(content, other), PushOutcome::Conflict);
    other.payload = R"({"fee":50,"service":"birth_reg"})";
    EXPECT_EQ(rules::compare_pushed(content, other), PushOutcome::Conflict);

    // Not content: what the server or the kiosk's clock says about it, and the derived hash.
    other = kept;
    other.received_at = "2027-01-16T00:00:00.000Z";
    other.created_at = "2027-01-15T07:00:00.000Z";
    other.clock_checked = false;
    other.citizen.clear();
    other.centre = "dhaka-2";
    EXPECT_EQ(rules::compare_pushed(content, other), PushOutcome::Duplicate);
}

TEST(StoreRules, ReceivedAtAndTrackingNumbers) {
    StoredEvent e = event("dc.application", "{}");
    EXPECT_EQ(rules::received_at(e), "2027-01-15T08:00:00.000Z");
    e.received_at.clear();
    EXPECT_EQ(rules::received_at(e).size(), std::string("2027-01-15T08:00:00.000Z").size());

    EXPECT_EQ(rules::tcv_tracking(event("dc.application", R"({"tcv":{"tracking":"DC-7"}})")),
              "DC-7");
    EXPECT_EQ(rules::tcv_tracking(event("tcv.survey", R"({"tracking":"DC-7","visits":1})")),
              "DC-7");
    EXPECT_FALSE(rules::tcv_tracking(event("tcv.survey", R"({"tracking":7})")));
    EXPECT_FALSE(rules::tcv_tracking(event("dc.application", R"({"tracking":"DC-7"})")));
    EXPECT_FALSE(rules::tcv_tracking(event("dc.application", R"({"note":"\"tcv\""})")));
    EXPECT_FALSE(rules::tcv_tracking(event("dc.application", R"({"tcv": broken)")));
}

TEST(StoreRules, ANonceIsAReplayOnlyWhileItIsRemembered) {
    const Clock::time_point keep_since = kNow - 10min;
    EXPECT_TRUE(rules::nonce_replayed(rules::unix_seconds(kNow), keep_since));
    EXPECT_TRUE(rules::nonce_replayed(rules::unix_seconds(keep_since), keep_since));
    EXPECT_FALSE(rules::nonce_replayed(rules::unix_seconds(keep_since) - 1, keep_since));
}

// ---- Channels

std::string record_of_bytes(std::size_t bytes) {
    const std::string empty = nlohmann::json{{"a", ""}}.dump();  // {"a":""}
    return nlohmann::json{{"a", std::string(bytes - empty.size(), 'x')}}.dump();
}

TEST(StoreRules, RecordsAtMost256KiBAndKeysAtMost128Bytes) {
    const std::string full = record_of_bytes(rules::kMaxRecordBytes);
    ASSERT_EQ(full.size(), 256u * 1024);
    EXPECT_NO_THROW(rules::canonical_records("services", {{"k", full}}));
    try {
        rules::canonical_records("services", {{"k", record_of_bytes(rules::kMaxRecordBytes + 1)}});
        ADD_FAILURE() << "one byte too many was taken";
    } catch (const seba::Error& e) {
        EXPECT_STREQ(e.what(), "services: record k is 262145 bytes; at most 262144 are allowed");
    }
    EXPECT_NO_THROW(rules::canonical_records("services", {{std::string(128, 'k'), "{}"}}));
    EXPECT_THROW(rules::canonical_records("services", {{std::string(129, 'k'), "{}"}}),
                 seba::Error);
    EXPECT_THROW(rules::canonical_records("services", {{"", "{}"}}), seba::Error);
}

TEST(StoreRules, RecordsAreJsonObjectsKeptCanonicalOncePerKey) {
    for (std::string bad : {"[]", "\"text\"", "42", "{broken", ""})
        EXPECT_THROW(rules::canonical_records("services", {{"k", bad}}), seba::Error) << bad;
    try {
        rules::canonical_records("services", {{"k", "{}"}, {"j", "{}"}, {"k", R"({"a":1})"}});
        ADD_FAILURE() << "a key twice was taken";
    } catch (const seba::Error& e) {
        EXPECT_STREQ(e.what(), "services: key k appears twice");
    }
    const rules::CanonicalRecords kept =
        rules::canonical_records("services", {{"k", R"( { "b" : 1, "a" : [ 1, 2 ] } )"}});
    EXPECT_EQ(kept.at("k").data, R"({"a":[1,2],"b":1})");
    EXPECT_EQ(kept.at("k").hash, rules::hash_hex(R"({"a":[1,2],"b":1})"));
}

TEST(StoreRules, ChannelNamesAndScopesNotMixed) {
    EXPECT_NO_THROW(rules::check_channel_name("muktopaath.learners"));
    for (const std::string& bad :
         std::vector<std::string>{"", "Services", "1st", "a/b", "../x", std::string(65, 'a')})
        EXPECT_THROW(rules::check_channel_name(bad), seba::Error) << bad;
    EXPECT_NO_THROW(rules::check_scope("services", false, ""));
    EXPECT_NO_THROW(rules::check_scope("nise.profiles", true, "dhaka-1"));
    EXPECT_THROW(rules::check_scope("services", false, "dhaka-1"), seba::Error);
    EXPECT_THROW(rules::check_scope("nise.profiles", true, ""), seba::Error);
}

TEST(StoreRules, APublishWritesOnlyWhatChangedAndTombstonesWhatWasLeftOut) {
    const rules::CanonicalRecords incoming = rules::canonical_records(
        "services", {{"same", R"({"v":1})"}, {"changed", R"({"v":2})"}, {"new", R"({"v":3})"}});
    const std::map<std::string, std::string, std::less<>> live = {
        {"same", rules::hash_hex(R"({"v":1})")},
        {"changed", rules::hash_hex(R"({"v":1})")},
        {"gone", rules::hash_hex(R"({"v":9})")}};
    const rules::PublishPlan plan = rules::plan_publish(live, incoming, /*replace=*/true, 40);
    EXPECT_EQ(plan.report.unchanged, 1);
    EXPECT_EQ(plan.report.changed, 1);
    EXPECT_EQ(plan.report.added, 1);
    EXPECT_EQ(plan.report.removed, 1);
    EXPECT_EQ(plan.report.head, 43);
    ASSERT_EQ(plan.writes.size(), 3u);  // versions 41, 42, 43 in this order
    EXPECT_EQ(plan.writes[0].key, "changed");
    EXPECT_EQ(plan.writes[1].key, "new");
    EXPECT_EQ(plan.writes[2].key, "gone");
    EXPECT_EQ(plan.writes[2].record, nullptr);

    const rules::PublishPlan keep = rules::plan_publish(live, incoming, /*replace=*/false, 40);
    EXPECT_EQ(keep.report.removed, 0);
    EXPECT_EQ(keep.report.head, 42);
    EXPECT_EQ(rules::plan_publish(live, {}, false, 40).report.head, 40);
}

TEST(StoreRules, HeadsAndHorizons) {
    EXPECT_EQ(rules::visible_head(false, 90, 10, 0), 90);
    EXPECT_EQ(rules::visible_head(true, 90, 10, 55), 55);  // the centre's own, not others'
    EXPECT_EQ(rules::visible_head(true, 90, 10, 4), 10);   // never below the horizon
    EXPECT_EQ(rules::compaction_bound(500, 90), 90);
    EXPECT_EQ(rules::compaction_bound(30, 90), 30);
}

ChannelChange change(std::int64_t version, std::size_t data_bytes = 10) {
    return {"k" + std::to_string(version), std::string(data_bytes, 'd'), version};
}

TEST(StoreRules, WhereAPageStarts) {
    struct Case {
        std::optional<ChannelCursor> cursor;
        bool reset;
        std::int64_t after;
    };
    // Head 100, horizon 20.
    const Case cases[] = {
        {std::nullopt, true, 0},                  // new kiosk
        {ChannelCursor{.after = 50}, false, 50},  // carries on
        {ChannelCursor{.after = 20}, false, 20},  // at the horizon
        {ChannelCursor{.after = 19}, true, 0},    // behind it
        {ChannelCursor{.after = 101}, true, 0},   // restored server
        {ChannelCursor{.after = 7, .snapshot = true, .snapshot_horizon = 20}, false, 7},
        {ChannelCursor{.after = 7, .snapshot = true, .snapshot_horizon = 10}, true,
         0},  // overtaken
    };
    for (const Case& c : cases) {
        rules::PageBuilder page(c.cursor, 100, 20, 10, 1 << 20);
        EXPECT_EQ(page.after(), c.after);
        const ChannelPage done = std::move(page).finish();
        EXPECT_EQ(done.reset, c.reset);
        EXPECT_FALSE(done.has_more);
        EXPECT_EQ(done.next.after, 100);  // nothing more: at the head
        EXPECT_FALSE(done.next.snapshot);
    }
}

TEST(StoreRules, APageStopsAtItsLimitOrItsBytes) {
    rules::PageBuilder by_count(std::nullopt, 100, 0, 3, 1 << 20);
    int taken = 0;
    for (std::int64_t v = 1; v <= 4 && by_count.add(change(v)); ++v) ++taken;
    EXPECT_EQ(taken, 3);
    ChannelPage page = std::move(by_count).finish();
    EXPECT_TRUE(page.has_more);
    EXPECT_TRUE(page.snapshot);
    EXPECT_EQ(page.next.after, 3);
    EXPECT_TRUE(page.next.snapshot);  // the snapshot goes on

    // One change always fits, however large; then the bytes stop the page.
    rules::PageBuilder by_bytes(ChannelCursor{.after = 5}, 100, 0, 50, 100);
    EXPECT_TRUE(by_bytes.add(change(6, 500)));
    EXPECT_FALSE(by_bytes.add(change(7)));
    page = std::move(by_bytes).finish();
    ASSERT_EQ(page.changes.size(), 1u);
    EXPECT_EQ(page.next.after, 6);
    EXPECT_FALSE(page.next.snapshot);
    EXPECT_FALSE(page.reset);
}

// ---- Event payloads (the projections' reader)

TEST(EventPayload, TextsIntegersAndFlagsWithLimits) {
    const nlohmann::json p = nlohmann::json::parse(
        R"({"name":"Rahim","page":7,"done":true,"big":100000000000,"real":1.5})");
    EXPECT_EQ(payload::text(p, "name"), "Rahim");
    EXPECT_EQ(payload::text(p, "name", 5), "Rahim");
    auto why = [](auto read) -> std::string {
        try {
            read();
        } catch (const payload::Unreadable& u) {
            return u.why;
        }
        return "read";
    };
    EXPECT_EQ(why([&] { payload::text(p, "name", 4); }), "name is missing or too long");
    EXPECT_EQ(why([&] { payload::text(p, "page"); }), "page is missing");
    EXPECT_EQ(why([&] { payload::text(p, "nothing"); }), "nothing is missing");
    EXPECT_EQ(payload::integer(p, "page", 0, 1000), 7);
    EXPECT_EQ(why([&] { payload::integer(p, "page", 8, 1000); }),
              "page is missing or out of range");
    EXPECT_EQ(why([&] { payload::integer(p, "big", 0, 1000); }), "big is missing or out of range");
    EXPECT_EQ(why([&] { payload::integer(p, "real", 0, 1000); }),
              "real is missing or out of range");
    EXPECT_TRUE(payload::flag(p, "done"));
    EXPECT_EQ(why([&] { payload::flag(p, "page"); }), "page is not true/false");
}

TEST(EventPayload, HexAndIds) {
    EXPECT_TRUE(payload::is_lower_hex(std::string(32, 'a'), 32));
    EXPECT_FALSE(payload::is_lower_hex(std::string(32, 'A'), 32));
    EXPECT_FALSE(payload::is_lower_hex(std::string(31, 'a'), 32));
    EXPECT_FALSE(payload::is_lower_hex(std::string(31, 'a') + "g", 32));
    EXPECT_TRUE(payload::is_id("it.support_2-a", "._-"));
    EXPECT_FALSE(payload::is_id("it.support", "_-"));
    EXPECT_TRUE(payload::is_id(std::string(64, 'a'), ""));
    EXPECT_FALSE(payload::is_id(std::string(65, 'a'), ""));
    EXPECT_FALSE(payload::is_id("", "-"));
    EXPECT_FALSE(payload::is_id("Course", "-"));
}

}  // namespace

// SPDX-License-Identifier: Apache-2.0
// The server's SQLite store: centres, single-use enrollment codes kept only as hashes,
// devices and revocation, nonce replay detection, and events stored once per (device, uuid).
#include "seba/server/store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "seba/credential_keys.hpp"
#include "seba/error.hpp"
#include "seba/storage.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

namespace seba::server {
namespace {

using seba::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

using namespace std::chrono_literals;

const Clock::time_point kNow = Clock::time_point(std::chrono::seconds(1'800'000'000));

std::array<std::uint8_t, 32> key(std::uint8_t seed) {
    std::array<std::uint8_t, 32> k{};
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed + i);
    return k;
}

// The message of the EnrollError `f` throws, or a note that it threw none.
std::string enroll_error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const EnrollError& e) {
        return e.what();
    }
    return "(no EnrollError)";
}

StoredEvent event(std::string device, std::string uuid, std::string payload,
                  std::string type = "intake.request_created") {
    return StoredEvent{.device = std::move(device),
                       .centre = "c1",
                       .uuid = std::move(uuid),
                       .type = std::move(type),
                       .payload = std::move(payload),
                       .received_at = "2027-01-15T08:00:00.000Z",
                       .created_at = "2027-01-15T07:59:58.000Z",
                       .clock_checked = true,
                       .citizen = {},
                       .purged_at = {}};
}

class StoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        store_ = seba::testing::open_test_store(dir_.path());
        store_->create_centre("c1", "Centre One");
    }

    Device enrolled(std::uint8_t seed) {
        return store_->enroll(store_->create_enrollment_code("c1", 1h, kNow), key(seed), kNow);
    }

    TempDir dir_;
    std::unique_ptr<Store> store_;
};

// [SECTION] Centres

TEST_F(StoreTest, CreatesCentresAndRefusesDuplicates) {
    EXPECT_TRUE(store_->centre_exists("c1"));
    EXPECT_FALSE(store_->centre_exists("c2"));
    store_->create_centre("north.branch_2-a", "North");
    EXPECT_TRUE(store_->centre_exists("north.branch_2-a"));
    try {
        store_->create_centre("c1", "Again");
        FAIL() << "expected seba::Error";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("centre c1 already exists"));
    }
}

TEST_F(StoreTest, RefusesInvalidCentreIdsAndEmptyNames) {
    EXPECT_THROW(store_->create_centre("", "Empty"), Error);
    EXPECT_THROW(store_->create_centre("has space", "Space"), Error);
    EXPECT_THROW(store_->create_centre("slash/no", "Slash"), Error);
    EXPECT_THROW(store_->create_centre(std::string(65, 'a'), "Long"), Error);
    EXPECT_THROW(store_->create_centre("ok", ""), Error);
    EXPECT_FALSE(store_->centre_exists("ok"));
    store_->create_centre(std::string(64, 'a'), "Longest allowed");
    EXPECT_TRUE(store_->centre_exists(std::string(64, 'a')));
}

// [SECTION] Enrollment

TEST_F(StoreTest, CodesUseTheUnambiguousAlphabetAndAreUnique) {
    std::set<std::string> codes;
    for (int i = 0; i < 50; ++i) {
        std::string code = store_->create_enrollment_code("c1", 1h, kNow);
        EXPECT_THAT(code, MatchesRegex("^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$"));
        codes.insert(code);
    }
    EXPECT_EQ(codes.size(), 50u);
}

TEST_F(StoreTest, CodeForUnknownCentreIsRefused) {
    EXPECT_THROW(store_->create_enrollment_code("nowhere", 1h, kNow), Error);
}

TEST_F(StoreTest, EnrollmentBindsDeviceToTheCodesCentre) {
    store_->create_centre("c2", "Centre Two");
    std::string code = store_->create_enrollment_code("c2", 1h, kNow);
    Device device = store_->enroll(code, key(1), kNow + 10min);
    EXPECT_THAT(device.id, MatchesRegex("^dev-[0-9a-f]{16}$"));
    EXPECT_EQ(device.centre, "c2");
    EXPECT_EQ(device.public_key, key(1));
    EXPECT_FALSE(device.revoked);

    std::optional<Device> stored = store_->device(device.id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->id, device.id);
    EXPECT_EQ(stored->centre, "c2");
    EXPECT_EQ(stored->public_key, key(1));
    EXPECT_FALSE(stored->revoked);
    EXPECT_FALSE(store_->device("dev-0000000000000000").has_value());
}

// A credential names the key that signed it; the public check finds the device by that
// key id, and devices enrolled before the store knew key ids get theirs when it opens.
TEST_F(StoreTest, DevicesAreFoundByTheKeyIdOfTheirPublicKey) {
    Device first = enrolled(1);
    Device second = enrolled(2);
    std::optional<Device> found = store_->device_by_key_id(credentials::key_id(key(2)));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, second.id);
    EXPECT_FALSE(store_->device_by_key_id(credentials::key_id(key(3))).has_value());
    EXPECT_FALSE(store_->device_by_key_id("").has_value());

    store_.reset();
    seba::testing::exec_test_store(dir_.path(), "UPDATE server__devices SET kid = NULL");
    store_ = seba::testing::open_test_store(dir_.path());
    found = store_->device_by_key_id(credentials::key_id(key(1)));
    ASSERT_TRUE(found.has_value()) << "filled in when the store opened";
    EXPECT_EQ(found->id, first.id);
}

TEST_F(StoreTest, CodeWorksOnlyOnce) {
    std::string code = store_->create_enrollment_code("c1", 1h, kNow);
    store_->enroll(code, key(1), kNow);
    EXPECT_THAT(enroll_error_of([&] { store_->enroll(code, key(2), kNow); }),
                HasSubstr("is not valid"));
}

TEST_F(StoreTest, ExpiredCodeIsRefusedAndStaysUnused) {
    std::string code = store_->create_enrollment_code("c1", 1h, kNow);
    EXPECT_THAT(enroll_error_of([&] { store_->enroll(code, key(1), kNow + 1h + 1s); }),
                HasSubstr("is not valid"));
    // A refusal changes nothing: the code still works within its time.
    EXPECT_NO_THROW(store_->enroll(code, key(1), kNow + 59min));
}

TEST_F(StoreTest, UnknownCodeIsRefused) {
    EXPECT_THAT(enroll_error_of([&] { store_->enroll("ABCDE-FGHJK", key(1), kNow); }),
                HasSubstr("is not valid"));
    EXPECT_THAT(enroll_error_of([&] { store_->enroll("", key(1), kNow); }),
                HasSubstr("is not valid"));
}

TEST_F(StoreTest, CodeIsAcceptedInLowerCaseWithoutDashOrWithSpaces) {
    std::string code = store_->create_enrollment_code("c1", 1h, kNow);
    std::string typed;
    for (char c : code)
        if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(store_->enroll(typed, key(1), kNow).centre, "c1");

    std::string spaced = store_->create_enrollment_code("c1", 1h, kNow);
    spaced.replace(5, 1, " ");
    EXPECT_EQ(store_->enroll(" " + spaced + " ", key(2), kNow).centre, "c1");
}

TEST_F(StoreTest, SamePublicKeyCannotEnrollTwiceAndKeepsItsCode) {
    enrolled(1);
    std::string code = store_->create_enrollment_code("c1", 1h, kNow);
    EXPECT_THAT(enroll_error_of([&] { store_->enroll(code, key(1), kNow); }),
                HasSubstr("already enrolled"));
    // The refused attempt did not use the code up.
    EXPECT_NO_THROW(store_->enroll(code, key(2), kNow));
}

TEST_F(StoreTest, OnlyTheCodesHashIsStored) {
    std::string code = store_->create_enrollment_code("c1", 1h, kNow);
    std::string bare = code.substr(0, 5) + code.substr(6);
    store_->enroll(code, key(1), kNow);

    const std::vector<std::vector<std::string>> rows = seba::testing::query_test_store(
        dir_.path(),
        "SELECT code_hash, centre, expires_at, coalesce(used_at, ''), coalesce(device, '') "
        "FROM server__enrollment_codes",
        5);
    for (const std::vector<std::string>& row : rows) {
        EXPECT_THAT(row[0], MatchesRegex("^[0-9a-f]{64}$"));
        for (const std::string& value : row) {
            EXPECT_THAT(value, Not(HasSubstr(code)));
            EXPECT_THAT(value, Not(HasSubstr(bare)));
        }
    }
    EXPECT_EQ(rows.size(), 1u);
}

TEST_F(StoreTest, TheSameCodeAndKeyAgainGiveTheSameDeviceWhileTheCodeIsValid) {
    std::string code = store_->create_enrollment_code("c1", 1h, kNow);
    Device first = store_->enroll(code, key(1), kNow);
    Device again = store_->enroll(code, key(1), kNow + 10min);  // its reply was lost
    EXPECT_EQ(again.id, first.id);
    EXPECT_EQ(again.centre, "c1");
    EXPECT_EQ(again.public_key, key(1));
    EXPECT_THAT(enroll_error_of([&] { store_->enroll(code, key(2), kNow + 10min); }),
                HasSubstr("is not valid"))
        << "with another key, the used code stays refused";
    EXPECT_THAT(enroll_error_of([&] { store_->enroll(code, key(1), kNow + 2h); }),
                HasSubstr("already enrolled"))
        << "once the code expired, it gives nothing back";
    store_->revoke(first.id);
    EXPECT_THAT(enroll_error_of([&] { store_->enroll(code, key(1), kNow + 10min); }),
                HasSubstr("already enrolled"))
        << "a revoked device is not handed back";
}

TEST_F(StoreTest, ACodeOfAnotherCentreIsRefusedLikeAnyBadCode) {
    store_->create_centre("c2", "Centre Two");
    std::string code = store_->create_enrollment_code("c2", 1h, kNow);
    const std::string other = enroll_error_of([&] { store_->enroll(code, key(1), kNow, "c1"); });
    EXPECT_EQ(other, enroll_error_of([&] { store_->enroll("ABCDE-FGHJK", key(1), kNow, "c1"); }));
    EXPECT_EQ(store_->enroll(code, key(1), kNow, "c2").centre, "c2");
}

TEST_F(StoreTest, FailedEnrollmentsAreCountedPerCentreAndWaitOutTheirWindow) {
    store_->create_centre("c2", "Centre Two");
    std::string good = store_->create_enrollment_code("c1", 1h, kNow);
    for (int i = 0; i < kEnrollFailuresPerWindow; ++i)
        EXPECT_THAT(enroll_error_of([&] {
                        store_->enroll("WRONG-CODE" + std::to_string(i), key(1),
                                       kNow + std::chrono::seconds(i), "c1");
                    }),
                    HasSubstr("is not valid"));
    try {
        store_->enroll(good, key(1), kNow + 20s, "c1");
        FAIL() << "past the limit, a good code went through";
    } catch (const EnrollLimited& e) {
        EXPECT_EQ(e.retry_after, 40s) << "until the first failure is a minute old";
    }
    EXPECT_EQ(
        store_->enroll(store_->create_enrollment_code("c2", 1h, kNow), key(2), kNow + 20s, "c2")
            .centre,
        "c2")
        << "another centre is not held up";
    // Made-up centre names share one count with requests that name none.
    for (int i = 0; i < kEnrollFailuresPerWindow; ++i)
        enroll_error_of(
            [&] { store_->enroll("WRONG", key(3), kNow, "nowhere-" + std::to_string(i)); });
    EXPECT_THROW(store_->enroll("WRONG", key(3), kNow + 1s), EnrollLimited);
    // A minute after the failures, the centre enrolls again.
    EXPECT_EQ(store_->enroll(good, key(1), kNow + 61s, "c1").centre, "c1");
}

// [SECTION] Devices

TEST_F(StoreTest, RevokeMarksTheDeviceRevoked) {
    Device device = enrolled(1);
    Device other = enrolled(2);
    store_->revoke(device.id);
    EXPECT_TRUE(store_->device(device.id)->revoked);
    EXPECT_FALSE(store_->device(other.id)->revoked);
    EXPECT_NO_THROW(store_->revoke(device.id)) << "revoking twice is harmless";
}

TEST_F(StoreTest, RevokingAnUnknownDeviceNamesIt) {
    try {
        store_->revoke("dev-ffffffffffffffff");
        FAIL() << "expected seba::Error";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("dev-ffffffffffffffff"));
    }
}

// [SECTION] Nonces

TEST_F(StoreTest, NonceReplayIsDetectedPerDevice) {
    EXPECT_TRUE(store_->remember_nonce("dev-a", "n1", kNow, kNow - 5min));
    EXPECT_FALSE(store_->remember_nonce("dev-a", "n1", kNow + 1s, kNow - 5min));
    EXPECT_TRUE(store_->remember_nonce("dev-b", "n1", kNow + 1s, kNow - 5min));
    EXPECT_TRUE(store_->remember_nonce("dev-a", "n2", kNow + 2s, kNow - 5min));
}

TEST_F(StoreTest, OldNoncesAreForgottenOnceKeepSincePasses) {
    EXPECT_TRUE(store_->remember_nonce("dev-a", "n1", kNow, kNow - 5min));
    EXPECT_FALSE(store_->remember_nonce("dev-a", "n1", kNow + 4min, kNow - 1min));
    EXPECT_TRUE(store_->remember_nonce("dev-a", "n1", kNow + 10min, kNow + 5min));
}

// [SECTION] Events

TEST_F(StoreTest, PushIsAcceptedThenDuplicateThenConflict) {
    EXPECT_EQ(store_->push_event(event("dev-a", "u1", R"({"n":1})")), PushOutcome::Accepted);
    EXPECT_EQ(store_->push_event(event("dev-a", "u1", R"({"n":1})")), PushOutcome::Duplicate);
    EXPECT_EQ(store_->push_event(event("dev-a", "u1", R"({"n":2})")), PushOutcome::Conflict);
    EXPECT_EQ(store_->push_event(event("dev-a", "u1", R"({"n":1})", "other.type")),
              PushOutcome::Conflict);
    EXPECT_EQ(store_->event_count(), 1);
}

TEST_F(StoreTest, SameUuidFromAnotherDeviceIsAnotherEvent) {
    EXPECT_EQ(store_->push_event(event("dev-a", "u1", "{}")), PushOutcome::Accepted);
    EXPECT_EQ(store_->push_event(event("dev-b", "u1", R"({"other":true})")), PushOutcome::Accepted);
    EXPECT_EQ(store_->event_count(), 2);
}

TEST_F(StoreTest, EventsListsTheAcceptedOnesOfACentreInOrder) {
    StoredEvent late = event("dev-a", "u1", R"({"n":1})");
    late.received_at = "2027-01-15T09:00:00.000Z";
    StoredEvent early = event("dev-a", "u2", R"({"n":2})");
    StoredEvent elsewhere = event("dev-b", "u3", R"({"n":3})");
    elsewhere.centre = "c2";
    store_->push_event(late);
    store_->push_event(early);
    store_->push_event(elsewhere);
    store_->push_event(event("dev-a", "u1", R"({"n":1})"));        // duplicate
    store_->push_event(event("dev-a", "u2", R"({"changed":1})"));  // conflict

    std::vector<StoredEvent> listed = store_->events("c1");
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].uuid, "u2");
    EXPECT_EQ(listed[0].payload, R"({"n":2})");
    EXPECT_EQ(listed[0].device, "dev-a");
    EXPECT_EQ(listed[0].centre, "c1");
    EXPECT_EQ(listed[0].type, "intake.request_created");
    EXPECT_EQ(listed[0].received_at, "2027-01-15T08:00:00.000Z");
    EXPECT_EQ(listed[1].uuid, "u1");
    EXPECT_EQ(listed[1].payload, R"({"n":1})");
    ASSERT_EQ(store_->events("c2").size(), 1u);
    EXPECT_EQ(store_->events("c2")[0].uuid, "u3");
    EXPECT_TRUE(store_->events("c3").empty());
    EXPECT_EQ(store_->event_count(), 3);
}

TEST_F(StoreTest, ReceivedAtIsFilledInWhenMissing) {
    StoredEvent e = event("dev-a", "u1", "{}");
    e.received_at.clear();
    store_->push_event(e);
    EXPECT_THAT(store_->events("c1")[0].received_at, StartsWith("20"));
}

// [SECTION] Durability and concurrency

TEST_F(StoreTest, ReopenedStoreKeepsEverything) {
    Device device = enrolled(1);
    std::string used = store_->create_enrollment_code("c1", 1h, kNow);
    store_->enroll(used, key(2), kNow);
    std::string unused = store_->create_enrollment_code("c1", 1h, kNow);
    store_->revoke(device.id);
    store_->remember_nonce(device.id, "n1", kNow, kNow - 5min);
    store_->push_event(event(device.id, "u1", "{}"));
    store_.reset();

    store_ = seba::testing::open_test_store(dir_.path());
    EXPECT_TRUE(store_->centre_exists("c1"));
    ASSERT_TRUE(store_->device(device.id).has_value());
    EXPECT_TRUE(store_->device(device.id)->revoked);
    EXPECT_EQ(store_->device(device.id)->public_key, key(1));
    EXPECT_FALSE(store_->remember_nonce(device.id, "n1", kNow + 1s, kNow - 5min));
    EXPECT_EQ(store_->push_event(event(device.id, "u1", "{}")), PushOutcome::Duplicate);
    EXPECT_EQ(store_->event_count(), 1);
    EXPECT_THAT(enroll_error_of([&] { store_->enroll(used, key(3), kNow); }),
                HasSubstr("is not valid"));
    EXPECT_EQ(store_->enroll(unused, key(3), kNow).centre, "c1");
}

TEST_F(StoreTest, ConcurrentPushesStoreEachEventExactlyOnce) {
    constexpr int kThreads = 4;
    constexpr int kPerThread = 200;
    constexpr int kStride = 100;  // thread t pushes uuids t*100 .. t*100+199: half overlap
    std::atomic<int> accepted = 0;
    std::atomic<int> duplicates = 0;
    std::atomic<int> other = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                std::string uuid = "u" + std::to_string(t * kStride + i);
                switch (store_->push_event(event("dev-a", uuid, "{\"id\":\"" + uuid + "\"}"))) {
                    case PushOutcome::Accepted:
                        ++accepted;
                        break;
                    case PushOutcome::Duplicate:
                        ++duplicates;
                        break;
                    case PushOutcome::Conflict:
                    case PushOutcome::Rejected:
                        ++other;
                        break;
                }
            }
        });
    }
    for (std::thread& thread : threads) thread.join();

    constexpr int kUnique = (kThreads - 1) * kStride + kPerThread;
    EXPECT_EQ(accepted, kUnique);
    EXPECT_EQ(duplicates, kThreads * kPerThread - kUnique);
    EXPECT_EQ(other, 0);
    EXPECT_EQ(store_->event_count(), kUnique);
    EXPECT_EQ(store_->events("c1").size(), static_cast<std::size_t>(kUnique));
}

}  // namespace
}  // namespace seba::server

// SPDX-License-Identifier: Apache-2.0
#include "seba/pin.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "seba/error.hpp"

namespace seba {

namespace {

constexpr const char* kHashKey = "operator.pin_hash";
constexpr const char* kLockoutKey = "operator.pin_lockout";
constexpr const char* kSubject = "kiosk";
// Failed checks are recorded against whoever stands at the kiosk claiming to be the operator.
constexpr const char* kCheckActor = "operator";

constexpr std::size_t kMinDigits = 4;
constexpr std::size_t kMaxDigits = 12;
constexpr int kFreeFailures = 2;  // mistypes allowed before the first lock
constexpr std::int64_t kFirstLockS = 30;
constexpr std::int64_t kMaxLockS = 3600;
// Far above any reachable streak; bounds a tampered value so the arithmetic stays sane.
constexpr std::int64_t kMaxFailures = 1'000'000;

struct Lockout {
    int failures = 0;
    std::int64_t locked_until = 0;  // UTC epoch seconds; locked while now < this
};

bool is_pin_shaped(std::string_view pin) {
    // ASCII only: std::isdigit would follow the locale.
    return pin.size() >= kMinDigits && pin.size() <= kMaxDigits &&
           std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Whole seconds, rounded down: for a whole-second deadline, ceil(until - now) is then
// until - epoch_s(now), so remaining times round up with plain integer arithmetic.
std::int64_t epoch_s(OperatorPin::Clock::time_point t) {
    return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

// 0 for the free mistypes, then 30 s doubling per further failure, capped at an hour.
std::int64_t lock_s_after(int failures) {
    std::int64_t lock_s = 0;
    for (int n = kFreeFailures + 1; n <= failures && lock_s < kMaxLockS; ++n)
        lock_s = lock_s == 0 ? kFirstLockS : lock_s * 2;
    return std::min(lock_s, kMaxLockS);
}

// Capped at the longest lock, so a lock written while the clock ran ahead (a kiosk that
// booted with a wrong RTC before NTP corrected it) cannot outlast the policy.
int remaining_s(const Lockout& lockout, OperatorPin::Clock::time_point now) {
    return static_cast<int>(
        std::clamp<std::int64_t>(lockout.locked_until - epoch_s(now), 0, kMaxLockS));
}

Lockout read_lockout(Database& db) {
    Lockout lockout;
    std::optional<std::string> text = read_core_value(db, kLockoutKey);
    if (!text) return lockout;
    // A damaged value reads as no lockout rather than throwing at the operator: whoever can
    // write it can replace the hash too, and the next failure writes a sound value again.
    nlohmann::json state = nlohmann::json::parse(*text, nullptr, false);
    if (!state.is_object()) return lockout;
    auto failures = state.find("failures");
    if (failures != state.end() && failures->is_number_integer())
        lockout.failures = static_cast<int>(
            std::clamp<std::int64_t>(failures->get<std::int64_t>(), 0, kMaxFailures));
    auto until = state.find("locked_until");
    if (until != state.end() && until->is_number_integer())
        lockout.locked_until = until->get<std::int64_t>();
    return lockout;
}

void write_lockout(Database& db, const Lockout& lockout, std::string_view actor) {
    nlohmann::json state = {{"failures", lockout.failures}, {"locked_until", lockout.locked_until}};
    write_core_value(db, kLockoutKey, state.dump(), actor);
}

}  // namespace

OperatorPin::OperatorPin(Database& db, AuditLog& audit) : db_(db), audit_(audit) {
    if (sodium_init() < 0) throw Error("libsodium failed to initialise");
}

bool OperatorPin::is_set() const {
    return read_core_value(db_, kHashKey).has_value();
}

void OperatorPin::set(std::string_view pin, std::string_view actor) {
    if (!is_pin_shaped(pin)) throw Error("the PIN must be 4 to 12 digits");
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        throw Error(fmt::format(
            "cannot hash the PIN: argon2id needs {} MiB of free memory; close other programs "
            "and set the PIN again",
            crypto_pwhash_MEMLIMIT_INTERACTIVE / (1024 * 1024)));
    // crypto_pwhash_str uses libsodium's default algorithm; refuse a build where that is not
    // argon2id rather than store a weaker hash.
    if (std::string_view(hash).substr(0, 10) != "$argon2id$")
        throw Error("cannot hash the PIN: this libsodium does not default to argon2id");

    // The new hash and the cleared lockout land together, with their audit entry.
    Transaction tx = db_.transaction();
    write_core_value(db_, kHashKey, hash, actor);
    write_lockout(db_, Lockout{}, actor);
    audit_.append(actor, "operator.pin_set", kSubject);
    tx.commit();
}

namespace {

// The stricter of the stored lockout and one counted in memory.
Lockout stricter(Lockout stored, int failures, std::int64_t locked_until) {
    stored.failures = std::max(stored.failures, failures);
    stored.locked_until = std::max(stored.locked_until, locked_until);
    return stored;
}

// A write the database cannot take now (a full disk): false, and the caller keeps the
// lockout in memory. Other errors are thrown as ever.
template <typename Write>
bool written(Write&& write) {
    try {
        write();
        return true;
    } catch (const StorageError& e) {
        if (!e.disk_trouble()) throw;
        return false;
    }
}

}  // namespace

OperatorPin::Attempt OperatorPin::check(std::string_view pin, Clock::time_point now) {
    Attempt attempt;
    std::optional<std::string> hash = read_core_value(db_, kHashKey);
    Lockout lockout = stricter(read_lockout(db_), unrecorded_failures_, unrecorded_until_);
    attempt.failures = lockout.failures;
    if (!hash) return attempt;  // nothing to guess yet, so nothing to count

    if (lockout.locked_until - epoch_s(now) > kMaxLockS) {
        lockout.locked_until = epoch_s(now) + kMaxLockS;  // see remaining_s
        unrecorded_until_ = std::min(unrecorded_until_, lockout.locked_until);
        written([&] { write_lockout(db_, lockout, kCheckActor); });
    }
    // Refused before the hash is touched: a guess while locked costs the kiosk nothing and
    // tells the guesser nothing, so it is neither counted nor audited.
    if (int left = remaining_s(lockout, now); left > 0) {
        attempt.locked_for_s = left;
        return attempt;
    }

    // Anything but 4-12 digits cannot be the PIN; it fails without the costly verify.
    bool ok =
        is_pin_shaped(pin) && crypto_pwhash_str_verify(hash->c_str(), pin.data(), pin.size()) == 0;
    if (ok) {
        unrecorded_failures_ = 0;
        unrecorded_until_ = 0;
        if (lockout.failures != 0 || lockout.locked_until != 0)
            written([&] { write_lockout(db_, Lockout{}, kCheckActor); });
        attempt.ok = true;
        attempt.failures = 0;
        return attempt;
    }

    // One more failure on `before`, locked as the policy says.
    auto failed_once_more = [&](Lockout before) {
        before.failures = std::min(before.failures + 1, static_cast<int>(kMaxFailures));
        // From the whole second: the lock may end up to 1 s early, but the seconds reported
        // and audited are exactly the policy's.
        if (std::int64_t lock_s = lock_s_after(before.failures); lock_s > 0)
            before.locked_until = epoch_s(now) + lock_s;
        return before;
    };
    bool recorded = written([&] {
        Transaction tx = db_.transaction();
        // Re-read under the write lock so a failure counted meanwhile by another connection
        // is added to, not overwritten.
        lockout =
            failed_once_more(stricter(read_lockout(db_), unrecorded_failures_, unrecorded_until_));
        std::int64_t lock_s = lock_s_after(lockout.failures);
        write_lockout(db_, lockout, kCheckActor);
        audit_.append(kCheckActor, "operator.pin_failed", kSubject,
                      fmt::format("failure {}", lockout.failures));
        if (lock_s > 0)
            audit_.append(kCheckActor, "operator.pin_locked", kSubject,
                          fmt::format("for {} s", lock_s));
        tx.commit();
    });
    if (recorded) {
        unrecorded_failures_ = 0;
        unrecorded_until_ = 0;
    } else {
        // Nothing was written (the transaction rolled back): counted here instead.
        lockout =
            failed_once_more(stricter(read_lockout(db_), unrecorded_failures_, unrecorded_until_));
        unrecorded_failures_ = lockout.failures;
        unrecorded_until_ = lockout.locked_until;
    }

    attempt.failures = lockout.failures;
    attempt.locked_for_s = remaining_s(lockout, now);
    return attempt;
}

int OperatorPin::locked_for_s(Clock::time_point now) const {
    return remaining_s(stricter(read_lockout(db_), unrecorded_failures_, unrecorded_until_), now);
}

}  // namespace seba

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "seba/audit.hpp"
#include "seba/export.hpp"
#include "seba/storage.hpp"

namespace seba {

/// The operator's PIN: stored only as an argon2id hash (libsodium crypto_pwhash_str,
/// INTERACTIVE limits) in core__config, with a lockout that grows after failures so a
/// 4-6 digit PIN cannot be guessed at a kiosk. Each set, failure streak and lockout is
/// audited; the PIN itself never is, nor logged.
class SEBA_API OperatorPin {
  public:
    using Clock = std::chrono::system_clock;

    OperatorPin(Database& db, AuditLog& audit);

    /// True once a PIN was set.
    bool is_set() const;
    /// Sets or replaces the PIN (4-12 digits; throws seba::Error otherwise). Audited.
    void set(std::string_view pin, std::string_view actor);

    struct Attempt {
        bool ok = false;
        /// When locked (now or after this failure): seconds until the next try is allowed.
        int locked_for_s = 0;
        int failures = 0;  ///< consecutive failures so far
    };
    /// Checks a PIN unless locked out. After 3 consecutive failures each further failure
    /// locks for 30 s, doubling up to 1 hour; success resets. The state is kept in the
    /// database, so restarting the kiosk does not reset it; while the database cannot take
    /// it (a full disk), in this object, so that guessing is as slow as ever and the right
    /// PIN still opens operator mode. `now` is injectable for tests.
    Attempt check(std::string_view pin, Clock::time_point now = Clock::now());

    /// Seconds until a try is allowed (0 when not locked).
    int locked_for_s(Clock::time_point now = Clock::now()) const;

  private:
    Database& db_;
    AuditLog& audit_;
    // The lockout as counted here when the database could not take it.
    int unrecorded_failures_ = 0;
    std::int64_t unrecorded_until_ = 0;
};

}  // namespace seba

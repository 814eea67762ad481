// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>

/// The limits kiosks and seba-server agree on (docs/protocol.md states each; a test reads
/// the document and compares). One place, so that the kiosk sizes its pushes by the very
/// number the server refuses bodies over, rather than by a copy that can drift.
namespace seba::sync_limits {

/// The largest request body seba-server reads (POST /v1/events); a larger one gets 413.
/// The kiosk fills each push up to this, so no batch of events is ever refused for its size.
inline constexpr std::size_t kMaxRequestBodyBytes = 4 * 1024 * 1024;
/// The most events in one push.
inline constexpr std::size_t kMaxEventsPerPush = 500;
/// The most changes in one catalog page.
inline constexpr std::size_t kPageRecords = 5000;
/// The largest reply the kiosk reads; a larger one is refused and retried later.
inline constexpr std::size_t kMaxReplyBytes = 8 * 1024 * 1024;
/// How far a signed request's timestamp may be from the server's clock.
inline constexpr std::chrono::seconds kClockSkew{300};

}  // namespace seba::sync_limits

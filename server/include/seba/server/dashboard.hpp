// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The pilot's web dashboard's accounts (docs/civil-service.md, "The dashboard"), as the
/// admin CLI makes them. The pages themselves are served under /dashboard by HttpServer.

#include <cstddef>
#include <string_view>

#include "seba/server/store.hpp"

namespace seba::server {

/// A dashboard password has at least this many characters (code points)...
inline constexpr std::size_t kMinDashboardPasswordChars = 12;
/// ...and at most this many bytes.
inline constexpr std::size_t kMaxDashboardPasswordBytes = 1024;

/// Adds a dashboard user whose password is hashed with argon2id (libsodium's
/// crypto_pwhash_str, interactive limits). Throws seba::Error, saying what to do, for a
/// password too short or too long, or a name that is not [a-z0-9._-]{1,64} or is taken.
void create_dashboard_user(Store& store, std::string_view name, std::string_view password);

}  // namespace seba::server

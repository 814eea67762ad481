// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace seba::server::detail {

/// `text` as a gzip stream (RFC 1952) at zlib's fastest level. cpp-httplib compresses at
/// the default level 6, which cost a first catalog pull more than it saved on loopback
/// and LAN; level 1 gives most of the size back at well under half the time.
std::string gzip_fast(std::string_view text);

}  // namespace seba::server::detail

// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The host's side of search (seba/search.hpp): keeping indexes in step with the catalog.
/// Not for plugins: the host declares their manifests' indexes and catalog::keep_page calls
/// on_catalog_change.

#include <string>
#include <string_view>
#include <vector>

#include "seba/export.hpp"
#include "seba/search.hpp"

namespace seba::search {

/// Declares (or replaces) a spec from a plugin's manifest; re-indexes when it changed. One
/// transaction. A catalog spec of the same name keeps precedence.
SEBA_API void declare(Database& db, const IndexSpec& spec, std::string_view origin);
/// Called by catalog::keep_page inside its transaction, after a page's changes are written
/// to core__catalog, with the keys of `channel` it removed (tombstones and a snapshot's
/// sweep) and upserted: updates every index reading the channel, and re-indexes the
/// indexes whose spec changed when `channel` is kIndexesChannel.
SEBA_API void on_catalog_change(Database& db, std::string_view channel,
                                const std::vector<std::string>& removed,
                                const std::vector<std::string>& upserted);
/// Every channel some index reads (the host keeps them).
SEBA_API std::vector<std::string> indexed_channels(Database& db);

}  // namespace seba::search

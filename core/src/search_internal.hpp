// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <vector>

#include "seba/search.hpp"
#include "seba/storage.hpp"

namespace seba::search::detail {

/// The specs in force on `db`, parsed once per change of core__search_indexes (a cache per
/// connection and process).
std::shared_ptr<const std::vector<IndexSpec>> specs_in_force(Database& db);

/// Where an entry's parent is, read from its record by `link`; nullopt when the record has
/// no such field.
std::optional<std::pair<std::string, std::string>> parent_of(const nlohmann::json& record,
                                                             const ParentLink& link);

}  // namespace seba::search::detail

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "seba/server/catalog_import.hpp"

namespace seba::fuzz {

/// What read_catalog_text() promises of every result, CSV or JSON: keys trimmed of ASCII
/// whitespace, non-empty, at most 128 bytes and unique; data always an object; the columns
/// named as Uzbek Latin already normalised.
inline void check_import(const server::ImportResult& result, const server::ImportSpec& spec) {
    constexpr std::string_view kAsciiSpace = " \t\n\r\f\v";
    SEBA_FUZZ_CHECK(result.duplicates_dropped >= 0);
    std::set<std::string_view> keys;
    for (const server::CatalogRecord& record : result.records) {
        SEBA_FUZZ_CHECK(!record.key.empty() && record.key.size() <= 128);
        SEBA_FUZZ_CHECK(kAsciiSpace.find(record.key.front()) == std::string_view::npos);
        SEBA_FUZZ_CHECK(kAsciiSpace.find(record.key.back()) == std::string_view::npos);
        SEBA_FUZZ_CHECK(keys.insert(record.key).second);
        SEBA_FUZZ_CHECK(record.data.is_object());
        for (const std::string& column : spec.uz_latin) {
            auto value = record.data.find(column);
            if (value == record.data.end() || !value->is_string()) continue;
            const auto& text = value->get_ref<const std::string&>();
            SEBA_FUZZ_CHECK(server::normalise_uz_latin(text) == text);
        }
    }
}

/// normalise_uz_latin() is documented idempotent, for any bytes.
inline void check_uz_latin(std::string_view text) {
    std::string once = server::normalise_uz_latin(text);
    SEBA_FUZZ_CHECK(server::normalise_uz_latin(once) == once);
}

}  // namespace seba::fuzz

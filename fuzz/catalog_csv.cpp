// SPDX-License-Identifier: Apache-2.0
// seba-server reading a CSV catalog file (`seba-server admin import`), with the import
// options an administrator can give. Only ImportError is documented; anything else escaping
// is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "catalog_common.hpp"

namespace {

using seba::server::ImportSpec;

std::vector<ImportSpec> specs() {
    std::vector<ImportSpec> out(4);
    for (ImportSpec& spec : out) spec.format = ImportSpec::Format::Csv;
    // 0: a header row, keyed by "id".
    out[1].key = "code";  // another key column, and Uzbek Latin names
    out[1].uz_latin = {"name"};
    // No header row, the columns given: the shape of bd-geocode's unions.csv.
    out[2].columns = {"id", "upazila_id", "name_en", "name_bn", "portal_url"};
    // A header row and Uzbek Latin names: the shape of uz-regions' districts.csv.
    out[3].uz_latin = {"name_uz"};
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::vector<ImportSpec> kSpecs = specs();
    std::string_view text(reinterpret_cast<const char*>(data), size);
    seba::fuzz::check_uz_latin(text);
    for (const ImportSpec& spec : kSpecs) {
        seba::server::ImportResult result;
        try {
            result = seba::server::read_catalog_text(text, "fuzz.csv", spec);
        } catch (const seba::server::ImportError&) {
            continue;
        }
        seba::fuzz::check_import(result, spec);
        // CSV values stay strings, one per column, the key column holding the key.
        for (const auto& record : result.records) {
            for (const auto& [column, value] : record.data.items())
                SEBA_FUZZ_CHECK(value.is_string());
            if (!spec.columns.empty()) SEBA_FUZZ_CHECK(record.data.size() == spec.columns.size());
            auto key = record.data.find(spec.key);
            SEBA_FUZZ_CHECK(key != record.data.end() && key->get_ref<const std::string&>().find(
                                                            record.key) != std::string::npos);
        }
    }
    return 0;
}

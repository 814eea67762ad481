// SPDX-License-Identifier: Apache-2.0
// seba-server reading a JSON catalog file (`seba-server admin import`): an array of objects
// keyed by a field, or an object whose members are the records. Only ImportError is
// documented; anything else escaping is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "catalog_common.hpp"

namespace {

using seba::server::ImportSpec;

std::vector<ImportSpec> specs() {
    std::vector<ImportSpec> out(3);
    for (ImportSpec& spec : out) spec.format = ImportSpec::Format::Json;
    // 0: keyed by "id".
    out[1].key = "code";
    out[1].uz_latin = {"name"};
    out[2].uz_latin = {"name_uz"};
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::vector<ImportSpec> kSpecs = specs();
    std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const ImportSpec& spec : kSpecs) {
        seba::server::ImportResult result;
        try {
            result = seba::server::read_catalog_text(text, "fuzz.json", spec);
        } catch (const seba::server::ImportError&) {
            continue;
        }
        seba::fuzz::check_import(result, spec);
    }
    return 0;
}

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "seba/error.hpp"

/// Reading the catalog files an administrator imports with `seba-server admin import`: CSV
/// (RFC 4180) or JSON, turned into the keyed records of one catalog channel.
namespace seba::server {

/// One record of a catalog channel: a key unique in the channel and a JSON object.
struct CatalogRecord {
    std::string key;
    nlohmann::json data;  // always an object
};

struct ImportSpec {
    enum class Format { Auto, Csv, Json };
    Format format = Format::Auto;       ///< Auto: by extension (.csv, .json), else an error
    std::vector<std::string> columns;   ///< CSV without a header row: the column names; empty =
                                        ///< first row is the header
    std::string key = "id";             ///< the column/field whose value is the record key
    std::vector<std::string> uz_latin;  ///< columns holding Uzbek Latin text: apostrophes
                                        ///< normalised (see normalise_uz_latin)
};

struct ImportResult {
    std::vector<CatalogRecord> records;  ///< in file order, one per distinct key
    int duplicates_dropped = 0;          ///< rows identical to an earlier row with the same key
};

/// A catalog file that cannot be imported. The message names the file, the line (CSV: the
/// physical line where the row starts, 1-based; JSON: the byte position or the element) and
/// what to do about it.
class ImportError : public Error {
  public:
    using Error::Error;
};

/// Reads and checks a whole catalog file. CSV values stay JSON strings; keys are trimmed of
/// ASCII whitespace, non-empty and at most 128 bytes. A row identical to an earlier one with
/// the same key is dropped and counted; a different row with the same key is an error.
/// Throws ImportError.
ImportResult read_catalog_file(const std::filesystem::path& file, const ImportSpec& spec);

/// The same from text already in memory (`name` is used in messages). Used by the file
/// variant and by fuzzing. `spec.format` must not be Auto here (ImportError if it is).
ImportResult read_catalog_text(std::string_view text, std::string_view name,
                               const ImportSpec& spec);

/// Official Uzbek Latin letter marks: after o/O/g/G, any of ' ’ ‘ ` ʼ ʻ (U+0027, U+2019,
/// U+2018, U+0060, U+02BC, U+02BB) becomes ʻ (U+02BB, "oʻ", "gʻ"); elsewhere between Latin
/// letters any of those becomes ʼ (U+02BC, tutuq belgisi, e.g. "maʼlumot", "Qalʼa").
/// Anything else is unchanged, so the function is idempotent.
std::string normalise_uz_latin(std::string_view text);

}  // namespace seba::server

// SPDX-License-Identifier: Apache-2.0
// Reading catalog files for `seba-server admin import`: RFC 4180 CSV or JSON in, keyed
// records out. Everything an administrator can get wrong ends in an ImportError that names the
// file and the line, so that the file can be fixed without guessing.
#include "seba/server/catalog_import.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <fstream>
#include <iterator>
#include <set>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "seba/bounded_json.hpp"
#include "seba/utf8.hpp"

namespace seba::server {

namespace {

using Format = ImportSpec::Format;

// Keys travel in URLs and sync messages; a longer one is a mistake in the file, not a name.
constexpr std::size_t kMaxKeyBytes = 128;
// Enough of a value to recognise it in a message without flooding the terminal.
constexpr std::size_t kShownBytes = 60;
constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kAsciiSpace = " \t\n\r\f\v";
constexpr std::string_view kLetterMark = "\xCA\xBB";  // U+02BB, the ʻ of oʻ and gʻ
constexpr std::string_view kTutuq = "\xCA\xBC";       // U+02BC, the ʼ of maʼlumot

[[noreturn]] void fail(std::string_view name, std::string_view what) {
    throw ImportError(fmt::format("{}: {}", name, what));
}

// `where` is the place in the file ("line 7", "element #3"); empty for the file as a whole.
[[noreturn]] void fail(std::string_view name, std::string_view where, std::string_view what) {
    if (where.empty()) fail(name, what);
    throw ImportError(fmt::format("{}, {}: {}", name, where, what));
}

std::string line_name(std::size_t line) {
    return fmt::format("line {}", line);
}

// `text` quoted for a message, cut short at a character boundary when long.
std::string shown(std::string_view text) {
    return fmt::format("\"{}\"", utf8::excerpt(text, kShownBytes, "…"));
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names) {
        if (!out.empty()) out += ", ";
        out += shown(name);
    }
    return out;
}

std::string_view trim_ascii(std::string_view text) {
    std::size_t first = text.find_first_not_of(kAsciiSpace);
    if (first == std::string_view::npos) return {};
    std::size_t last = text.find_last_not_of(kAsciiSpace);
    return text.substr(first, last - first + 1);
}

bool is_ascii_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// nlohmann's what() starts with "[json.exception.parse_error.101] "; the rest is for people.
std::string json_detail(const nlohmann::json::exception& e) {
    std::string_view detail = e.what();
    if (std::size_t end = detail.find("] "); detail.starts_with('[') && end != detail.npos)
        detail.remove_prefix(end + 2);
    // nlohmann's parse errors quote the bytes they stopped at, which may not be UTF-8.
    return utf8::replace_invalid(detail);
}

std::size_t line_at(std::string_view text, std::size_t offset) {
    std::string_view before = text.substr(0, offset);
    return 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
}

// Length of the apostrophe-like character at the start of `text`, 0 if there is none.
std::size_t apostrophe_length(std::string_view text) {
    if (text.starts_with('\'') || text.starts_with('`')) return 1;
    if (text.starts_with(kLetterMark) || text.starts_with(kTutuq)) return 2;
    if (text.starts_with("\xE2\x80\x98") || text.starts_with("\xE2\x80\x99")) return 3;
    return 0;
}

// Gathers records in file order and applies the duplicate-key rule.
class RecordSet {
  public:
    explicit RecordSet(std::string_view name) : name_(name) {}

    // `where` names the record's place in the file ("line 7", "element #3").
    void add(std::string key, nlohmann::json data, std::string where) {
        auto [seen, inserted] = first_seen_.try_emplace(key, result_.records.size(), where);
        if (!inserted) {
            const auto& [index, earlier] = seen->second;
            if (result_.records[index].data == data) {
                ++result_.duplicates_dropped;
                return;
            }
            fail(name_, where,
                 fmt::format("the key {} is already used by {} with different values; keys must "
                             "be unique, so fix or remove one of the two",
                             shown(key), earlier));
        }
        result_.records.push_back(CatalogRecord{std::move(key), std::move(data)});
    }

    ImportResult take() { return std::move(result_); }

  private:
    std::string_view name_;
    ImportResult result_;
    std::unordered_map<std::string, std::pair<std::size_t, std::string>> first_seen_;
};

// The record key from a raw value: trimmed, non-empty and short enough. `source` says where
// the key comes from ("column \"id\"").
std::string checked_key(std::string_view raw, std::string_view source, std::string_view name,
                        std::string_view where) {
    std::string_view key = trim_ascii(raw);
    if (key.empty())
        fail(name, where,
             fmt::format("the key (from the {}) is empty; every record needs a key", source));
    if (key.size() > kMaxKeyBytes)
        fail(name, where,
             fmt::format("the key {} is {} bytes long; keys are at most {} bytes", shown(key),
                         key.size(), kMaxKeyBytes));
    return std::string(key);
}

// ---- CSV ----

struct CsvRow {
    std::vector<std::string> fields;
    std::size_t line = 0;  // physical line where the row starts
    bool blank = false;    // nothing but spaces or tabs, unquoted
};

// Splits RFC 4180 text (BOM already removed) into rows.
std::vector<CsvRow> split_csv(std::string_view text, std::string_view name) {
    std::vector<CsvRow> rows;
    const std::size_t size = text.size();
    std::size_t i = 0;
    std::size_t line = 1;
    auto at_line_end = [&](std::size_t at) {
        return at >= size || text[at] == '\n' ||
               (text[at] == '\r' && (at + 1 >= size || text[at + 1] == '\n'));
    };
    while (i < size) {
        CsvRow row;
        row.line = line;
        bool quoted_any = false;
        for (;;) {
            std::string field;
            if (i < size && text[i] == '"') {
                quoted_any = true;
                const std::size_t field_line = line;
                ++i;
                for (;;) {
                    if (i >= size)
                        fail(name, line_name(field_line),
                             "a quoted field starts here but its closing quote is missing; add "
                             "the closing \" (and write a quote inside a field as \"\")");
                    if (text[i] == '"') {
                        if (i + 1 < size && text[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    if (text[i] == '\n') ++line;
                    field += text[i++];
                }
                if (i < size && text[i] != ',' && !at_line_end(i))
                    fail(name, line_name(line),
                         fmt::format("field {} has text after its closing quote; quote the whole "
                                     "field, and write a quote inside it as \"\"",
                                     row.fields.size() + 1));
            } else {
                while (i < size && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                    if (text[i] == '"')
                        fail(name, line_name(line),
                             fmt::format("field {} has a quote but does not start with one; quote "
                                         "the whole field and write the quote inside it as \"\"",
                                         row.fields.size() + 1));
                    field += text[i++];
                }
                if (!at_line_end(i) && text[i] == '\r')
                    fail(name, line_name(line),
                         "a carriage return without a line feed; save the file with LF or CRLF "
                         "line ends");
            }
            row.fields.push_back(std::move(field));
            if (i < size && text[i] == ',') {
                ++i;
                continue;
            }
            if (i < size && text[i] == '\r') ++i;
            if (i < size && text[i] == '\n') {
                ++i;
                ++line;
            }
            break;
        }
        row.blank = !quoted_any && row.fields.size() == 1 &&
                    row.fields[0].find_first_not_of(" \t") == std::string::npos;
        rows.push_back(std::move(row));
    }
    // Editors and exports often leave blank lines at the end; anywhere else one is a mistake.
    while (!rows.empty() && rows.back().blank) rows.pop_back();
    for (const CsvRow& row : rows)
        if (row.blank)
            fail(name, line_name(row.line),
                 "the line is blank; remove it (blank lines are allowed only at the end)");
    return rows;
}

void check_column_names(const std::vector<std::string>& columns, std::string_view name,
                        std::string_view where, std::string_view source) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
        if (trim_ascii(columns[c]).empty())
            fail(name, where,
                 fmt::format("column {} of the {} has no name; give every column a name", c + 1,
                             source));
        for (std::size_t earlier = 0; earlier < c; ++earlier)
            if (columns[earlier] == columns[c])
                fail(name, where,
                     fmt::format("columns {} and {} of the {} are both named {}; give every "
                                 "column a different name",
                                 earlier + 1, c + 1, source, shown(columns[c])));
    }
}

// `purpose` says what the column was wanted for, `advice` what to do when it is missing.
std::size_t column_index(const std::vector<std::string>& columns, std::string_view wanted,
                         std::string_view purpose, std::string_view advice, std::string_view name,
                         std::string_view where) {
    for (std::size_t c = 0; c < columns.size(); ++c)
        if (columns[c] == wanted) return c;
    fail(name, where,
         fmt::format("there is no column {} {}; the available columns are {}; {}", shown(wanted),
                     purpose, joined(columns), advice));
}

ImportResult read_csv(std::string_view text, std::string_view name, const ImportSpec& spec) {
    if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
    if (std::size_t bad = utf8::invalid_at(text); bad != std::string_view::npos)
        fail(name, line_name(line_at(text, bad)),
             fmt::format("invalid UTF-8 (byte 0x{:02X}); save the file as UTF-8",
                         static_cast<unsigned char>(text[bad])));

    std::vector<CsvRow> rows = split_csv(text, name);
    std::vector<std::string> columns = spec.columns;
    const bool has_header = columns.empty();
    std::string header_where;  // the given column names have no place in the file
    std::size_t first_row = 0;
    if (has_header) {
        if (rows.empty())
            fail(name,
                 "the file is empty; it needs a header row with the column names (or give the "
                 "column names for a file without a header)");
        columns = rows[0].fields;
        header_where = line_name(rows[0].line);
        first_row = 1;
    }
    const std::string_view source = has_header ? "header" : "column names given for the import";
    check_column_names(columns, name, header_where, source);
    const std::size_t key_column =
        column_index(columns, spec.key, "to take the key from", "choose one of them as the key",
                     name, header_where);
    std::vector<bool> uz_latin(columns.size(), false);
    for (const std::string& column : spec.uz_latin)
        uz_latin[column_index(columns, column, "named as Uzbek Latin text", "check the column name",
                              name, header_where)] = true;

    const std::string key_source = "column " + shown(spec.key);
    RecordSet records(name);
    for (std::size_t r = first_row; r < rows.size(); ++r) {
        CsvRow& row = rows[r];
        const std::string where = line_name(row.line);
        if (row.fields.size() != columns.size())
            fail(name, where,
                 fmt::format("the row has {} fields but {}; every row needs one value per "
                             "column (quote values that contain commas)",
                             row.fields.size(),
                             has_header
                                 ? fmt::format("the header has {}", columns.size())
                                 : fmt::format("{} column names were given", columns.size())));
        nlohmann::json data = nlohmann::json::object();
        for (std::size_t c = 0; c < columns.size(); ++c)
            if (uz_latin[c]) row.fields[c] = normalise_uz_latin(row.fields[c]);
        std::string key = checked_key(row.fields[key_column], key_source, name, where);
        for (std::size_t c = 0; c < columns.size(); ++c)
            data[columns[c]] = std::move(row.fields[c]);
        records.add(std::move(key), std::move(data), where);
    }
    return records.take();
}

// ---- JSON ----

// One member of the top-level array or object, in file order.
struct JsonItem {
    std::string member;  // empty for array elements
    nlohmann::json value;
};

ImportResult read_json(std::string_view text, std::string_view name, const ImportSpec& spec) {
    if (json_too_deep(text))
        throw ImportError(fmt::format(
            "{}: arrays and objects are nested more than {} deep; a catalog record is a flat "
            "object of values",
            name, kMaxJsonDepth));
    std::vector<JsonItem> items;
    std::string member;
    // The callback takes each top-level member as it completes: the DOM would sort an object's
    // members by name and lose the file order, and the records are kept here anyway.
    nlohmann::json::parser_callback_t take_members =
        [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
            if (depth != 1) return true;
            switch (event) {
                case nlohmann::json::parse_event_t::key:
                    member = parsed.get<std::string>();
                    return true;
                case nlohmann::json::parse_event_t::object_end:
                case nlohmann::json::parse_event_t::array_end:
                case nlohmann::json::parse_event_t::value:
                    items.push_back(JsonItem{std::move(member), std::move(parsed)});
                    member.clear();
                    return false;
                default:
                    return true;
            }
        };
    nlohmann::json top;
    try {
        top = nlohmann::json::parse(text.begin(), text.end(), take_members);
    } catch (const nlohmann::json::parse_error& e) {
        fail(name, fmt::format("invalid JSON at byte {}: {}; fix the file and import it again",
                               e.byte, json_detail(e)));
    } catch (const nlohmann::json::exception& e) {
        fail(name, fmt::format("the JSON cannot be read: {}; fix the file and import it again",
                               json_detail(e)));
    }

    const bool is_array = top.is_array();
    if (!is_array && !top.is_object())
        fail(name, fmt::format("the top level is a {}; expected an array of objects, or an "
                               "object whose members are objects (the member name is the key)",
                               top.type_name()));

    std::set<std::string> fields_seen;
    RecordSet records(name);
    for (std::size_t n = 0; n < items.size(); ++n) {
        JsonItem& item = items[n];
        const std::string where = is_array
                                      ? fmt::format("element #{}", n + 1)
                                      : fmt::format("member #{} ({})", n + 1, shown(item.member));
        if (!item.value.is_object())
            fail(name, where,
                 fmt::format("it is a {}; every {} must be an object", item.value.type_name(),
                             is_array ? "element of the array" : "member of the object"));
        for (const auto& field : item.value.items()) fields_seen.insert(field.key());
        for (const std::string& field : spec.uz_latin) {
            auto found = item.value.find(field);
            if (found != item.value.end() && found->is_string())
                *found = normalise_uz_latin(found->get_ref<const std::string&>());
        }
        std::string key;
        if (is_array) {
            auto found = item.value.find(spec.key);
            if (found == item.value.end())
                fail(name, where,
                     fmt::format("the element has no {} field to take the key from; add it, or "
                                 "choose another key field",
                                 shown(spec.key)));
            if (found->is_string()) {
                key = checked_key(found->get_ref<const std::string&>(), "field " + shown(spec.key),
                                  name, where);
            } else if (found->is_number_integer()) {
                key = found->dump();  // decimal text, as the kiosks look keys up by text
            } else {
                fail(name, where,
                     fmt::format("the {} field is a {}; a key must be a string or an integer",
                                 shown(spec.key), found->type_name()));
            }
        } else {
            key = checked_key(item.member, "member name", name, where);
        }
        records.add(std::move(key), std::move(item.value), where);
    }
    if (!items.empty())
        for (const std::string& field : spec.uz_latin)
            if (!fields_seen.contains(field))
                fail(name, fmt::format("no record has the field {} named as Uzbek Latin text; "
                                       "check the field name",
                                       shown(field)));
    return records.take();
}

ImportResult read_text(std::string_view text, std::string_view name, Format format,
                       const ImportSpec& spec) {
    switch (format) {
        case Format::Csv:
            return read_csv(text, name, spec);
        case Format::Json:
            return read_json(text, name, spec);
        case Format::Auto:
            break;
    }
    fail(name, "the format must be csv or json when reading text (Auto needs a file name)");
}

}  // namespace

ImportResult read_catalog_text(std::string_view text, std::string_view name,
                               const ImportSpec& spec) {
    return read_text(text, name, spec.format, spec);
}

ImportResult read_catalog_file(const std::filesystem::path& file, const ImportSpec& spec) {
    const std::string name = file.string();
    Format format = spec.format;
    if (format == Format::Auto) {
        std::string extension = file.extension().string();
        for (char& c : extension)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (extension == ".csv") {
            format = Format::Csv;
        } else if (extension == ".json") {
            format = Format::Json;
        } else {
            fail(name, fmt::format("cannot tell the format from the extension {}; pass the "
                                   "format (csv or json) explicitly",
                                   extension.empty() ? "(none)" : shown(extension)));
        }
    }
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))
        fail(name, "this is a directory; give the path of a CSV or JSON file");
    std::ifstream in(file, std::ios::binary);
    if (!in)
        fail(name, fmt::format("cannot open the file ({}); check the path and that seba-server "
                               "may read it",
                               std::generic_category().message(errno)));
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad())
        fail(name, fmt::format("reading the file failed ({}); check the disk and try again",
                               std::generic_category().message(errno)));
    return read_text(text, name, format, spec);
}

std::string normalise_uz_latin(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = apostrophe_length(text.substr(i));
        if (length == 0) {
            out += text[i++];
            continue;
        }
        // Neighbours are judged on the input, and marks are not letters, so a second pass
        // changes nothing.
        const char before = i > 0 ? text[i - 1] : '\0';
        const char after = i + length < text.size() ? text[i + length] : '\0';
        if (before == 'o' || before == 'O' || before == 'g' || before == 'G') {
            out += kLetterMark;
        } else if (is_ascii_letter(before) && is_ascii_letter(after)) {
            out += kTutuq;
        } else {
            out += text.substr(i, length);
        }
        i += length;
    }
    return out;
}

}  // namespace seba::server

// SPDX-License-Identifier: Apache-2.0
#include "seba/config.hpp"

// Header-only toml++ 3.3 debug builds assert inside the parser on some malformed table
// headers (e.g. "[\nx]") instead of throwing parse_error, which would abort the kiosk on a
// bad file. With the assert compiled out, as in release builds and Debian's shared library,
// the parser reports the error normally.
#if !defined(TOML_HEADER_ONLY) || TOML_HEADER_ONLY
#define TOML_ASSERT(expr) static_assert(true)
#endif
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config_text.hpp"
#include "seba/error.hpp"
#include "seba/kiosk_settings.hpp"
#include "seba/manifest.hpp"

namespace seba {
namespace {

namespace fs = std::filesystem;
using detail::quote_text;

// Besides the sections of the table of kiosk settings: [plugin.<id>], each plugin's own.
constexpr std::string_view kPluginSection = "plugin";

bool is_bare_key(std::string_view key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

// A key as the operator would write it in the file: bare when possible, quoted otherwise.
std::string join_key(std::string_view parent, std::string_view key) {
    std::string part = is_bare_key(key) ? std::string(key) : quote_text(key);
    return parent.empty() ? part : std::string(parent) + "." + part;
}

std::string describe_double(double value) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    std::string text(buffer, result.ptr);
    // "60" would read as an integer in "(found 60)"; show that it was a float.
    if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
    return text;
}

template <typename T>
std::string streamed(const T& value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

// What was found, for the "(found ...)" part of a message.
std::string describe(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string:
            return quote_text(node.as_string()->get());
        case toml::node_type::integer:
            return std::to_string(node.as_integer()->get());
        case toml::node_type::floating_point:
            return describe_double(node.as_floating_point()->get());
        case toml::node_type::boolean:
            return node.as_boolean()->get() ? "true" : "false";
        case toml::node_type::array:
            return node.as_array()->empty() ? "an empty array" : "an array";
        case toml::node_type::table:
            return "a table";
        case toml::node_type::date:
            return "the date " + streamed(node.as_date()->get());
        case toml::node_type::time:
            return "the time " + streamed(node.as_time()->get());
        case toml::node_type::date_time:
            return "the date-time " + streamed(node.as_date_time()->get());
        case toml::node_type::none:
            break;
    }
    return "nothing";
}

// `kiosk_setting`: a date or time becomes an object rather than text, so that no kiosk
// setting takes one for a string (plugin settings see dates as text).
nlohmann::json to_json(const toml::node& node, bool kiosk_setting = false) {
    switch (node.type()) {
        case toml::node_type::string:
            return node.as_string()->get();
        case toml::node_type::integer:
            return node.as_integer()->get();
        case toml::node_type::floating_point:
            return node.as_floating_point()->get();
        case toml::node_type::boolean:
            return node.as_boolean()->get();
        case toml::node_type::array: {
            auto out = nlohmann::json::array();
            for (const auto& element : *node.as_array())
                out.push_back(to_json(element, kiosk_setting));
            return out;
        }
        case toml::node_type::table: {
            auto out = nlohmann::json::object();
            for (const auto& [key, value] : *node.as_table()) {
                out[std::string(key.str())] = to_json(value, kiosk_setting);
            }
            return out;
        }
        // JSON has no dates; settings schemas see them as ISO 8601 strings.
        case toml::node_type::date:
        case toml::node_type::time:
        case toml::node_type::date_time: {
            std::string text = node.is_date()   ? streamed(node.as_date()->get())
                               : node.is_time() ? streamed(node.as_time()->get())
                                                : streamed(node.as_date_time()->get());
            if (kiosk_setting) return {{"toml_date", std::move(text)}};
            return text;
        }
        case toml::node_type::none:
            break;
    }
    return nullptr;
}

// Everything the checks need to phrase errors and resolve paths.
class Parser {
  public:
    explicit Parser(const fs::path& source)
        : source_(source),
          base_dir_(source.parent_path().empty() ? fs::path(".") : source.parent_path()) {
        // The sections in the table's order; a section with a required key is required.
        for (const KioskSetting& setting : kiosk_settings()) {
            auto known = std::find(sections_.begin(), sections_.end(), setting.section());
            if (known == sections_.end()) {
                sections_.push_back(setting.section());
                required_sections_.push_back(false);
                known = sections_.end() - 1;
            }
            if (!setting.fallback) required_sections_[known - sections_.begin()] = true;
        }
    }

    Config parse(std::string_view text) {
        const toml::table root = parse_toml(text);
        Config config;
        config.source = source_;

        check_top_level(root);
        for (std::size_t i = 0; i < sections_.size(); ++i)
            parse_section(root, sections_[i], required_sections_[i], config);
        parse_plugin_settings(root, config);
        parse_older_printer(root, config);
        return config;
    }

  private:
    [[noreturn]] void fail(const std::string& what) const {
        throw ConfigError(source_.string() + ": " + what);
    }

    [[noreturn]] void fail_expected(const std::string& key, std::string_view expected,
                                    const toml::node& found) const {
        fail(key + " must be " + std::string(expected) + " (found " + describe(found) + ")");
    }

    toml::table parse_toml(std::string_view text) const {
#if TOML_EXCEPTIONS
        try {
            return toml::parse(text, source_.string());
        } catch (const toml::parse_error& error) {
            fail_syntax(error);
        }
#else
        toml::parse_result result = toml::parse(text, source_.string());
        if (!result) fail_syntax(result.error());
        return std::move(result).table();
#endif
    }

    [[noreturn]] void fail_syntax(const toml::parse_error& error) const {
        const auto& begin = error.source().begin;
        throw ConfigError(source_.string() + ":" + std::to_string(begin.line) + ":" +
                          std::to_string(begin.column) + ": " + std::string(error.description()));
    }

    // Unknown keys are reported in file order, so the first one the operator sees is the
    // first one in the file.
    void check_keys(const toml::table& table, std::string_view prefix,
                    std::span<const std::string_view> known) const {
        const toml::key* first = nullptr;
        for (const auto& [key, value] : table) {
            if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
            if (first == nullptr || key.source().begin < first->source().begin) first = &key;
        }
        if (first == nullptr) return;

        // At the top level a table is written [name], so say it the way the file does.
        const bool is_table = prefix.empty() && table.get(first->str())->is_table();
        auto shown = [&](std::string_view key) {
            const std::string name = join_key(prefix, key);
            return is_table ? "[" + name + "]" : name;
        };
        std::string message = (is_table ? "unknown table " : "unknown key ") + shown(first->str());
        if (const auto suggestion = detail::closest(first->str(), known)) {
            message += " (did you mean " + shown(*suggestion) + "?)";
        }
        fail(message);
    }

    void check_top_level(const toml::table& root) const {
        std::vector<std::string_view> tables = sections_;
        tables.push_back(kPluginSection);
        check_keys(root, "", tables);
        for (const auto name : tables) {
            const toml::node* node = root.get(name);
            if (node != nullptr && !node->is_table()) {
                fail_expected(std::string(name), "a table", *node);
            }
        }
    }

    const toml::table* section(const toml::table& root, std::string_view name,
                               bool required) const {
        const toml::node* node = root.get(name);
        if (node == nullptr) {
            if (required) fail("missing required table [" + std::string(name) + "]");
            return nullptr;
        }
        return node->as_table();  // check_top_level made sure it is one
    }

    // Every setting of one section, as the table says: checked, then kept in `config`.
    void parse_section(const toml::table& root, std::string_view name, bool required,
                       Config& config) const {
        static const toml::table kNone;
        const toml::table* table = section(root, name, required);
        if (table == nullptr) table = &kNone;  // its settings take their defaults
        std::vector<std::string_view> known;
        for (const KioskSetting& setting : kiosk_settings())
            if (setting.section() == name) known.push_back(setting.name());
        check_keys(*table, name, known);

        for (const KioskSetting& setting : kiosk_settings()) {
            if (setting.section() != name) continue;
            const SettingContext context{SettingLayer::File, config, base_dir_};
            const std::string key(setting.key);
            const toml::node* node = table->get(setting.name());
            if (node == nullptr) {
                if (!setting.fallback) fail("missing required key " + key);
                if (!setting.fallback->is_null())
                    setting.field.set(config, *setting.fallback, context);
                continue;
            }
            const nlohmann::json value = to_json(*node, /*kiosk_setting=*/true);
            if (SettingProblem problem = setting.check(value, context); !problem.empty()) {
                const toml::node* at_fault = node;
                if (problem.element && node->is_array())
                    at_fault = node->as_array()->get(*problem.element);
                fail(problem.describe(key, describe(*at_fault)));
            }
            setting.field.set(config, value, context);
        }
    }

    void parse_plugin_settings(const toml::table& root, Config& config) const {
        const toml::table* plugin = section(root, kPluginSection, false);
        if (plugin == nullptr) return;
        for (const auto& [name, value] : *plugin) {
            const std::string id(name.str());
            const std::string key = join_key(kPluginSection, id);
            if (!is_valid_plugin_id(id)) {
                fail("[" + key + "] must be named by " + std::string(detail::kPluginIdRule) +
                     " (found " + quote_text(id) + ")");
            }
            if (!value.is_table()) fail_expected(key, "a table of plugin settings", value);
            config.plugin_settings[id] = to_json(value);
        }
    }

    // Until API 1.4 the Digital Centre named the printer in its own settings, which an
    // installed seba.toml (a conffile) may still hold: read as [printer]'s when there is none,
    // and gone from the plugin's, which no longer declares them.
    void parse_older_printer(const toml::table& root, Config& config) const {
        auto dc = config.plugin_settings.find("digital_centre");
        if (dc == config.plugin_settings.end() || !dc->second.is_object()) return;
        nlohmann::json& old = dc->second;
        auto path_of = [&](const char* key) {
            const nlohmann::json value = old.value(key, nlohmann::json());
            if (!value.is_string() || value == "") return fs::path();
            fs::path path(value.get<std::string>());
            return path.is_absolute() ? path : (base_dir_ / path).lexically_normal();
        };
        if (section(root, "printer", false) == nullptr) {
            config.printer.device = path_of("printer");
            config.printer.pdf_dir = path_of("receipt_dir");
            if (old.value("paper", nlohmann::json()) == "58") config.printer.paper_mm = 58;
        }
        for (const char* key : {"printer", "receipt_dir", "paper"}) old.erase(key);
    }

    fs::path source_;
    fs::path base_dir_;
    std::vector<std::string_view> sections_;  // [kiosk], [server], [plugins]...
    std::vector<bool> required_sections_;
};

}  // namespace

Config parse_config(std::string_view toml_text, const std::filesystem::path& source) {
    return Parser(source).parse(toml_text);
}

Config load_config(const std::filesystem::path& file) {
    auto fail_read = [&file](int error) -> ConfigError {
        return ConfigError("cannot read config file " + file.string() + ": " +
                           std::strerror(error) +
                           "; copy assets/seba.example.toml to start from an example");
    };
    // stdio rather than iostreams: it leaves errno set, so the operator learns why.
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(file.c_str(), "rb"),
                                                       &std::fclose);
    if (!in) throw fail_read(errno);
    std::string text;
    char buffer[8192];
    std::size_t count = 0;
    while ((count = std::fread(buffer, 1, sizeof buffer, in.get())) > 0) {
        text.append(buffer, count);
    }
    if (std::ferror(in.get())) throw fail_read(errno);
    return parse_config(text, file);
}

bool is_language_tag(std::string_view tag) {
    // language (2-3 letters), optional script (4, title case), optional region (2 letters or
    // 3 digits): the subset of BCP 47 a kiosk's languages use.
    auto letters = [](std::string_view s, bool upper_first, bool rest_upper) {
        for (std::size_t i = 0; i < s.size(); ++i) {
            const bool upper = i == 0 ? upper_first : rest_upper;
            const char c = s[i];
            if (upper ? (c < 'A' || c > 'Z') : (c < 'a' || c > 'z')) return false;
        }
        return true;
    };
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const std::size_t dash = tag.find('-', start);
        parts.push_back(tag.substr(start, dash - start));
        if (dash == std::string_view::npos) break;
        start = dash + 1;
    }
    if (parts.size() > 3) return false;
    if (parts[0].size() < 2 || parts[0].size() > 3 || !letters(parts[0], false, false))
        return false;
    std::size_t next = 1;
    if (next < parts.size() && parts[next].size() == 4) {
        if (!letters(parts[next], true, false)) return false;
        ++next;
    }
    if (next < parts.size()) {
        const std::string_view region = parts[next];
        const bool alpha = region.size() == 2 && letters(region, true, true);
        const bool numeric = region.size() == 3 && std::all_of(region.begin(), region.end(),
                                                               [](char c) { return c >= '0' && c <= '9'; });
        if (!alpha && !numeric) return false;
        ++next;
    }
    return next == parts.size();
}

}  // namespace seba

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
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "seba/error.hpp"
#include "seba/manifest.hpp"
#include "seba/signature.hpp"

namespace seba {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kLogLevels[] = {"trace", "debug", "info", "warn", "error", "off"};
constexpr std::string_view kTopLevelTables[] = {"kiosk", "server", "plugins", "plugin", "printer"};
constexpr std::string_view kKioskKeys[] = {
    "id",        "centre",     "languages", "default_language", "idle_timeout_s", "data_dir",
    "log_level", "fullscreen", "mode",      "retention_days",   "min_free_mb"};
constexpr std::string_view kServerKeys[] = {"url", "ca_file", "pin"};
constexpr std::string_view kPluginsKeys[] = {"dirs", "enabled", "trusted_keys", "allow_unsigned",
                                             "quarantine_after_crashes"};

// Longer values are cut in messages so one bad line cannot flood the operator's screen.
constexpr std::size_t kMaxShownChars = 80;

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// The closest known name within edit distance 3. A "match" that rewrites every character
// of the unknown name is noise rather than a typo, so it is not offered.
std::optional<std::string_view> closest(std::string_view unknown,
                                        std::span<const std::string_view> known) {
    std::optional<std::string_view> best;
    std::size_t best_distance = 4;
    for (const auto candidate : known) {
        const std::size_t distance = edit_distance(unknown, candidate);
        if (distance < best_distance && distance < unknown.size()) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}

bool is_bare_key(std::string_view key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

std::string quote_text(std::string_view text) {
    std::string shown(text.substr(0, kMaxShownChars));
    // The replace handler keeps a cut multi-byte character from making dump() throw.
    std::string out =
        nlohmann::json(shown).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() > kMaxShownChars) out.insert(out.size() - 1, "...");
    return out;
}

// A key as the operator would write it in the file: bare when possible, quoted otherwise.
std::string join_key(std::string_view parent, std::string_view key) {
    std::string part = is_bare_key(key) ? std::string(key) : quote_text(key);
    return parent.empty() ? part : std::string(parent) + "." + part;
}

std::string indexed(std::string_view key, std::size_t index) {
    return std::string(key) + "[" + std::to_string(index) + "]";
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

nlohmann::json to_json(const toml::node& node) {
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
            for (const auto& element : *node.as_array()) out.push_back(to_json(element));
            return out;
        }
        case toml::node_type::table: {
            auto out = nlohmann::json::object();
            for (const auto& [key, value] : *node.as_table()) {
                out[std::string(key.str())] = to_json(value);
            }
            return out;
        }
        // JSON has no dates; settings schemas see them as ISO 8601 strings.
        case toml::node_type::date:
            return streamed(node.as_date()->get());
        case toml::node_type::time:
            return streamed(node.as_time()->get());
        case toml::node_type::date_time:
            return streamed(node.as_date_time()->get());
        case toml::node_type::none:
            break;
    }
    return nullptr;
}

bool is_kiosk_name(std::string_view text) {
    return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

constexpr std::string_view kPluginIdRule =
    "a plugin id: 2 to 32 characters of a-z, 0-9 and '_', starting with a letter, "
    "without \"__\", not \"core\"";

bool is_base64_text(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '+' || c == '/' || c == '=';
    });
}

// The host of http(s)://[user@]host[:port][/...] (brackets of an IPv6 address removed), or
// nothing unless the URL has that shape with a host and, if any, a numeric port.
std::optional<std::string_view> server_url_host(std::string_view url) {
    std::string_view rest;
    if (url.starts_with("http://")) {
        rest = url.substr(7);
    } else if (url.starts_with("https://")) {
        rest = url.substr(8);
    } else {
        return std::nullopt;
    }
    if (std::any_of(url.begin(), url.end(),
                    [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; })) {
        return std::nullopt;
    }
    std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        authority.remove_prefix(at + 1);
    }
    std::string_view host;
    std::string_view port;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = authority.substr(1, close - 1);
        const auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (!after.starts_with(':')) return std::nullopt;
            port = after.substr(1);
            if (port.empty()) return std::nullopt;
        }
    } else {
        const auto colon = authority.find(':');
        host = authority.substr(0, colon);
        if (colon != std::string_view::npos) {
            port = authority.substr(colon + 1);
            if (port.empty()) return std::nullopt;
        }
    }
    if (host.empty()) return std::nullopt;
    if (!port.empty()) {
        unsigned number = 0;
        const auto result = std::from_chars(port.data(), port.data() + port.size(), number);
        if (result.ec != std::errc() || result.ptr != port.data() + port.size() || number == 0 ||
            number > 65535) {
            return std::nullopt;
        }
    }
    return host;
}

// Why a kiosk may not use this server address, or "" when it may. Citizens' data goes to
// the server: only over TLS, except to this very machine on a test kiosk.
std::string server_url_refusal(std::string_view url, bool development_mode) {
    std::optional<std::string_view> host = server_url_host(url);
    if (!host) return "an http:// or https:// URL with a host, like \"https://seba.example.org\"";
    if (url.starts_with("https://")) return {};
    const bool loopback = *host == "localhost" || *host == "::1" || host->starts_with("127.");
    if (loopback && development_mode) return {};
    return loopback ? "an https:// URL; plain http:// to this machine needs kiosk.mode = "
                      "\"development\""
                    : "an https:// URL: a kiosk sends citizens' data to its server only over TLS";
}

// Everything the checks need to phrase errors and resolve paths.
class Parser {
  public:
    explicit Parser(const fs::path& source)
        : source_(source),
          base_dir_(source.parent_path().empty() ? fs::path(".") : source.parent_path()) {}

    Config parse(std::string_view text) {
        const toml::table root = parse_toml(text);
        Config config;
        config.source = source_;

        check_top_level(root);
        parse_kiosk(root, config);
        parse_server(root, config);
        parse_plugins(root, config);
        parse_plugin_settings(root, config);
        parse_printer(root, config);
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

    fs::path resolve(const std::string& text) const {
        return (base_dir_ / fs::path(text)).lexically_normal();
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
        if (const auto suggestion = closest(first->str(), known)) {
            message += " (did you mean " + shown(*suggestion) + "?)";
        }
        fail(message);
    }

    void check_top_level(const toml::table& root) const {
        check_keys(root, "", kTopLevelTables);
        for (const auto name : kTopLevelTables) {
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

    const toml::node* required(const toml::table& table, const std::string& key) const {
        const auto dot = key.rfind('.');
        const toml::node* node = table.get(key.substr(dot + 1));
        if (node == nullptr) fail("missing required key " + key);
        return node;
    }

    std::string get_string(const toml::node& node, const std::string& key) const {
        if (!node.is_string()) fail_expected(key, "a string", node);
        return node.as_string()->get();
    }

    std::int64_t get_int(const toml::node& node, const std::string& key, std::int64_t low,
                         std::int64_t high) const {
        const std::string expected =
            "an integer from " + std::to_string(low) + " to " + std::to_string(high);
        if (!node.is_integer()) fail_expected(key, expected, node);
        const std::int64_t value = node.as_integer()->get();
        if (value < low || value > high) fail_expected(key, expected, node);
        return value;
    }

    const toml::array& get_array(const toml::node& node, const std::string& key,
                                 std::string_view expected) const {
        if (!node.is_array()) fail_expected(key, expected, node);
        return *node.as_array();
    }

    fs::path get_path(const toml::node& node, const std::string& key) const {
        if (!node.is_string() || node.as_string()->get().empty() ||
            node.as_string()->get().find('\0') != std::string::npos) {
            fail_expected(key, "a non-empty path string", node);
        }
        return resolve(node.as_string()->get());
    }

    void parse_kiosk(const toml::table& root, Config& config) const {
        const toml::table& kiosk = *section(root, "kiosk", true);
        check_keys(kiosk, "kiosk", kKioskKeys);

        constexpr std::string_view name_rule =
            "1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'";
        const toml::node* id = required(kiosk, "kiosk.id");
        config.kiosk_id = get_string(*id, "kiosk.id");
        if (!is_kiosk_name(config.kiosk_id)) fail_expected("kiosk.id", name_rule, *id);

        const toml::node* centre = required(kiosk, "kiosk.centre");
        config.centre = get_string(*centre, "kiosk.centre");
        if (!is_kiosk_name(config.centre)) fail_expected("kiosk.centre", name_rule, *centre);

        std::string supported;
        for (const auto& language : kSupportedLanguages) {
            supported += (supported.empty() ? "" : ", ") + language;
        }
        const std::string language_rule = "one of " + supported;
        const toml::node* languages_node = required(kiosk, "kiosk.languages");
        const toml::array& languages =
            get_array(*languages_node, "kiosk.languages",
                      "a non-empty array of languages (" + supported + ")");
        if (languages.empty()) {
            fail_expected("kiosk.languages", "a non-empty array of languages (" + supported + ")",
                          *languages_node);
        }
        for (std::size_t i = 0; i < languages.size(); ++i) {
            const std::string key = indexed("kiosk.languages", i);
            const toml::node& node = languages[i];
            if (!node.is_string()) fail_expected(key, language_rule, node);
            const std::string& language = node.as_string()->get();
            if (std::find(kSupportedLanguages.begin(), kSupportedLanguages.end(), language) ==
                kSupportedLanguages.end()) {
                fail_expected(key, language_rule, node);
            }
            if (std::find(config.languages.begin(), config.languages.end(), language) !=
                config.languages.end()) {
                fail(key + " repeats " + quote_text(language) + "; list each language once");
            }
            config.languages.push_back(language);
        }

        if (const toml::node* node = kiosk.get("default_language")) {
            config.default_language = get_string(*node, "kiosk.default_language");
            if (std::find(config.languages.begin(), config.languages.end(),
                          config.default_language) == config.languages.end()) {
                std::string listed;
                for (const auto& language : config.languages) {
                    listed += (listed.empty() ? "" : ", ") + language;
                }
                fail_expected("kiosk.default_language", "one of kiosk.languages (" + listed + ")",
                              *node);
            }
        } else {
            config.default_language = config.languages.front();
        }

        if (const toml::node* node = kiosk.get("idle_timeout_s")) {
            config.idle_timeout_s =
                static_cast<int>(get_int(*node, "kiosk.idle_timeout_s", 10, 3600));
        }

        if (const toml::node* node = kiosk.get("retention_days")) {
            config.retention_days =
                static_cast<int>(get_int(*node, "kiosk.retention_days", 1, 365));
        }

        if (const toml::node* node = kiosk.get("min_free_mb")) {
            config.min_free_bytes =
                static_cast<std::uint64_t>(get_int(*node, "kiosk.min_free_mb", 1, 100000)) << 20;
        }

        config.data_dir = resolve("data");
        if (const toml::node* node = kiosk.get("data_dir")) {
            config.data_dir = get_path(*node, "kiosk.data_dir");
        }

        if (const toml::node* node = kiosk.get("fullscreen")) {
            if (!node->is_boolean()) fail_expected("kiosk.fullscreen", "true or false", *node);
            config.fullscreen = node->as_boolean()->get();
        }

        if (const toml::node* node = kiosk.get("mode")) {
            constexpr std::string_view rule = "\"production\" or \"development\"";
            if (!node->is_string()) fail_expected("kiosk.mode", rule, *node);
            const std::string& mode = node->as_string()->get();
            if (mode != "production" && mode != "development")
                fail_expected("kiosk.mode", rule, *node);
            config.development_mode = mode == "development";
        }

        if (const toml::node* node = kiosk.get("log_level")) {
            std::string levels;
            for (const auto level : kLogLevels) {
                levels += (levels.empty() ? "" : ", ") + std::string(level);
            }
            const std::string expected = "one of " + levels;
            if (!node->is_string()) fail_expected("kiosk.log_level", expected, *node);
            config.log_level = node->as_string()->get();
            if (std::find(std::begin(kLogLevels), std::end(kLogLevels), config.log_level) ==
                std::end(kLogLevels)) {
                fail_expected("kiosk.log_level", expected, *node);
            }
        }
    }

    void parse_server(const toml::table& root, Config& config) const {
        const toml::table* server = section(root, "server", false);
        if (server == nullptr) return;
        check_keys(*server, "server", kServerKeys);
        if (const toml::node* node = server->get("url")) {
            if (!node->is_string())
                fail_expected("server.url", server_url_refusal("", false), *node);
            config.server_url = node->as_string()->get();
            if (std::string why = server_url_refusal(config.server_url, config.development_mode);
                !why.empty())
                fail_expected("server.url", why, *node);
        }
        if (const toml::node* node = server->get("ca_file")) {
            config.server_ca_file = get_path(*node, "server.ca_file");
            std::error_code ec;
            if (!fs::is_regular_file(config.server_ca_file, ec))
                fail("server.ca_file: " + config.server_ca_file.string() +
                     " is not there; copy the server's certificate (or its CA's) to it");
        }
        if (const toml::node* node = server->get("pin")) {
            constexpr std::string_view rule =
                "\"sha256//\" and the base64 SHA-256 of the server's public key "
                "(docs/deployment.md)";
            if (!node->is_string()) fail_expected("server.pin", rule, *node);
            config.server_pin = node->as_string()->get();
            const std::string_view digest =
                std::string_view(config.server_pin)
                    .substr(std::min<std::size_t>(8, config.server_pin.size()));
            if (!config.server_pin.starts_with("sha256//") || digest.size() != 44 ||
                digest.back() != '=' || !is_base64_text(digest))
                fail_expected("server.pin", rule, *node);
        }
    }

    void parse_plugins(const toml::table& root, Config& config) const {
        const toml::table& plugins = *section(root, "plugins", true);
        check_keys(plugins, "plugins", kPluginsKeys);

        const toml::node* dirs_node = required(plugins, "plugins.dirs");
        constexpr std::string_view dirs_rule = "a non-empty array of directory paths";
        const toml::array& dirs = get_array(*dirs_node, "plugins.dirs", dirs_rule);
        if (dirs.empty()) fail_expected("plugins.dirs", dirs_rule, *dirs_node);
        for (std::size_t i = 0; i < dirs.size(); ++i) {
            config.plugin_dirs.push_back(get_path(dirs[i], indexed("plugins.dirs", i)));
        }

        if (const toml::node* node = plugins.get("enabled")) {
            const toml::array& enabled =
                get_array(*node, "plugins.enabled", "an array of plugin ids");
            for (std::size_t i = 0; i < enabled.size(); ++i) {
                const std::string key = indexed("plugins.enabled", i);
                const toml::node& element = enabled[i];
                if (!element.is_string() || !is_valid_plugin_id(element.as_string()->get())) {
                    fail_expected(key, kPluginIdRule, element);
                }
                const std::string& id = element.as_string()->get();
                if (std::find(config.enabled_plugins.begin(), config.enabled_plugins.end(), id) !=
                    config.enabled_plugins.end()) {
                    fail(key + " repeats " + quote_text(id) + "; list each plugin once");
                }
                config.enabled_plugins.push_back(id);
            }
        }

        if (const toml::node* node = plugins.get("trusted_keys")) {
            const toml::array& keys =
                get_array(*node, "plugins.trusted_keys",
                          "an array of minisign public keys (base64 key lines or .pub file paths)");
            for (std::size_t i = 0; i < keys.size(); ++i) {
                config.trusted_keys.push_back(
                    trusted_key(keys[i], indexed("plugins.trusted_keys", i)));
            }
        }

        if (const toml::node* node = plugins.get("allow_unsigned")) {
            if (!node->is_boolean()) {
                fail_expected("plugins.allow_unsigned", "true or false", *node);
            }
            config.allow_unsigned_plugins = node->as_boolean()->get();
            if (config.allow_unsigned_plugins && !config.development_mode)
                fail(
                    "plugins.allow_unsigned = true needs kiosk.mode = \"development\": a kiosk "
                    "in production never loads unsigned plugins");
        }

        if (const toml::node* node = plugins.get("quarantine_after_crashes")) {
            config.quarantine_after_crashes =
                static_cast<int>(get_int(*node, "plugins.quarantine_after_crashes", 1, 100));
        }
    }

    // A trusted key is a .pub file if one is there (or the name says so); otherwise text
    // made only of base64 characters is taken as the key line itself.
    minisign::PublicKey trusted_key(const toml::node& node, const std::string& key) const {
        constexpr std::string_view rule =
            "a minisign public key line (base64) or the path of a .pub file";
        if (!node.is_string() || node.as_string()->get().empty() ||
            node.as_string()->get().find('\0') != std::string::npos) {
            fail_expected(key, rule, node);
        }
        const std::string& text = node.as_string()->get();
        const fs::path file = resolve(text);
        std::error_code ignored;
        const bool named_file = text.ends_with(".pub") || fs::exists(file, ignored);
        try {
            if (named_file) return minisign::load_public_key(file);
            if (is_base64_text(text)) return minisign::parse_public_key(text);
        } catch (const std::exception& error) {
            fail(key + " must be " + std::string(rule) + ": " + error.what() + " (found " +
                 describe(node) + ")");
        }
        fail(key + " must be " + std::string(rule) + ": there is no file " + file.string() +
             " and it is not base64 (found " + describe(node) + ")");
    }

    void parse_plugin_settings(const toml::table& root, Config& config) const {
        const toml::table* plugin = section(root, "plugin", false);
        if (plugin == nullptr) return;
        for (const auto& [name, value] : *plugin) {
            const std::string id(name.str());
            const std::string key = join_key("plugin", id);
            if (!is_valid_plugin_id(id)) {
                fail("[" + key + "] must be named by " + std::string(kPluginIdRule) + " (found " +
                     quote_text(id) + ")");
            }
            if (!value.is_table()) fail_expected(key, "a table of plugin settings", value);
            config.plugin_settings[id] = to_json(value);
        }
    }

    // [printer]: the kiosk's one printer, for every plugin that prints.
    void parse_printer(const toml::table& root, Config& config) const {
        static constexpr std::string_view kPrinterKeys[] = {"device", "pdf_dir", "paper"};
        const toml::table* printer = section(root, "printer", false);
        // Until API 1.4 the Digital Centre named the printer in its own settings, which an
        // installed seba.toml may still hold: read as [printer]'s when there is none.
        if (auto dc = config.plugin_settings.find("digital_centre");
            dc != config.plugin_settings.end() && dc->second.is_object()) {
            nlohmann::json& old = dc->second;
            auto path_of = [&](const char* key) {
                const nlohmann::json value = old.value(key, nlohmann::json());
                return value.is_string() && value != "" ? resolve(value.get<std::string>())
                                                        : fs::path();
            };
            if (printer == nullptr) {
                config.printer.device = path_of("printer");
                config.printer.pdf_dir = path_of("receipt_dir");
                if (old.value("paper", nlohmann::json()) == "58") config.printer.paper_mm = 58;
            }
            for (const char* key : {"printer", "receipt_dir", "paper"}) old.erase(key);
        }
        if (printer == nullptr) return;
        check_keys(*printer, "printer", kPrinterKeys);
        if (const toml::node* node = printer->get("device"))
            config.printer.device = get_path(*node, "printer.device");
        if (const toml::node* node = printer->get("pdf_dir"))
            config.printer.pdf_dir = get_path(*node, "printer.pdf_dir");
        if (const toml::node* node = printer->get("paper")) {
            constexpr std::string_view rule = "58 or 80 (the thermal paper's width in mm)";
            if (!node->is_integer()) fail_expected("printer.paper", rule, *node);
            const std::int64_t mm = node->as_integer()->get();
            if (mm != 58 && mm != 80) fail_expected("printer.paper", rule, *node);
            config.printer.paper_mm = static_cast<int>(mm);
        }
    }

    fs::path source_;
    fs::path base_dir_;
};

}  // namespace

void apply_setting(Config& config, std::string_view key, const nlohmann::json& value) {
    auto fail = [&](std::string_view expected) {
        throw ConfigError(std::string(key) + " must be " + std::string(expected) + " (found " +
                          value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                          ")");
    };
    if (key == "kiosk.centre") {
        if (!value.is_string() || !is_kiosk_name(value.get<std::string>()))
            fail("1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
        config.centre = value.get<std::string>();
    } else if (key == "server.url") {
        if (!value.is_string()) fail(server_url_refusal("", false));
        if (std::string why = server_url_refusal(value.get<std::string>(), config.development_mode);
            !why.empty())
            fail(why);
        config.server_url = value.get<std::string>();
    } else if (key == "kiosk.idle_timeout_s") {
        if (!value.is_number_integer() || value.get<std::int64_t>() < 10 ||
            value.get<std::int64_t>() > 3600)
            fail("an integer from 10 to 3600");
        config.idle_timeout_s = value.get<int>();
    } else if (key == "kiosk.languages") {
        std::vector<std::string> languages;
        if (!value.is_array() || value.empty()) fail("a non-empty list of languages");
        for (const auto& language : value) {
            if (!language.is_string() ||
                std::find(kSupportedLanguages.begin(), kSupportedLanguages.end(),
                          language.get<std::string>()) == kSupportedLanguages.end() ||
                std::find(languages.begin(), languages.end(), language.get<std::string>()) !=
                    languages.end())
                fail("a list of different languages among bn, uz-Latn, uz-Cyrl, ru, en");
            languages.push_back(language.get<std::string>());
        }
        config.languages = std::move(languages);
        if (std::find(config.languages.begin(), config.languages.end(), config.default_language) ==
            config.languages.end())
            config.default_language = config.languages.front();
    } else {
        throw ConfigError(std::string(key) +
                          " cannot be changed on the kiosk (known: "
                          "kiosk.centre, kiosk.languages, kiosk.idle_timeout_s, server.url)");
    }
}

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

}  // namespace seba

// SPDX-License-Identifier: Apache-2.0
// The table of kiosk settings. Adding a key takes its field in Config (seba/config.hpp) and
// one line in settings() below; the file's reader, the fleet check on the server, the
// operator screen (for operator keys) and the audit log follow from that line.
#include "seba/kiosk_settings.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <system_error>
#include <type_traits>
#include <variant>
#include <vector>

#include "config_text.hpp"
#include "seba/error.hpp"
#include "seba/manifest.hpp"
#include "seba/signature.hpp"

namespace seba {
namespace {

namespace fs = std::filesystem;
using detail::joined;
using detail::quote_text;
using nlohmann::json;

// [SECTION] the rules, as the table's lines write them

SettingRule integer(std::int64_t min, std::int64_t max) {
    return {.type = SettingType::Integer, .min = min, .max = max};
}

SettingRule boolean(decltype(SettingRule::refuse) refuse = nullptr) {
    return {.type = SettingType::Boolean, .refuse = refuse};
}

SettingRule one_of(std::vector<std::string> choices) {
    return {.type = SettingType::Text, .choices = std::move(choices)};
}

SettingRule text(decltype(SettingRule::refuse) refuse) {
    return {.type = SettingType::Text, .refuse = refuse};
}

SettingRule path(decltype(SettingRule::refuse) refuse = nullptr) {
    return {.type = SettingType::Path, .refuse = refuse};
}

// An array of at least `min_count` texts, each as `element` says; `item` names one in "list
// each <item> once" when they must differ.
SettingRule texts(SettingRule element, std::int64_t min_count, std::string items,
                  std::string item = {}) {
    element.type = SettingType::TextList;
    element.min = min_count;
    element.items = std::move(items);
    element.item = std::move(item);
    return element;
}

SettingRule paths(std::int64_t min_count, std::string items) {
    return {.type = SettingType::PathList, .min = min_count, .items = std::move(items)};
}

bool is_kiosk_name(std::string_view text) {
    return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

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

fs::path resolved(const std::string& text, const SettingContext& context) {
    if (context.layer != SettingLayer::File) return text;
    return (context.base_dir / fs::path(text)).lexically_normal();
}

// [SECTION] rules a type alone does not say

SettingProblem kiosk_name(const json& value, const SettingContext&) {
    if (!value.is_string()) return {.expected = "a string"};
    if (!is_kiosk_name(value.get_ref<const std::string&>()))
        return {.expected = "1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'"};
    return {};
}

// kiosk.languages: any language a tag can name; whether this kiosk has its definition, fonts
// and keyboard is the kiosk's to say (Host::set_language_check), not the file's syntax.
SettingProblem language_tag(const json& value, const SettingContext&) {
    if (!value.is_string() || !is_language_tag(value.get_ref<const std::string&>()))
        return {.expected = "a BCP 47 language tag such as \"bn\", \"uz-Latn\" or \"ne\""};
    return {};
}

// kiosk.default_language: the languages are checked before it.
SettingProblem offered_language(const json& value, const SettingContext& context) {
    const std::vector<std::string>& offered = context.before.languages;
    if (!value.is_string()) return {.expected = "a string"};
    if (std::find(offered.begin(), offered.end(), value.get_ref<const std::string&>()) ==
        offered.end())
        return {.expected = "one of kiosk.languages (" + joined(offered) + ")"};
    return {};
}

// server.url: kiosk.mode is read before it.
SettingProblem server_url(const json& value, const SettingContext& context) {
    if (!value.is_string()) return {.expected = server_url_refusal("", false)};
    std::string why =
        server_url_refusal(value.get_ref<const std::string&>(), context.before.development_mode);
    return {.expected = std::move(why)};
}

SettingProblem server_ca_file(const json& value, const SettingContext& context) {
    const fs::path file = resolved(value.get<std::string>(), context);
    std::error_code ec;
    if (fs::is_regular_file(file, ec)) return {};
    return {.says = ": " + file.string() +
                    " is not there; copy the server's certificate (or its CA's) to it"};
}

SettingProblem server_key_pin(const json& value, const SettingContext&) {
    const SettingProblem refused{
        .expected =
            "\"sha256//\" and the base64 SHA-256 of the server's public key "
            "(docs/deployment.md)"};
    if (!value.is_string()) return refused;
    const std::string_view pin = value.get_ref<const std::string&>();
    const std::string_view digest = pin.substr(std::min<std::size_t>(8, pin.size()));
    if (!pin.starts_with("sha256//") || digest.size() != 44 || digest.back() != '=' ||
        !is_base64_text(digest))
        return refused;
    return {};
}

SettingProblem plugin_id(const json& value, const SettingContext&) {
    if (value.is_string() && is_valid_plugin_id(value.get_ref<const std::string&>())) return {};
    return {.expected = std::string(detail::kPluginIdRule)};
}

constexpr std::string_view kTrustedKeyRule =
    "a minisign public key line (base64) or the path of a .pub file";

// A trusted key is a .pub file if one is there (or the name says so); otherwise text made
// only of base64 characters is taken as the key line itself. The key, or why not.
std::variant<minisign::PublicKey, std::string> read_trusted_key(const std::string& text,
                                                                const SettingContext& context) {
    const fs::path file = resolved(text, context);
    std::error_code ignored;
    const bool named_file = text.ends_with(".pub") || fs::exists(file, ignored);
    try {
        if (named_file) return minisign::load_public_key(file);
        if (is_base64_text(text)) return minisign::parse_public_key(text);
    } catch (const std::exception& error) {
        return std::string(kTrustedKeyRule) + ": " + error.what();
    }
    return std::string(kTrustedKeyRule) + ": there is no file " + file.string() +
           " and it is not base64";
}

SettingProblem trusted_key(const json& value, const SettingContext& context) {
    if (!value.is_string() || value.get_ref<const std::string&>().empty() ||
        value.get_ref<const std::string&>().find('\0') != std::string::npos)
        return {.expected = std::string(kTrustedKeyRule)};
    auto key = read_trusted_key(value.get<std::string>(), context);
    if (auto* why = std::get_if<std::string>(&key)) return {.expected = std::move(*why)};
    return {};
}

// plugins.allow_unsigned: kiosk.mode is read before it.
SettingProblem needs_development(const json& value, const SettingContext& context) {
    if (value.get<bool>() && !context.before.development_mode)
        return {.says =
                    " = true needs kiosk.mode = \"development\": a kiosk in production never "
                    "loads unsigned plugins"};
    return {};
}

// printer.paper: the thermal paper's width.
SettingProblem paper_width(const json& value, const SettingContext&) {
    const std::int64_t mm = value.get<std::int64_t>();
    if (mm != 58 && mm != 80) return {.expected = "58 or 80 (the thermal paper's width in mm)"};
    return {};
}

// [SECTION] where values land in Config

void assign(int& field, const json& value, const SettingContext&) {
    field = value.get<int>();
}
void assign(bool& field, const json& value, const SettingContext&) {
    field = value.get<bool>();
}
void assign(std::string& field, const json& value, const SettingContext&) {
    field = value.get<std::string>();
}
void assign(std::vector<std::string>& field, const json& value, const SettingContext&) {
    field = value.get<std::vector<std::string>>();
}
void assign(fs::path& field, const json& value, const SettingContext& context) {
    field = resolved(value.get<std::string>(), context);
}
void assign(std::vector<fs::path>& field, const json& value, const SettingContext& context) {
    field.clear();
    for (const json& element : value)
        field.push_back(resolved(element.get<std::string>(), context));
}

json value_of(const fs::path& path) {
    return path.string();
}
json value_of(const std::vector<fs::path>& paths) {
    json out = json::array();
    for (const fs::path& path : paths) out.push_back(path.string());
    return out;
}
template <typename T>
json value_of(const T& value) {
    return value;
}

// The Config member a setting is kept in, as it is.
template <auto Member>
SettingField field() {
    return {[](Config& config, const json& value, const SettingContext& context) {
                assign(config.*Member, value, context);
            },
            [](const Config& config) { return value_of(config.*Member); }};
}

// [printer] lands in Config::printer.
constexpr SettingField kPrinterDeviceField = {
    [](Config& config, const json& value, const SettingContext& context) {
        assign(config.printer.device, value, context);
    },
    [](const Config& config) { return value_of(config.printer.device); }};
constexpr SettingField kPrinterPdfDirField = {
    [](Config& config, const json& value, const SettingContext& context) {
        assign(config.printer.pdf_dir, value, context);
    },
    [](const Config& config) { return value_of(config.printer.pdf_dir); }};
constexpr SettingField kPrinterPaperField = {
    [](Config& config, const json& value, const SettingContext&) {
        config.printer.paper_mm = static_cast<int>(value.get<std::int64_t>());
    },
    [](const Config& config) { return json(config.printer.paper_mm); }};

// [camera] lands in Config::camera.
constexpr SettingField kCameraDeviceField = {
    [](Config& config, const json& value, const SettingContext& context) {
        assign(config.camera.device, value, context);
    },
    [](const Config& config) { return value_of(config.camera.device); }};
constexpr SettingField kCameraImageField = {
    [](Config& config, const json& value, const SettingContext& context) {
        assign(config.camera.image, value, context);
    },
    [](const Config& config) { return value_of(config.camera.image); }};

// A session starts in the default language, so it must stay among those offered.
constexpr SettingField kLanguagesField = {
    [](Config& config, const json& value, const SettingContext&) {
        config.languages = value.get<std::vector<std::string>>();
        if (std::find(config.languages.begin(), config.languages.end(), config.default_language) ==
            config.languages.end())
            config.default_language = config.languages.front();
    },
    [](const Config& config) { return json(config.languages); }};

constexpr SettingField kModeField = {
    [](Config& config, const json& value, const SettingContext&) {
        config.development_mode = value == "development";
    },
    [](const Config& config) {
        return json(config.development_mode ? "development" : "production");
    }};

constexpr SettingField kMinFreeMbField = {
    [](Config& config, const json& value, const SettingContext&) {
        config.min_free_bytes = static_cast<std::uint64_t>(value.get<std::int64_t>()) << 20;
    },
    [](const Config& config) { return json(config.min_free_bytes >> 20); }};

constexpr SettingField kTrustedKeysField = {
    [](Config& config, const json& value, const SettingContext& context) {
        config.trusted_keys.clear();
        for (const json& text : value) {
            auto key = read_trusted_key(text.get<std::string>(), context);
            // Read when checked; a file gone since then is said the same way.
            if (auto* why = std::get_if<std::string>(&key)) throw ConfigError(*why);
            config.trusted_keys.push_back(std::get<minisign::PublicKey>(key));
        }
    },
    [](const Config& config) {
        json ids = json::array();
        for (const minisign::PublicKey& key : config.trusted_keys) ids.push_back(key.key_id_hex());
        return ids;
    }};

// [SECTION] the table

constexpr auto kRequired = std::nullopt;
constexpr unsigned kFile = static_cast<unsigned>(SettingLayer::File);
constexpr unsigned kAnyone = kFile | static_cast<unsigned>(SettingLayer::Fleet) |
                             static_cast<unsigned>(SettingLayer::Operator);

// In the order the reader checks them: a rule that reads another key comes after it.
// clang-format off
const std::vector<KioskSetting>& settings() {
    static const std::vector<KioskSetting> table = {
        // key, what its value must be, default, who may set it, label, where it is kept
        {"kiosk.id", text(kiosk_name), kRequired, kFile, "Kiosk", field<&Config::kiosk_id>()},
        {"kiosk.centre", text(kiosk_name), kRequired, kAnyone, "Centre", field<&Config::centre>()},
        {"kiosk.languages", texts(text(language_tag), 1, "languages", "language"), kRequired, kAnyone, "Languages", kLanguagesField},
        // Without one, the first of kiosk.languages.
        {"kiosk.default_language", text(offered_language), nullptr, kFile, "Default language", field<&Config::default_language>()},
        {"kiosk.idle_timeout_s", integer(10, 3600), 60, kAnyone, "Idle timeout (seconds)", field<&Config::idle_timeout_s>()},
        {"kiosk.retention_days", integer(1, 365), 7, kFile, "Days a failed event is kept", field<&Config::retention_days>()},
        {"kiosk.min_free_mb", integer(1, 100000), 100, kFile, "Free disk space needed (MB)", kMinFreeMbField},
        {"kiosk.data_dir", path(), "data", kFile, "Data folder", field<&Config::data_dir>()},
        {"kiosk.fullscreen", boolean(), false, kFile, "Full screen", field<&Config::fullscreen>()},
        {"kiosk.mode", one_of({"production", "development"}), "production", kFile, "Mode", kModeField},
        {"kiosk.log_level", one_of({"trace", "debug", "info", "warn", "error", "off"}), "info", kFile, "Log level", field<&Config::log_level>()},
        // Without one, the kiosk keeps everything to itself.
        {"server.url", text(server_url), nullptr, kAnyone, "Server URL", field<&Config::server_url>()},
        // Without these, the system's certificate authorities.
        {"server.ca_file", path(server_ca_file), nullptr, kFile, "Server certificate", field<&Config::server_ca_file>()},
        {"server.pin", text(server_key_pin), nullptr, kFile, "Server key pin", field<&Config::server_pin>()},
        {"plugins.dirs", paths(1, "directory paths"), kRequired, kFile, "Plugin folders", field<&Config::plugin_dirs>()},
        {"plugins.enabled", texts(text(plugin_id), 0, "plugin ids", "plugin"), json::array(), kFile, "Plugins", field<&Config::enabled_plugins>()},
        {"plugins.trusted_keys", texts(text(trusted_key), 0, "minisign public keys (base64 key lines or .pub file paths)"), json::array(), kFile, "Trusted keys", kTrustedKeysField},
        {"plugins.allow_unsigned", boolean(needs_development), false, kFile, "Unsigned plugins", field<&Config::allow_unsigned_plugins>()},
        {"plugins.quarantine_after_crashes", integer(1, 100), 3, kFile, "Crashes before quarantine", field<&Config::quarantine_after_crashes>()},
        // The kiosk's one printer, for every plugin that prints (seba/print.hpp). Without a
        // device or a folder, nothing prints.
        {"printer.device", path(), nullptr, kFile, "Printer", kPrinterDeviceField},
        {"printer.pdf_dir", path(), nullptr, kFile, "Folder for printed documents", kPrinterPdfDirField},
        {"printer.paper", [] { SettingRule r = integer(INT64_MIN, INT64_MAX); r.refuse = paper_width; return r; }(), 80, kFile, "Paper width (mm)", kPrinterPaperField},
        // The kiosk's camera, read as a QR code reader (seba/scanner.hpp). Without a device
        // or an image, screens offer typing the code instead.
        {"camera.device", path(), nullptr, kFile, "Camera", kCameraDeviceField},
        {"camera.image", path(), nullptr, kFile, "Camera test image", kCameraImageField},
    };
    return table;
}
// clang-format on

// [SECTION] checking a value against its rule

std::string choice_rule(const std::vector<std::string>& choices) {
    if (choices.size() == 2) return quote_text(choices[0]) + " or " + quote_text(choices[1]);
    return "one of " + joined(choices);
}

std::string list_rule(const SettingRule& rule) {
    std::string out = rule.min > 0 ? "a non-empty array of " : "an array of ";
    out += rule.items;
    if (!rule.choices.empty()) out += " (" + joined(rule.choices) + ")";
    return out;
}

// One text or path: the setting's whole value, or an element of its list.
SettingProblem check_one(const SettingRule& rule, bool is_path, const json& value,
                         const SettingContext& context) {
    if (is_path) {
        if (!value.is_string() || value.get_ref<const std::string&>().empty() ||
            value.get_ref<const std::string&>().find('\0') != std::string::npos)
            return {.expected = "a non-empty path string"};
        // Only the file has a folder that relative paths could be relative to.
        if (context.layer != SettingLayer::File &&
            fs::path(value.get_ref<const std::string&>()).is_relative())
            return {.expected = "an absolute path"};
    } else if (!rule.choices.empty()) {
        if (!value.is_string() ||
            std::find(rule.choices.begin(), rule.choices.end(),
                      value.get_ref<const std::string&>()) == rule.choices.end())
            return {.expected = choice_rule(rule.choices)};
    } else if (!rule.refuse && !value.is_string()) {
        return {.expected = "a string"};
    }
    return rule.refuse ? rule.refuse(value, context) : SettingProblem{};
}

}  // namespace

std::string_view to_string(SettingLayer layer) {
    switch (layer) {
        case SettingLayer::File:
            return "the config file";
        case SettingLayer::Fleet:
            return "a fleet configuration";
        case SettingLayer::Operator:
            return "the operator";
    }
    return "?";
}

std::string SettingProblem::describe(std::string_view key, std::string_view found) const {
    std::string out(key);
    if (element) out += "[" + std::to_string(*element) + "]";
    if (!says.empty()) return out + says;
    return out + " must be " + expected + " (found " + std::string(found) + ")";
}

SettingProblem KioskSetting::check(const json& value, const SettingContext& context) const {
    switch (rule.type) {
        case SettingType::Integer:
            // An unsigned value past INT64_MAX reads as negative here, so it is refused too.
            if (!value.is_number_integer() || value.get<std::int64_t>() < rule.min ||
                value.get<std::int64_t>() > rule.max)
                return {.expected = "an integer from " + std::to_string(rule.min) + " to " +
                                    std::to_string(rule.max)};
            break;
        case SettingType::Boolean:
            if (!value.is_boolean()) return {.expected = "true or false"};
            break;
        case SettingType::Text:
        case SettingType::Path:
            return check_one(rule, rule.type == SettingType::Path, value, context);
        case SettingType::TextList:
        case SettingType::PathList: {
            if (!value.is_array() || value.size() < static_cast<std::size_t>(rule.min))
                return {.expected = list_rule(rule)};
            for (std::size_t i = 0; i < value.size(); ++i) {
                SettingProblem problem =
                    check_one(rule, rule.type == SettingType::PathList, value[i], context);
                if (problem.empty() && !rule.item.empty() &&
                    std::find(value.begin(), value.begin() + static_cast<std::ptrdiff_t>(i),
                              value[i]) != value.begin() + static_cast<std::ptrdiff_t>(i))
                    problem.says = " repeats " + detail::shown_json(value[i]) + "; list each " +
                                   rule.item + " once";
                if (!problem.empty()) {
                    problem.element = i;
                    return problem;
                }
            }
            return {};
        }
    }
    return rule.refuse ? rule.refuse(value, context) : SettingProblem{};
}

std::string KioskSetting::show(const json& value) const {
    if (value.is_null() || (value.is_string() && value.get_ref<const std::string&>().empty()))
        return "(none)";
    if (value.is_string()) return value.get<std::string>();
    if (value.is_array()) {
        std::vector<std::string> parts;
        for (const json& element : value) parts.push_back(show(element));
        return joined(parts, " ");
    }
    return value.dump();
}

std::span<const KioskSetting> kiosk_settings() {
    return settings();
}

const KioskSetting* find_kiosk_setting(std::string_view key) {
    for (const KioskSetting& setting : settings())
        if (setting.key == key) return &setting;
    return nullptr;
}

std::string refuse_setting(std::string_view key, const json& value, SettingLayer layer,
                           const Config& before) {
    const KioskSetting* setting = find_kiosk_setting(key);
    if (!setting || !setting->settable_by(layer)) {
        std::vector<std::string_view> may;
        for (const KioskSetting& s : settings())
            if (s.settable_by(layer)) may.push_back(s.key);
        const bool plain =
            setting || std::all_of(key.begin(), key.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
            });
        return (plain && key.size() <= detail::kMaxShownChars ? std::string(key)
                                                              : quote_text(key)) +
               " is not among the settings " + std::string(to_string(layer)) +
               " may set: " + joined(may);
    }
    SettingProblem problem = setting->check(value, {layer, before, {}});
    if (problem.empty()) return {};
    return problem.describe(
        key, detail::shown_json(problem.element ? value.at(*problem.element) : value));
}

void apply_setting(Config& config, std::string_view key, const json& value, SettingLayer layer) {
    if (std::string why = refuse_setting(key, value, layer, config); !why.empty())
        throw ConfigError(why);
    find_kiosk_setting(key)->field.set(config, value, {layer, config, {}});
}

}  // namespace seba

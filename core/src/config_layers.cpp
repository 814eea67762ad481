// SPDX-License-Identifier: Apache-2.0
#include "config_layers.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>

#include "seba/catalog.hpp"
#include "seba/error.hpp"
#include "seba/kiosk_settings.hpp"

namespace seba::detail {
namespace {

constexpr const char* kFleetChannel = "fleet";
constexpr const char* kFleetKey = "config";
// In core__config, the operator's layer: the enabled plugins in order, each kiosk setting
// as "setting." + its key, each plugin's settings as "plugin.<id>.settings".
constexpr const char* kEnabledKey = "plugins.enabled";
constexpr std::string_view kSettingPrefix = "setting.";

std::string plugin_settings_key(std::string_view id) {
    return fmt::format("plugin.{}.settings", id);
}

}  // namespace

ConfigLayers::ConfigLayers(Config file, Database& db, AuditLog& audit, spdlog::logger& log)
    : file_(std::move(file)), db_(db), audit_(audit), log_(log) {
    reread_fleet();
}

bool ConfigLayers::reread_fleet() {
    std::optional<nlohmann::json> record = catalog::record(db_, kFleetChannel, kFleetKey);
    nlohmann::json next = record && record->is_object() ? *record : nlohmann::json::object();
    if (next == fleet_) return false;
    fleet_ = std::move(next);
    return true;
}

void ConfigLayers::forget_fleet() {
    fleet_ = nlohmann::json();  // not an object: differs from any record
}

const nlohmann::json& ConfigLayers::fleet_part(const char* name) const {
    static const nlohmann::json kNone;
    auto it = fleet_.find(name);
    return it == fleet_.end() ? kNone : *it;
}

Config ConfigLayers::effective() const {
    Config c = file_;
    if (const nlohmann::json& settings = fleet_part("settings"); settings.is_object()) {
        for (const auto& [key, value] : settings.items()) {
            try {
                apply_setting(c, key, value, SettingLayer::Fleet);
            } catch (const std::exception& e) {
                log_.error("ignoring the fleet's setting {}: {}", key, e.what());
            }
        }
    }
    Statement q = db_.prepare("SELECT key, value FROM core__config WHERE key LIKE 'setting.%'");
    while (q.step()) {
        std::string key = q.text(0).substr(kSettingPrefix.size());
        try {
            apply_setting(c, key, nlohmann::json::parse(q.text(1)), SettingLayer::Operator);
        } catch (const std::exception& e) {
            log_.error("ignoring the stored setting {}: {}", key, e.what());
        }
    }
    return c;
}

nlohmann::json ConfigLayers::stored_plugin_settings(std::string_view id) const {
    std::optional<std::string> stored = read_core_value(db_, plugin_settings_key(id));
    return stored ? nlohmann::json::parse(*stored) : nlohmann::json::object();
}

Settings ConfigLayers::plugin_settings(const Manifest& m) const {
    auto it = file_.plugin_settings.find(m.id);
    nlohmann::json values =
        it == file_.plugin_settings.end() ? nlohmann::json::object() : it->second;
    if (!values.is_object()) values = nlohmann::json::object();
    const nlohmann::json& all = fleet_part("plugin_settings");
    if (all.is_object() && all.contains(m.id) && all[m.id].is_object()) {
        for (const auto& [key, value] : all[m.id].items()) {
            const SettingSpec* spec = m.setting(key);
            std::string problem = spec ? spec->check(value) : "is not declared";
            if (problem.empty())
                values[key] = value;
            else
                log_.error("ignoring the fleet's setting plugin.{}.{}: {}", m.id, key, problem);
        }
    }
    values.update(stored_plugin_settings(m.id));
    return Settings(m, values, file_.source.string());
}

std::vector<std::string> ConfigLayers::enabled_order() const {
    std::optional<std::string> stored = read_core_value(db_, kEnabledKey);
    if (stored) return nlohmann::json::parse(*stored).get<std::vector<std::string>>();
    const nlohmann::json& fleet_plugins = fleet_part("plugins");
    if (fleet_plugins.is_array() &&
        std::all_of(fleet_plugins.begin(), fleet_plugins.end(),
                    [](const nlohmann::json& id) { return id.is_string(); }))
        return fleet_plugins.get<std::vector<std::string>>();
    return file_.enabled_plugins;
}

bool ConfigLayers::operator_ordered() const {
    return read_core_value(db_, kEnabledKey).has_value();
}

std::vector<std::string> ConfigLayers::fleet_channels() const {
    std::vector<std::string> out;
    const nlohmann::json& extra = fleet_part("channels");
    if (extra.is_array())
        for (const nlohmann::json& channel : extra)
            if (channel.is_string() && is_valid_channel_name(channel.get<std::string>()))
                out.push_back(channel.get<std::string>());
    return out;
}

Config ConfigLayers::change_setting(const Config& current, std::string_view key,
                                    const nlohmann::json& value, std::string_view actor) {
    Config changed = current;
    apply_setting(changed, key, value, SettingLayer::Operator);  // throws on a bad value
    const KioskSetting& setting = *find_kiosk_setting(key);
    Transaction tx = db_.transaction();
    write_core_value(db_, std::string(kSettingPrefix) + std::string(key), value.dump(), actor);
    audit_.append(
        actor, "kiosk.setting", key,
        fmt::format("{}: {} -> {}", setting.label, setting.show(setting.field.get(current)),
                    setting.show(setting.field.get(changed))));
    tx.commit();
    return changed;
}

void ConfigLayers::change_plugin_setting(const Manifest& m, std::string_view key,
                                         const nlohmann::json& value, std::string_view actor) {
    const SettingSpec* spec = m.setting(key);
    if (!spec)
        throw ConfigError(fmt::format("plugin.{}.{} is not a setting of {}", m.id, key, m.id));
    if (std::string problem = spec->check(value); !problem.empty())
        throw ConfigError(fmt::format("plugin.{}.{} {}", m.id, key, problem));
    nlohmann::json stored = stored_plugin_settings(m.id);
    Settings before = plugin_settings(m);
    stored[std::string(key)] = value;
    Transaction tx = db_.transaction();
    write_core_value(db_, plugin_settings_key(m.id), stored.dump(), actor);
    std::string old_value = before.redacted()[std::string(key)].dump();
    std::string new_value = spec->secret ? "\"***\"" : value.dump();
    audit_.append(actor, "plugin.setting", m.id,
                  fmt::format("{}: {} -> {}", key, old_value, new_value));
    tx.commit();
}

void ConfigLayers::save_enabled_order(const std::vector<std::string>& ids, std::string_view actor) {
    write_core_value(db_, kEnabledKey, nlohmann::json(ids).dump(), actor);
}

std::vector<std::string> ConfigLayers::overrides() const {
    std::vector<std::string> names;
    Statement q = db_.prepare(
        "SELECT key FROM core__config WHERE key LIKE 'setting.%' OR key LIKE 'plugin.%' "
        "OR key = ? ORDER BY key");
    q.bind(1, kEnabledKey);
    while (q.step()) names.push_back(q.text(0));
    return names;
}

std::vector<std::string> ConfigLayers::clear_overrides(std::string_view actor) {
    std::vector<std::string> cleared = overrides();
    if (cleared.empty()) return cleared;
    Transaction tx = db_.transaction();
    db_.prepare(
           "DELETE FROM core__config WHERE key LIKE 'setting.%' OR key LIKE 'plugin.%' OR "
           "key = ?")
        .bind(1, kEnabledKey)
        .run();
    audit_.append(actor, "kiosk.overrides_cleared", "config",
                  fmt::format("{}", fmt::join(cleared, ", ")));
    tx.commit();
    forget_fleet();
    return cleared;
}

}  // namespace seba::detail

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <spdlog/logger.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "seba/audit.hpp"
#include "seba/config.hpp"
#include "seba/manifest.hpp"
#include "seba/settings.hpp"
#include "seba/storage.hpp"

namespace seba::detail {

/// A kiosk's configuration in layers, each over the one before: its config file, the fleet
/// configuration the server published for its centre (catalog channel "fleet", record
/// "config"), and what the operator changed on this kiosk (core__config). Kiosk settings
/// follow the table of kiosk settings (seba/kiosk_settings.hpp), a plugin's settings its
/// manifest. A fleet value a kiosk refuses (the server refuses most of them at publish) is
/// logged and skipped; the rest applies.
class ConfigLayers {
  public:
    /// `db` and `audit` are the host's and outlive this; `db` may be reopened in place.
    ConfigLayers(Config file, Database& db, AuditLog& audit, spdlog::logger& log);

    /// Reads the fleet's record again; false when it is the one read last.
    bool reread_fleet();
    /// Forgets the fleet's record read last, so that the next reread_fleet takes it again.
    void forget_fleet();

    /// The file's settings with the fleet's and then the operator's over them.
    Config effective() const;
    /// A plugin's settings: the file's, the fleet's its manifest accepts, the operator's.
    /// Throws ConfigError when the file's or the operator's do not fit it.
    Settings plugin_settings(const Manifest& manifest) const;
    /// The enabled plugins in home-screen order: the operator's, else the fleet's, else the
    /// file's.
    std::vector<std::string> enabled_order() const;
    /// True when the operator set the plugins and their order on this kiosk.
    bool operator_ordered() const;
    /// The catalog channels the fleet adds; names that are not channel names are skipped.
    std::vector<std::string> fleet_channels() const;

    /// The operator changes a kiosk setting over `current`: checked (ConfigError, nothing
    /// kept), then kept and audited together. Returns the configuration with it.
    Config change_setting(const Config& current, std::string_view key, const nlohmann::json& value,
                          std::string_view actor);
    /// The operator changes one of a plugin's declared settings: checked, kept, audited.
    void change_plugin_setting(const Manifest& manifest, std::string_view key,
                               const nlohmann::json& value, std::string_view actor);
    /// Keeps the operator's enabled plugins, in order (the caller audits and commits).
    void save_enabled_order(const std::vector<std::string>& ids, std::string_view actor);
    /// The operator's changes, by the names the audit log uses ("plugins.enabled",
    /// "setting.kiosk.idle_timeout_s", "plugin.about.settings").
    std::vector<std::string> overrides() const;
    /// Drops the operator's changes (audited) and forgets the fleet's record, so that the
    /// next reread_fleet applies the fleet's values again. Returns what was dropped.
    std::vector<std::string> clear_overrides(std::string_view actor);

  private:
    const nlohmann::json& fleet_part(const char* name) const;
    nlohmann::json stored_plugin_settings(std::string_view id) const;

    const Config file_;     // as read from the file
    nlohmann::json fleet_;  // the fleet's record as last read; {} before any
    Database& db_;
    AuditLog& audit_;
    spdlog::logger& log_;
};

}  // namespace seba::detail

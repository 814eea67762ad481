// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seba/audit.hpp"
#include "seba/config.hpp"
#include "seba/export.hpp"
#include "seba/manifest.hpp"
#include "seba/plugin.hpp"
#include "seba/print_service.hpp"
#include "seba/scanner.hpp"
#include "seba/storage.hpp"
#include "seba/storage_health.hpp"

namespace seba {

enum class PluginState {
    Disabled,     ///< found, not enabled; none of its code was run
    Refused,      ///< not loaded: bad manifest, signature, API, missing entry...
    Quarantined,  ///< crashed the kiosk too often; waits for an operator
    Failed,       ///< threw from a call; not called again until re-enabled or restarted
    Loaded,       ///< checked and created, not started yet
    Running,
    Stopped,
    /// Enabled, and needs the database ("storage"), which cannot take writes now (the disk
    /// is full, or it cannot be opened: Host::storage_trouble). Starts when it can.
    Waiting,
};

SEBA_API std::string_view to_string(PluginState state);

/// What the host knows of one plugin: enough for the operator's health screen.
struct PluginInfo {
    std::string id;
    std::filesystem::path dir;
    std::optional<Manifest> manifest;  ///< when it parsed
    PluginState state = PluginState::Disabled;
    std::string reason;  ///< why it is refused, failed or quarantined
    bool enabled = false;
    std::string signed_by;      ///< key id of the trusted key that signed the module
    bool unsigned_dev = false;  ///< running unsigned in development mode
    int crash_count = 0;
};

/// The plugin host: finds plugins in the configured folders, checks and loads them, runs
/// their lifecycle behind a fault boundary, and records every state change in the audit log.
class SEBA_API Host {
  public:
    /// What the constructor does when the disk is full or the database cannot be opened.
    enum class OnStorageTrouble {
        Throw,  ///< throws StorageError saying why (tools, and commands that must write)
        /// Starts anyway, degraded (the kiosk): says why on standard error, reads the
        /// database if it can (on a full disk it can), starts only the plugins that need no
        /// storage, and waits for room (storage_trouble, recheck_storage).
        Degrade,
    };

    /// Opens the database (migrating core's tables) and the logs under config.data_dir.
    /// Throws seba::Error naming the file at fault; with OnStorageTrouble::Degrade, only for
    /// what is not the disk's or the database's (a broken config value).
    explicit Host(Config config, OnStorageTrouble on_trouble = OnStorageTrouble::Throw);
    ~Host();
    Host(const Host&) = delete;
    Host& operator=(const Host&) = delete;

    /// A rule of the program hosting the plugins, checked on each plugin once it is made
    /// and before its migrations and start(): the reason it breaks the rule, or "" when it
    /// keeps it. (The kiosk's: "ui" in the manifest goes with seba::ui::View.)
    using PluginCheck = std::function<std::string(const Plugin& plugin, const Manifest& manifest)>;
    /// Set before start(); a plugin that breaks it is refused, its manifest named.
    void set_plugin_check(PluginCheck check);
    /// Why this kiosk cannot offer a language (no definition, font or keyboard layout), or
    /// "" when it can. The kiosk's: seba/ui/languages.hpp and the fonts installed.
    using LanguageCheck = std::function<std::string(std::string_view tag)>;
    /// Set before start(). A fleet configuration or an operator change naming a language
    /// this kiosk cannot offer keeps the languages it had, and says why (log, audit, error).
    void set_language_check(LanguageCheck check);
    /// The check's answer for one language ("" with no check set).
    std::string language_problem(std::string_view tag) const;

    /// Quarantines a plugin that crashed the previous run (after enough crashes), then
    /// discovers every plugin and loads and starts the enabled ones in order. Never throws
    /// for a plugin's fault: that plugin is marked and the rest go on.
    void start();
    /// Tells every running plugin that the citizen's session ended.
    void end_session();
    /// Stops the print service (see set_print_service), then every running plugin, last
    /// first. Modules stay loaded.
    void stop();

    /// The kiosk's printer, for plugins with the "printer" capability: seba-kiosk sets the
    /// print library's service here before start(). Without one, such a plugin starts but
    /// cannot queue documents (seba-host, `seba-kiosk sync`). Throws seba::Error after start().
    void set_print_service(std::unique_ptr<print::PrintService> service);
    /// What a plugin's Files::fetch_now() calls: the kiosk wakes its sync engine here, which
    /// downloads content files (seba/content_files.hpp). Without it, files wait for the
    /// next sync. Set from the thread that calls the plugins.
    void set_fetch_files(std::function<void()> fetch);
    /// Records what the printer did, telling each plugin of its printed documents inside
    /// its fault boundary, and hands the printer its next job. The shell calls it every
    /// frame; end_session() calls it too. A database that takes no writes leaves the
    /// outcomes waiting for a later call.
    void pump_printing();

    /// The kiosk's camera as a QR reader, for plugins with the "camera" capability:
    /// seba-kiosk sets one for its [camera] before start(). Without one, such a plugin gets a
    /// scanner that is never available. end_session() and stop() stop it (releasing the
    /// camera and dropping codes not taken). Throws seba::Error after start() or for null.
    void set_scanner(std::unique_ptr<scan::Scanner> scanner);

    /// Every plugin found: enabled ones in their order first, then the rest by id.
    std::vector<PluginInfo> plugins() const;
    std::optional<PluginInfo> find(std::string_view id) const;

    /// Calls `work` on a running plugin inside the fault boundary: an exception marks the
    /// plugin failed (with `what` and the message as the reason) and returns false; a crash
    /// is blamed on it at the next start. The kiosk draws plugins through this.
    bool call(std::string_view id, std::string_view what, const std::function<void(Plugin&)>& work);

    // Operator actions: each is kept across restarts and written to the audit log.
    void set_enabled(std::string_view id, bool enabled, std::string_view actor);
    void move(std::string_view id, std::size_t position, std::string_view actor);
    /// Clears a quarantine or failure and starts the plugin again if it is enabled.
    void reenable(std::string_view id, std::string_view actor);
    /// Changes a kiosk setting the operator may set (seba/kiosk_settings.hpp); the new value
    /// is kept over the config file's and the fleet's, and audited with the setting's label.
    /// Throws ConfigError for a bad value or key, changing nothing.
    void change_setting(std::string_view key, const nlohmann::json& value, std::string_view actor);
    /// Changes one of a plugin's declared settings; a running plugin is restarted with it.
    /// Throws ConfigError for an undeclared key or a value its declaration refuses.
    void change_plugin_setting(std::string_view id, std::string_view key,
                               const nlohmann::json& value, std::string_view actor);
    /// A loaded plugin's current settings, secret values shown as "***"; null otherwise.
    nlohmann::json plugin_settings(std::string_view id) const;

    /// Applies the fleet configuration the server published for this centre (catalog
    /// channel "fleet", record "config": enabled plugins in order, kiosk settings, plugin
    /// settings, extra channels), starting, stopping and restarting plugins as needed. The
    /// operator's changes on this kiosk stay over it; the audit entry names them. Values
    /// this kiosk refuses (the server refuses most at publish) are logged and skipped.
    /// Returns false when the fleet's record did not change.
    bool apply_fleet_config();
    /// Applies the fleet's record again even when it did not change: a language it names
    /// may have become one this kiosk can offer (its definition arrived after it).
    void reapply_fleet_config();
    /// Forgets this kiosk's operator changes, going back to the fleet's and the file's.
    void clear_overrides(std::string_view actor);
    /// The operator's changes that stay over the fleet's and the file's values.
    std::vector<std::string> overrides() const;
    /// The catalog channels this kiosk keeps: "fleet", the country's languages and
    /// translations ("i18n.languages", "i18n.translations"), those its enabled plugins
    /// declare, and the fleet configuration's "channels".
    std::vector<std::string> channels() const;

    /// Why the kiosk cannot take requests now; kind None while it can. Cheap (for every
    /// frame): it takes in writes that failed since it was last asked, whichever connection
    /// of this process they were on, and otherwise knows what the last recheck found.
    StorageTrouble storage_trouble();
    /// Looks again (the room on the disk with statvfs, no write; a database that could not
    /// be opened, or that was opened only for reading on a full disk, is opened again). When
    /// the trouble is gone, the plugins that waited start and the kiosk takes requests again.
    /// `operator_asked`: also forget a write failure that room alone does not explain (an I/O
    /// error); the next write says whether it is still there.
    StorageTrouble recheck_storage(bool operator_asked = false);
    /// False while the database could not be opened at all and an empty stand-in in memory
    /// takes its place: nothing stored can be read then (the operator's PIN neither).
    bool database_readable() const;

    /// True when unsigned plugins may load; the shell shows a banner while so.
    bool development_mode() const;
    const Config& config() const;
    Database& database();
    AuditLog& audit();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace seba

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "seba/export.hpp"
#include "seba/signature.hpp"

namespace seba {

/// True for a well-formed BCP 47 tag of the shape Seba uses: language, optional script,
/// optional region ("ne", "uz-Latn", "sr-Cyrl-RS", "es-419"). Which languages a kiosk can
/// speak is data (seba/ui/languages.hpp): the five Seba ships and any a country pack adds.
SEBA_API bool is_language_tag(std::string_view tag);

/// [printer]: the kiosk's one printer, where every plugin's documents print (seba/print.hpp).
struct PrinterConfig {
    std::filesystem::path device;   ///< ESC/POS printer device (/dev/usb/lp0) or file; empty: none
    std::filesystem::path pdf_dir;  ///< documents also as <reference>.pdf and .png; empty: none
    int paper_mm = 80;              ///< the thermal paper's width: 58 or 80
};

/// [camera]: the kiosk's camera, read as a QR code reader (seba/scanner.hpp). Neither set: the
/// kiosk has no camera, and screens offer typing the code instead.
struct CameraConfig {
    std::filesystem::path device;  ///< V4L2 video device, e.g. /dev/video0; empty: none
    /// A PNG (or JPEG) read in the camera's place: its codes are seen each time a screen starts
    /// the camera. For tests and demonstrations; it wins over `device`. Empty: none.
    std::filesystem::path image;
};

/// A kiosk's configuration, read from its TOML file (see assets/seba.example.toml).
/// Relative paths in the file are relative to the file's own directory. The defaults here
/// are the table's (seba/kiosk_settings.hpp); a test keeps them equal.
struct Config {
    std::filesystem::path source;  ///< the file this was read from

    // [kiosk]
    std::string kiosk_id;
    std::string centre;
    std::vector<std::string> languages;  ///< offered on screen, in this order
    std::string default_language;        ///< a session starts (and restarts) in this one
    int idle_timeout_s = 60;
    bool fullscreen = false;  ///< take the whole screen (a kiosk); a window otherwise
    /// kiosk.mode = "development": plugins signed with a development key load, and unsigned
    /// ones too with plugins.allow_unsigned. The default, "production", loads only plugins
    /// signed with a release key (docs/plugin-guide.md, "Release signing").
    bool development_mode = false;
    std::filesystem::path data_dir;  ///< database, logs, crash marker; the kiosk user's alone
    /// Days an event the server refused, or one that could never be sent, stays in the
    /// outbox for the operator before it is deleted (seba/retention.hpp). 1 to 365.
    int retention_days = 7;
    /// kiosk.min_free_mb: below this much room on the data folder's disk the kiosk takes no
    /// requests (it says so, and takes them again when there is room); the doctor calls less
    /// a problem. 1 to 100000 MiB.
    std::uint64_t min_free_bytes = std::uint64_t{100} << 20;
    std::string log_level = "info";

    // [server]
    std::string server_url;  ///< https://, or http:// to loopback in development mode
    /// PEM certificates the server's TLS certificate must chain to (instead of the system's
    /// CAs): the country's CA, or the server's own self-signed certificate.
    std::filesystem::path server_ca_file;
    /// "sha256//<base64>": the server's public key must be this one (libcurl's pinning). With
    /// no ca_file, the pin alone is the trust, for servers with a self-signed certificate.
    std::string server_pin;

    // [plugins]
    std::vector<std::filesystem::path> plugin_dirs;
    std::vector<std::string> enabled_plugins;  ///< in home-screen order
    std::vector<minisign::PublicKey> trusted_keys;
    bool allow_unsigned_plugins = false;  ///< only in development mode; announced loudly
    int quarantine_after_crashes = 3;

    PrinterConfig printer;  ///< [printer]
    CameraConfig camera;    ///< [camera]

    // [plugin.<id>]: raw values; checked against each plugin's settings schema at load.
    std::map<std::string, nlohmann::json> plugin_settings;

    std::filesystem::path database_path() const { return data_dir / "seba.db"; }
    std::filesystem::path log_dir() const { return data_dir / "logs"; }
};

/// Reads and validates a config file against the table of kiosk settings
/// (seba/kiosk_settings.hpp). Throws ConfigError whose message names the file, the key and
/// the expected value, e.g.
/// "seba.toml: kiosk.idle_timeout_s must be an integer from 10 to 3600 (found "soon")".
SEBA_API Config load_config(const std::filesystem::path& file);

/// Parses config text as if it were read from `source` (for tests and tools).
SEBA_API Config parse_config(std::string_view toml_text, const std::filesystem::path& source);

}  // namespace seba

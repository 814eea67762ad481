// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The plugin contract. A plugin is a shared module with one exported C symbol,
/// `seba_plugin_entry`, made by SEBA_PLUGIN(Class). The host reads the entry's version word
/// and struct sizes before calling any C++ code in the module, and refuses a module built
/// for another major or a newer minor API. See docs/plugin-guide.md.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "seba/export.hpp"
#include "seba/statement.hpp"
#include "seba/version.hpp"

namespace spdlog {
class logger;
}

namespace seba {

struct Manifest;
class PluginStore;
class Settings;
namespace print {
class Printer;
}
namespace credentials {
class Credentials;
}
namespace files {
class Files;
}
namespace scan {
class Scanner;
}

/// What the host offers a plugin, from start() until stop() returns.
class SEBA_API PluginContext {
  public:
    virtual ~PluginContext();
    virtual const Manifest& manifest() const = 0;
    /// Named "plugin.<id>". Never log what a citizen typed or chose.
    virtual spdlog::logger& log() = 0;
    /// The plugin's tables and outbox. Throws seba::Error without the "storage" capability.
    virtual PluginStore& store() = 0;
    virtual const Settings& settings() const = 0;
    /// Appends to the kiosk's tamper-evident audit log as actor "plugin.<id>": for what an
    /// operator did through the plugin (a cash book closed). Never a citizen's data. API 1.1.
    virtual void audit(std::string_view action, std::string_view subject,
                       std::string_view detail) = 0;
    /// The kiosk's printer, for this plugin's documents (seba/print.hpp). Throws seba::Error
    /// without the "printer" capability. API 1.4.
    virtual print::Printer& printer() = 0;

    /// Issues and checks credentials that verify offline (seba/credentials.hpp). Throws
    /// seba::Error without the "credentials" capability. API 1.6.
    virtual credentials::Credentials& credentials() = 0;

    /// Content files the server publishes, downloaded and kept within a budget
    /// (seba/content_files.hpp). Throws seba::Error without the "files" capability. API 1.6.
    virtual files::Files& files() = 0;

    /// The kiosk's camera as a QR reader (seba/scanner.hpp); one that is never available on
    /// a kiosk without a camera. Throws seba::Error without the "camera" capability. API 1.6.
    virtual scan::Scanner& scanner() = 0;

    /// The centre this kiosk is enrolled for (its id on the server), or empty before the
    /// kiosk was enrolled. API 1.6.
    virtual std::string centre() const = 0;
};

/// A practice. The host calls these from its main thread; an exception from any of them
/// marks the plugin failed (the rest of the kiosk runs on) and is shown to the operator.
class SEBA_API Plugin {
  public:
    virtual ~Plugin();
    /// Schema steps for the plugin's own tables, applied in order before start().
    virtual std::span<const Migration> migrations() const { return {}; }
    virtual void start(PluginContext& context) = 0;
    /// A citizen's session ended (idle timeout or done): forget everything about them.
    virtual void end_session() {}
    /// The kiosk is shutting down. The module stays loaded.
    virtual void stop() {}
};

}  // namespace seba

extern "C" {

/// The C handshake. Append-only: new fields go at the end and raise the minor version.
typedef struct SebaPluginEntry {
    std::uint32_t api_version;     ///< SEBA_API_VERSION the plugin was built with
    std::uint32_t entry_size;      ///< sizeof(SebaPluginEntry)
    std::uint32_t plugin_size;     ///< sizeof(seba::Plugin)
    std::uint32_t context_size;    ///< sizeof(seba::PluginContext)
    std::uint32_t migration_size;  ///< sizeof(seba::Migration)
    /// Makes the plugin object (a seba::Plugin*); called only after the checks pass.
    void* (*create)(void);
} SebaPluginEntry;

typedef const SebaPluginEntry* (*SebaPluginEntryFn)(void);
}

#define SEBA_PLUGIN_ENTRY_SYMBOL "seba_plugin_entry"

/// The entry every plugin defines once, in one .cpp file: SEBA_PLUGIN(MyPlugin).
#define SEBA_PLUGIN(PluginClass)                                                                \
    extern "C" __attribute__((visibility("default"))) const SebaPluginEntry* seba_plugin_entry( \
        void) {                                                                                 \
        static const SebaPluginEntry entry = {                                                  \
            SEBA_API_VERSION,                                                                   \
            sizeof(SebaPluginEntry),                                                            \
            sizeof(::seba::Plugin),                                                             \
            sizeof(::seba::PluginContext),                                                      \
            sizeof(::seba::Migration),                                                          \
            []() -> void* { return static_cast<::seba::Plugin*>(new PluginClass()); }};         \
        return &entry;                                                                          \
    }

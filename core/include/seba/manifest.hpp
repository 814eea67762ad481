// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seba/export.hpp"

namespace seba {

/// Plugin ids: ^[a-z][a-z0-9_]{1,31}$ without "__" (it separates a table's namespace from its
/// name), and not "core".
SEBA_API bool is_valid_plugin_id(std::string_view id);
/// A catalog channel name: [a-z][a-z0-9_.]{0,63}.
SEBA_API bool is_valid_channel_name(std::string_view name);
/// A pictogram's name as Material Icons spells it ("description", "how_to_reg"):
/// [a-z0-9_]{1,48}. Only the form: whether the kiosk's font has it is the renderer's to say
/// (core has no fonts).
SEBA_API bool is_valid_icon_name(std::string_view name);

/// What a plugin may ask the host for. Calls outside what the manifest asked for are refused.
/// Survey: may emit seba::tcv::kSurveyEvent ("tcv.survey"), the exit survey's answers, besides
/// its own events (seba/tcv.hpp). API 1.7.
enum class Capability { Ui, Storage, Outbox, Printer, Credentials, Files, Camera, Survey };

/// One declared setting: shown to the operator, checked when the kiosk config sets it.
struct SEBA_API SettingSpec {
    enum class Type { String, Integer, Boolean, Choice };
    std::string key;
    Type type = Type::String;
    nlohmann::json default_value;
    std::map<std::string, std::string> label;  ///< language -> text; "en" always present
    std::optional<std::int64_t> min, max;      ///< Integer
    std::optional<std::size_t> max_length;     ///< String
    std::vector<std::string> choices;          ///< Choice
    bool secret = false;                       ///< never logged, shown masked to the operator

    /// Empty when `value` fits this spec; otherwise says why ("must be an integer from 0
    /// to 100 (found 500)").
    std::string check(const nlohmann::json& value) const;
};

/// A plugin's manifest.json, checked. See docs/plugin-guide.md for the format.
struct SEBA_API Manifest {
    std::string id;
    std::string version;          ///< the plugin's own version, semver
    std::uint32_t api_major = 0;  ///< the Seba API it was written for ("api": "1.0")
    std::uint32_t api_minor = 0;
    std::map<std::string, std::string> names;  ///< language -> display name; "en" required
    std::vector<Capability> capabilities;
    std::vector<std::string> channels;     ///< sync channels it pulls
    std::vector<std::string> event_types;  ///< outbox event types it pushes
    /// Those of event_types that are each a service delivered to a citizen: their payloads
    /// carry a "tcv" member (seba/tcv.hpp), which PluginStore::emit checks. API 1.7.
    std::vector<std::string> service_events;
    std::vector<SettingSpec> settings;
    /// Search indexes it declares ("search": {name: spec}, seba/search.hpp): each name is
    /// the plugin's id or starts with "<id>."; each spec checked by search::IndexSpec.
    std::map<std::string, nlohmann::json> search_indexes;

    bool has(Capability capability) const;
    bool pushes(std::string_view event_type) const;
    const SettingSpec* setting(std::string_view key) const;
    /// The name in `language`, else English.
    const std::string& name(std::string_view language) const;
    /// The pictogram on the plugin's tile (a Material Icons name, is_valid_icon_name), or
    /// empty when the manifest names none.
    const std::string& icon() const { return icon_; }

  private:
    friend Manifest parse_manifest(std::string_view, const std::filesystem::path&);  // sets it
    std::string icon_;
};

/// Parses and checks a manifest. Throws seba::Error naming `source` and the field, e.g.
/// "plugins/about/manifest.json: names must have an "en" entry".
SEBA_API Manifest parse_manifest(std::string_view json_text, const std::filesystem::path& source);
SEBA_API Manifest load_manifest(const std::filesystem::path& file);

}  // namespace seba

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "seba/config.hpp"
#include "seba/export.hpp"

/// The one table of kiosk settings (core/src/kiosk_settings.cpp): every key of the config
/// file with what its value must be, its default, who may set it and a short label. The
/// TOML reader, apply_setting, the operator screen, the audit log and the server's check of
/// a fleet configuration all read their rules from it, so a rule is written once.
namespace seba {

/// Who sets a value. Each layer goes over the one before (docs/protocol.md).
enum class SettingLayer : unsigned {
    File = 1U << 0,      ///< the kiosk's config file
    Fleet = 1U << 1,     ///< the fleet configuration a pilot publishes for a centre
    Operator = 1U << 2,  ///< the operator, on the kiosk's operator screen
};

/// "the config file", "a fleet configuration", "the operator": for messages.
SEBA_API std::string_view to_string(SettingLayer layer);

/// What a rule may look at besides the value.
struct SettingContext {
    SettingLayer layer = SettingLayer::File;
    /// The settings so far: the file's keys above this one, or the configuration a fleet or
    /// operator value goes over (server.url depends on kiosk.mode).
    const Config& before;
    /// The config file's folder, which relative paths in the file are relative to.
    std::filesystem::path base_dir;
};

/// Why a value is refused: what follows the key in "kiosk.idle_timeout_s must be an integer
/// from 10 to 3600 (found 5)". Empty when the value is accepted.
struct SEBA_API SettingProblem {
    std::optional<std::size_t> element{};  ///< the list element at fault, named key[i]
    std::string expected{};                ///< what it must be; the message adds what was found
    std::string says{};  ///< or the rest of the message: " repeats \"en\"; list each ... once"

    bool empty() const { return expected.empty() && says.empty(); }
    /// The whole message; `found` is the value (or element) at fault, as the reader shows it.
    std::string describe(std::string_view key, std::string_view found) const;
};

/// The shape of a value; the operator screen picks its control by it.
enum class SettingType { Integer, Boolean, Text, Path, TextList, PathList };

/// What a value must be. Written with the helpers at the top of kiosk_settings.cpp.
struct SettingRule {
    SettingType type = SettingType::Text;
    std::int64_t min = 0;                ///< Integer: the smallest; lists: the fewest elements
    std::int64_t max = 0;                ///< Integer: the largest
    std::vector<std::string> choices{};  ///< Text and TextList: only these
    std::string items{};                 ///< lists, in messages: "an array of <items>"
    std::string item{};  ///< distinct lists: "list each <item> once"; empty allows repeats
    /// What else a value (each element, for a list) must be, or nothing: a rule its type
    /// cannot say, or one that reads other keys. For Text without choices it sees values of any
    /// type, so it also says what a wrong type must be; the others see their own type only.
    SettingProblem (*refuse)(const nlohmann::json& value, const SettingContext& context) = nullptr;
};

/// Where a setting lands in Config.
struct SettingField {
    /// Stores a value its rule accepted (paths in the file resolved against its folder).
    void (*set)(Config& config, const nlohmann::json& value, const SettingContext& context);
    /// The value in `config`, as JSON of the setting's type.
    nlohmann::json (*get)(const Config& config);
};

/// One row of the table.
struct SEBA_API KioskSetting {
    std::string_view key;  ///< as written in the file: "kiosk.idle_timeout_s"
    SettingRule rule;
    /// The value when none is set; nullopt: the file must set it; null: none (the key's
    /// documentation says what that means).
    std::optional<nlohmann::json> fallback;
    unsigned layers = 0;     ///< the SettingLayer bits that may set it
    std::string_view label;  ///< short English, for the operator screen and the audit log
    SettingField field;

    bool settable_by(SettingLayer layer) const {
        return (layers & static_cast<unsigned>(layer)) != 0;
    }
    /// "kiosk" for "kiosk.idle_timeout_s": the TOML table the key is written in.
    std::string_view section() const { return key.substr(0, key.find('.')); }
    /// "idle_timeout_s" for "kiosk.idle_timeout_s": its name in that table.
    std::string_view name() const { return key.substr(key.find('.') + 1); }
    /// Empty when `value` may be this setting's.
    SettingProblem check(const nlohmann::json& value, const SettingContext& context) const;
    /// A value as the operator and the audit log read it: "bn en", "90", "(none)".
    std::string show(const nlohmann::json& value) const;
};

/// Every kiosk setting, in the order the config file's reader checks them.
SEBA_API std::span<const KioskSetting> kiosk_settings();
/// The setting with this key, or nullptr.
SEBA_API const KioskSetting* find_kiosk_setting(std::string_view key);

/// Why `layer` may not set `key` to `value` over `before`, naming the key and what it must
/// be ("kiosk.idle_timeout_s must be an integer from 10 to 3600 (found 5)"), or "" when it
/// may. Unknown keys, and keys only another layer sets, are refused too.
SEBA_API std::string refuse_setting(std::string_view key, const nlohmann::json& value,
                                    SettingLayer layer, const Config& before);

/// Applies one value `layer` set, over `config`: an operator's change on the kiosk (kept in
/// the database, over the file's and the fleet's) or a fleet configuration's. Throws
/// ConfigError saying what refuse_setting says, changing nothing.
SEBA_API void apply_setting(Config& config, std::string_view key, const nlohmann::json& value,
                            SettingLayer layer = SettingLayer::Operator);

}  // namespace seba

// SPDX-License-Identifier: Apache-2.0
#include "seba/settings.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "seba/error.hpp"
#include "seba/manifest.hpp"

namespace seba {

Settings::Settings(const Manifest& manifest, const nlohmann::json& overrides,
                   std::string_view config_source) {
    for (const SettingSpec& spec : manifest.settings) {
        values_[spec.key] = spec.default_value;
        if (spec.secret) secret_keys_.push_back(spec.key);
    }
    if (overrides.is_null()) return;
    if (!overrides.is_object())
        throw ConfigError(fmt::format("{}: plugin.{} must be a table", config_source, manifest.id));
    for (const auto& [key, value] : overrides.items()) {
        const SettingSpec* spec = manifest.setting(key);
        if (!spec) {
            std::vector<std::string> known;
            for (const SettingSpec& s : manifest.settings) known.push_back(s.key);
            throw ConfigError(
                fmt::format("{}: plugin.{}.{} is not a setting of {} (it has: {})", config_source,
                            manifest.id, key, manifest.id,
                            known.empty() ? "none" : fmt::format("{}", fmt::join(known, ", "))));
        }
        if (std::string problem = spec->check(value); !problem.empty())
            throw ConfigError(
                fmt::format("{}: plugin.{}.{} {}", config_source, manifest.id, key, problem));
        values_[key] = value;
    }
}

const nlohmann::json& Settings::at(std::string_view key) const {
    auto it = values_.find(std::string(key));
    if (it == values_.end())
        throw Error(fmt::format("no setting \"{}\" is declared in the manifest", key));
    return *it;
}

std::string Settings::text(std::string_view key) const {
    return at(key).get<std::string>();
}
std::int64_t Settings::integer(std::string_view key) const {
    return at(key).get<std::int64_t>();
}
bool Settings::boolean(std::string_view key) const {
    return at(key).get<bool>();
}

nlohmann::json Settings::redacted() const {
    nlohmann::json out = values_;
    for (const std::string& key : secret_keys_) out[key] = "***";
    return out;
}

}  // namespace seba

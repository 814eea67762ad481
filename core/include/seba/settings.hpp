// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "seba/export.hpp"

namespace seba {

struct Manifest;

/// A plugin's settings: its manifest's defaults with the kiosk's values over them, every
/// value checked against the declared schema.
class SEBA_API Settings {
  public:
    Settings() = default;
    /// Throws ConfigError naming `config_source` and "plugin.<id>.<key>" for an unknown key
    /// or a value that does not fit its declaration.
    Settings(const Manifest& manifest, const nlohmann::json& overrides,
             std::string_view config_source);

    std::string text(std::string_view key) const;
    std::int64_t integer(std::string_view key) const;
    bool boolean(std::string_view key) const;
    /// The whole set as JSON; secret values are replaced by "***".
    nlohmann::json redacted() const;

    friend bool operator==(const Settings&, const Settings&) = default;

  private:
    const nlohmann::json& at(std::string_view key) const;
    nlohmann::json values_ = nlohmann::json::object();
    std::vector<std::string> secret_keys_;
};

}  // namespace seba

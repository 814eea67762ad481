// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace seba::testing {

/// A day of citizens at the Digital Centre, as a kiosk script (docs/scripts.md): each files
/// a birth registration in the next language, with names, dates and numbers of their own,
/// reaches the receipt, and walks away; the idle timeout ends the session. A
/// {"memory": "request N"} step after each writes the kiosk's RSS and PSS to memory.tsv.
struct CitizenSoak {
    int requests = 50;
    std::vector<std::string> languages = {"bn", "uz-Latn", "uz-Cyrl", "ru", "en"};
    int idle_timeout_s = 60;  ///< the kiosk's kiosk.idle_timeout_s
};
nlohmann::json citizen_soak_script(const CitizenSoak& soak);

/// A kiosk folder for such a script: `dir`/seba.toml (the Digital Centre from `plugin_dir`,
/// signed with the development key `dev_public_key`, the soak's languages, no server) and
/// its database holding the Digital Centre's catalog from `services_json`.
void prepare_soak_kiosk(const std::filesystem::path& dir, const CitizenSoak& soak,
                        const std::string& plugin_dir, const std::string& dev_public_key,
                        const std::filesystem::path& services_json);

/// memory.tsv as written by the script: one (label, RSS KiB, PSS KiB) per sample.
struct MemorySample {
    std::string label;
    long rss_kib = 0;
    long pss_kib = 0;
};
std::vector<MemorySample> read_memory_samples(const std::filesystem::path& tsv);

}  // namespace seba::testing

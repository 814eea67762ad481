// SPDX-License-Identifier: Apache-2.0
#include "citizen_soak.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <fstream>
#include <sstream>

#include "publish.hpp"
#include "seba/config.hpp"
#include "seba/host.hpp"
#include "seba/sealing.hpp"
#include "seba/storage.hpp"
#include "temp_dir.hpp"

namespace seba::testing {

namespace {

using json = nlohmann::json;

// Syllables in the scripts the kiosk's name rules take: a name of three is unique for the
// first 1,728 citizens of each script.
constexpr std::array<const char*, 12> kLatin = {"ka", "ri", "mo", "la", "na", "di",
                                                "zu", "ro", "sa", "te", "bi", "fa"};
constexpr std::array<const char*, 12> kLatinFirst = {"Ka", "Ri", "Mo", "La", "Na", "Di",
                                                     "Zu", "Ro", "Sa", "Te", "Bi", "Fa"};
constexpr std::array<const char*, 12> kCyrillic = {"ка", "ри", "мо", "ла", "на", "ди",
                                                   "зу", "ро", "са", "те", "би", "фа"};
constexpr std::array<const char*, 12> kCyrillicFirst = {"Ка", "Ри", "Мо", "Ла", "На", "Ди",
                                                        "Зу", "Ро", "Са", "Те", "Би", "Фа"};
constexpr std::array<const char*, 12> kBangla = {"কা", "রি", "মো", "লা", "না", "দি",
                                                 "জু",  "রো", "সা", "তে", "বি", "ফা"};

// The `n`th name of three syllables in the script `language` is written in.
std::string name(const std::string& language, int n) {
    bool cyrillic = language == "ru" || language == "uz-Cyrl";
    const auto& first = language == "bn" ? kBangla : cyrillic ? kCyrillicFirst : kLatinFirst;
    const auto& rest = language == "bn" ? kBangla : cyrillic ? kCyrillic : kLatin;
    return std::string(first[n % 12]) + rest[(n / 12) % 12] + rest[(n / 144) % 12];
}

}  // namespace

json citizen_soak_script(const CitizenSoak& soak) {
    json steps = json::array({{{"memory", "start"}}});
    for (int i = 0; i < soak.requests; ++i) {
        const std::string& language = soak.languages[i % soak.languages.size()];
        int citizen = i / static_cast<int>(soak.languages.size());
        auto field = [&](const char* id, const std::string& typed) {
            steps.push_back({{"tap", std::string("dc.f.birth_registration.") + id}});
            steps.push_back({{"type", typed}});
        };
        steps.push_back({{"language", language}});
        for (const char* tap : {"shell.home.digital_centre", "dc.cat.certificates",
                                "dc.svc.birth_registration", "dc.apply"})
            steps.push_back({{"tap", tap}});
        field("child_name", name(language, citizen) + " " + name(language, citizen + 7));
        field("date_of_birth", fmt::format("{:02}-{:02}-20{:02}", 1 + citizen % 28,
                                           1 + citizen % 12, 10 + citizen % 15));
        field("father_name", name(language, citizen + 3) + " " + name(language, citizen + 7));
        field("mother_name", name(language, citizen + 5) + " " + name(language, citizen + 11));
        field("applicant_nid", fmt::format("73918{:05}", i));
        field("phone", fmt::format("01711-{:06}", i));
        for (const char* tap : {"osk.enter", "dc.review", "dc.confirm"})
            steps.push_back({{"tap", tap}});
        steps.push_back({{"expect", "dc.receipt.qr"}});
        steps.push_back({{"tap", "dc.done"}});
        // The citizen walks away: the idle question, its countdown, and the session ends.
        steps.push_back({{"wait_s", soak.idle_timeout_s + 20}});
        steps.push_back({{"expect_screen", "home"}});
        steps.push_back({{"memory", fmt::format("request {}", i + 1)}});
    }
    return steps;
}

void prepare_soak_kiosk(const std::filesystem::path& dir, const CitizenSoak& soak,
                        const std::string& plugin_dir, const std::string& dev_public_key,
                        const std::filesystem::path& services_json) {
    json languages = soak.languages;
    write_file(dir / "seba.toml", fmt::format(R"([kiosk]
id = "soak-kiosk"
centre = "soak-centre"
languages = {}
default_language = "{}"
idle_timeout_s = {}
data_dir = "data"
mode = "development"

[plugins]
dirs = ["{}"]
enabled = ["digital_centre"]
trusted_keys = ["{}"]
)",
                                              languages.dump(), soak.languages.front(),
                                              soak.idle_timeout_s, plugin_dir, dev_public_key));
    std::ifstream in(services_json);
    json services = json::parse(in);
    Host host(load_config(dir / "seba.toml"));
    host.start();
    Database& db = host.database();
    // Enrolled once and offline now: it holds its server's public sealing key, without
    // which no citizen's data may be stored.
    sealing::ServerKey server_key;
    std::array<std::uint8_t, crypto_box_SECRETKEYBYTES> secret{};
    crypto_box_keypair(server_key.public_key.data(), secret.data());
    sodium_memzero(secret.data(), secret.size());
    server_key.id = sealing::key_id(server_key.public_key);
    sealing::store_server_key(db, server_key);
    publish(db, "dc.services", services);
    host.stop();
}

std::vector<MemorySample> read_memory_samples(const std::filesystem::path& tsv) {
    std::vector<MemorySample> samples;
    std::ifstream in(tsv);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        MemorySample s;
        if (std::getline(fields, s.label, '\t') && fields >> s.rss_kib >> s.pss_kib)
            samples.push_back(s);
    }
    return samples;
}

}  // namespace seba::testing

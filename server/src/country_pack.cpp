// SPDX-License-Identifier: Apache-2.0
#include "seba/server/country_pack.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

#include "seba/config.hpp"
#include "seba/error.hpp"
#include "seba/kiosk_settings.hpp"
#include "seba/language.hpp"
#include "seba/manifest.hpp"
#include "seba/search.hpp"
#include "seba/server/catalog_import.hpp"
#include "seba/utf8.hpp"

namespace seba::server {

namespace {

using nlohmann::json;

constexpr const char* kFleetChannel = "fleet";
// The country's languages and translations (seba/language.hpp, seba/ui/languages.hpp).
constexpr const char* kLanguagesChannel = "i18n.languages";
constexpr const char* kTranslationsChannel = "i18n.translations";
constexpr std::size_t kMaxCatalogBytes = 192 * 1024;  // under a record's 256 KiB, escaped
constexpr const char* kFleetKey = "config";

json read_json_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(fmt::format("{}: cannot be read; check the path", file.string()));
    std::stringstream text;
    text << in.rdbuf();
    try {
        return json::parse(text.str());
    } catch (const json::parse_error& e) {
        throw Error(fmt::format("{}: not valid JSON at byte {}", file.string(), e.byte));
    }
}

// Field checks that name the field in their message.
class PackReader {
  public:
    explicit PackReader(std::string where) : where_(std::move(where)) {}

    [[noreturn]] void fail(std::string_view field, std::string_view problem) const {
        throw Error(fmt::format("{}: {} {}", where_, field, problem));
    }

    std::string text(const json& object, const char* field, bool required = true) const {
        auto it = object.find(field);
        if (it == object.end()) {
            if (required) fail(field, "is missing");
            return {};
        }
        if (!it->is_string() || it->get<std::string>().empty()) fail(field, "must be text");
        return it->get<std::string>();
    }

    std::vector<std::string> texts(const json& object, const char* field) const {
        auto it = object.find(field);
        if (it == object.end()) return {};
        if (!it->is_array()) fail(field, "must be a list of text");
        std::vector<std::string> out;
        for (const json& item : *it) {
            if (!item.is_string()) fail(field, "must be a list of text");
            out.push_back(item.get<std::string>());
        }
        return out;
    }

    void only(const json& object, std::initializer_list<const char*> known,
              std::string_view what) const {
        for (const auto& item : object.items()) {
            const std::string& key = item.key();
            if (std::find_if(known.begin(), known.end(), [&](const char* k) { return key == k; }) ==
                known.end())
                fail(fmt::format("{} field \"{}\"", what, key),
                     fmt::format("is unknown (known: {})", fmt::join(known, ", ")));
        }
    }

  private:
    std::string where_;
};

std::vector<ChannelRecord> to_channel_records(const std::vector<CatalogRecord>& records) {
    std::vector<ChannelRecord> out;
    out.reserve(records.size());
    for (const CatalogRecord& r : records) out.push_back({r.key, r.data.dump()});
    return out;
}

}  // namespace

void check_fleet_config(const json& config, std::string_view centre) {
    PackReader r(centre.empty() ? std::string("fleet configuration")
                                : fmt::format("fleet configuration for centre {}", centre));
    if (!config.is_object()) r.fail("the whole", "must be a JSON object");
    r.only(config, {"plugins", "settings", "plugin_settings", "channels"}, "the");
    for (const std::string& id : r.texts(config, "plugins"))
        if (!is_valid_plugin_id(id)) r.fail("plugins", fmt::format("has an invalid id \"{}\"", id));
    if (config.contains("settings")) {
        if (!config["settings"].is_object())
            r.fail("settings", "must be an object of kiosk settings");
        // The kiosks' own rules (seba/kiosk_settings.hpp), as for a kiosk in production: a
        // value every kiosk would refuse is refused here, once, instead of logged on each.
        const Config production;
        for (const auto& [key, value] : config["settings"].items())
            if (std::string why = refuse_setting(key, value, SettingLayer::Fleet, production);
                !why.empty())
                r.fail("settings:", why);
    }
    if (config.contains("plugin_settings")) {
        const json& all = config["plugin_settings"];
        if (!all.is_object()) r.fail("plugin_settings", "must be an object: plugin id -> settings");
        for (const auto& [id, settings] : all.items())
            if (!is_valid_plugin_id(id) || !settings.is_object())
                r.fail("plugin_settings", fmt::format("\"{}\" must be a plugin id with an object "
                                                      "of settings",
                                                      id));
    }
    for (const std::string& channel : r.texts(config, "channels"))
        if (!is_valid_channel_name(channel))
            r.fail("channels", fmt::format("has an invalid channel name \"{}\"", channel));
}

PublishReport publish_fleet_config(Store& store, std::string_view centre, const json& config,
                                   bool dry_run) {
    check_fleet_config(config, centre);
    return store.publish(kFleetChannel, centre, {{kFleetKey, config.dump()}}, true, dry_run);
}

std::vector<PackStep> import_country_pack(Store& store, const std::filesystem::path& pack_file,
                                          bool dry_run, const FileStore* files) {
    json pack = read_json_file(pack_file);
    PackReader r(pack_file.string());
    if (!pack.is_object()) r.fail("the pack", "must be a JSON object");
    r.only(pack, {"name", "notes", "centres", "channels", "languages", "translations", "fleet"},
           "pack");
    r.text(pack, "name");
    std::filesystem::path base = pack_file.parent_path();

    // Read and check everything first: a bad file publishes nothing.
    struct Centre {
        std::string id, name;
        // Where it is, for the evidence (docs/civil-service.md); absent: left as it is.
        std::optional<std::string> region, district;
    };
    std::vector<Centre> centres;
    if (pack.contains("centres")) {
        if (!pack["centres"].is_array()) r.fail("centres", "must be a list");
        for (const json& c : pack["centres"]) {
            if (!c.is_object()) r.fail("centres", "must be a list of objects");
            r.only(c, {"id", "name", "region", "district"}, "centre");
            Centre centre{r.text(c, "id"), r.text(c, "name"), std::nullopt, std::nullopt};
            for (auto [field, place] :
                 {std::pair{"region", &centre.region}, std::pair{"district", &centre.district}}) {
                if (!c.contains(field)) continue;
                const std::string& name = place->emplace(r.text(c, field));
                if (name.size() > 64 || !utf8::is_valid(name) ||
                    std::any_of(name.begin(), name.end(),
                                [](char ch) { return static_cast<unsigned char>(ch) < 0x20; }))
                    r.fail(fmt::format("centre {}: {}", centre.id, field),
                           "must be 1 to 64 bytes of text");
            }
            centres.push_back(std::move(centre));
        }
    }
    struct Channel {
        std::string name, scope;
        ImportResult data;
    };
    std::vector<Channel> channels;
    if (pack.contains("channels")) {
        if (!pack["channels"].is_array()) r.fail("channels", "must be a list");
        for (const json& c : pack["channels"]) {
            if (!c.is_object()) r.fail("channels", "must be a list of objects");
            r.only(c, {"channel", "file", "format", "columns", "key", "uz_latin", "centre"},
                   "channel");
            Channel channel{r.text(c, "channel"), r.text(c, "centre", false), {}};
            if (!is_valid_channel_name(channel.name) || channel.name == kFleetChannel)
                r.fail("channel",
                       fmt::format("\"{}\" is not a channel name a pack may fill", channel.name));
            ImportSpec spec;
            std::string format = r.text(c, "format", false);
            if (format == "csv")
                spec.format = ImportSpec::Format::Csv;
            else if (format == "json")
                spec.format = ImportSpec::Format::Json;
            else if (!format.empty())
                r.fail("format", "must be \"csv\" or \"json\"");
            spec.columns = r.texts(c, "columns");
            if (c.contains("key")) spec.key = r.text(c, "key");
            spec.uz_latin = r.texts(c, "uz_latin");
            const std::filesystem::path file = base / r.text(c, "file");
            channel.data = read_catalog_file(file, spec);
            // Content files the records name are stored (or, in a dry run, only checked)
            // before anything is published: a missing one publishes nothing.
            resolve_file_refs(channel.data, file, base, files, dry_run);
            // An index spec is checked here as every kiosk will read it, so that a bad one
            // is refused at the pilot's desk and not skipped quietly on each kiosk.
            if (channel.name == search::kIndexesChannel)
                for (const CatalogRecord& record : channel.data.records) {
                    try {
                        search::IndexSpec::from_json(record.key, record.data);
                    } catch (const std::exception& e) {
                        r.fail(r.text(c, "file"), e.what());
                    }
                }
            channels.push_back(std::move(channel));
        }
    }
    // Languages and translations: data, so a country speaks its language with no build
    // (docs/country-packs.md). Checked with the rules the kiosks read them with.
    std::vector<CatalogRecord> languages;
    for (const std::string& file : r.texts(pack, "languages")) {
        const json read = read_json_file(base / file);
        const json& records = read.is_object() && read.contains("languages") ? read["languages"]
                                                                             : json::array({read});
        if (!records.is_array())
            r.fail(file, "must be a language record or {\"languages\": [...]}");
        for (const json& record : records) {
            try {
                const Language language = Language::from_json(record);
                languages.push_back({language.tag, language.to_json()});
            } catch (const Error& e) {
                throw Error(fmt::format("{}: {}", (base / file).string(), e.what()));
            }
        }
    }
    std::vector<CatalogRecord> translations;
    if (pack.contains("translations")) {
        if (!pack["translations"].is_array()) r.fail("translations", "must be a list");
        for (const json& t : pack["translations"]) {
            if (!t.is_object()) r.fail("translations", "must be a list of objects");
            r.only(t, {"domain", "language", "file"}, "translation");
            const std::string domain = r.text(t, "domain");
            const std::string language = r.text(t, "language");
            const std::filesystem::path file = base / r.text(t, "file");
            if (!is_language_tag(language))
                r.fail("translation", fmt::format("\"{}\" is not a BCP 47 language tag", language));
            if (domain.empty() || domain.size() > 64 ||
                domain.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-.") !=
                    std::string::npos)
                r.fail("translation", fmt::format("\"{}\" is not a plugin id or \"seba\"", domain));
            std::ifstream in(file, std::ios::binary);
            if (!in) throw Error(fmt::format("cannot read translation catalog {}", file.string()));
            std::string text((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
            if (text.size() > kMaxCatalogBytes || !utf8::is_valid(text))
                throw Error(
                    fmt::format("{}: a translation catalog must be UTF-8 text of at most "
                                "192 KiB",
                                file.string()));
            translations.push_back({domain + "/" + language, json{{"po", std::move(text)}}});
        }
    }

    std::vector<std::pair<std::string, json>> fleet;
    if (pack.contains("fleet")) {
        if (!pack["fleet"].is_object()) r.fail("fleet", "must be an object: centre -> file");
        for (const auto& [centre, file] : pack["fleet"].items()) {
            if (!file.is_string()) r.fail("fleet", "must name a JSON file per centre");
            json config = read_json_file(base / file.get<std::string>());
            try {
                check_fleet_config(config, centre);
            } catch (const Error& e) {
                throw Error(
                    fmt::format("{}: {}", (base / file.get<std::string>()).string(), e.what()));
            }
            fleet.emplace_back(centre, std::move(config));
        }
    }

    std::vector<PackStep> steps;
    for (const Centre& c : centres) {
        bool exists = store.centre_exists(c.id);
        if (!exists && !dry_run) store.create_centre(c.id, c.name);
        if ((c.region || c.district) && !dry_run) {
            auto [region, district] =
                store.centre_place(c.id).value_or(std::pair<std::string, std::string>());
            store.set_centre_place(c.id, c.region.value_or(region), c.district.value_or(district));
        }
        steps.push_back({fmt::format("centre {}", c.id), {.added = exists ? 0 : 1}, 0});
    }
    for (const Channel& c : channels)
        steps.push_back(
            {fmt::format("channel {}", c.name),
             store.publish(c.name, c.scope, to_channel_records(c.data.records), true, dry_run),
             c.data.duplicates_dropped});
    // Each replaces what its channel held, so a language or catalog left out of the pack goes.
    if (pack.contains("languages"))
        steps.push_back(
            {"languages",
             store.publish(kLanguagesChannel, "", to_channel_records(languages), true, dry_run),
             0});
    if (pack.contains("translations"))
        steps.push_back({"translations",
                         store.publish(kTranslationsChannel, "", to_channel_records(translations),
                                       true, dry_run),
                         0});
    for (const auto& [centre, config] : fleet) {
        PublishReport report{.added = 1};  // a dry run for a centre not created yet
        if (!dry_run || store.centre_exists(centre))
            report = publish_fleet_config(store, centre, config, dry_run);
        steps.push_back({fmt::format("fleet {}", centre), report, 0});
    }
    return steps;
}

}  // namespace seba::server

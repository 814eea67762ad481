// SPDX-License-Identifier: Apache-2.0
#include "seba/manifest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "seba/config.hpp"
#include "seba/error.hpp"
#include "seba/search.hpp"
#include "seba/tcv.hpp"

namespace seba {

namespace {

using nlohmann::json;

struct CapabilityName {
    Capability capability;
    std::string_view name;
};
constexpr CapabilityName kCapabilities[] = {
    {Capability::Ui, "ui"},
    {Capability::Storage, "storage"},
    {Capability::Outbox, "outbox"},
    {Capability::Printer, "printer"},
    {Capability::Credentials, "credentials"},
    {Capability::Files, "files"},
    {Capability::Camera, "camera"},
    {Capability::Survey, "survey"},
};

// Capabilities once listed that never had a meaning: a plugin asking for one is told why.
constexpr std::pair<std::string_view, std::string_view> kWithdrawnCapabilities[] = {
    {"network",
     "a plugin reaches the server only through its outbox (\"outbox\") and its catalog "
     "channels (\"channels\")"},
    {"raw_imgui", "a plugin draws only with the UI kit (\"ui\")"},
};

bool matches(const std::string& text, const char* pattern) {
    return std::regex_match(text, std::regex(pattern));
}

// Reads fields of one JSON object and turns every mistake into an Error naming the file
// and the field's path.
class Reader {
  public:
    Reader(const std::filesystem::path& source) : source_(source) {}

    [[noreturn]] void fail(std::string_view field, std::string_view problem) const {
        throw Error(fmt::format("{}: {} {}", source_.string(), field, problem));
    }

    const json& get(const json& object, const std::string& key, std::string_view field,
                    json::value_t type, const char* type_name) const {
        auto it = object.find(key);
        if (it == object.end()) fail(field, "is required");
        if (it->type() != type && !(type == json::value_t::number_integer &&
                                    it->type() == json::value_t::number_unsigned))
            fail(field, fmt::format("must be {} (found {})", type_name, it->dump()));
        return *it;
    }

    std::string string(const json& object, const std::string& key, std::string_view field) const {
        return get(object, key, field, json::value_t::string, "a string").get<std::string>();
    }

    std::vector<std::string> strings(const json& object, const std::string& key,
                                     std::string_view field) const {
        std::vector<std::string> out;
        if (!object.contains(key)) return out;
        const json& list = get(object, key, field, json::value_t::array, "a list of strings");
        std::set<std::string> seen;
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (!list[i].is_string()) fail(fmt::format("{}[{}]", field, i), "must be a string");
            std::string value = list[i].get<std::string>();
            if (!seen.insert(value).second) fail(field, fmt::format("lists \"{}\" twice", value));
            out.push_back(std::move(value));
        }
        return out;
    }

    std::map<std::string, std::string> names(const json& object, const std::string& key,
                                             std::string_view field) const {
        const json& map =
            get(object, key, field, json::value_t::object, "an object of language -> text");
        std::map<std::string, std::string> out;
        for (const auto& [language, text] : map.items()) {
            if (!is_language_tag(language))
                fail(field, fmt::format("has \"{}\", which is not a BCP 47 language tag (such "
                                        "as bn, uz-Latn, ne)",
                                        language));
            if (!text.is_string() || text.get<std::string>().empty())
                fail(fmt::format("{}.{}", field, language), "must be a non-empty string");
            out[language] = text.get<std::string>();
        }
        if (!out.contains("en")) fail(field, "must have an \"en\" entry (the fallback)");
        return out;
    }

    void only_known_keys(const json& object, std::initializer_list<std::string_view> known,
                         std::string_view where) const {
        for (const auto& [key, value] : object.items()) {
            if (std::find(known.begin(), known.end(), key) == known.end())
                fail(where.empty() ? key : fmt::format("{}.{}", where, key),
                     "is not a known field");
        }
    }

  private:
    const std::filesystem::path& source_;
};

SettingSpec parse_setting(const Reader& r, const json& entry, std::size_t index) {
    std::string where = fmt::format("settings[{}]", index);
    if (!entry.is_object()) r.fail(where, "must be an object");
    r.only_known_keys(
        entry, {"key", "type", "default", "label", "min", "max", "max_length", "choices", "secret"},
        where);
    SettingSpec spec;
    spec.key = r.string(entry, "key", where + ".key");
    if (!matches(spec.key, "[a-z][a-z0-9_]{0,63}"))
        r.fail(where + ".key", "must be lower-case letters, digits and _");
    where = fmt::format("settings.{}", spec.key);
    std::string type = r.string(entry, "type", where + ".type");
    if (type == "string")
        spec.type = SettingSpec::Type::String;
    else if (type == "integer")
        spec.type = SettingSpec::Type::Integer;
    else if (type == "boolean")
        spec.type = SettingSpec::Type::Boolean;
    else if (type == "choice")
        spec.type = SettingSpec::Type::Choice;
    else
        r.fail(where + ".type", "must be string, integer, boolean or choice");
    spec.label = r.names(entry, "label", where + ".label");
    if (entry.contains("min"))
        spec.min = r.get(entry, "min", where + ".min", json::value_t::number_integer, "an integer")
                       .get<std::int64_t>();
    if (entry.contains("max"))
        spec.max = r.get(entry, "max", where + ".max", json::value_t::number_integer, "an integer")
                       .get<std::int64_t>();
    if (entry.contains("max_length"))
        spec.max_length = r.get(entry, "max_length", where + ".max_length",
                                json::value_t::number_integer, "an integer")
                              .get<std::size_t>();
    if (entry.contains("secret"))
        spec.secret =
            r.get(entry, "secret", where + ".secret", json::value_t::boolean, "true or false")
                .get<bool>();
    spec.choices = r.strings(entry, "choices", where + ".choices");
    if (spec.type == SettingSpec::Type::Choice && spec.choices.empty())
        r.fail(where + ".choices", "must list at least one choice");
    if (!entry.contains("default")) r.fail(where + ".default", "is required");
    spec.default_value = entry["default"];
    if (std::string problem = spec.check(spec.default_value); !problem.empty())
        r.fail(where + ".default", problem);
    return spec;
}

}  // namespace

bool is_valid_plugin_id(std::string_view id) {
    std::string text(id);
    return matches(text, "[a-z][a-z0-9_]{1,31}") && text.find("__") == std::string::npos &&
           text != "core";
}

bool is_valid_channel_name(std::string_view name) {
    return matches(std::string(name), "[a-z][a-z0-9_.]{0,63}");
}

bool is_valid_icon_name(std::string_view name) {
    return !name.empty() && name.size() <= 48 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::string SettingSpec::check(const json& value) const {
    switch (type) {
        case Type::String: {
            if (!value.is_string()) return fmt::format("must be text (found {})", value.dump());
            if (max_length && value.get<std::string>().size() > *max_length)
                return fmt::format("must be at most {} bytes long", *max_length);
            return {};
        }
        case Type::Integer: {
            if (!value.is_number_integer())
                return fmt::format("must be an integer (found {})", value.dump());
            auto n = value.get<std::int64_t>();
            if ((min && n < *min) || (max && n > *max))
                return fmt::format("must be an integer from {} to {} (found {})",
                                   min ? std::to_string(*min) : "any",
                                   max ? std::to_string(*max) : "any", n);
            return {};
        }
        case Type::Boolean:
            if (!value.is_boolean())
                return fmt::format("must be true or false (found {})", value.dump());
            return {};
        case Type::Choice: {
            if (!value.is_string() || std::find(choices.begin(), choices.end(),
                                                value.get<std::string>()) == choices.end())
                return fmt::format("must be one of {} (found {})", fmt::join(choices, ", "),
                                   value.dump());
            return {};
        }
    }
    return "has an unknown type";
}

bool Manifest::has(Capability capability) const {
    return std::find(capabilities.begin(), capabilities.end(), capability) != capabilities.end();
}

bool Manifest::pushes(std::string_view event_type) const {
    if (event_type == tcv::kSurveyEvent) return has(Capability::Survey);
    return std::find(event_types.begin(), event_types.end(), event_type) != event_types.end();
}

const SettingSpec* Manifest::setting(std::string_view key) const {
    for (const SettingSpec& spec : settings)
        if (spec.key == key) return &spec;
    return nullptr;
}

const std::string& Manifest::name(std::string_view language) const {
    auto it = names.find(std::string(language));
    return it != names.end() ? it->second : names.at("en");
}

Manifest parse_manifest(std::string_view json_text, const std::filesystem::path& source) {
    Reader r(source);
    json doc;
    try {
        doc = json::parse(json_text);
    } catch (const json::parse_error& e) {
        throw Error(
            fmt::format("{}: not valid JSON at byte {}: {}", source.string(), e.byte, e.what()));
    }
    if (!doc.is_object()) r.fail("the manifest", "must be a JSON object");
    r.only_known_keys(doc,
                      {"id", "version", "api", "names", "icon", "capabilities", "channels",
                       "events", "service_events", "settings", "search"},
                      "");

    Manifest m;
    m.id = r.string(doc, "id", "id");
    if (!is_valid_plugin_id(m.id))
        r.fail("id", fmt::format("\"{}\" must be 2-32 lower-case letters, digits and _, start "
                                 "with a letter, have no \"__\" and not be \"core\"",
                                 m.id));
    m.version = r.string(doc, "version", "version");
    if (!matches(m.version, R"(\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?)"))
        r.fail("version", fmt::format("\"{}\" must be a semantic version like 1.2.3", m.version));
    std::string api = r.string(doc, "api", "api");
    std::smatch parts;
    if (!std::regex_match(api, parts, std::regex(R"((\d{1,3})\.(\d{1,3}))")))
        r.fail("api",
               fmt::format("\"{}\" must be the Seba API version as major.minor, e.g. 1.0", api));
    m.api_major = static_cast<std::uint32_t>(std::stoul(parts[1]));
    m.api_minor = static_cast<std::uint32_t>(std::stoul(parts[2]));
    m.names = r.names(doc, "names", "names");
    if (doc.contains("icon")) {
        m.icon_ = r.string(doc, "icon", "icon");
        if (!is_valid_icon_name(m.icon_))
            r.fail("icon", fmt::format("\"{}\" must be a Material Icons name: 1-48 lower-case "
                                       "letters, digits and _, e.g. \"description\"",
                                       m.icon_));
    }

    for (const std::string& name : r.strings(doc, "capabilities", "capabilities")) {
        auto it = std::find_if(std::begin(kCapabilities), std::end(kCapabilities),
                               [&](const CapabilityName& c) { return c.name == name; });
        for (const auto& [withdrawn, instead] : kWithdrawnCapabilities)
            if (name == withdrawn)
                r.fail("capabilities", fmt::format("asks for \"{}\", which Seba does not offer: {}",
                                                   name, instead));
        if (it == std::end(kCapabilities))
            r.fail("capabilities",
                   fmt::format("has unknown capability \"{}\" (known: ui, storage, "
                               "outbox, printer, credentials, files, camera, survey)",
                               name));
        m.capabilities.push_back(it->capability);
    }
    m.channels = r.strings(doc, "channels", "channels");
    for (const std::string& channel : m.channels)
        if (!is_valid_channel_name(channel))
            r.fail("channels", fmt::format("has an invalid channel name \"{}\"", channel));
    m.event_types = r.strings(doc, "events", "events");
    for (const std::string& type : m.event_types)
        if (!matches(type, "[a-z][a-z0-9_.]{0,63}") || type.rfind(m.id + ".", 0) != 0)
            r.fail("events", fmt::format("\"{}\" must start with the plugin id and a dot, e.g. "
                                         "\"{}.request_created\"",
                                         type, m.id));
    if (!m.event_types.empty() && !m.has(Capability::Outbox))
        r.fail("events", "are declared but the \"outbox\" capability is not");
    // Which events are each a service delivered (seba/tcv.hpp): emit checks their "tcv".
    m.service_events = r.strings(doc, "service_events", "service_events");
    for (const std::string& type : m.service_events)
        if (std::find(m.event_types.begin(), m.event_types.end(), type) == m.event_types.end())
            r.fail("service_events",
                   fmt::format("lists \"{}\", which is not one of the plugin's \"events\"", type));
    if (m.has(Capability::Survey) && !m.has(Capability::Outbox))
        r.fail("capabilities",
               "asks for \"survey\" without \"outbox\": the survey's answers go out as events");

    if (doc.contains("settings")) {
        const json& list = r.get(doc, "settings", "settings", json::value_t::array, "a list");
        for (std::size_t i = 0; i < list.size(); ++i) {
            SettingSpec spec = parse_setting(r, list[i], i);
            if (m.setting(spec.key))
                r.fail("settings", fmt::format("declares \"{}\" twice", spec.key));
            m.settings.push_back(std::move(spec));
        }
    }
    if (doc.contains("search")) {
        const json& indexes =
            r.get(doc, "search", "search", json::value_t::object, "{index name: spec}");
        for (const auto& [name, spec] : indexes.items()) {
            if (name != m.id && name.rfind(m.id + ".", 0) != 0)
                r.fail("search." + name,
                       fmt::format("must be named \"{0}\" or start with \"{0}.\"", m.id));
            try {
                search::IndexSpec::from_json(name, spec);
            } catch (const Error& e) {
                r.fail("search." + name, fmt::format("is not a usable index spec: {}", e.what()));
            }
            m.search_indexes[name] = spec;
        }
    }
    return m;
}

Manifest load_manifest(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Error(
            fmt::format("{}: cannot read the manifest; every plugin folder needs one "
                        "(see docs/plugin-guide.md)",
                        file.string()));
    std::ostringstream text;
    text << in.rdbuf();
    return parse_manifest(text.str(), file);
}

}  // namespace seba

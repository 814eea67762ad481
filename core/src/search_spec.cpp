// SPDX-License-Identifier: Apache-2.0
// Index specs as JSON, checked field by field; what an entry and a match are called.
#include <fmt/format.h>

#include <regex>
#include <set>

#include "seba/error.hpp"
#include "seba/manifest.hpp"
#include "seba/search.hpp"

namespace seba::search {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxSources = 32;
constexpr std::size_t kMaxNameFields = 16;
constexpr std::size_t kMaxAlsoFields = 16;

bool is_field_name(const std::string& name) {
    static const std::regex pattern("[a-z0-9_]{1,64}");
    return std::regex_match(name, pattern);
}

bool is_index_name(const std::string& name) {
    static const std::regex pattern("[a-z][a-z0-9_.]{0,63}");
    return std::regex_match(name, pattern);
}

bool is_language_tag(const std::string& tag) {
    static const std::regex pattern("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}");
    return std::regex_match(tag, pattern);
}

bool is_kind(const std::string& kind) {
    static const std::regex pattern("[a-z0-9_]{0,32}");
    return std::regex_match(kind, pattern);
}

// Every mistake names the index and the field's path.
class Checker {
  public:
    explicit Checker(std::string_view index) : index_(index) {}

    [[noreturn]] void fail(std::string_view field, std::string_view problem) const {
        throw Error(fmt::format("search index \"{}\": {} {}", index_, field, problem));
    }

    void only(const json& object, std::initializer_list<const char*> known,
              const std::string& where) const {
        for (const auto& [key, value] : object.items()) {
            bool found = false;
            for (const char* k : known) found = found || key == k;
            if (!found)
                fail(where.empty() ? key : where + "." + key,
                     fmt::format("is not a known field (known: {})", fmt::join(known, ", ")));
        }
    }

    std::string text(const json& object, const char* key, const std::string& where,
                     bool required) const {
        auto it = object.find(key);
        if (it == object.end()) {
            if (required) fail(where, "is required");
            return {};
        }
        if (!it->is_string()) fail(where, fmt::format("must be text (found {})", it->dump()));
        return it->get<std::string>();
    }

    std::string field(const json& object, const char* key, const std::string& where,
                      bool required) const {
        std::string name = text(object, key, where, required);
        if ((required || !name.empty()) && !is_field_name(name))
            fail(where, fmt::format("\"{}\" must be 1-64 lower-case letters, digits and _", name));
        return name;
    }

    std::string channel(const json& object, const char* key, const std::string& where,
                        bool required) const {
        std::string name = text(object, key, where, required);
        if ((required || !name.empty()) && !is_valid_channel_name(name))
            fail(where, fmt::format("\"{}\" is not a channel name", name));
        return name;
    }

  private:
    std::string index_;
};

Source parse_source(const Checker& c, const json& s, const std::string& where) {
    if (!s.is_object()) c.fail(where, "must be an object");
    c.only(s,
           {"channel", "key_prefix", "tier", "kind", "name_fields", "names_field", "also_fields",
            "parent"},
           where);
    Source source;
    source.channel = c.channel(s, "channel", where + ".channel", true);
    source.key_prefix = c.text(s, "key_prefix", where + ".key_prefix", false);
    if (source.key_prefix.size() > 128) c.fail(where + ".key_prefix", "is longer than 128 bytes");
    if (auto it = s.find("tier"); it != s.end()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > 9)
            c.fail(where + ".tier",
                   fmt::format("must be an integer from 1 to 9 (found {})", it->dump()));
        source.tier = it->get<int>();
    }
    source.kind = c.text(s, "kind", where + ".kind", false);
    if (!is_kind(source.kind))
        c.fail(
            where + ".kind",
            fmt::format("\"{}\" must be at most 32 lower-case letters, digits and _", source.kind));
    if (auto it = s.find("name_fields"); it != s.end()) {
        if (!it->is_object()) c.fail(where + ".name_fields", "must be {language: field}");
        if (it->size() > kMaxNameFields)
            c.fail(where + ".name_fields",
                   fmt::format("has more than {} languages", kMaxNameFields));
        for (const auto& [tag, field] : it->items()) {
            const std::string path = where + ".name_fields." + tag;
            if (!is_language_tag(tag)) c.fail(path, "is not a language tag (\"bn\", \"uz-Cyrl\")");
            if (!field.is_string() || !is_field_name(field.get<std::string>()))
                c.fail(path, fmt::format("must be a field name: 1-64 lower-case letters, digits "
                                         "and _ (found {})",
                                         field.dump()));
            source.name_fields[tag] = field.get<std::string>();
        }
    }
    source.names_field = c.field(s, "names_field", where + ".names_field", false);
    if (source.name_fields.empty() && source.names_field.empty())
        c.fail(where, "names no name: give name_fields or names_field");
    if (auto it = s.find("also_fields"); it != s.end()) {
        if (!it->is_array()) c.fail(where + ".also_fields", "must be a list of field names");
        if (it->size() > kMaxAlsoFields)
            c.fail(where + ".also_fields", fmt::format("has more than {} fields", kMaxAlsoFields));
        for (const json& field : *it) {
            if (!field.is_string() || !is_field_name(field.get<std::string>()))
                c.fail(where + ".also_fields",
                       fmt::format("must list field names: 1-64 lower-case letters, digits and _ "
                                   "(found {})",
                                   field.dump()));
            source.also_fields.push_back(field.get<std::string>());
        }
    }
    if (auto it = s.find("parent"); it != s.end()) {
        const std::string path = where + ".parent";
        if (!it->is_object()) c.fail(path, "must be {\"channel\", \"field\"}");
        c.only(*it, {"channel", "field"}, path);
        ParentLink link;
        link.channel = c.channel(*it, "channel", path + ".channel", false);
        link.field = c.field(*it, "field", path + ".field", true);
        source.parent = std::move(link);
    }
    return source;
}

}  // namespace

IndexSpec IndexSpec::from_json(std::string_view name, const nlohmann::json& spec) {
    Checker c(name);
    if (!is_index_name(std::string(name)))
        c.fail("its name",
               "must be 1-64 lower-case letters, digits, _ and ., starting with a letter");
    if (!spec.is_object()) c.fail("the spec", "must be a JSON object");
    c.only(spec, {"sources"}, "");
    auto it = spec.find("sources");
    if (it == spec.end()) c.fail("sources", "is required");
    if (!it->is_array() || it->empty()) c.fail("sources", "must be a non-empty list");
    if (it->size() > kMaxSources)
        c.fail("sources", fmt::format("has {} sources; at most {}", it->size(), kMaxSources));
    IndexSpec out;
    out.name = std::string(name);
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t i = 0; i < it->size(); ++i) {
        Source source = parse_source(c, (*it)[i], fmt::format("sources[{}]", i));
        if (!seen.emplace(source.channel, source.key_prefix).second)
            c.fail(fmt::format("sources[{}]", i),
                   fmt::format("reads channel \"{}\" with key prefix \"{}\" twice", source.channel,
                               source.key_prefix));
        out.sources.push_back(std::move(source));
    }
    return out;
}

nlohmann::json IndexSpec::to_json() const {
    json list = json::array();
    for (const Source& s : sources) {
        json j = {{"channel", s.channel}, {"tier", s.tier}};
        if (!s.key_prefix.empty()) j["key_prefix"] = s.key_prefix;
        if (!s.kind.empty()) j["kind"] = s.kind;
        if (!s.name_fields.empty()) j["name_fields"] = s.name_fields;
        if (!s.names_field.empty()) j["names_field"] = s.names_field;
        if (!s.also_fields.empty()) j["also_fields"] = s.also_fields;
        if (s.parent) {
            j["parent"] = {{"field", s.parent->field}};
            if (!s.parent->channel.empty()) j["parent"]["channel"] = s.parent->channel;
        }
        list.push_back(std::move(j));
    }
    return {{"sources", std::move(list)}};
}

const std::string& Entry::name(std::string_view language) const {
    static const std::string none;
    if (auto it = names.find(std::string(language)); it != names.end()) return it->second;
    if (auto it = names.find("en"); it != names.end()) return it->second;
    return names.empty() ? none : names.begin()->second;
}

std::string_view to_string(Match match) {
    switch (match) {
        case Match::Exact:
            return "exact";
        case Match::Prefix:
            return "prefix";
        case Match::Fuzzy:
            return "fuzzy";
    }
    return "exact";
}

}  // namespace seba::search

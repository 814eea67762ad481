// SPDX-License-Identifier: Apache-2.0
#include "service_catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "seba/manifest.hpp"

namespace seba::dc {

namespace {

using nlohmann::json;

const std::string kEmpty;

Translated translated(const json& j, std::string_view what) {
    if (!j.is_object() || j.empty())
        throw std::invalid_argument(fmt::format("{} must be an object of texts by language", what));
    Translated t;
    for (const auto& [language, text] : j.items()) {
        if (!text.is_string() || text.get_ref<const std::string&>().empty())
            throw std::invalid_argument(
                fmt::format("{}.{} must be a non-empty text", what, language));
        t.by_language.emplace(language, text.get<std::string>());
    }
    return t;
}

long long amount(const json& fees, const char* name) {
    const json& v = fees.at(name);
    if (!v.is_number_integer() || v.get<long long>() < 0)
        throw std::invalid_argument(fmt::format("fees.{} must be a whole amount, 0 or more", name));
    return v.get<long long>();
}

}  // namespace

const std::string& Translated::in(std::string_view language) const {
    if (auto it = by_language.find(language); it != by_language.end()) return it->second;
    if (auto it = by_language.find("en"); it != by_language.end()) return it->second;
    return by_language.empty() ? kEmpty : by_language.begin()->second;
}

std::string ServiceCatalog::icon(std::string_view key, const json& data) {
    auto found = data.find("icon");
    if (found == data.end()) return {};
    if (found->is_string() && is_valid_icon_name(found->get_ref<const std::string&>()))
        return found->get<std::string>();
    warnings_.push_back(
        fmt::format("{}: icon {} is not a Material Icons name (1-48 lower-case "
                    "letters, digits and _); shown without a pictogram",
                    key, found->dump()));
    return {};
}

std::optional<std::string> ServiceCatalog::add(std::string_view key, const json& data) {
    try {
        if (key.starts_with("category/")) {
            Category c;
            c.id = std::string(key.substr(9));
            c.name = translated(data.at("names"), "names");
            c.order = data.value("order", 0);
            c.icon = icon(key, data);
            categories_.push_back(std::move(c));
            return std::nullopt;
        }
        if (key.starts_with("rule/")) {
            std::vector<std::string> unknown;
            FormRule parsed = parse_rule(key.substr(5), data, &unknown);
            for (const std::string& w : unknown) warnings_.push_back(fmt::format("{}: {}", key, w));
            rules_.insert_or_assign(parsed.id, std::move(parsed));
            return std::nullopt;
        }
        if (!key.starts_with("service/"))
            return fmt::format("{}: not a category, service or rule", key);
        Service s;
        s.id = std::string(key.substr(8));
        s.category = data.at("category").get<std::string>();
        s.name = translated(data.at("names"), "names");
        for (const json& d : data.value("documents", json::array()))
            s.documents.push_back(translated(d, "documents[]"));
        const json& fees = data.at("fees");
        s.government_fee = amount(fees, "government");
        s.service_charge = amount(fees, "service");
        s.currency = fees.at("currency").get<std::string>();
        if (data.contains("delivery")) s.delivery = translated(data.at("delivery"), "delivery");
        if (data.contains("office")) s.office = translated(data.at("office"), "office");
        for (const json& f : data.value("form", json::array())) {
            FormField field;
            field.id = f.at("id").get<std::string>();
            field.rule = f.value("rule", "text");
            field.label = translated(f.at("label"), "form[].label");
            field.required = f.value("required", true);
            field.identifies = f.value("identifies", false);
            // An identifier is always identifying, whatever else the record says.
            field.identifying = field.identifies || f.value("identifying", true);
            if (field.id.empty()) throw std::invalid_argument("form[].id must not be empty");
            s.form.push_back(std::move(field));
        }
        s.source = data.value("source", "");
        s.icon = icon(key, data);  // last: a record skipped above leaves no warning
        services_.push_back(std::move(s));
        return std::nullopt;
    } catch (const std::exception& e) {
        return fmt::format("{}: {}", key, e.what());
    }
}

std::vector<const Service*> ServiceCatalog::in_category(std::string_view category) const {
    std::vector<const Service*> out;
    for (const Service& s : services_)
        if (s.category == category) out.push_back(&s);
    return out;
}

const Service* ServiceCatalog::find(std::string_view id) const {
    for (const Service& s : services_)
        if (s.id == id) return &s;
    return nullptr;
}

const FormRule* ServiceCatalog::rule(std::string_view id) const {
    if (auto it = rules_.find(id); it != rules_.end()) return &it->second;
    return builtin_rule(id);
}

std::vector<std::string> ServiceCatalog::finish() {
    std::stable_sort(categories_.begin(), categories_.end(),
                     [](const Category& a, const Category& b) { return a.order < b.order; });
    std::sort(services_.begin(), services_.end(),
              [](const Service& a, const Service& b) { return a.id < b.id; });
    // Here, not in add(): a rule's record may come after the services that name it.
    std::vector<std::string> dropped;
    std::erase_if(services_, [&](const Service& s) {
        for (const FormField& f : s.form) {
            if (rule(f.rule)) continue;
            dropped.push_back(fmt::format(
                "service/{}: field {} follows rule \"{}\", which is neither a rule/{} record "
                "nor a built-in rule (text, name, number, date, past_date)",
                s.id, f.id, f.rule, f.rule));
            return true;
        }
        return false;
    });
    return dropped;
}

}  // namespace seba::dc

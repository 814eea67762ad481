// SPDX-License-Identifier: Apache-2.0
#include "office.hpp"

#include <cmath>
#include <cstdio>

#include "directory.hpp"

namespace seba::portal {

using nlohmann::json;

namespace {

// Throws a reason when `value` is there but not {tag: text}.
Texts texts(const json& record, const char* field) {
    Texts out;
    auto found = record.find(field);
    if (found == record.end() || found->is_null()) return out;
    if (found->is_string()) {  // one text, the same in every language (a code, a number)
        out["en"] = found->get<std::string>();
        return out;
    }
    if (!found->is_object()) throw std::string(field) + " must be {language: text}";
    for (const auto& [tag, text] : found->items()) {
        if (!text.is_string()) throw std::string(field) + "." + tag + " must be text";
        out[tag] = text.get<std::string>();
    }
    return out;
}

std::string text(const json& record, const char* field) {
    auto found = record.find(field);
    if (found == record.end() || found->is_null()) return {};
    if (!found->is_string()) throw std::string(field) + " must be text";
    return found->get<std::string>();
}

// Coordinates arrive as numbers (JSON files) or text (CSV columns).
std::optional<double> number(const json& record, const char* field) {
    auto found = record.find(field);
    if (found == record.end() || found->is_null()) return std::nullopt;
    if (found->is_number()) return found->get<double>();
    if (found->is_string()) {
        const std::string& s = found->get_ref<const std::string&>();
        if (s.empty()) return std::nullopt;
        char* end = nullptr;
        double value = std::strtod(s.c_str(), &end);
        if (end && *end == '\0' && std::isfinite(value)) return value;
    }
    throw std::string(field) + " must be a number";
}

const json& array(const json& record, const char* field) {
    static const json empty = json::array();
    auto found = record.find(field);
    if (found == record.end() || found->is_null()) return empty;
    if (!found->is_array()) throw std::string(field) + " must be a list";
    return *found;
}

Fee read_fee(const json& fee) {
    Fee out;
    if (fee.is_number()) {
        out.amount = fee.get<double>();
    } else if (fee.is_object() && fee.contains("amount")) {
        if (!fee["amount"].is_number()) throw std::string("fee.amount must be a number");
        out.amount = fee["amount"].get<double>();
        out.currency = text(fee, "currency");
        out.text = texts(fee, "note");
    } else if (fee.is_object() || fee.is_string()) {
        json wrapped = {{"fee", fee}};
        out.text = texts(wrapped, "fee");
    } else {
        throw std::string("fee must be {amount, currency} or text");
    }
    return out;
}

CharterEntry read_charter_entry(const json& e) {
    if (!e.is_object()) throw std::string("must be an object");
    CharterEntry out;
    out.service = texts(e, "service");
    if (out.service.empty()) throw std::string("has no service");
    if (e.contains("fee") && !e["fee"].is_null()) out.fee = read_fee(e["fee"]);
    out.time_limit = texts(e, "time_limit");
    for (const json& d : array(e, "documents")) {
        json wrapped = {{"document", d}};
        out.documents.push_back(texts(wrapped, "document"));
    }
    out.officer = texts(e, "officer");
    out.source = text(e, "source");
    return out;
}

FormRef read_form(const json& f) {
    if (!f.is_object()) throw std::string("must be an object");
    FormRef out;
    out.id = text(f, "id");
    out.title = texts(f, "title");
    if (out.title.empty()) throw std::string("has no title");
    out.version = text(f, "version");
    out.file = text(f, "file");
    for (const json& l : array(f, "languages"))
        if (l.is_string()) out.languages.push_back(l.get<std::string>());
    return out;
}

Notice read_notice(const json& n) {
    if (!n.is_object()) throw std::string("must be an object");
    Notice out;
    out.title = texts(n, "title");
    if (out.title.empty()) throw std::string("has no title");
    out.date = text(n, "date");
    out.expires = text(n, "expires");
    return out;
}

// Reads each element of a list, leaving out (with a warning) those that are not right.
template <typename T, typename Read>
std::vector<T> read_list(const json& record, const char* field, Read read,
                         std::vector<std::string>& warnings) {
    std::vector<T> out;
    std::size_t n = 0;
    for (const json& item : array(record, field)) {
        ++n;
        try {
            out.push_back(read(item));
        } catch (const std::string& why) {
            warnings.push_back(std::string(field) + " #" + std::to_string(n) + " left out: " + why);
        } catch (const json::exception& e) {
            warnings.push_back(std::string(field) + " #" + std::to_string(n) +
                               " left out: " + e.what());
        }
    }
    return out;
}

}  // namespace

std::vector<const Notice*> Office::current_notices(std::string_view today) const {
    std::vector<const Notice*> out;
    for (const Notice& n : notices)
        if (n.expires.empty() || std::string_view(n.expires) >= today) out.push_back(&n);
    return out;
}

std::optional<Office> read_office(const json& record, std::string& refused,
                                  std::vector<std::string>& warnings) {
    if (!record.is_object()) {
        refused = "the record is not an object";
        return std::nullopt;
    }
    try {
        Office o;
        o.name = texts(record, "name");
        o.place = text(record, "place");
        o.portal_url = text(record, "portal_url");
        o.phone = text(record, "phone");
        o.email = text(record, "email");
        o.address = texts(record, "address");
        o.hours = texts(record, "hours");
        o.lat = number(record, "lat");
        o.lon = number(record, "lon");
        if (o.lat && (*o.lat < -90 || *o.lat > 90)) throw std::string("lat is out of range");
        if (o.lon && (*o.lon < -180 || *o.lon > 180)) throw std::string("lon is out of range");
        o.source = text(record, "source");
        o.charter = read_list<CharterEntry>(record, "charter", read_charter_entry, warnings);
        o.forms = read_list<FormRef>(record, "forms", read_form, warnings);
        o.notices = read_list<Notice>(record, "notices", read_notice, warnings);
        return o;
    } catch (const std::string& why) {
        refused = why;
    } catch (const json::exception& e) {
        refused = e.what();
    }
    return std::nullopt;
}

json merge_details(const json& base, const json& details) {
    json out = base.is_object() ? base : json::object();
    if (!details.is_object()) return out;
    for (const auto& [field, value] : details.items()) {
        if (field == "portal_url" && out.contains("portal_url") && out["portal_url"].is_string() &&
            !out["portal_url"].get<std::string>().empty())
            continue;
        out[field] = value;
    }
    return out;
}

double distance_km(double lat1, double lon1, double lat2, double lon2) {
    constexpr double kRadiusKm = 6371.0, kRad = M_PI / 180.0;
    const double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
    const double a =
        std::sin(dlat / 2) * std::sin(dlat / 2) +
        std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * kRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

std::string km_text(double km) {
    char buffer[32];
    if (km < 10)
        std::snprintf(buffer, sizeof buffer, "%.1f", km);
    else
        std::snprintf(buffer, sizeof buffer, "%.0f", km);
    return buffer;
}

const std::string& name_in(const std::map<std::string, std::string>& names,
                           std::string_view language) {
    static const std::string none;
    auto pick = [&](std::string_view tag) -> const std::string* {
        auto found = names.find(std::string(tag));
        return found != names.end() && !found->second.empty() ? &found->second : nullptr;
    };
    static const std::map<std::string_view, std::vector<std::string_view>> kFallbacks = {
        {"uz-Cyrl", {"uz-Cyrl", "uz-Latn", "ru", "en"}},
        {"uz-Latn", {"uz-Latn", "uz-Cyrl", "ru", "en"}},
        {"ru", {"ru", "en", "uz-Latn"}},
        {"bn", {"bn", "en", "uz-Latn"}},  // Latin letters are taught in Bangladesh's schools
    };
    auto chain = kFallbacks.find(language);
    if (chain != kFallbacks.end()) {
        for (std::string_view tag : chain->second)
            if (const std::string* s = pick(tag)) return *s;
    } else {
        // English and other Latin-script readers: the Latin-script name next.
        if (const std::string* s = pick(language)) return *s;
        if (const std::string* s = pick("en")) return *s;
        if (const std::string* s = pick("uz-Latn")) return *s;
    }
    for (const auto& [tag, name] : names)
        if (!name.empty()) return name;
    return none;
}

}  // namespace seba::portal

// SPDX-License-Identifier: Apache-2.0
#include "portal.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace seba::portal {

namespace {

std::optional<double> coordinate(std::string_view text, double limit) {
    if (text.empty()) return std::nullopt;
    std::string s(text);
    char* end = nullptr;
    double value = std::strtod(s.c_str(), &end);
    if (!end || *end != '\0' || !std::isfinite(value) || std::fabs(value) > limit)
        return std::nullopt;
    return value;
}

}  // namespace

std::optional<Coordinates> parse_coordinates(std::string_view lat, std::string_view lon) {
    std::optional<double> la = coordinate(lat, 90), lo = coordinate(lon, 180);
    if (!la || !lo) return std::nullopt;
    return Coordinates{*la, *lo};
}

Portal::Portal(Directory& directory, print::Printer& printer, std::optional<Coordinates> centre,
               Warn warn, double near_km)
    : directory_(directory),
      printer_(printer),
      centre_(centre),
      warn_(std::move(warn)),
      near_km_(near_km) {
}

std::optional<Office> Portal::office(const PlaceRef& ref) {
    nlohmann::json record = directory_.details(ref);
    if (record.is_null()) return std::nullopt;
    std::string refused;
    std::vector<std::string> warnings;
    std::optional<Office> office = read_office(record, refused, warnings);
    const std::string who = ref.channel + "/" + ref.key;
    if (!office && warn_) warn_("portal.offices record for " + who + " skipped: " + refused);
    for (const std::string& w : warnings)
        if (warn_) warn_("portal.offices record for " + who + ": " + w);
    return office;
}

std::vector<std::pair<Located, double>> Portal::near(std::size_t limit) {
    std::vector<std::pair<Located, double>> out;
    if (!centre_) return out;
    for (Located& l : directory_.located()) {
        const double km = distance_km(centre_->lat, centre_->lon, l.lat, l.lon);
        if (km <= near_km_) out.emplace_back(std::move(l), km);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.second < b.second; });
    if (out.size() > limit) out.resize(limit);
    return out;
}

std::string Portal::path_text(const std::vector<Place>& path, std::string_view language) {
    std::string out;
    for (auto p = path.rbegin(); p != path.rend(); ++p) {
        if (!out.empty()) out += " › ";
        out += name_in(p->names, language);
    }
    return out;
}

std::string Portal::fee_text(Ui& ui, const Fee& fee) {
    if (!fee.amount) return name_in(fee.text, ui.language());
    if (*fee.amount == 0) return ui.tr("Free");
    std::string amount;
    const double whole = std::floor(*fee.amount);
    if (whole == *fee.amount) {
        // Thousands apart with a space, as both countries write sums.
        std::string digits = std::to_string(static_cast<long long>(whole));
        for (std::size_t i = 0; i < digits.size(); ++i) {
            if (i > 0 && (digits.size() - i) % 3 == 0 && digits.size() > 4) amount += ' ';
            amount += digits[i];
        }
    } else {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.2f", *fee.amount);
        amount = buffer;
    }
    std::string out = ui.digits(amount);
    if (!fee.currency.empty()) {
        const std::string& word = ui.tr(fee.currency);  // "টাকা", "soʻm"
        out += " " + word;
    }
    if (!fee.text.empty()) out += " (" + name_in(fee.text, ui.language()) + ")";
    return out;
}

std::string Portal::next_reference(std::string_view what) {
    // Unique per job: the kiosk's time to the second and a count within this run.
    std::string stamp;
    for (char c : kiosk_now().iso().substr(0, 19))
        if (c >= '0' && c <= '9') stamp += c;
    return "portal-" + std::string(what) + "-" + stamp + "-" + std::to_string(++printed_);
}

print::Document Portal::charter_document(Ui& ui, const Place& place, const std::vector<Place>& path,
                                         const Office& office) {
    const std::string_view lang = ui.language();
    print::Document d;
    d.language = std::string(lang);
    d.reference = next_reference("charter");
    d.copy_mark = ui.tr("Copy");
    std::vector<Place> with_place = path;
    with_place.push_back(place);
    d.title(ui.tr("Citizen charter")).heading(name_in(place.names, lang));
    d.paragraph(path_text(with_place, lang));
    if (!office.portal_url.empty()) d.row(ui.tr("Portal"), office.portal_url);
    if (!office.phone.empty()) d.row(ui.tr("Phone"), ui.digits(office.phone));
    if (!office.hours.empty())
        d.row(ui.tr("Opening hours"), ui.digits(name_in(office.hours, lang)));
    d.rule();
    std::size_t n = 0;
    for (const CharterEntry& e : office.charter) {
        d.heading(ui.digits(std::to_string(++n)) + ". " + name_in(e.service, lang));
        if (e.fee) d.row(ui.tr("Fee"), fee_text(ui, *e.fee));
        if (!e.time_limit.empty())
            d.row(ui.tr("Time limit"), ui.digits(name_in(e.time_limit, lang)));
        if (!e.documents.empty()) {
            std::string docs;
            for (const Texts& doc : e.documents) {
                if (!docs.empty()) docs += "; ";
                docs += name_in(doc, lang);
            }
            d.row(ui.tr("Documents"), docs);
        }
        if (!e.officer.empty()) d.row(ui.tr("Responsible officer"), name_in(e.officer, lang));
    }
    d.rule();
    if (!office.portal_url.empty()) d.qr("https://" + office.portal_url);
    d.footer(ui.digits(kiosk_now().iso().substr(0, 10)) + " · " +
             ui.tr("Check the portal for changes before you go."));
    return d;
}

print::Document Portal::form_document(Ui& ui, const Place& place, const FormRef& form) {
    const std::string_view lang = ui.language();
    print::Document d;
    d.language = std::string(lang);
    d.reference = next_reference("form");
    d.copy_mark = ui.tr("Copy");
    d.title(name_in(form.title, lang)).heading(name_in(place.names, lang)).rule();
    if (!form.version.empty()) d.row(ui.tr("Version"), ui.digits(form.version));
    if (!form.languages.empty()) {
        std::string langs;
        for (const std::string& l : form.languages) langs += (langs.empty() ? "" : ", ") + l;
        d.row(ui.tr("Languages"), langs);
    }
    if (!form.file.empty()) {
        d.row(ui.tr("Where to get it"), form.file);
        d.qr(form.file);
    }
    d.footer(ui.tr("Scan the code with a phone to download the form."));
    return d;
}

std::string_view kind_icon(std::string_view kind) {
    if (kind == "division" || kind == "region") return "map";
    if (kind == "district") return "location_city";
    if (kind == "upazila") return "holiday_village";
    if (kind == "union" || kind == "village") return "cottage";
    if (kind == "office") return ui::icon::bank;
    return "place";
}

std::string kind_text(Ui& ui, std::string_view kind) {
    if (kind == "division") return ui.tr("Division");
    if (kind == "region") return ui.tr("Region");
    if (kind == "district") return ui.tr("District");
    if (kind == "upazila") return ui.tr("Upazila");
    if (kind == "union") return ui.tr("Union");
    if (kind == "village") return ui.tr("Village");
    if (kind == "office") return ui.tr("Office");
    return std::string(kind);
}

std::string place_id(std::string_view prefix, const PlaceRef& ref) {
    return std::string(prefix) + ref.channel + "/" + ref.key;
}

}  // namespace seba::portal

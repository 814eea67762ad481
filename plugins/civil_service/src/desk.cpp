// SPDX-License-Identifier: Apache-2.0
#include "desk.hpp"

#include "categories.hpp"

namespace seba::civil {

namespace {
constexpr std::string_view kServices = "dc.services";
constexpr std::string_view kServicePrefix = "service/";
}  // namespace

std::string ServiceName::in(std::string_view language) const {
    if (auto n = names.find(language); n != names.end() && !n->second.empty()) return n->second;
    if (auto n = names.find("en"); n != names.end() && !n->second.empty()) return n->second;
    return id;
}

Desk::Desk(PluginContext& context)
    : context_(context),
      book_(context.store(), context.settings().text("centre_code")),
      printer_(context.printer()) {
    // A complaint is marked printed when its slip's job ends.
    printer_.on_printed([this](const std::string& reference) { book_.mark_printed(reference); });
    load_services();
}

void Desk::refresh() {
    if (context_.store().catalog_cursor(kServices) != services_cursor_) load_services();
}

void Desk::load_services() {
    PluginStore& store = context_.store();
    services_.clear();
    found_.clear();
    searched_cursor_.clear();
    store.for_each_catalog_record(kServices, [&](std::string_view key, const nlohmann::json& d) {
        if (!key.starts_with(kServicePrefix) || !d.is_object()) return;
        ServiceName s;
        s.id = std::string(key.substr(kServicePrefix.size()));
        if (auto names = d.find("names"); names != d.end() && names->is_object())
            for (const auto& [language, name] : names->items())
                if (name.is_string()) s.names[language] = name.get<std::string>();
        if (auto icon = d.find("icon"); icon != d.end() && icon->is_string())
            s.icon = icon->get<std::string>();
        services_.push_back(std::move(s));
    });
    std::sort(services_.begin(), services_.end(),
              [](const ServiceName& a, const ServiceName& b) { return a.in("en") < b.in("en"); });
    services_cursor_ = store.catalog_cursor(kServices);
}

const ServiceName* Desk::service(std::string_view id) const {
    for (const ServiceName& s : services_)
        if (s.id == id) return &s;
    return nullptr;
}

std::vector<const ServiceName*> Desk::search(std::string_view query) {
    // The screen asks every frame; the index is asked again only when something changed.
    const std::string cursor = context_.store().catalog_cursor(kServices);
    if (query == searched_ && cursor == searched_cursor_) return found_;
    searched_ = std::string(query);
    searched_cursor_ = cursor;
    found_.clear();
    search::Query q;
    q.text = std::string(query);
    q.kind = "service";
    q.limit = 20;
    for (const search::Hit& hit : context_.store().search().find("civil_service", q)) {
        std::string_view key = hit.entry.key;
        if (!key.starts_with(kServicePrefix)) continue;
        if (const ServiceName* s = service(key.substr(kServicePrefix.size()))) found_.push_back(s);
    }
    return found_;
}

print::Document Desk::slip_for(Ui& ui, const StoredGrievance& g) {
    print::Document slip;
    slip.language = std::string(ui.language());
    slip.reference = g.reference;
    slip.copy_mark = ui.tr("Copy");
    slip.title(ui.tr("Complaint received")).heading(ui.tr("Complaints and feedback")).rule();
    slip.row(ui.tr("About"), category_word(ui, g.category));
    if (const ServiceName* s = service(g.service)) slip.row(ui.tr("Service"), s->in(ui.language()));
    slip.row(ui.tr("Filed on"), date_of(ui, g.filed_at));
    slip.rule()
        .number(g.reference)
        .qr(g.reference)
        .paragraph(ui.tr("Your complaint goes to the office that oversees this centre."))
        .footer(ui.tr("Keep this slip. To see the answer, open Complaints and feedback on the "
                      "kiosk, choose Check a complaint and type this reference."));
    return slip;
}

std::string category_word(Ui& ui, std::string_view category) {
    if (const Category* c = find_category(category)) return ui.tr(std::string(c->name));
    return std::string(category);
}

std::string date_of(Ui& ui, std::string_view iso) {
    return ui.date(iso.substr(0, 10));
}

}  // namespace seba::civil

// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every screen of the complaints desk shares: the plugin's context, the grievance book,
// the kiosk's printer, and the Digital Centre's services (channel dc.services) by name, so a
// complaint can say which service it is about. Screens hold only what they show.

#include <map>
#include <seba/sdk.hpp>
#include <string>
#include <vector>

#include "grievance_book.hpp"

namespace seba::civil {

using seba::ui::Ui;

/// A service of the centre's catalog, as a complaint names it.
struct ServiceName {
    std::string id;
    std::map<std::string, std::string, std::less<>> names;  ///< language -> name; "en" too
    std::string icon;
    /// In `language`, else English, else the id.
    std::string in(std::string_view language) const;
};

class Desk {
  public:
    explicit Desk(PluginContext& context);

    PluginContext& context() { return context_; }
    GrievanceBook& book() { return book_; }
    print::Printer& printer() { return printer_; }

    /// Reads the services again if their channel changed since the last call (every frame).
    void refresh();
    /// The service `id`, or null when the catalog has none such.
    const ServiceName* service(std::string_view id) const;
    /// Every service, by English name.
    const std::vector<ServiceName>& services() const { return services_; }
    /// The services whose name in any language matches what the citizen typed, best first
    /// (the kit's search over dc.services: any script, spelling variants, typos).
    std::vector<const ServiceName*> search(std::string_view query);

    /// The slip of a complaint, in the citizen's language: the reference large, its QR code,
    /// and how to check it. Nothing the citizen wrote is on it.
    print::Document slip_for(Ui& ui, const StoredGrievance& g);

  private:
    void load_services();

    PluginContext& context_;
    GrievanceBook book_;
    print::Printer& printer_;
    std::vector<ServiceName> services_;
    std::string services_cursor_;
    std::string searched_, searched_cursor_;
    std::vector<const ServiceName*> found_;
};

/// The word for `category` (an id of categories()) in the citizen's language.
std::string category_word(Ui& ui, std::string_view category);
/// A UTC ISO 8601 time's date, as the citizen's language writes dates.
std::string date_of(Ui& ui, std::string_view iso);

}  // namespace seba::civil

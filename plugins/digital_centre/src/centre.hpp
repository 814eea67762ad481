// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every screen of the Digital Centre shares: the plugin's context, the service catalog
// (read again when its channel changes), the request book, the kiosk's printer and the
// times of the citizen's visit. Screens hold only what they show; this holds the rest.

#include <chrono>
#include <memory>
#include <optional>
#include <seba/sdk.hpp>
#include <string>

#include "request_book.hpp"
#include "service_catalog.hpp"

namespace seba::dc {

using seba::ui::Ui;

class Centre {
  public:
    using Time = std::chrono::steady_clock::time_point;

    explicit Centre(PluginContext& context);
    ~Centre();

    PluginContext& context() { return context_; }
    RequestBook& book() { return book_; }
    print::Printer& printer() { return printer_; }
    const ServiceCatalog& catalog() const { return catalog_; }

    /// Reads the catalog again if its channel changed since the last call (every frame).
    void refresh();
    /// The service `id` as the catalog has it now, or null when a sync took it away.
    const Service* service(std::string_view id) const { return catalog_.find(id); }
    /// The services whose name in any language matches what the citizen typed, best first
    /// (the kit's search: any script, spelling variants, typos; seba/search.hpp).
    std::vector<const Service*> search(std::string_view query);

    /// When the citizen opened the Digital Centre (the first frame since the last visit).
    Time arrived();
    void forget_visit() { arrived_.reset(); }

    /// "১ ২৫০ টাকা": thousands apart with a space, in the citizen's digits and the catalog's
    /// word for the ISO 4217 code; for a code no catalog names, ICU's form in the language.
    static std::string money(Ui& ui, long long amount, const std::string& currency);
    /// The receipt of a request, in the citizen's language.
    static print::Document receipt_for(Ui& ui, const Service& s, const std::string& tracking,
                                       const std::string& payment);

  private:
    void load_catalog();

    PluginContext& context_;
    RequestBook book_;
    ServiceCatalog catalog_;
    std::string catalog_cursor_;
    print::Printer& printer_;
    std::optional<Time> arrived_;
    std::string searched_, searched_cursor_;  // the last search, and what it found
    std::vector<const Service*> found_;
};

/// Today (UTC) by the kiosk's clock corrected to the server's: what dates are checked against.
std::string today_utc();

}  // namespace seba::dc

// SPDX-License-Identifier: Apache-2.0
// The operator's page, behind the PIN: the channels that feed the directory with how many
// records each holds, how many of them are found by search and when each last changed; and
// the centre's coordinates that "Offices near this centre" measures from.
#include "screens.hpp"

namespace seba::portal {

void draw_operator_page(Ui& ui, Portal& portal) {
    ui.heading("portal.op.title", ui.tr("National portal directory"));
    std::vector<FeedStatus> feeds = portal.directory().status();
    if (feeds.empty())
        ui.message("portal.op.no_index", ui::Tone::Warning,
                   ui.tr("No search index \"portal\" on this kiosk: the country pack's "
                         "search.indexes channel has not arrived."));
    for (const FeedStatus& f : feeds) {
        std::string detail = ui.tr("Records") + ": " + ui.digits(std::to_string(f.records)) +
                             " · " + ui.tr("In search") + ": " +
                             ui.digits(std::to_string(f.entries));
        detail += " · " + ui.tr("Last update") + ": " +
                  (f.updated_at.empty() ? ui.tr("never") : ui.digits(f.updated_at));
        ui.list_row("portal.op.channel." + f.channel, f.channel, detail, ui::icon::sync);
    }
    if (const std::optional<Coordinates>& c = portal.centre())
        ui.paragraph("portal.op.centre", ui.tr("Centre coordinates") + ": " +
                                             ui.digits(std::to_string(c->lat).substr(0, 9)) + ", " +
                                             ui.digits(std::to_string(c->lon).substr(0, 9)));
    else
        ui.message("portal.op.centre", ui::Tone::Info,
                   ui.tr("Centre coordinates are not set: set centre_lat and centre_lon to show "
                         "offices near this centre."));
}

}  // namespace seba::portal

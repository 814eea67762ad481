// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The exit survey: after a service's receipt, with the citizen's consent, a few questions
/// a citizen who reads little can answer by pictogram, number pad, faces and read-aloud
/// (docs/civil-service.md): visits made for this service, the journey here (minutes and
/// cost), whether they paid anyone extra (and how much), and a rating of 1 to 5 faces.
/// Any question may be skipped; leaving at any step (Back, Home, the session's end) records
/// nothing and loses nothing of the request, which was stored before. The answers go out as
/// a "tcv.survey" event of the plugin that offered it (capability "survey"), linked to the
/// service by its tracking number only.
///
///     // after the receipt of a request just confirmed:
///     if (ui.button("dc.survey", ui.kit_tr("Tell us about your visit")))
///         nav.push(seba::ui::exit_survey(context.store(), delivered, service_name));

#include <memory>
#include <string>

#include "seba/tcv.hpp"
#include "seba/ui/export.hpp"
#include "seba/ui/navigation.hpp"

namespace seba {
class PluginStore;
}

namespace seba::ui {

/// The survey's first screen (consent), for the service `delivered` (named `service_name`
/// in the citizen's language). Its texts are the kit's (domain "seba"). When the citizen
/// finishes, the survey is recorded with seba::tcv::record_survey on `store` and a thank-you
/// screen closes it with Home.
SEBA_UI_API std::unique_ptr<Screen> exit_survey(PluginStore& store, const tcv::Delivered& delivered,
                                                std::string service_name);

}  // namespace seba::ui

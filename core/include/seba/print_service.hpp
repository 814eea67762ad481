// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The kiosk's print service as the host drives it: not for plugins (they see a Printer,
/// seba/print.hpp). The kiosk's print library implements it (kiosk/print, seba_print:
/// drawing, the print queue and its thread); seba-kiosk hands it to the Host before
/// start(), so that the core links no drawing library.

#include <functional>
#include <string>

#include "seba/export.hpp"
#include "seba/print.hpp"

namespace seba::print {

class SEBA_API PrintService {
  public:
    virtual ~PrintService();

    /// Runs `notify` (a plugin's on_printed) inside the fault boundary of plugin
    /// `plugin_id`; false when it did not run to the end (the plugin is not running, or it
    /// threw and is failed now).
    using Deliver =
        std::function<bool(const std::string& plugin_id, const std::function<void()>& notify)>;

    /// The printer plugin `plugin_id` sees: that plugin's jobs only. Lives as long as the
    /// service.
    virtual Printer& printer_for(const std::string& plugin_id) = 0;
    /// Hands the printer the jobs a previous run left (an exit, a crash): they print before
    /// anyone opens a plugin. Called by Host::start() once the plugins have started.
    virtual void start() = 0;
    /// Records what the printer did (each plugin hears of its printed documents through
    /// `deliver`) and hands it the next job. The host calls it every frame and at the end
    /// of each session (Host::pump_printing).
    virtual void pump(const Deliver& deliver) = 0;
    /// Stops the printing thread: waits for a job being written (half a receipt helps no
    /// one), not for a wait between tries, and records the outcomes. Called by Host::stop()
    /// before the plugins stop, so that they still hear of them.
    virtual void stop(const Deliver& deliver) = 0;
};

}  // namespace seba::print

// SPDX-License-Identifier: Apache-2.0
#pragma once

// The kiosk's print service: one queue and one printing thread for the kiosk's one printer,
// shared by every plugin with the "printer" capability, each seeing its own jobs only. How
// it keeps a document from being silently lost: src/print_queue.hpp and
// docs/plugin-guide.md, "Printing".

#include <chrono>
#include <filesystem>
#include <memory>

#include "seba/config.hpp"
#include "seba/print/render.hpp"
#include "seba/print_service.hpp"
#include "seba/storage.hpp"

namespace seba {
class Host;
}

namespace seba::print {

/// Where documents go: a printer device, PDF files (with PNG previews), or both.
struct Target {
    std::filesystem::path device;   ///< e.g. /dev/usb/lp0; empty: none
    std::filesystem::path pdf_dir;  ///< documents as <reference>.pdf and .png; empty: none
    Paper paper = Paper::Thermal80;
    bool any() const { return !device.empty() || !pdf_dir.empty(); }
};

/// The kiosk configuration's [printer] as a Target.
Target target_of(const PrinterConfig& printer);

/// How a failing printer is retried: waits double from `first_wait` up to `longest_wait`;
/// after `tries` failures in a row the job is set aside for the operator.
struct Retry {
    std::chrono::milliseconds first_wait{2000};
    std::chrono::milliseconds longest_wait{120000};
    int tries = 8;
};

/// The print service on `db`, the host's database (its table core__print_jobs), printing
/// to `target`. Its thread starts now; jobs are handed to it by start() and pump(). `db`
/// must outlive it and is used from the calling thread only, never from the printing one.
std::unique_ptr<PrintService> make_service(Database& db, Target target, Retry retry = {});

/// Gives `host` the print service for its configuration's [printer]. Call before
/// host.start(); the host drives it from then on (Host::set_print_service).
void install(Host& host, Retry retry = {});

}  // namespace seba::print

// SPDX-License-Identifier: Apache-2.0
#pragma once

// Receipts queued before the kiosk printed for every plugin: the Digital Centre kept them in
// its own table (digital_centre__print_jobs, request_book.cpp's migration 4). At start they
// move to the kiosk's queue, in order, once: a receipt that had reached the printer prints
// again marked as a copy, as it would have. Nothing is lost if the move fails (no print
// service in this program, a full disk): they stay for the next start.

#include "seba/plugin_store.hpp"
#include "seba/print.hpp"

namespace spdlog {
class logger;
}

namespace seba::dc {

void move_old_print_jobs(PluginStore& store, print::Printer& printer, spdlog::logger& log);

}  // namespace seba::dc

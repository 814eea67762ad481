// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "seba/print.hpp"

namespace seba::detail {

/// The printer of a process that has no print service (seba-host, `seba-kiosk sync`): a
/// plugin with the "printer" capability starts there as anywhere, but whatever it queues is
/// refused with a seba::Error naming it; it knows no jobs.
std::unique_ptr<print::Printer> unavailable_printer(std::string plugin_id);

}  // namespace seba::detail

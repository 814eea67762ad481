// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace seba::testing {

struct ProcessResult {
    int exit_code = -1;  ///< -1 when the process was killed by a signal
    std::string output;  ///< standard output and standard error, interleaved
};

/// Runs a shell command to completion and collects what it printed.
ProcessResult run_process(const std::string& command);

/// A loopback port nothing listens on now (bound, then closed): for a server a test starts,
/// or for a server that is not there.
int free_loopback_port();

}  // namespace seba::testing

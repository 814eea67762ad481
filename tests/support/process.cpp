// SPDX-License-Identifier: Apache-2.0
#include "process.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>

namespace seba::testing {

ProcessResult run_process(const std::string& command) {
    ProcessResult result;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return result;
    std::array<char, 4096> buffer;
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
        result.output.append(buffer.data(), n);
    int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

}  // namespace seba::testing

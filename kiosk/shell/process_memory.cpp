// SPDX-License-Identifier: Apache-2.0
#include "process_memory.hpp"

#include <fstream>
#include <string>

namespace seba::kiosk {

std::optional<ProcessMemory> process_memory(pid_t pid) {
    std::ifstream rollup(pid == 0 ? std::string("/proc/self/smaps_rollup")
                                  : "/proc/" + std::to_string(pid) + "/smaps_rollup");
    std::optional<std::uint64_t> rss, pss;
    std::string line;
    while (std::getline(rollup, line)) {  // "Rss:              197124 kB"
        if (line.starts_with("Rss:")) rss = std::stoull(line.substr(4));
        if (line.starts_with("Pss:")) pss = std::stoull(line.substr(4));
    }
    if (!rss || !pss) return std::nullopt;
    return ProcessMemory{*rss, *pss};
}

}  // namespace seba::kiosk

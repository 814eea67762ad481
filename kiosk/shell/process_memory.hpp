// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace seba::kiosk {

/// What a process holds in memory, from /proc/PID/smaps_rollup, in KiB. RSS counts every
/// page it maps, shared or not; PSS shares each shared page among the processes that map it
/// (the fair figure for a kiosk that shares Mesa and LLVM with nothing else).
struct ProcessMemory {
    std::uint64_t rss_kib = 0;
    std::uint64_t pss_kib = 0;
};

/// The memory of `pid` (0: this process), or nothing when it cannot be read.
std::optional<ProcessMemory> process_memory(pid_t pid = 0);

}  // namespace seba::kiosk

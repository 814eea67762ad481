// SPDX-License-Identifier: Apache-2.0
// A program's whole process tree as /proc shows it: its memory (PSS and RSS summed over every
// process) and its CPU time. Chromium runs as about ten processes, the kiosk as one: the tree
// is what each costs the machine.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <vector>

namespace seba::bench {

/// Every live process of the tree: the session `leader` started (it called setsid), and any
/// descendant of `leader` that left the session.
std::vector<pid_t> process_tree(pid_t leader);

struct TreeMemory {
    std::int64_t pss_kib = 0;  ///< summed: each shared page counted once over the tree
    std::int64_t rss_kib = 0;  ///< summed: shared pages counted in every process that maps them
    /// Anonymous memory (heap, stacks, buffers), shared ones divided as PSS does. PSS and
    /// private (USS) sizes also depend on what else runs: another process mapping the same
    /// libraries takes a share of their pages, or makes them shared. This does not.
    std::int64_t anon_kib = 0;
    int processes = 0;
};

/// From /proc/PID/smaps_rollup of each process (processes that end meanwhile are skipped).
TreeMemory tree_memory(pid_t leader);

/// CPU time of a tree at one moment, per process, to take differences of.
struct ProcessCpu {
    std::int64_t stat_ns = 0;                 ///< /proc/P/stat utime+stime: the whole
                                              ///< process, ended threads too; 10 ms steps
    std::map<pid_t, std::int64_t> thread_ns;  ///< /proc/P/task/T/schedstat: exact ns
};
struct CpuSample {
    std::map<pid_t, ProcessCpu> processes;
};
CpuSample cpu_sample(pid_t leader);

/// CPU time spent between two samples, in ns. Per process the larger of two counts: its
/// threads' schedstat (exact, but misses threads that ended between the samples) and its
/// utime+stime (counts ended threads, in clock ticks). New processes count from zero.
std::int64_t cpu_ns_between(const CpuSample& before, const CpuSample& after);

}  // namespace seba::bench

// SPDX-License-Identifier: Apache-2.0
#include "process_tree.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace seba::bench {

namespace {

namespace fs = std::filesystem;

struct Stat {
    pid_t ppid = 0;
    pid_t session = 0;
    std::int64_t cpu_ticks = 0;  // utime + stime
};

// /proc/P/stat, read past the command name (which may hold spaces and parentheses).
bool read_stat(const fs::path& file, Stat& out) {
    std::ifstream in(file);
    std::string line;
    if (!std::getline(in, line)) return false;
    std::size_t close = line.rfind(')');
    if (close == std::string::npos) return false;
    std::istringstream fields(line.substr(close + 2));
    // Fields 3.. of proc(5): state ppid pgrp session tty_nr tpgid flags minflt cminflt
    // majflt cmajflt utime stime.
    std::string state;
    long long pgrp = 0, tty = 0, tpgid = 0, ppid = 0, session = 0;
    unsigned long long flags = 0, minflt = 0, cminflt = 0, majflt = 0, cmajflt = 0, utime = 0,
                       stime = 0;
    fields >> state >> ppid >> pgrp >> session >> tty >> tpgid >> flags >> minflt >> cminflt >>
        majflt >> cmajflt >> utime >> stime;
    if (!fields) return false;
    out.ppid = static_cast<pid_t>(ppid);
    out.session = static_cast<pid_t>(session);
    out.cpu_ticks = static_cast<std::int64_t>(utime + stime);
    return true;
}

std::map<pid_t, Stat> all_processes() {
    std::map<pid_t, Stat> out;
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator("/proc", ec)) {
        const std::string name = e.path().filename();
        if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
        Stat stat;
        if (read_stat(e.path() / "stat", stat)) out[std::stoi(name)] = stat;
    }
    return out;
}

std::int64_t field_kib(const std::string& text, const std::string& key) {
    std::size_t at = text.find("\n" + key + ":");
    if (at == std::string::npos) return 0;
    return std::stoll(text.substr(at + key.size() + 2));
}

}  // namespace

std::vector<pid_t> process_tree(pid_t leader) {
    std::map<pid_t, Stat> all = all_processes();
    std::set<pid_t> tree;
    for (const auto& [pid, stat] : all)
        if (pid == leader || stat.session == leader) tree.insert(pid);
    // Descendants that started a session of their own (a daemon-like helper) still count.
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& [pid, stat] : all)
            if (!tree.count(pid) && tree.count(stat.ppid)) grew = tree.insert(pid).second;
    }
    return {tree.begin(), tree.end()};
}

TreeMemory tree_memory(pid_t leader) {
    TreeMemory out;
    for (pid_t pid : process_tree(leader)) {
        std::ifstream in("/proc/" + std::to_string(pid) + "/smaps_rollup");
        std::stringstream text;
        text << "\n" << in.rdbuf();
        if (text.str().find("\nPss:") == std::string::npos) continue;  // ended meanwhile
        out.pss_kib += field_kib(text.str(), "Pss");
        out.rss_kib += field_kib(text.str(), "Rss");
        out.anon_kib += field_kib(text.str(), "Pss_Anon");
        ++out.processes;
    }
    return out;
}

CpuSample cpu_sample(pid_t leader) {
    static const std::int64_t ns_per_tick = 1'000'000'000 / ::sysconf(_SC_CLK_TCK);
    CpuSample out;
    for (pid_t pid : process_tree(leader)) {
        fs::path dir = "/proc/" + std::to_string(pid);
        Stat stat;
        if (!read_stat(dir / "stat", stat)) continue;
        ProcessCpu& p = out.processes[pid];
        p.stat_ns = stat.cpu_ticks * ns_per_tick;
        std::error_code ec;
        for (const fs::directory_entry& t : fs::directory_iterator(dir / "task", ec)) {
            std::ifstream in(t.path() / "schedstat");
            std::int64_t on_cpu_ns = 0;
            if (in >> on_cpu_ns) p.thread_ns[std::stoi(t.path().filename())] = on_cpu_ns;
        }
    }
    return out;
}

std::int64_t cpu_ns_between(const CpuSample& before, const CpuSample& after) {
    std::int64_t total = 0;
    for (const auto& [pid, now] : after.processes) {
        auto was = before.processes.find(pid);
        const ProcessCpu none;
        const ProcessCpu& then = was == before.processes.end() ? none : was->second;
        std::int64_t by_threads = 0;
        for (const auto& [tid, ns] : now.thread_ns) {
            auto t = then.thread_ns.find(tid);
            by_threads += ns - (t == then.thread_ns.end() ? 0 : t->second);
        }
        total += std::max(by_threads, now.stat_ns - then.stat_ns);
    }
    return total;
}

}  // namespace seba::bench

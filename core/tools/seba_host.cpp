// SPDX-License-Identifier: Apache-2.0
// seba-host: runs the plugin host without a screen and reports on it. Operators and
// scripts use it to see which plugins load and why not, to re-enable a quarantined plugin,
// and to check the audit chain.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "seba/audit.hpp"
#include "seba/build_info.hpp"
#include "seba/config.hpp"
#include "seba/error.hpp"
#include "seba/host.hpp"
#include "seba/logging.hpp"
#include "seba/search.hpp"

namespace {

void print_plugins(const seba::Host& host) {
    std::vector<seba::PluginInfo> plugins = host.plugins();
    fmt::print("{} plugin(s) found, enabled ones in home-screen order:\n", plugins.size());
    for (const seba::PluginInfo& p : plugins) {
        std::string name = p.manifest ? p.manifest->name("en") : std::string("?");
        std::string version = p.manifest ? p.manifest->version : std::string("?");
        std::string signature = p.unsigned_dev        ? "UNSIGNED (development mode)"
                                : p.signed_by.empty() ? ""
                                                      : "signed by " + p.signed_by;
        fmt::print("  {:<18} {:<8} {:<11} {:<24} {}\n", p.id, version, seba::to_string(p.state),
                   name, signature);
        if (!p.reason.empty()) fmt::print("      why: {}\n", p.reason);
    }
}

int run(const seba::Config& config, bool sessions) {
    seba::Host host(config);
    fmt::print("{}\n", seba::version_line("seba-host"));
    fmt::print("kiosk {} at centre {}, languages {}, data in {}\n", config.kiosk_id, config.centre,
               fmt::join(config.languages, " "), config.data_dir.string());
    if (host.development_mode())
        fmt::print("*** DEVELOPMENT MODE: unsigned plugins may load. Never in service. ***\n");
    host.start();
    print_plugins(host);
    if (sessions) host.end_session();
    host.stop();
    std::size_t stopped = 0, enabled = 0;
    for (const seba::PluginInfo& p : host.plugins()) {
        enabled += p.enabled;
        stopped += p.state == seba::PluginState::Stopped;
    }
    fmt::print("{} of {} enabled plugin(s) ran and stopped cleanly.\n", stopped, enabled);
    seba::AuditLog::Verification audit = host.audit().verify();
    fmt::print("audit log: {} entries, {}\n", audit.entries,
               audit.ok ? "chain intact" : audit.reason);
    return 0;
}

int verify_audit(const seba::Config& config) {
    seba::Host host(config);
    seba::AuditLog::Verification v = host.audit().verify();
    if (v.ok) {
        fmt::print("audit log intact: {} entries\n", v.entries);
        return 0;
    }
    fmt::print("AUDIT LOG BROKEN at entry {}: {}\n", v.first_broken.value_or(0), v.reason);
    return 3;
}

int show_audit(const seba::Config& config, int count) {
    seba::Host host(config);
    for (const seba::AuditEntry& e : host.audit().recent(count))
        fmt::print("{:>6}  {}  {:<9} {:<20} {:<16} {}\n", e.seq, e.at, e.actor, e.action, e.subject,
                   e.detail);
    return 0;
}

int reenable(const seba::Config& config, const std::string& id) {
    seba::Host host(config);
    host.start();
    host.reenable(id, "operator");
    std::optional<seba::PluginInfo> p = host.find(id);
    fmt::print("{} is now {}\n", id, p ? seba::to_string(p->state) : "unknown");
    host.stop();
    return 0;
}

// One JSON object per line, best first, for operators and scripts.
int search(const seba::Config& config, const std::string& index, const std::string& text,
           std::size_t limit) {
    seba::Host host(config);
    seba::search::Search search(host.database());
    if (!search.spec(index)) {
        std::vector<std::string> known = search.indexes();
        std::fprintf(
            stderr, "seba-host: this kiosk has no search index \"%s\" (it has: %s)\n",
            index.c_str(),
            known.empty() ? "none yet" : fmt::format("{}", fmt::join(known, ", ")).c_str());
        return 2;
    }
    std::vector<seba::search::Hit> hits = search.find(index, {text, limit, {}});
    for (const seba::search::Hit& hit : hits) {
        nlohmann::json place = nlohmann::json::array();
        for (const seba::search::Entry& e : hit.path)
            place.push_back({{"name", e.names}, {"kind", e.kind}});
        nlohmann::json line = {{"name", hit.entry.names},
                               {"kind", hit.entry.kind},
                               {"tier", hit.entry.tier},
                               {"channel", hit.entry.channel},
                               {"key", hit.entry.key},
                               {"place", place},
                               {"match", seba::search::to_string(hit.match)},
                               {"score", hit.score}};
        fmt::print("{}\n", line.dump());
    }
    if (hits.empty()) std::fprintf(stderr, "nothing found\n");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"seba-host: the plugin host without a screen, for operators and scripts"};
    app.set_version_flag("--version", seba::version_line("seba-host"));
    std::string config_path = "/etc/seba/seba.toml";
    app.add_option("-c,--config", config_path, "kiosk configuration file")->capture_default_str();
    app.require_subcommand(1);

    bool sessions = true;
    auto* run_cmd = app.add_subcommand("run", "load and start the enabled plugins, report, stop");
    run_cmd->add_flag("!--no-session", sessions, "do not simulate the end of a citizen session");
    auto* verify_cmd = app.add_subcommand("verify-audit", "check the audit log's hash chain");
    int count = 20;
    auto* audit_cmd = app.add_subcommand("audit", "show the newest audit entries");
    audit_cmd->add_option("-n,--count", count, "how many")->capture_default_str();
    std::string id;
    auto* reenable_cmd =
        app.add_subcommand("reenable", "clear a plugin's quarantine or failure (audited)");
    reenable_cmd->add_option("plugin", id, "plugin id")->required();
    std::string index, text;
    std::size_t limit = 20;
    auto* search_cmd = app.add_subcommand(
        "search", "search an index as the kiosk does; one JSON object per result line");
    search_cmd->add_option("index", index, "index name, e.g. portal")->required();
    search_cmd->add_option("text", text, "what a citizen would type")->required();
    search_cmd->add_option("-l,--limit", limit, "at most this many results (up to 200)")
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    try {
        seba::Config config = seba::load_config(config_path);
        seba::logging::init(config.log_dir(), config.log_level, /*to_stderr=*/false);
        if (*run_cmd) return run(config, sessions);
        if (*verify_cmd) return verify_audit(config);
        if (*audit_cmd) return show_audit(config, count);
        if (*reenable_cmd) return reenable(config, id);
        if (*search_cmd) return search(config, index, text, limit);
    } catch (const seba::Error& e) {
        std::fprintf(stderr, "seba-host: %s\n", e.what());
        return 2;
    }
    return 1;
}

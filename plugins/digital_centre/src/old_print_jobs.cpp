// SPDX-License-Identifier: Apache-2.0
#include "old_print_jobs.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "seba/error.hpp"

namespace seba::dc {

namespace {

using nlohmann::json;

// The receipt as the old table kept it ({"title", "centre", "lines": [[label, value]], ...}),
// laid out as the plugin lays out a receipt now.
print::Document document_of(const json& r) {
    print::Document d;
    d.language = r.value("language", "");
    d.reference = r.value("tracking", "");
    d.copy_mark = r.value("copy", "");
    d.title(r.value("title", "")).heading(r.value("centre", "")).rule();
    for (const json& line : r.value("lines", json::array()))
        if (line.is_array() && line.size() == 2 && line[0].is_string() && line[1].is_string())
            d.row(line[0].get<std::string>(), line[1].get<std::string>());
    d.rule().number(d.reference).qr(r.value("qr", "")).footer(r.value("footer", ""));
    return d;
}

}  // namespace

void move_old_print_jobs(PluginStore& store, print::Printer& printer, spdlog::logger& log) {
    struct Old {
        json receipt;
        bool copy;
    };
    std::vector<Old> old;
    Statement rows = store.prepare(
        "SELECT receipt, handed OR copy FROM digital_centre__print_jobs ORDER BY seq");
    while (rows.step()) {
        json receipt = json::parse(rows.text(0), nullptr, false);
        old.push_back({receipt.is_object() ? receipt : json::object(), rows.integer(1) != 0});
    }
    rows.reset();
    if (old.empty()) return;
    try {
        store.transaction([&] {
            for (const Old& job : old) {
                print::Document d = document_of(job.receipt);
                if (job.copy)
                    printer.print_copy(d);
                else
                    printer.queue(d);
            }
            store.exec("DELETE FROM digital_centre__print_jobs");
        });
        log.info("{} receipt(s) queued before this version moved to the kiosk's printer",
                 old.size());
    } catch (const Error& e) {
        log.warn("{} receipt(s) queued before this version stay for the next start: {}", old.size(),
                 e.what());
    }
}

}  // namespace seba::dc

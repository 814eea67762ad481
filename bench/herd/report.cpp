// SPDX-License-Identifier: Apache-2.0
#include "report.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace seba::herd {

namespace {

using nlohmann::json;

// The value below which `share` of `values` lie (nearest rank); 0 for none.
double percentile(std::vector<double>& values, double share) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    auto rank = static_cast<std::size_t>(share * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(rank, values.size() - 1)];
}

json spread(std::vector<double> values) {
    return {{"p50", percentile(values, 0.50)},
            {"p95", percentile(values, 0.95)},
            {"p99", percentile(values, 0.99)},
            {"max", values.empty() ? 0.0 : *std::max_element(values.begin(), values.end())}};
}

std::string error_kind(std::int32_t status) {
    if (status > 0) return fmt::format("HTTP {}", status);
    return fmt::format("transport: {}", curl_easy_strerror(static_cast<CURLcode>(-status)));
}

double round3(double v) {
    return static_cast<double>(static_cast<long long>(v * 1000 + (v < 0 ? -0.5 : 0.5))) / 1000;
}

}  // namespace

json summarize(const RunFacts& facts, const ProcessResults& all) {
    const std::int64_t events = static_cast<std::int64_t>(facts.kiosks) * facts.backlog;
    std::map<std::string, std::int64_t> errors;
    std::vector<double> latency_ms, lag_ms;
    std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> per_second;  // requests, events
    std::int64_t accepted = 0, duplicates = 0, refused = 0, busy = 0, too_many = 0;
    std::int64_t retry_after = 0, followed = 0, honoured = 0;
    for (const Sample& s : all.samples) {
        latency_ms.push_back(static_cast<double>(s.end_us - s.start_us) / 1000.0);
        lag_ms.push_back(static_cast<double>(s.start_us - s.due_us) / 1000.0);
        auto& bucket = per_second[s.end_us / 1000000];
        ++bucket.first;
        bucket.second += s.accepted;
        accepted += s.accepted;
        duplicates += s.duplicates;
        refused += s.refused;
        if (s.status != 200) ++errors[error_kind(s.status)];
        if (s.status == 503) ++busy;
        if (s.status == 429) ++too_many;
        if (s.retry_after_s > 0) ++retry_after;
    }
    // Peak: the busiest second; steady: the median second after it, while requests flowed.
    std::vector<std::int64_t> rates;
    std::int64_t peak = 0, peak_events = 0, peak_second = 0;
    if (!per_second.empty()) {
        const std::int64_t first = per_second.begin()->first, last = per_second.rbegin()->first;
        for (std::int64_t t = first; t <= last; ++t) {
            auto it = per_second.find(t);
            const std::int64_t n = it == per_second.end() ? 0 : it->second.first;
            if (n > peak) peak = n, peak_second = t;
            if (it != per_second.end()) peak_events = std::max(peak_events, it->second.second);
            rates.push_back(n);
        }
        rates.erase(rates.begin(), rates.begin() + (peak_second - first) + 1);
    }
    std::vector<double> after(rates.begin(), rates.end());
    const double steady = after.empty() ? static_cast<double>(peak) : percentile(after, 0.5);

    std::int64_t acknowledged = 0, drained = 0, last_drain_us = 0;
    std::vector<double> drain_s;
    for (const KioskResult& k : all.kiosks) {
        acknowledged += k.acknowledged;
        followed += k.waits_followed;
        honoured += k.waits_honoured;
        if (k.drained_us < 0) continue;
        ++drained;
        last_drain_us = std::max(last_drain_us, k.drained_us);
        drain_s.push_back(static_cast<double>(k.drained_us - k.return_us) / 1e6);
    }
    const bool all_drained = drained == facts.kiosks;
    const double drain_time_s = static_cast<double>(last_drain_us) / 1e6;
    json summary = {
        {"url", facts.url},
        {"kiosks", facts.kiosks},
        {"backlog", facts.backlog},
        {"batch", facts.batch},
        {"events", events},
        {"processes", facts.processes},
        {"threads", facts.threads},
        {"outage_window_s", facts.outage_window_s},
        {"deadline_s", facts.deadline_s},
        {"setup",
         {{"enroll", facts.enroll},
          {"codes_s", round3(facts.setup_codes_s)},
          {"enroll_s", round3(facts.setup_enroll_s)},
          {"enrolled", all.enrolled},
          {"enroll_failures", all.enroll_failures}}},
        {"requests", static_cast<std::int64_t>(all.samples.size())},
        {"request_rate", {{"peak", peak}, {"peak_at_s", peak_second}, {"steady", steady}}},
        {"events_per_s",
         {{"peak", peak_events},
          {"mean", drain_time_s > 0 ? round3(static_cast<double>(accepted) / drain_time_s) : 0}}},
        {"latency_ms", spread(latency_ms)},
        {"herd_lag_ms", spread(lag_ms)},
        {"errors", errors},
        {"busy_503", busy},
        {"too_many_429", too_many},
        {"retry_after", {{"seen", retry_after}, {"followed", followed}, {"honoured", honoured}}},
        {"accepted", accepted},
        {"duplicates", duplicates},
        {"refused_events", refused},
        {"drained_kiosks", drained},
        {"all_drained", all_drained},
        {"drained_after_s", all_drained ? json(round3(drain_time_s)) : json(nullptr)},
        {"kiosk_drain_s", spread(drain_s)},
        {"undrained_events", events - acknowledged},
    };
    if (facts.stored >= 0)
        summary["store"] = {{"holds", facts.stored},
                            {"expected", facts.stored_expected},
                            {"missing", facts.missing},
                            {"unexpected", facts.unexpected},
                            {"exactly_once", facts.stored == facts.stored_expected &&
                                                 facts.missing == 0 && facts.unexpected == 0}};
    return summary;
}

std::string text_report(const json& s) {
    std::string out;
    auto line = [&](const std::string& text) { out += text + "\n"; };
    auto ms = [](const json& p) {
        return fmt::format("p50 {:.1f}  p95 {:.1f}  p99 {:.1f}  max {:.1f} ms",
                           p["p50"].get<double>(), p["p95"].get<double>(), p["p99"].get<double>(),
                           p["max"].get<double>());
    };
    line(
        fmt::format("seba-herd against {}: {} kiosks x {} events (batches of {}), {} processes x "
                    "{} threads",
                    s["url"].get<std::string>(), s["kiosks"].get<int>(), s["backlog"].get<int>(),
                    s["batch"].get<int>(), s["processes"].get<int>(), s["threads"].get<int>()));
    const bool http = s["setup"]["enroll"] == "http";
    line(fmt::format(
        "setup: centres, codes{} in the store {:.1f} s; {} {:.1f} s ({} enrolled, {} "
        "failed)",
        http ? "" : " and devices", s["setup"]["codes_s"].get<double>(),
        http ? "enrollment over HTTP" : "processes ready", s["setup"]["enroll_s"].get<double>(),
        s["setup"]["enrolled"].get<int>(), s["setup"]["enroll_failures"].get<int>()));
    line(fmt::format("outage over: kiosks back within {:.0f} s, deadline {:.0f} s",
                     s["outage_window_s"].get<double>(), s["deadline_s"].get<double>()));
    line(fmt::format("requests {}: peak {}/s (second {}), steady {:.0f}/s",
                     s["requests"].get<std::int64_t>(),
                     s["request_rate"]["peak"].get<std::int64_t>(),
                     s["request_rate"]["peak_at_s"].get<std::int64_t>(),
                     s["request_rate"]["steady"].get<double>()));
    line(fmt::format("accepted events {} ({} duplicates, {} refused): peak {}/s, mean {:.0f}/s",
                     s["accepted"].get<std::int64_t>(), s["duplicates"].get<std::int64_t>(),
                     s["refused_events"].get<std::int64_t>(),
                     s["events_per_s"]["peak"].get<std::int64_t>(),
                     s["events_per_s"]["mean"].get<double>()));
    line("latency   " + ms(s["latency_ms"]));
    line("herd lag  " + ms(s["herd_lag_ms"]) + " (due -> sent: the generator's own delay)");
    std::string errors;
    for (const auto& [kind, n] : s["errors"].items())
        errors += fmt::format("{}{} x{}", errors.empty() ? "" : ", ", kind, n.get<std::int64_t>());
    line("errors: " + (errors.empty() ? std::string("none") : errors));
    line(
        fmt::format("503 busy {}, 429 {}; Retry-After seen {}, the next try came no sooner than "
                    "asked {} of {} times",
                    s["busy_503"].get<std::int64_t>(), s["too_many_429"].get<std::int64_t>(),
                    s["retry_after"]["seen"].get<std::int64_t>(),
                    s["retry_after"]["honoured"].get<std::int64_t>(),
                    s["retry_after"]["followed"].get<std::int64_t>()));
    if (s["all_drained"].get<bool>())
        line(fmt::format("every backlog drained after {:.1f} s; per kiosk from its return: {}",
                         s["drained_after_s"].get<double>(),
                         fmt::format("p50 {:.1f}  p99 {:.1f}  max {:.1f} s",
                                     s["kiosk_drain_s"]["p50"].get<double>(),
                                     s["kiosk_drain_s"]["p99"].get<double>(),
                                     s["kiosk_drain_s"]["max"].get<double>())));
    else
        line(
            fmt::format("NOT drained by the deadline: {} of {} kiosks drained, {} events not "
                        "acknowledged",
                        s["drained_kiosks"].get<std::int64_t>(), s["kiosks"].get<int>(),
                        s["undrained_events"].get<std::int64_t>()));
    if (s.contains("store")) {
        const json& st = s["store"];
        line(
            fmt::format("store holds {} of the herd's events, expected {} (missing {}, unexpected "
                        "{}): exactly once {}",
                        st["holds"].get<std::int64_t>(), st["expected"].get<std::int64_t>(),
                        st["missing"].get<std::int64_t>(), st["unexpected"].get<std::int64_t>(),
                        st["exactly_once"].get<bool>() ? "yes" : "NO"));
    }
    return out;
}

namespace {

template <typename T>
bool write_vector(std::FILE* f, const std::vector<T>& v) {
    const std::uint64_t n = v.size();
    return std::fwrite(&n, sizeof n, 1, f) == 1 &&
           (n == 0 || std::fwrite(v.data(), sizeof(T), v.size(), f) == v.size());
}

template <typename T>
bool read_vector(std::FILE* f, std::vector<T>& into) {
    std::uint64_t n = 0;
    if (std::fread(&n, sizeof n, 1, f) != 1 || n > (std::uint64_t{1} << 26)) return false;
    std::vector<T> v(static_cast<std::size_t>(n));
    if (n > 0 && std::fread(v.data(), sizeof(T), v.size(), f) != v.size()) return false;
    into.insert(into.end(), v.begin(), v.end());
    return true;
}

using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

}  // namespace

bool write_results(const std::string& file, const ProcessResults& r) {
    File f(std::fopen(file.c_str(), "wb"), &std::fclose);
    const std::int32_t counts[2] = {r.enrolled, r.enroll_failures};
    return f && std::fwrite(counts, sizeof counts, 1, f.get()) == 1 &&
           write_vector(f.get(), r.samples) && write_vector(f.get(), r.kiosks);
}

bool read_results(const std::string& file, ProcessResults& into) {
    File f(std::fopen(file.c_str(), "rb"), &std::fclose);
    std::int32_t counts[2] = {0, 0};
    if (!f || std::fread(counts, sizeof counts, 1, f.get()) != 1) return false;
    into.enrolled += counts[0];
    into.enroll_failures += counts[1];
    return read_vector(f.get(), into.samples) && read_vector(f.get(), into.kiosks);
}

}  // namespace seba::herd

// SPDX-License-Identifier: Apache-2.0
#pragma once
// What seba-herd measured, and the figures it reports from it (bench/herd/herd.cpp).

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace seba::herd {

/// One request a simulated kiosk made; times in microseconds after the outage ended.
struct Sample {
    std::int64_t due_us = 0;    ///< when the kiosk wanted to send it (its wait was over)
    std::int64_t start_us = 0;  ///< when it went out (later than due when every thread was busy)
    std::int64_t end_us = 0;
    std::int32_t status = 0;  ///< the HTTP status, or -(libcurl's error code) for the transport
    std::int32_t accepted = 0;
    std::int32_t duplicates = 0;
    std::int32_t refused = 0;        ///< events answered "conflict" or "rejected"
    std::int32_t retry_after_s = 0;  ///< the server's Retry-After, 0 when none
};

/// One kiosk's run.
struct KioskResult {
    std::int32_t index = 0;
    std::int32_t acknowledged = 0;  ///< events the server acknowledged (accepted or duplicate)
    std::int64_t return_us = 0;     ///< when it came back after the outage
    std::int64_t drained_us = -1;   ///< when its last event was acknowledged; -1: not drained
    /// Retry-Afters followed by another try, and those tries that came no sooner than asked.
    std::int32_t waits_followed = 0;
    std::int32_t waits_honoured = 0;
};

/// What one process of the herd brings back to the parent.
struct ProcessResults {
    std::vector<Sample> samples;
    std::vector<KioskResult> kiosks;
    std::int32_t enrolled = 0;
    std::int32_t enroll_failures = 0;
};

/// How the run was set up, for the report.
struct RunFacts {
    std::string url;
    int kiosks = 0;
    int backlog = 0;
    int batch = 0;
    int processes = 0;
    int threads = 0;
    double outage_window_s = 0;
    double deadline_s = 0;
    std::string enroll;         ///< "store" or "http": how the kiosks were enrolled
    double setup_codes_s = 0;   ///< centres and codes made in the store file (and devices)
    double setup_enroll_s = 0;  ///< every kiosk enrolled over HTTP
    /// The exactly-once check against the store: events the run's centres hold, those of
    /// them that are the herd's (each once), and those of the herd's that are missing.
    std::int64_t stored = -1;
    std::int64_t stored_expected = 0;
    std::int64_t missing = 0;
    std::int64_t unexpected = 0;
};

/// Every figure of the run, as JSON (the text report prints the same).
nlohmann::json summarize(const RunFacts& facts, const ProcessResults& all);

/// The report for people, from summarize().
std::string text_report(const nlohmann::json& summary);

/// Writes and reads one process's results (binary, for the parent only).
bool write_results(const std::string& file, const ProcessResults& results);
bool read_results(const std::string& file, ProcessResults& into);

}  // namespace seba::herd

// SPDX-License-Identifier: Apache-2.0
#pragma once

// Receipts that are never silently lost. A receipt is queued in the plugin's own table in the
// same transaction as its request, and printed from there by one thread of its own, in
// order, one at a time (a thermal printer that is offline can block a write for as long as
// it likes; the screen must not freeze). A failure is retried with growing waits; a receipt
// that keeps failing stays queued for the operator, who sees every unprinted one and can
// print it again. Jobs left by an exit or a crash are taken up at the next start.
//
// At least once, never silently none: a job handed to the printer whose outcome the kiosk
// did not learn (it was killed meanwhile) is printed again marked as a copy, since the
// kiosk cannot know whether it reached paper. While the kiosk runs, jobs are handed one at
// a time, so that is only the receipt that was at the printer; the jobs a previous run left
// are handed together at start, so that they print without anyone opening the service.
// docs/digital-centre.md, "Receipts".

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "receipt.hpp"
#include "seba/plugin_store.hpp"

namespace spdlog {
class logger;
}

namespace seba::dc {

/// Where receipts go: a printer device, PDF files (with PNG previews), or both.
struct PrintTarget {
    std::filesystem::path printer;  ///< e.g. /dev/usb/lp0; empty: none
    std::filesystem::path pdf_dir;  ///< receipts as <tracking>.pdf; empty: none
    Paper paper = Paper::Thermal80;
    bool any() const { return !printer.empty() || !pdf_dir.empty(); }
};

/// How a failing printer is retried: waits double from `first_wait` up to `longest_wait`;
/// after `tries` failures in a row the job is set aside for the operator.
struct PrintRetry {
    std::chrono::milliseconds first_wait{2000};
    std::chrono::milliseconds longest_wait{120000};
    int tries = 8;
};

/// A receipt not printed yet, for the operator.
struct UnprintedReceipt {
    std::string tracking;
    std::string queued_at;
    int failures = 0;
    std::string last_error;  ///< English, for the operator; empty before any failure
    bool set_aside = false;  ///< failed `tries` times; printed again only when asked
};

/// The queue lives in digital_centre__print_jobs (request_book.cpp's migration 3).
class PrintQueue {
  public:
    /// Starts the printing thread and hands it the jobs a previous run left. Use from one
    /// thread (the plugin's); the store is never touched from the printing thread.
    PrintQueue(PluginStore& store, PrintTarget target, spdlog::logger& log, PrintRetry retry = {});
    /// Stops the thread: waits for a receipt being written (half a receipt helps no one),
    /// not for a wait between retries; records what was printed.
    ~PrintQueue();
    PrintQueue(const PrintQueue&) = delete;
    PrintQueue& operator=(const PrintQueue&) = delete;

    /// Queues a receipt. Call inside the transaction that stores its request, so that a
    /// request never exists without its receipt job. `copy_label` is the word that marks a
    /// copy, in the receipt's language; `copy`: print it so marked (a reprint of a receipt
    /// already printed). Does nothing when there is no target.
    void add(const Receipt& receipt, const std::string& copy_label, bool copy = false);

    /// Records what the printer did (printed: the job goes and the request is marked
    /// printed; failed: counted, with the reason) and hands new jobs to the thread. Call
    /// often: every frame the plugin draws, and at session ends. While the database takes no
    /// writes (a full disk), outcomes wait here and no new job is handed.
    void pump();

    enum class Status { None, Printing, Failed, Printed };
    /// What became of the receipt of `tracking` in this run (for the citizen's screen).
    Status status(const std::string& tracking) const;

    /// Every receipt still queued, oldest first (at most `limit`), and how many there are.
    std::vector<UnprintedReceipt> unprinted(int limit = 20);
    int unprinted_count();

    /// Tries `tracking`'s queued receipt again at once (one set aside is taken up again).
    /// False when none is queued (it was printed: add() a copy).
    bool retry(const std::string& tracking);

  private:
    struct Job {
        std::int64_t seq;
        std::string tracking;
        Receipt receipt;
    };
    struct Outcome {
        std::int64_t seq;
        std::string tracking;
        std::string error;  ///< empty: printed
        bool set_aside = false;
    };

    void work();
    void print(const Receipt& receipt) const;
    void record(const Outcome& outcome);
    /// Hands up to `limit` queued jobs, oldest first, to the printing thread.
    void hand_waiting_jobs(int limit);
    void hand(const std::vector<Job>& jobs);

    PluginStore& store_;
    const PrintTarget target_;
    spdlog::logger& log_;
    const PrintRetry retry_;
    std::map<std::string, Status> status_;  // this run's, by tracking number
    std::set<std::int64_t> in_printer_;     // jobs the thread holds
    std::int64_t next_seq_ = 0;             // jobs before this were handed this run
    bool storage_failing_ = false;          // said once while the database takes no writes

    // Shared with the printing thread.
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> inbox_;
    std::vector<Outcome> outbox_;
    bool stopping_ = false;
    bool retry_now_ = false;
    std::thread thread_;
};

}  // namespace seba::dc

// SPDX-License-Identifier: Apache-2.0
#pragma once

// Documents that are never silently lost. A document is queued in core__print_jobs, in the
// same transaction as what it is printed for (the plugin's request), and printed from there
// by one thread of its own, in order, one at a time (a thermal printer that is offline can
// block a write for as long as it likes; the screen must not freeze). A failure is retried
// with growing waits; a document that keeps failing stays queued for the operator, who sees
// every unprinted one and can print it again. Jobs left by an exit or a crash are taken up
// at the next start.
//
// At least once, never silently none: a job handed to the printer whose outcome the kiosk
// did not learn (it was killed meanwhile) is printed again marked as a copy, since the
// kiosk cannot know whether it reached paper. While the kiosk runs, jobs are handed one at
// a time, so that is only the document that was at the printer; the jobs a previous run left
// are handed together at start, so that they print without anyone opening a plugin.
//
// One queue for the kiosk's one printer; each plugin's Printer sees only the jobs with its
// plugin id. docs/plugin-guide.md, "Printing".

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "seba/print/service.hpp"

namespace spdlog {
class logger;
}

namespace seba::print {

class PrintQueue final : public PrintService {
  public:
    PrintQueue(Database& db, Target target, Retry retry);
    /// Stops the thread if stop() did not (the outcomes are recorded, no plugin hears).
    ~PrintQueue() override;
    PrintQueue(const PrintQueue&) = delete;
    PrintQueue& operator=(const PrintQueue&) = delete;

    Printer& printer_for(const std::string& plugin_id) override;
    void start() override;
    void pump(const Deliver& deliver) override;
    void stop(const Deliver& deliver) override;

    // What each plugin's Printer does, for that plugin's jobs.
    void queue(const std::string& plugin, const Document& document, bool copy);
    Status status(const std::string& plugin, std::string_view reference);
    bool retry(const std::string& plugin, std::string_view reference);
    std::vector<UnprintedJob> unprinted(const std::string& plugin, int limit);
    int unprinted_count(const std::string& plugin);
    void on_printed(const std::string& plugin, std::function<void(const std::string&)> printed);

  private:
    struct Job {
        std::int64_t seq;
        std::string plugin;
        std::string reference;
        Document document;  // a copy's with its mark
    };
    struct Outcome {
        std::int64_t seq;
        std::string plugin;
        std::string reference;
        std::string error;  ///< empty: printed
        bool set_aside = false;
    };

    void work();
    void print(const Job& job) const;
    void record(const Outcome& outcome, const Deliver& deliver);
    /// Hands up to `limit` queued jobs, oldest first, to the printing thread.
    void hand_waiting_jobs(int limit);
    void hand(const std::vector<Job>& jobs);
    void join_and_record(const Deliver& deliver);

    Database& db_;
    const Target target_;
    const Retry retry_;
    std::shared_ptr<spdlog::logger> log_;
    std::map<std::string, std::unique_ptr<Printer>> printers_;                   // by plugin id
    std::map<std::string, std::function<void(const std::string&)>> on_printed_;  // by plugin id
    std::map<std::pair<std::string, std::string>, Status> status_;  // this run's, by plugin, ref
    std::set<std::int64_t> in_printer_;                             // jobs the thread holds
    std::int64_t next_seq_ = 0;     // jobs before this were handed this run
    bool storage_failing_ = false;  // said once while the database takes no writes
    bool stopped_ = false;

    // Shared with the printing thread.
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> inbox_;
    std::vector<Outcome> outbox_;
    bool stopping_ = false;
    bool retry_now_ = false;
    std::thread thread_;
};

}  // namespace seba::print

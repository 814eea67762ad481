// SPDX-License-Identifier: Apache-2.0
#include "print_queue.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "seba/error.hpp"
#include "seba/kiosk_clock.hpp"

namespace seba::dc {

namespace {

using nlohmann::json;

// A receipt as queued: all its text already in the citizen's language, plus the word that
// marks a copy. It holds the service, fees and tracking number, never what the citizen typed.
json to_json(const Receipt& r, const std::string& copy_label) {
    json lines = json::array();
    for (const ReceiptLine& line : r.lines) lines.push_back({line.label, line.value});
    return {{"language", r.language}, {"title", r.title},   {"centre", r.centre},
            {"tracking", r.tracking}, {"qr", r.qr_payload}, {"footer", r.footer},
            {"lines", lines},         {"copy", copy_label}};
}

Receipt from_json(const json& j, bool copy) {
    Receipt r;
    r.language = j.value("language", "");
    r.title = j.value("title", "");
    r.centre = j.value("centre", "");
    r.tracking = j.value("tracking", "");
    r.qr_payload = j.value("qr", "");
    r.footer = j.value("footer", "");
    if (copy) r.lines.push_back({"", j.value("copy", "")});
    for (const json& line : j.value("lines", json::array()))
        if (line.is_array() && line.size() == 2 && line[0].is_string() && line[1].is_string())
            r.lines.push_back({line[0].get<std::string>(), line[1].get<std::string>()});
    return r;
}

}  // namespace

PrintQueue::PrintQueue(PluginStore& store, PrintTarget target, spdlog::logger& log,
                       PrintRetry retry)
    : store_(store), target_(std::move(target)), log_(log), retry_(retry) {
    thread_ = std::thread([this] { work(); });
    if (int left = unprinted_count(); left > 0)
        log_.warn("{} receipt(s) left unprinted by the last run: printing them now", left);
    hand_waiting_jobs(100);
}

PrintQueue::~PrintQueue() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    try {
        for (const Outcome& o : outbox_) record(o);
    } catch (const std::exception& e) {
        log_.error(
            "recording the last printed receipts failed (printed again as copies at "
            "the next start): {}",
            e.what());
    }
}

void PrintQueue::add(const Receipt& receipt, const std::string& copy_label, bool copy) {
    if (!target_.any()) return;
    store_
        .prepare(
            "INSERT INTO digital_centre__print_jobs (tracking, receipt, queued_at, copy) "
            "VALUES (?, ?, ?, ?)")
        .bind_all(receipt.tracking, to_json(receipt, copy_label).dump(), kiosk_now().iso(),
                  copy ? 1 : 0)
        .run();
}

void PrintQueue::pump() {
    std::vector<Outcome> done;
    {
        std::lock_guard lock(mutex_);
        done.swap(outbox_);
    }
    // Every frame calls this: a database that cannot take the outcome (a full disk) must not
    // take the screen with it. What was not recorded waits, in order, for the next pump.
    try {
        for (std::size_t i = 0; i < done.size(); ++i) {
            try {
                record(done[i]);
            } catch (const StorageError&) {
                std::lock_guard lock(mutex_);
                outbox_.insert(outbox_.begin(), done.begin() + static_cast<std::ptrdiff_t>(i),
                               done.end());
                throw;
            }
        }
        // One at a time while the kiosk runs: a job is marked as handed to the printer only
        // when the printer is free for it, so that after a kill only the receipt that was
        // really at the printer is printed again as a copy.
        if (in_printer_.empty()) hand_waiting_jobs(1);
    } catch (const StorageError& e) {
        if (!e.disk_trouble()) throw;
        if (!storage_failing_) log_.warn("receipts wait for the database: {}", e.what());
        storage_failing_ = true;
        return;
    }
    storage_failing_ = false;
}

void PrintQueue::record(const Outcome& o) {
    if (o.error.empty()) {
        store_.transaction([&] {
            store_.prepare("DELETE FROM digital_centre__print_jobs WHERE seq = ?")
                .bind_all(o.seq)
                .run();
            store_.prepare("UPDATE digital_centre__requests SET printed = 1 WHERE tracking = ?")
                .bind_all(o.tracking)
                .run();
        });
        status_[o.tracking] = Status::Printed;
        in_printer_.erase(o.seq);
        log_.info("receipt {} printed", o.tracking);
        return;
    }
    store_.transaction([&] {
        store_
            .prepare(
                "UPDATE digital_centre__print_jobs SET failures = failures + 1, last_error = ?, "
                "set_aside = ?, handed = ? WHERE seq = ?")
            .bind_all(o.error, o.set_aside ? 1 : 0, o.set_aside ? 0 : 1, o.seq)
            .run();
    });
    status_[o.tracking] = Status::Failed;
    if (o.set_aside) in_printer_.erase(o.seq);
    log_.error("receipt {} not printed{}: {}", o.tracking,
               o.set_aside ? " (set aside for the operator)" : " (tried again)", o.error);
}

void PrintQueue::hand_waiting_jobs(int limit) {
    std::vector<Job> jobs;
    Statement waiting = store_.prepare(
        "SELECT seq, tracking, receipt, handed OR copy FROM digital_centre__print_jobs "
        "WHERE set_aside = 0 AND seq >= ? ORDER BY seq LIMIT ?");
    waiting.bind_all(next_seq_, limit);
    while (waiting.step()) {
        json receipt = json::parse(waiting.text(2), nullptr, false);
        if (receipt.is_discarded()) receipt = json::object();  // prints what it can
        jobs.push_back(
            {waiting.integer(0), waiting.text(1), from_json(receipt, waiting.integer(3) != 0)});
    }
    waiting.reset();
    hand(jobs);
}

void PrintQueue::hand(const std::vector<Job>& jobs) {
    // With nowhere to print (the settings name no printer now), jobs stay queued and counted.
    if (jobs.empty() || !target_.any()) return;
    // Before the printer may have them: from now on the kiosk cannot know whether they
    // reached paper until it records their outcome, so a restart prints them as copies.
    store_.transaction([&] {
        for (const Job& job : jobs)
            store_
                .prepare(
                    "UPDATE digital_centre__print_jobs SET copy = (copy OR handed), handed = 1 "
                    "WHERE seq = ?")
                .bind_all(job.seq)
                .run();
    });
    {
        std::lock_guard lock(mutex_);
        for (const Job& job : jobs) inbox_.push_back(job);
    }
    wake_.notify_all();
    for (const Job& job : jobs) {
        next_seq_ = std::max(next_seq_, job.seq + 1);
        in_printer_.insert(job.seq);
        status_[job.tracking] = Status::Printing;
    }
}

PrintQueue::Status PrintQueue::status(const std::string& tracking) const {
    auto it = status_.find(tracking);
    return it == status_.end() ? Status::None : it->second;
}

std::vector<UnprintedReceipt> PrintQueue::unprinted(int limit) {
    std::vector<UnprintedReceipt> out;
    Statement rows = store_.prepare(
        "SELECT tracking, queued_at, failures, coalesce(last_error, ''), set_aside "
        "FROM digital_centre__print_jobs ORDER BY seq LIMIT ?");
    rows.bind_all(limit);
    while (rows.step())
        out.push_back({rows.text(0), rows.text(1), static_cast<int>(rows.integer(2)), rows.text(3),
                       rows.integer(4) != 0});
    return out;
}

int PrintQueue::unprinted_count() {
    Statement count = store_.prepare("SELECT count(*) FROM digital_centre__print_jobs");
    count.step();
    return static_cast<int>(count.integer(0));
}

bool PrintQueue::retry(const std::string& tracking) {
    Statement row = store_.prepare(
        "SELECT seq, receipt, handed OR copy, set_aside FROM digital_centre__print_jobs "
        "WHERE tracking = ? ORDER BY seq LIMIT 1");
    row.bind_all(tracking);
    if (!row.step()) return false;
    const std::int64_t seq = row.integer(0);
    status_[tracking] = Status::Printing;
    if (in_printer_.count(seq)) {
        // Waiting between tries: try now.
        {
            std::lock_guard lock(mutex_);
            retry_now_ = true;
        }
        wake_.notify_all();
        return true;
    }
    json receipt = json::parse(row.text(1), nullptr, false);
    if (receipt.is_discarded()) receipt = json::object();
    Job job{seq, tracking, from_json(receipt, row.integer(2) != 0)};
    row.reset();
    store_.transaction([&] {
        store_
            .prepare(
                "UPDATE digital_centre__print_jobs SET set_aside = 0, failures = 0 "
                "WHERE seq = ?")
            .bind_all(seq)
            .run();
    });
    hand({job});
    return true;
}

// [SECTION] the printing thread

void PrintQueue::print(const Receipt& receipt) const {
    if (!target_.pdf_dir.empty()) {
        std::error_code ec;
        if (std::filesystem::create_directories(target_.pdf_dir, ec))
            std::filesystem::permissions(target_.pdf_dir, std::filesystem::perms::owner_all, ec);
        write_pdf(receipt, Paper::A6, target_.pdf_dir / (receipt.tracking + ".pdf"));
        write_png(receipt, target_.paper, target_.pdf_dir / (receipt.tracking + ".png"));
    }
    if (!target_.printer.empty()) send_to_printer(escpos(receipt, target_.paper), target_.printer);
}

void PrintQueue::work() {
    std::unique_lock lock(mutex_);
    int failures = 0;  // of the job at the front, in a row
    for (;;) {
        wake_.wait(lock, [&] { return stopping_ || !inbox_.empty(); });
        if (stopping_) return;
        const Job job = inbox_.front();  // stays first until printed or set aside: in order
        lock.unlock();
        std::string error;
        try {
            print(job.receipt);
        } catch (const std::exception& e) {
            error = *e.what() ? e.what() : "the printer failed";
        }
        lock.lock();
        if (error.empty()) {
            failures = 0;
            inbox_.pop_front();
            outbox_.push_back({job.seq, job.tracking, {}, false});
            continue;
        }
        ++failures;
        const bool set_aside = failures >= retry_.tries;
        outbox_.push_back({job.seq, job.tracking, error, set_aside});
        if (set_aside) {
            failures = 0;
            inbox_.pop_front();
            continue;
        }
        auto wait = retry_.first_wait;
        for (int i = 1; i < failures && wait < retry_.longest_wait; ++i) wait *= 2;
        wait = std::min(wait, retry_.longest_wait);
        retry_now_ = false;
        wake_.wait_for(lock, wait, [&] { return stopping_ || retry_now_; });
        retry_now_ = false;
    }
}

}  // namespace seba::dc

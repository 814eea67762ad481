// SPDX-License-Identifier: Apache-2.0
#include "print_queue.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "seba/error.hpp"
#include "seba/host.hpp"
#include "seba/kiosk_clock.hpp"
#include "seba/logging.hpp"

namespace seba::print {

namespace {

using nlohmann::json;

constexpr std::pair<Block::Kind, const char*> kKindNames[] = {
    {Block::Kind::Title, "title"},   {Block::Kind::Heading, "heading"},
    {Block::Kind::Row, "row"},       {Block::Kind::Paragraph, "paragraph"},
    {Block::Kind::Qr, "qr"},         {Block::Kind::Rule, "rule"},
    {Block::Kind::Number, "number"}, {Block::Kind::Footer, "footer"},
};

// A document as queued: all its text already in its language. It holds what the paper
// says, never more.
json to_json(const Document& d) {
    json blocks = json::array();
    for (const Block& b : d.blocks) {
        const char* kind = "paragraph";
        for (const auto& [k, name] : kKindNames)
            if (k == b.kind) kind = name;
        json block = {{"kind", kind}, {"text", b.text}};
        if (b.kind == Block::Kind::Row) block["value"] = b.value;
        blocks.push_back(std::move(block));
    }
    json out = {{"language", d.language},
                {"reference", d.reference},
                {"copy_mark", d.copy_mark},
                {"blocks", blocks}};
    // Written only when not the receipt's, so jobs queued before API 1.6 read the same.
    if (d.page == Document::Page::A5) out["page"] = "A5";
    if (d.page == Document::Page::A4) out["page"] = "A4";
    return out;
}

// The PDF's paper: a receipt on A6, a certificate on its page. The thermal printer and the PNG
// preview always get the receipt's layout on the printer's paper.
Paper pdf_paper(Document::Page page) {
    switch (page) {
        case Document::Page::A5:
            return Paper::A5;
        case Document::Page::A4:
            return Paper::A4;
        case Document::Page::Receipt:
            break;
    }
    return Paper::A6;
}

// What the paper says; a copy is marked under its title (or at the top).
Document from_json(const json& j, bool copy) {
    Document d;
    d.language = j.value("language", "");
    d.reference = j.value("reference", "");
    d.copy_mark = j.value("copy_mark", "");
    const json page = j.value("page", json());
    d.page = page == "A4"   ? Document::Page::A4
             : page == "A5" ? Document::Page::A5
                            : Document::Page::Receipt;
    for (const json& b : j.value("blocks", json::array())) {
        if (!b.is_object()) continue;
        Block block;
        const std::string kind = b.value("kind", "paragraph");
        for (const auto& [k, name] : kKindNames)
            if (kind == name) block.kind = k;
        block.text = b.value("text", "");
        block.value = b.value("value", "");
        d.blocks.push_back(std::move(block));
    }
    if (copy) {
        auto after = d.blocks.begin();
        if (after != d.blocks.end() && after->kind == Block::Kind::Title) ++after;
        d.blocks.insert(after,
                        {Block::Kind::Heading, d.copy_mark.empty() ? "COPY" : d.copy_mark, {}});
    }
    return d;
}

// The reference names the job's files: nothing that could leave the folder, or hide.
bool is_valid_reference(std::string_view reference) {
    auto ok = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    };
    return !reference.empty() && reference.size() <= 64 && reference[0] != '.' &&
           reference[0] != '-' && reference[0] != '_' &&
           std::all_of(reference.begin(), reference.end(), ok);
}

/// One plugin's view of the queue.
class PluginPrinter final : public Printer {
  public:
    PluginPrinter(PrintQueue& queue, std::string plugin)
        : queue_(queue), plugin_(std::move(plugin)) {}

    void queue(const Document& document) override { queue_.queue(plugin_, document, false); }
    void print_copy(const Document& document) override { queue_.queue(plugin_, document, true); }
    Status status(std::string_view reference) override { return queue_.status(plugin_, reference); }
    bool retry(std::string_view reference) override { return queue_.retry(plugin_, reference); }
    std::vector<UnprintedJob> unprinted(int limit) override {
        return queue_.unprinted(plugin_, limit);
    }
    int unprinted_count() override { return queue_.unprinted_count(plugin_); }
    void on_printed(std::function<void(const std::string&)> printed) override {
        queue_.on_printed(plugin_, std::move(printed));
    }

  private:
    PrintQueue& queue_;
    const std::string plugin_;
};

}  // namespace

Target target_of(const PrinterConfig& printer) {
    return {printer.device, printer.pdf_dir,
            printer.paper_mm == 58 ? Paper::Thermal58 : Paper::Thermal80};
}

std::unique_ptr<PrintService> make_service(Database& db, Target target, Retry retry) {
    return std::make_unique<PrintQueue>(db, std::move(target), retry);
}

void install(Host& host, Retry retry) {
    host.set_print_service(make_service(host.database(), target_of(host.config().printer), retry));
}

PrintQueue::PrintQueue(Database& db, Target target, Retry retry)
    : db_(db), target_(std::move(target)), retry_(retry), log_(logging::get("print")) {
    thread_ = std::thread([this] { work(); });
}

PrintQueue::~PrintQueue() {
    join_and_record(nullptr);
}

Printer& PrintQueue::printer_for(const std::string& plugin_id) {
    std::unique_ptr<Printer>& printer = printers_[plugin_id];
    if (!printer) printer = std::make_unique<PluginPrinter>(*this, plugin_id);
    return *printer;
}

void PrintQueue::start() {
    Statement left = db_.prepare("SELECT count(*) FROM core__print_jobs");
    left.step();
    if (left.integer(0) > 0)
        log_->warn("{} document(s) left unprinted by the last run: printing them now",
                   left.integer(0));
    left.reset();
    hand_waiting_jobs(100);
}

void PrintQueue::stop(const Deliver& deliver) {
    join_and_record(deliver);
}

void PrintQueue::join_and_record(const Deliver& deliver) {
    if (stopped_) return;
    stopped_ = true;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    try {
        for (const Outcome& o : outbox_) record(o, deliver);
        outbox_.clear();
    } catch (const std::exception& e) {
        log_->error(
            "recording the last printed documents failed (printed again as copies at the "
            "next start): {}",
            e.what());
    }
}

void PrintQueue::queue(const std::string& plugin, const Document& document, bool copy) {
    if (!is_valid_reference(document.reference))
        throw Error(fmt::format(
            "plugin {} queued a document with the reference \"{}\"; a reference is 1 to 64 "
            "characters of A-Z, a-z, 0-9, '.', '_' and '-', starting with a letter or digit",
            plugin, json(document.reference).dump(-1, ' ', false, json::error_handler_t::replace)));
    if (!target_.any()) return;
    std::string text;
    try {
        text = to_json(document).dump();
    } catch (const json::exception&) {
        throw Error(fmt::format("plugin {}'s document {} has text that is not UTF-8", plugin,
                                document.reference));
    }
    Transaction tx = db_.transaction();  // a savepoint inside the plugin's transaction
    db_.prepare(
           "INSERT INTO core__print_jobs (plugin, reference, document, queued_at, copy) "
           "VALUES (?, ?, ?, ?, ?)")
        .bind_all(plugin, document.reference, text, kiosk_now().iso(), copy ? 1 : 0)
        .run();
    tx.commit();
    // What this run knew of the reference is over: the job in the table says it from now on
    // (and, if the plugin's transaction rolls back, that there is none).
    status_.erase({plugin, document.reference});
}

void PrintQueue::pump(const Deliver& deliver) {
    if (stopped_) return;
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
                record(done[i], deliver);
            } catch (const StorageError&) {
                std::lock_guard lock(mutex_);
                outbox_.insert(outbox_.begin(), done.begin() + static_cast<std::ptrdiff_t>(i),
                               done.end());
                throw;
            }
        }
        // One at a time while the kiosk runs: a job is marked as handed to the printer only
        // when the printer is free for it, so that after a kill only the document that was
        // really at the printer is printed again as a copy.
        if (in_printer_.empty()) hand_waiting_jobs(1);
    } catch (const StorageError& e) {
        if (!e.disk_trouble()) throw;
        if (!storage_failing_) log_->warn("printing waits for the database: {}", e.what());
        storage_failing_ = true;
        return;
    }
    storage_failing_ = false;
}

void PrintQueue::record(const Outcome& o, const Deliver& deliver) {
    if (o.error.empty()) {
        // The job goes, and the plugin's own mark (on_printed) with it, together.
        Transaction tx = db_.transaction();
        db_.prepare("DELETE FROM core__print_jobs WHERE seq = ?").bind_all(o.seq).run();
        auto printed = on_printed_.find(o.plugin);
        if (deliver && printed != on_printed_.end() && printed->second) {
            const auto& notify = printed->second;
            if (!deliver(o.plugin, [&] { notify(o.reference); }))
                log_->warn("plugin {} did not hear that {} was printed", o.plugin, o.reference);
        }
        tx.commit();
        status_[{o.plugin, o.reference}] = Status::Printed;
        in_printer_.erase(o.seq);
        log_->info("{}'s document {} printed", o.plugin, o.reference);
        return;
    }
    {
        Transaction tx = db_.transaction();
        db_.prepare(
               "UPDATE core__print_jobs SET failures = failures + 1, last_error = ?, "
               "set_aside = ?, handed = ? WHERE seq = ?")
            .bind_all(o.error, o.set_aside ? 1 : 0, o.set_aside ? 0 : 1, o.seq)
            .run();
        tx.commit();
    }
    status_[{o.plugin, o.reference}] = Status::Failed;
    if (o.set_aside) in_printer_.erase(o.seq);
    log_->error("{}'s document {} not printed{}: {}", o.plugin, o.reference,
                o.set_aside ? " (set aside for the operator)" : " (tried again)", o.error);
}

void PrintQueue::hand_waiting_jobs(int limit) {
    std::vector<Job> jobs;
    Statement waiting = db_.prepare_cached(  // every frame
        "SELECT seq, plugin, reference, document, handed OR copy FROM core__print_jobs "
        "WHERE set_aside = 0 AND seq >= ? ORDER BY seq LIMIT ?");
    waiting.bind_all(next_seq_, limit);
    while (waiting.step()) {
        json document = json::parse(waiting.text(3), nullptr, false);
        if (!document.is_object()) document = json::object();  // prints what it can
        jobs.push_back({waiting.integer(0), waiting.text(1), waiting.text(2),
                        from_json(document, waiting.integer(4) != 0)});
    }
    waiting.reset();
    hand(jobs);
}

void PrintQueue::hand(const std::vector<Job>& jobs) {
    // With nowhere to print (the configuration names no printer now), jobs stay queued and
    // counted.
    if (jobs.empty() || !target_.any()) return;
    // Before the printer may have them: from now on the kiosk cannot know whether they
    // reached paper until it records their outcome, so a restart prints them as copies.
    {
        Transaction tx = db_.transaction();
        for (const Job& job : jobs)
            db_.prepare(
                   "UPDATE core__print_jobs SET copy = (copy OR handed), handed = 1 "
                   "WHERE seq = ?")
                .bind_all(job.seq)
                .run();
        tx.commit();
    }
    {
        std::lock_guard lock(mutex_);
        for (const Job& job : jobs) inbox_.push_back(job);
    }
    wake_.notify_all();
    for (const Job& job : jobs) {
        next_seq_ = std::max(next_seq_, job.seq + 1);
        in_printer_.insert(job.seq);
        status_[{job.plugin, job.reference}] = Status::Printing;
    }
}

Status PrintQueue::status(const std::string& plugin, std::string_view reference) {
    auto it = status_.find({plugin, std::string(reference)});
    if (it != status_.end()) return it->second;
    // Queued and not handed yet (handing waits for the next pump), or left by a previous run.
    Statement job = db_.prepare_cached(  // every frame of a receipt screen
        "SELECT failures FROM core__print_jobs WHERE plugin = ? AND reference = ? "
        "ORDER BY seq DESC LIMIT 1");
    job.bind_all(plugin, reference);
    if (!job.step()) return Status::None;
    return job.integer(0) > 0 ? Status::Failed : Status::Printing;
}

std::vector<UnprintedJob> PrintQueue::unprinted(const std::string& plugin, int limit) {
    std::vector<UnprintedJob> out;
    Statement rows = db_.prepare(
        "SELECT reference, queued_at, failures, coalesce(last_error, ''), set_aside "
        "FROM core__print_jobs WHERE plugin = ? ORDER BY seq LIMIT ?");
    rows.bind_all(plugin, limit);
    while (rows.step())
        out.push_back({rows.text(0), rows.text(1), static_cast<int>(rows.integer(2)), rows.text(3),
                       rows.integer(4) != 0});
    return out;
}

int PrintQueue::unprinted_count(const std::string& plugin) {
    Statement count = db_.prepare("SELECT count(*) FROM core__print_jobs WHERE plugin = ?");
    count.bind_all(plugin);
    count.step();
    return static_cast<int>(count.integer(0));
}

void PrintQueue::on_printed(const std::string& plugin,
                            std::function<void(const std::string&)> printed) {
    on_printed_[plugin] = std::move(printed);
}

bool PrintQueue::retry(const std::string& plugin, std::string_view reference) {
    Statement row = db_.prepare(
        "SELECT seq, document, handed OR copy FROM core__print_jobs "
        "WHERE plugin = ? AND reference = ? ORDER BY seq LIMIT 1");
    row.bind_all(plugin, reference);
    if (!row.step()) return false;
    const std::int64_t seq = row.integer(0);
    status_[{plugin, std::string(reference)}] = Status::Printing;
    if (in_printer_.count(seq)) {
        // Waiting between tries: try now.
        {
            std::lock_guard lock(mutex_);
            retry_now_ = true;
        }
        wake_.notify_all();
        return true;
    }
    json document = json::parse(row.text(1), nullptr, false);
    if (!document.is_object()) document = json::object();
    Job job{seq, plugin, std::string(reference), from_json(document, row.integer(2) != 0)};
    row.reset();
    {
        Transaction tx = db_.transaction();
        db_.prepare("UPDATE core__print_jobs SET set_aside = 0, failures = 0 WHERE seq = ?")
            .bind_all(seq)
            .run();
        tx.commit();
    }
    hand({job});
    return true;
}

// [SECTION] the printing thread

void PrintQueue::print(const Job& job) const {
    if (!is_valid_reference(job.reference))  // queue() checked it; the file names depend on it
        throw PrintError(fmt::format("the reference \"{}\" cannot name a file", job.reference));
    if (!target_.pdf_dir.empty()) {
        std::error_code ec;
        if (std::filesystem::create_directories(target_.pdf_dir, ec))
            std::filesystem::permissions(target_.pdf_dir, std::filesystem::perms::owner_all, ec);
        write_pdf(job.document, pdf_paper(job.document.page),
                  target_.pdf_dir / (job.reference + ".pdf"));
        write_png(job.document, target_.paper, target_.pdf_dir / (job.reference + ".png"));
    }
    if (!target_.device.empty())
        send_to_printer(escpos(job.document, target_.paper), target_.device);
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
            print(job);
        } catch (const std::exception& e) {
            error = *e.what() ? e.what() : "the printer failed";
        }
        lock.lock();
        if (error.empty()) {
            failures = 0;
            inbox_.pop_front();
            outbox_.push_back({job.seq, job.plugin, job.reference, {}, false});
            continue;
        }
        ++failures;
        const bool set_aside = failures >= retry_.tries;
        outbox_.push_back({job.seq, job.plugin, job.reference, error, set_aside});
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

}  // namespace seba::print

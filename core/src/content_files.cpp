// SPDX-License-Identifier: Apache-2.0
#include "seba/content_files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <limits>
#include <map>
#include <set>

#include "content_files_store.hpp"
#include "seba/error.hpp"
#include "seba/logging.hpp"
#include "seba/storage_health.hpp"

namespace seba::files {

std::optional<FileRef> FileRef::from_json(const nlohmann::json& value) {
    if (!value.is_object()) return std::nullopt;
    auto sha = value.find("sha256");
    auto size = value.find("size");
    if (sha == value.end() || !sha->is_string() || size == value.end() ||
        !size->is_number_integer())
        return std::nullopt;
    FileRef ref;
    ref.sha256 = sha->get<std::string>();
    ref.size = size->get<std::int64_t>();
    if (!detail::is_sha256_hex(ref.sha256) || ref.size < 1 || ref.size > kMaxFileBytes)
        return std::nullopt;
    if (auto name = value.find("name"); name != value.end() && name->is_string())
        ref.name = name->get<std::string>();
    return ref;
}

namespace detail {

bool is_sha256_hex(std::string_view text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::filesystem::path ready_path(const std::filesystem::path& dir, std::string_view sha256) {
    return dir / std::string(sha256);
}

std::filesystem::path part_path(const std::filesystem::path& dir, std::string_view sha256) {
    return dir / (std::string(sha256) + ".part");
}

std::optional<std::string> sha256_of_file(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    std::vector<unsigned char> buffer(1 << 16);
    for (;;) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            ::close(fd);
            return std::nullopt;
        }
        if (n == 0) break;
        crypto_hash_sha256_update(&state, buffer.data(), static_cast<unsigned long long>(n));
    }
    ::close(fd);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state, digest);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return std::string(hex);
}

std::int64_t mtime_ns(const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return -1;
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

std::int64_t size_on_disk(const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return -1;
    return static_cast<std::int64_t>(st.st_size);
}

namespace {

// A want that holds its file on the kiosk: not evicted, and within its plugin's budget.
constexpr const char* kActive = "w.evicted = 0 AND w.waiting = ''";

}  // namespace

std::vector<std::filesystem::path> settle(Database& db, const std::filesystem::path& dir) {
    std::vector<std::string> plugins;
    {
        Statement q = db.prepare("SELECT DISTINCT plugin FROM core__file_wants ORDER BY plugin");
        while (q.step()) plugins.push_back(q.text(0));
    }
    auto log = logging::get("files");
    for (const std::string& plugin : plugins) {
        std::int64_t budget = std::numeric_limits<std::int64_t>::max();
        {
            Statement q = db.prepare("SELECT bytes FROM core__file_budgets WHERE plugin = ?");
            q.bind(1, plugin);
            if (q.step()) budget = q.integer(0);
        }
        struct Row {
            std::string sha256, waiting;
            std::int64_t size;
            bool ready;
        };
        std::vector<Row> rows;
        {
            Statement q = db.prepare(
                "SELECT w.sha256, f.size, f.state = 'ready', w.waiting FROM core__file_wants w "
                "JOIN core__files f ON f.sha256 = w.sha256 WHERE w.plugin = ? AND w.evicted = 0 "
                "ORDER BY w.used_seq DESC, f.state = 'ready' DESC, w.position");
            q.bind(1, plugin);
            while (q.step())
                rows.push_back({q.text(0), q.text(3), q.integer(1), q.integer(2) != 0});
        }
        Statement set_waiting =
            db.prepare("UPDATE core__file_wants SET waiting = ? WHERE plugin = ? AND sha256 = ?");
        Statement evict = db.prepare(
            "UPDATE core__file_wants SET evicted = 1, waiting = '' WHERE plugin = ? AND sha256 = "
            "?");
        std::int64_t used = 0;
        for (const Row& row : rows) {
            std::string waiting;
            if (row.size <= budget - used) {
                used += row.size;
            } else if (row.ready) {
                log->info(
                    "plugin {}: file {} evicted: its budget of {} is taken by files used "
                    "more recently",
                    plugin, row.sha256.substr(0, 12),
                    human_size(static_cast<std::uint64_t>(budget)));
                evict.bind_all(plugin, row.sha256).run();
                evict.reset();
                continue;
            } else {
                waiting = fmt::format(
                    "does not fit in the plugin's budget of {}: it needs {}, and {} is taken by "
                    "files used more recently",
                    human_size(static_cast<std::uint64_t>(budget)),
                    human_size(static_cast<std::uint64_t>(row.size)),
                    human_size(static_cast<std::uint64_t>(used)));
            }
            if (waiting != row.waiting) {
                set_waiting.bind_all(waiting, plugin, row.sha256).run();
                set_waiting.reset();
            }
        }
    }
    // What no plugin keeps any more leaves the disk; a record nobody wants at all goes.
    std::vector<std::filesystem::path> remove;
    {
        Statement q = db.prepare(fmt::format(
            "SELECT sha256 FROM core__files f WHERE NOT EXISTS (SELECT 1 FROM core__file_wants w "
            "WHERE w.sha256 = f.sha256 AND {})",
            kActive));
        while (q.step()) {
            const std::string sha = q.text(0);
            const std::filesystem::path ready = ready_path(dir, sha), part = part_path(dir, sha);
            if (size_on_disk(ready) >= 0) remove.push_back(ready);
            if (size_on_disk(part) >= 0) remove.push_back(part);
        }
    }
    db.exec(fmt::format(
        "UPDATE core__files SET state = 'queued', checked_mtime_ns = 0 WHERE state = 'ready' "
        "AND NOT EXISTS (SELECT 1 FROM core__file_wants w WHERE w.sha256 = core__files.sha256 "
        "AND {})",
        kActive));
    db.exec(
        "DELETE FROM core__files WHERE NOT EXISTS (SELECT 1 FROM core__file_wants w "
        "WHERE w.sha256 = core__files.sha256)");
    return remove;
}

void remove_files(const std::vector<std::filesystem::path>& files) {
    for (const std::filesystem::path& file : files) {
        std::error_code ec;
        std::filesystem::remove(file, ec);
    }
}

std::vector<Download> downloads(Database& db) {
    std::vector<Download> out;
    Statement q = db.prepare(fmt::format(
        "SELECT f.sha256, f.size, max(w.used_seq) AS used, min(w.position) AS position "
        "FROM core__files f JOIN core__file_wants w ON w.sha256 = f.sha256 AND {} "
        "WHERE f.state != 'ready' GROUP BY f.sha256 ORDER BY used DESC, position, f.sha256",
        kActive));
    while (q.step()) out.push_back({q.text(0), q.integer(1)});
    return out;
}

bool kept(Database& db, std::string_view sha256) {
    Statement q = db.prepare(
        fmt::format("SELECT 1 FROM core__file_wants w WHERE w.sha256 = ? AND {} LIMIT 1", kActive));
    q.bind(1, sha256);
    return q.step();
}

void mark_ready(Database& db, std::string_view sha256, std::int64_t mtime) {
    db.prepare(
          "UPDATE core__files SET state = 'ready', error = '', checked_mtime_ns = ?, "
          "updated_at = ? WHERE sha256 = ?")
        .bind_all(mtime, utc_now_iso(), sha256)
        .run();
}

void mark_problem(Database& db, std::string_view sha256, std::string_view error,
                  bool queued_again) {
    db.prepare(
          "UPDATE core__files SET state = ?, error = ?, checked_mtime_ns = 0, updated_at = ? "
          "WHERE sha256 = ?")
        .bind_all(queued_again ? "queued" : "failed", error, utc_now_iso(), sha256)
        .run();
}

}  // namespace detail

namespace {

using namespace detail;

class LocalFiles final : public Files {
  public:
    LocalFiles(Database& db, std::filesystem::path dir, std::string plugin,
               std::function<void()> fetch_now)
        : db_(db),
          dir_(std::move(dir)),
          plugin_(std::move(plugin)),
          fetch_now_(std::move(fetch_now)),
          log_(logging::get("files")) {}

    void want(const std::vector<FileRef>& files) override {
        std::vector<std::filesystem::path> remove;
        {
            Transaction tx = db_.transaction();
            std::set<std::string> named;
            Statement add_file = db_.prepare(
                "INSERT INTO core__files (sha256, size, state, updated_at) "
                "VALUES (?, ?, 'queued', ?) ON CONFLICT (sha256) DO NOTHING");
            Statement size_of = db_.prepare("SELECT size FROM core__files WHERE sha256 = ?");
            // Named again: wanted again, an eviction forgotten; its last use is kept.
            Statement add_want = db_.prepare(
                "INSERT INTO core__file_wants (plugin, sha256, name, position) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (plugin, sha256) DO UPDATE SET "
                "name = excluded.name, position = excluded.position, evicted = 0");
            std::int64_t position = 0;
            for (const FileRef& f : files) {
                if (!is_sha256_hex(f.sha256) || f.size < 1 || f.size > kMaxFileBytes)
                    throw Error(fmt::format(
                        "plugin {} wants a file that is not one (\"{}\", {} bytes): a file is "
                        "64 lower-case hex digits of SHA-256 and 1 byte to {}",
                        plugin_, f.sha256, f.size, human_size(kMaxFileBytes)));
                if (!named.insert(f.sha256).second) continue;
                add_file.bind_all(f.sha256, f.size, utc_now_iso()).run();
                add_file.reset();
                size_of.bind(1, f.sha256);
                size_of.step();
                const std::int64_t known = size_of.integer(0);
                size_of.reset();
                if (known != f.size)
                    throw Error(fmt::format("plugin {} wants file {} as {} bytes; it is {} bytes",
                                            plugin_, f.sha256, f.size, known));
                add_want.bind_all(plugin_, f.sha256, f.name, position++).run();
                add_want.reset();
            }
            // Those not named now are let go.
            Statement wanted = db_.prepare("SELECT sha256 FROM core__file_wants WHERE plugin = ?");
            wanted.bind(1, plugin_);
            std::vector<std::string> let_go;
            while (wanted.step())
                if (!named.contains(wanted.text(0))) let_go.push_back(wanted.text(0));
            Statement drop =
                db_.prepare("DELETE FROM core__file_wants WHERE plugin = ? AND sha256 = ?");
            for (const std::string& sha : let_go) {
                drop.bind_all(plugin_, sha).run();
                drop.reset();
            }
            remove = settle(db_, dir_);
            tx.commit();
        }
        remove_files(remove);
    }

    void set_budget(std::int64_t bytes) override {
        if (bytes < 0)
            throw Error(fmt::format("plugin {}: a budget for files cannot be negative", plugin_));
        std::vector<std::filesystem::path> remove;
        {
            Transaction tx = db_.transaction();
            db_.prepare(
                   "INSERT INTO core__file_budgets (plugin, bytes) VALUES (?, ?) "
                   "ON CONFLICT (plugin) DO UPDATE SET bytes = excluded.bytes")
                .bind_all(plugin_, bytes)
                .run();
            remove = settle(db_, dir_);
            tx.commit();
        }
        remove_files(remove);
    }

    FileStatus status(std::string_view sha256) override {
        FileStatus status;
        Statement q = db_.prepare(
            "SELECT w.evicted, w.waiting, f.state, f.size, f.error FROM core__file_wants w "
            "JOIN core__files f ON f.sha256 = w.sha256 WHERE w.plugin = ? AND w.sha256 = ?");
        q.bind_all(plugin_, sha256);
        if (!q.step()) return status;
        status.size = q.integer(3);
        if (q.integer(0) != 0) return status;  // evicted
        const std::string state = q.text(2);
        if (std::string waiting = q.text(1); !waiting.empty()) {
            status.state = State::Failed;
            status.error = std::move(waiting);
            return status;
        }
        status.error = q.text(4);
        if (state == "ready") {
            status.state = State::Ready;
            status.have = status.size;
            return status;
        }
        status.have = std::max<std::int64_t>(0, size_on_disk(part_path(dir_, sha256)));
        if (state == "failed")
            status.state = State::Failed;
        else
            status.state = status.have > 0 ? State::Downloading : State::Queued;
        return status;
    }

    std::optional<std::filesystem::path> open(std::string_view sha256) override {
        Statement q = db_.prepare(
            "SELECT f.state, f.size, f.checked_mtime_ns FROM core__file_wants w "
            "JOIN core__files f ON f.sha256 = w.sha256 "
            "WHERE w.plugin = ? AND w.sha256 = ? AND w.evicted = 0");
        q.bind_all(plugin_, sha256);
        if (!q.step()) return std::nullopt;
        const bool ready = q.text(0) == "ready";
        const std::int64_t size = q.integer(1), checked = q.integer(2);
        q.reset();
        // A use, whether it is here or not: a file a citizen asked for comes first.
        db_.prepare(
               "UPDATE core__file_wants SET used_seq = "
               "(SELECT coalesce(max(used_seq), 0) + 1 FROM core__file_wants) "
               "WHERE plugin = ? AND sha256 = ?")
            .bind_all(plugin_, sha256)
            .run();
        if (!ready) return std::nullopt;
        const std::filesystem::path file = ready_path(dir_, sha256);
        std::string problem;
        const std::int64_t mtime = mtime_ns(file);
        if (mtime < 0)
            problem = "it was removed from the kiosk's disk";
        else if (size_on_disk(file) != size)
            problem = "it was changed on the kiosk's disk (its size is not the file's)";
        else if (mtime != checked) {
            // Changed since its hash was checked (or touched): checked again before use.
            if (sha256_of_file(file) != std::string(sha256))
                problem = "it was changed on the kiosk's disk (its SHA-256 does not match)";
            else
                db_.prepare("UPDATE core__files SET checked_mtime_ns = ? WHERE sha256 = ?")
                    .bind_all(mtime, sha256)
                    .run();
        }
        if (problem.empty()) return file;
        log_->warn("file {} of plugin {}: {}; it is removed and fetched again",
                   std::string(sha256.substr(0, 12)), plugin_, problem);
        std::error_code ec;
        std::filesystem::remove(file, ec);
        mark_problem(db_, sha256, fmt::format("{}; fetched again", problem),
                     /*queued_again=*/true);
        return std::nullopt;
    }

    void fetch_now() override {
        if (fetch_now_) fetch_now_();
    }

  private:
    Database& db_;
    std::filesystem::path dir_;
    std::string plugin_;
    std::function<void()> fetch_now_;
    std::shared_ptr<spdlog::logger> log_;
};

}  // namespace

std::unique_ptr<Files> local_files(Database& db, std::filesystem::path dir, std::string plugin,
                                   std::function<void()> fetch_now) {
    return std::make_unique<LocalFiles>(db, std::move(dir), std::move(plugin),
                                        std::move(fetch_now));
}

}  // namespace seba::files

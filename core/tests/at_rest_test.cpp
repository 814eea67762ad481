// SPDX-License-Identifier: Apache-2.0
// The kiosk's data at rest, as another user of the machine or a thief with the disk finds
// it: owner-only files whatever the umask, a data folder an older version left open made
// private at start, and refused events gone after the retention time.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>

#include "seba/config.hpp"
#include "seba/error.hpp"
#include "seba/host.hpp"
#include "seba/logging.hpp"
#include "seba/retention.hpp"
#include "seba/storage.hpp"
#include "temp_dir.hpp"

namespace seba {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

unsigned mode_of(const fs::path& path) {
    struct stat info {};
    EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
    return info.st_mode & 07777;
}

// The umask most systems start a process with: new files 0644, folders 0755.
class UsualUmask : public ::testing::Test {
  protected:
    void SetUp() override { saved_ = ::umask(022); }
    void TearDown() override { ::umask(saved_); }
    mode_t saved_ = 0;
    TempDir dir_;
};

std::int64_t scalar(Database& db, const std::string& sql) {
    Statement q = db.prepare(sql);
    EXPECT_TRUE(q.step()) << sql;
    return q.integer(0);
}

TEST_F(UsualUmask, ANewDatabaseAndItsWalAndShmAreOwnerOnly) {
    Database db = Database::open(dir_ / "k.db");
    migrate_core(db);  // writes, so that -wal and -shm exist
    for (const char* name : {"k.db", "k.db-wal", "k.db-shm"}) {
        ASSERT_TRUE(fs::exists(dir_ / name)) << name;
        EXPECT_EQ(mode_of(dir_ / name), 0600u) << name;
    }
    EXPECT_EQ(scalar(db, "PRAGMA secure_delete"), 1) << "deleted rows are overwritten";
}

TEST_F(UsualUmask, TheKioskMakesAnOpenDataFolderPrivateAtStart) {
    // As an older version left it: everything readable by every user of the machine.
    const fs::path data = dir_ / "data";
    fs::create_directories(data / "logs");
    fs::create_directories(data / "receipts");
    testing::write_file(data / "logs" / "seba.1.log", "old log\n");
    testing::write_file(data / "receipts" / "DHK1-261128-A7-0001.pdf", "%PDF-1.5\n");
    testing::write_file(data / "device.key", "key\n");
    {
        Database old = Database::open(data / "seba.db");
        migrate_core(old);
    }
    for (const fs::path& p : fs::recursive_directory_iterator(data))
        fs::permissions(p, fs::is_directory(p) ? fs::perms(0755) : fs::perms(0644));
    fs::permissions(data, fs::perms(0755));

    Config config;
    config.source = dir_ / "seba.toml";
    config.kiosk_id = "test-kiosk";
    config.centre = "test-centre";
    config.languages = {"en"};
    config.default_language = "en";
    config.data_dir = data;
    config.development_mode = true;
    logging::init(config.log_dir(), "info", false);
    Host host(config);
    host.start();
    host.database().exec("CREATE TABLE IF NOT EXISTS core__probe (x); DROP TABLE core__probe");
    logging::get("test")->info("a line");

    EXPECT_EQ(mode_of(data), 0700u);
    std::size_t files = 0;
    for (const fs::path& p : fs::recursive_directory_iterator(data)) {
        if (fs::is_directory(p)) {
            EXPECT_EQ(mode_of(p), 0700u) << p;
        } else {
            EXPECT_EQ(mode_of(p), 0600u) << p;
            ++files;
        }
    }
    EXPECT_GE(files, 6u) << "database, -wal, -shm, logs, key, receipt";
    EXPECT_TRUE(fs::exists(data / "seba.db-wal"));
    EXPECT_TRUE(fs::exists(data / "logs" / "seba.log"));
}

TEST_F(UsualUmask, ANewLogIsOwnerOnly) {
    logging::init(dir_ / "logs", "info", false);
    logging::get("test")->info("a line");
    EXPECT_EQ(mode_of(dir_ / "logs"), 0700u);
    EXPECT_EQ(mode_of(dir_ / "logs" / "seba.log"), 0600u);
}

// [SECTION] retention

class Retention : public ::testing::Test {
  protected:
    void SetUp() override { migrate_core(db_); }

    void event(const std::string& uuid, const std::string& state, const std::string& created_at) {
        db_.prepare(
               "INSERT INTO core__outbox (uuid, plugin, type, payload, created_at, state) "
               "VALUES (?, 'dc', 'dc.request', '{\"name\": \"Ayesha Siddika\"}', ?, ?)")
            .bind_all(uuid, created_at, state)
            .run();
    }

    std::int64_t left(const std::string& uuid) {
        Statement q = db_.prepare("SELECT count(*) FROM core__outbox WHERE uuid = ?");
        q.bind(1, uuid);
        q.step();
        return q.integer(0);
    }

    static std::chrono::system_clock::time_point at(int year, unsigned month, unsigned day) {
        return std::chrono::sys_days(std::chrono::year(year) / month / day);
    }

    TempDir dir_;
    Database db_ = Database::open(dir_ / "k.db");
};

TEST_F(Retention, RefusedEventsGoAfterTheRetentionDaysAndPendingOnesNever) {
    event("refused-old", "failed", "2026-11-20T09:00:00.000Z");
    event("refused-recent", "failed", "2026-11-25T09:00:00.000Z");
    event("waiting-old", "pending", "2026-10-01T09:00:00.000Z");
    // On 28 November (by the kiosk's clock), with the default of 7 days.
    EXPECT_EQ(forget_old_events(db_, 7, at(2026, 11, 28)), 1);
    EXPECT_EQ(left("refused-old"), 0) << "refused 8 days ago: gone";
    EXPECT_EQ(left("refused-recent"), 1) << "3 days: the operator still sees it";
    EXPECT_EQ(left("waiting-old"), 1) << "never sent: never deleted";
    // A week later the recent one goes too.
    EXPECT_EQ(forget_old_events(db_, 7, at(2026, 12, 3)), 1);
    EXPECT_EQ(left("refused-recent"), 0);
    EXPECT_EQ(left("waiting-old"), 1);
}

TEST_F(Retention, TheDeletedPayloadLeavesTheDatabaseAndWalFiles) {
    event("refused-old", "failed", "2026-11-20T09:00:00.000Z");
    ASSERT_EQ(forget_old_events(db_, 7, at(2026, 11, 28)), 1);
    EXPECT_TRUE(truncate_wal(db_));
    EXPECT_EQ(fs::file_size(dir_ / "k.db-wal"), 0u);
    for (const char* name : {"k.db", "k.db-wal"})
        EXPECT_EQ(testing::read_file(dir_ / name).find("Ayesha Siddika"), std::string::npos)
            << name;
}

TEST(RetentionConfig, DaysComeFromTheKioskSectionWithinLimits) {
    const fs::path source = "seba.toml";
    auto with = [](const std::string& line) {
        return "[kiosk]\nid = \"k\"\ncentre = \"c\"\nlanguages = [\"en\"]\n" + line +
               "\n[plugins]\ndirs = [\"plugins\"]\n";
    };
    EXPECT_EQ(parse_config(with(""), source).retention_days, 7);
    EXPECT_EQ(parse_config(with("retention_days = 30"), source).retention_days, 30);
    EXPECT_THROW(parse_config(with("retention_days = 0"), source), ConfigError);
    EXPECT_THROW(parse_config(with("retention_days = 1000"), source), ConfigError);
}

}  // namespace
}  // namespace seba

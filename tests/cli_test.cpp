// SPDX-License-Identifier: Apache-2.0
// seba-host as an operator meets it: a broken config file or database gives one clear line
// naming the file and what to do, and an exit code, never a crash.
#include "host_fixture.hpp"
#include "process.hpp"
#include "small_disk.hpp"

namespace seba::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

class CliTest : public HostTest {
  protected:
    void write_config(const std::string& extra_kiosk = "") {
        write_file(dir_ / "seba.toml",
                   "[kiosk]\nid = \"cli\"\ncentre = \"c\"\nlanguages = "
                   "[\"bn\", \"en\"]\ndata_dir = \"data\"\nmode = \"development\"\n" +
                       extra_kiosk + "\n[plugins]\ndirs = [\"" + SEBA_TEST_PLUGIN_DIR +
                       "\"]\nenabled = [\"good\"]\n"
                       "trusted_keys = [\"" +
                       SEBA_DEV_PUBLIC_KEY + "\"]\n");
    }
};

TEST_F(CliTest, RunReportsPluginsAndAnIntactAudit) {
    write_config();
    ProcessResult r = host("run");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("kiosk cli at centre c, languages bn en"));
    EXPECT_THAT(r.output, HasSubstr("good"));
    EXPECT_THAT(r.output, HasSubstr("signed by "));
    EXPECT_THAT(r.output, HasSubstr("1 of 1 enabled plugin(s) ran and stopped cleanly"));
    EXPECT_THAT(r.output, HasSubstr("chain intact"));
}

TEST_F(CliTest, MissingConfigSaysWhereToStart) {
    ProcessResult r = host("run");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.output, AllOf(HasSubstr("seba.toml"), HasSubstr("seba.example.toml")));
}

TEST_F(CliTest, BrokenConfigNamesFileLineAndKey) {
    write_file(dir_ / "seba.toml", "[kiosk]\nid = \"cli\nlanguages = [\"bn\"]\n");
    ProcessResult r = host("run");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.output, HasSubstr("seba.toml:2:"));

    write_config("idle_timeout_s = \"soon\"");
    r = host("run");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.output, HasSubstr("kiosk.idle_timeout_s must be an integer from 10 to 3600 "
                                    "(found \"soon\")"));
}

TEST_F(CliTest, CorruptDatabaseNamesTheFileAndWhatToDo) {
    write_config();
    write_file(dir_ / "data" / "seba.db", std::string(16384, '\x7f'));
    ProcessResult r = host("run");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.output, AllOf(HasSubstr("data/seba.db"), HasSubstr("not a Seba database"),
                                HasSubstr("Move it aside")));
}

// A tool on a full disk (a small tmpfs, or without root a file size limit of 0) says so,
// with the room there is and the room needed, then SQLite's words; nothing is changed.
TEST_F(CliTest, OnAFullDiskSebaHostSaysTheDiskIsFullAndHowMuchIsNeeded) {
    SmallDisk disk(dir_ / "disk");
    write_file(dir_ / "seba.toml",
               "[kiosk]\nid = \"cli\"\ncentre = \"c\"\nlanguages = [\"en\"]\n"
               "data_dir = \"" +
                   (disk / "data").string() +
                   "\"\nmin_free_mb = 1\nmode = \"development\"\n"
                   "[plugins]\ndirs = [\"" +
                   SEBA_TEST_PLUGIN_DIR + "\"]\nenabled = [\"good\"]\ntrusted_keys = [\"" +
                   SEBA_DEV_PUBLIC_KEY + "\"]\n");
    ASSERT_EQ(host("run").exit_code, 0) << "a kiosk that ran before the disk filled";
    disk.fill();
    Program full({SEBA_HOST_BIN, "--config", (dir_ / "seba.toml").string(), "run"}, {}, &disk);
    EXPECT_EQ(full.finished(), 2) << full.output();
    EXPECT_THAT(full.output(), AllOf(HasSubstr("seba-host: the "), HasSubstr("0 bytes"),
                                     HasSubstr("needs at least 1 MiB"),
                                     HasSubstr((disk / "data" / "seba.db").string())))
        << disk.how();
    disk.free();
    ProcessResult after = host("verify-audit");
    EXPECT_EQ(after.exit_code, 0) << after.output;
    EXPECT_THAT(after.output, HasSubstr("audit log intact"));
}

TEST_F(CliTest, TamperedAuditLogIsReported) {
    write_config();
    ASSERT_EQ(host("run").exit_code, 0);
    {
        Database raw = Database::open(dir_ / "data" / "seba.db");
        raw.exec("DROP TRIGGER core__audit_no_update");
        raw.exec("UPDATE core__audit SET actor = 'operator' WHERE seq = 1");
    }
    ProcessResult r = host("verify-audit");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_THAT(r.output, HasSubstr("AUDIT LOG BROKEN at entry 1"));
}

}  // namespace
}  // namespace seba::testing

// SPDX-License-Identifier: Apache-2.0
// seba-host as an operator meets it: a broken config file or database gives one clear line
// naming the file and what to do, and an exit code, never a crash.
#include <sstream>

#include "host_fixture.hpp"
#include "process.hpp"
#include "seba/catalog.hpp"
#include "seba/search.hpp"
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

TEST_F(CliTest, SearchPrintsRankedResultsAsJsonLines) {
    write_config();
    {
        const std::filesystem::path file = load_config(dir_ / "seba.toml").database_path();
        std::filesystem::create_directories(file.parent_path());
        Database db = Database::open(file);
        migrate_core(db);
        auto keep = [&](const std::string& channel,
                        std::vector<std::pair<std::string, nlohmann::json>> records) {
            catalog::Page page;
            page.cursor = "1";
            for (const auto& [key, data] : records) page.changes.push_back({key, data.dump()});
            catalog::keep_page(db, channel, page);
        };
        keep(std::string(search::kIndexesChannel),
             {{"portal", nlohmann::json::parse(R"({"sources": [
                {"channel": "geo.bd.districts", "tier": 2, "kind": "district",
                 "name_fields": {"en": "name_en", "bn": "name_bn"}},
                {"channel": "geo.bd.upazilas", "tier": 3, "kind": "upazila",
                 "name_fields": {"en": "name_en", "bn": "name_bn"},
                 "parent": {"channel": "geo.bd.districts", "field": "district_id"}}]})")}});
        keep("geo.bd.districts", {{"1", {{"name_en", "Cumilla"}, {"name_bn", "কুমিল্লা"}}}});
        keep("geo.bd.upazilas",
             {{"1", {{"district_id", "1"}, {"name_en", "Debidwar"}, {"name_bn", "দেবিদ্বার"}}},
              {"2", {{"district_id", "1"}, {"name_en", "Debidwar Sadar"}}}});
    }
    ProcessResult r = host("search portal debidwar");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::vector<nlohmann::json> lines;
    std::istringstream in(r.output);
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    ASSERT_EQ(lines.size(), 2u) << r.output;
    EXPECT_EQ(lines[0]["name"], (nlohmann::json{{"bn", "দেবিদ্বার"}, {"en", "Debidwar"}}));
    EXPECT_EQ(lines[0]["kind"], "upazila");
    EXPECT_EQ(lines[0]["tier"], 3);
    EXPECT_EQ(lines[0]["channel"], "geo.bd.upazilas");
    EXPECT_EQ(lines[0]["key"], "1");
    EXPECT_EQ(lines[0]["match"], "exact");
    EXPECT_EQ(lines[0]["place"], nlohmann::json::parse(
                                     R"([{"name": {"en": "Cumilla", "bn": "কুমিল্লা"},
                                          "kind": "district"}])"));
    EXPECT_EQ(lines[1]["name"]["en"], "Debidwar Sadar");
    EXPECT_GT(lines[0]["score"].get<double>(), lines[1]["score"].get<double>());

    r = host("search portal debidwar --limit 1");
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;

    r = host("search portal 'NEAR(\"*\")'");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_THAT(r.output, HasSubstr("nothing found"));
    EXPECT_THAT(r.output, ::testing::Not(HasSubstr("{")));

    r = host("search nosuch debidwar");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.output, HasSubstr("no search index \"nosuch\" (it has: portal)"));
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

// SPDX-License-Identifier: Apache-2.0
// Country packs and the administrator's catalog commands: the demo pack with the real
// public datasets publishes every place; a second run changes nothing; a bad pack or file
// publishes nothing and says where it is wrong; the real seba-server binary does the same.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "process.hpp"
#include "seba/search.hpp"
#include "seba/server/country_pack.hpp"
#include "seba/server/store.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

namespace seba::server {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const std::filesystem::path kDemoPack =
    std::filesystem::path(SEBA_SOURCE_DIR) / "assets" / "demo" / "pack" / "pack.json";

class PackTest : public ::testing::Test {
  protected:
    std::filesystem::path write(const std::string& name, const std::string& text) {
        std::filesystem::path file = dir_ / name;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file) << text;
        return file;
    }

    std::map<std::string, std::int64_t> records() {
        std::map<std::string, std::int64_t> out;
        for (const ChannelInfo& c : store_->channels()) out[c.name] = c.records;
        return out;
    }

    seba::testing::TempDir dir_;
    std::unique_ptr<Store> store_ = seba::testing::open_test_store(dir_.path());
    FileStore files_{dir_ / "files"};  // the courses' lessons are content files
};

TEST_F(PackTest, TheDemoPackPublishesEveryRealPlaceAndASecondRunChangesNothing) {
    std::vector<PackStep> first = import_country_pack(*store_, kDemoPack, false, &files_);
    EXPECT_TRUE(store_->centre_exists("demo-centre"));
    EXPECT_EQ(records(), (std::map<std::string, std::int64_t>{{"dc.services", 20},  // 3 rules
                                                              {"fleet", 1},
                                                              {"geo.bd.districts", 64},
                                                              {"geo.bd.divisions", 8},
                                                              {"geo.bd.unions", 4540},
                                                              {"geo.bd.upazilas", 494},
                                                              {"geo.uz.districts", 210},
                                                              {"geo.uz.regions", 14},
                                                              {"geo.uz.villages", 2641},
                                                              {"muktopaath.categories", 4},
                                                              {"muktopaath.courses", 6},
                                                              // NISE: illustrative
                                                              {"nise.opportunities", 41},
                                                              {"nise.skill_categories", 8},
                                                              {"nise.skills", 54},
                                                              // 6 places' details, 1 office
                                                              {"portal.offices", 7},
                                                              {"search.indexes", 1},
                                                              // illustrative, one per service
                                                              {"tcv.baselines", 8}}));
    ChannelPage unions =
        store_->changes("geo.bd.unions", "demo-centre", std::nullopt, 10'000, 1 << 30);
    auto third = std::find_if(unions.changes.begin(), unions.changes.end(),
                              [](const ChannelChange& c) { return c.key == "3"; });
    ASSERT_NE(third, unions.changes.end());
    EXPECT_EQ(json::parse(*third->data)["name_bn"], "দক্ষিণ গুনাইঘর");
    ChannelPage fleet = store_->changes("fleet", "demo-centre", std::nullopt, 10, 1 << 20);
    ASSERT_EQ(fleet.changes.size(), 1u);
    EXPECT_EQ(json::parse(*fleet.changes[0].data)["plugin_settings"]["about"]["helpline"], "333");
    EXPECT_EQ(json::parse(*fleet.changes[0].data)["plugin_settings"]["nise"]["centre_place"],
              "geo.bd.upazilas/1")
        << "Debidwar, where the demo centre is";
    ChannelPage indexes =
        store_->changes("search.indexes", "demo-centre", std::nullopt, 10, 1 << 20);
    ASSERT_EQ(indexes.changes.size(), 1u);
    EXPECT_EQ(indexes.changes[0].key, "portal") << "the record key is the index's name";
    EXPECT_EQ(json::parse(*indexes.changes[0].data)["sources"].size(), 8u);
    // A kiosk reads it with the search service's own check (unknown fields refused).
    seba::search::IndexSpec portal =
        seba::search::IndexSpec::from_json("portal", json::parse(*indexes.changes[0].data));
    EXPECT_EQ(portal.sources.back().channel, "portal.offices");
    EXPECT_EQ(portal.sources.back().parent, (seba::search::ParentLink{"", "place"}));

    // The courses' lessons became content files, named by their hash, that the server holds.
    ChannelPage courses =
        store_->changes("muktopaath.courses", "demo-centre", std::nullopt, 100, 1 << 24);
    ASSERT_EQ(courses.changes.size(), 6u);
    for (const ChannelChange& course : courses.changes) {
        const json pack = json::parse(*course.data)["pack"];
        ASSERT_GE(pack.size(), 2u) << course.key;
        EXPECT_EQ(pack[0]["name"], "course.json") << course.key;
        for (const json& file : pack) {
            ASSERT_TRUE(file.contains("sha256")) << course.key << ": " << file.dump();
            EXPECT_TRUE(files_.find(file["sha256"].get<std::string>()).has_value())
                << course.key << ": " << file.dump();
        }
    }

    std::vector<PackStep> again = import_country_pack(*store_, kDemoPack, false, &files_);
    for (const PackStep& step : again) {
        EXPECT_EQ(step.report.added + step.report.changed + step.report.removed, 0) << step.what;
    }
    EXPECT_EQ(store_->channel_version("geo.bd.unions").first, 4540) << "no new versions";
}

TEST_F(PackTest, ADryRunReadsEverythingAndPublishesNothing) {
    std::vector<PackStep> steps = import_country_pack(*store_, kDemoPack, true, &files_);
    ASSERT_EQ(steps.size(), 18u);  // the centre, 16 channels, the fleet configuration
    EXPECT_EQ(steps[4].what, "channel geo.bd.unions");
    EXPECT_EQ(steps[4].report.added, 4540);
    EXPECT_TRUE(store_->channels().empty());
    EXPECT_FALSE(store_->centre_exists("demo-centre"));
    std::error_code ec;
    EXPECT_TRUE(std::filesystem::is_empty(files_.dir(), ec) || ec) << "no content file stored";
}

TEST_F(PackTest, ABadPackOrFilePublishesNothingAndSaysWhere) {
    write("good.csv", "id,name\n1,Andijon\n");
    write("bad.csv", "id,name\n1,Andijon\n2\n");
    write("fleet.json", R"({"plugins": ["about"], "colour": "red"})");
    struct Case {
        const char* what;
        std::string pack;
        const char* expected;
    };
    const Case cases[] = {
        {"not json", "{", "not valid JSON"},
        {"unknown field", R"({"name": "x", "centers": []})", "pack field \"centers\" is unknown"},
        {"no name", R"({"channels": []})", "name is missing"},
        {"bad channel name",
         R"({"name": "x", "channels": [{"channel": "Geo", "file": "good.csv"}]})",
         "\"Geo\" is not a channel name"},
        {"the fleet channel",
         R"({"name": "x", "channels": [{"channel": "fleet", "file": "good.csv"}]})",
         "\"fleet\" is not a channel name a pack may fill"},
        {"missing file",
         R"({"name": "x", "channels": [{"channel": "geo.a", "file": "good.csv"},
                                       {"channel": "geo.b", "file": "nowhere.csv"}]})",
         "nowhere.csv"},
        {"bad row",
         R"({"name": "x", "channels": [{"channel": "geo.a", "file": "good.csv"},
                                       {"channel": "geo.b", "file": "bad.csv"}]})",
         "line 3"},
        {"bad fleet", R"({"name": "x", "centres": [{"id": "c1", "name": "C"}],
                          "channels": [{"channel": "geo.a", "file": "good.csv"}],
                          "fleet": {"c1": "fleet.json"}})",
         "\"colour\" is unknown"},
    };
    for (const Case& c : cases) {
        std::filesystem::path pack = write("pack.json", c.pack);
        try {
            import_country_pack(*store_, pack, false);
            ADD_FAILURE() << c.what << ": no error";
        } catch (const Error& e) {
            EXPECT_THAT(e.what(), HasSubstr(c.expected)) << c.what;
        }
        EXPECT_TRUE(store_->channels().empty()) << c.what << ": nothing published";
        EXPECT_FALSE(store_->centre_exists("c1")) << c.what;
    }
}

TEST(FleetConfig, ItsShapeIsCheckedBeforePublishing) {
    EXPECT_NO_THROW(check_fleet_config(json::parse(
        R"({"plugins": ["about"], "settings": {"kiosk.idle_timeout_s": 90},
            "plugin_settings": {"about": {"helpline": "333"}}, "channels": ["geo.bd.unions"]})")));
    EXPECT_NO_THROW(check_fleet_config(json::object()));
    const std::pair<const char*, const char*> bad[] = {
        {"[]", "must be a JSON object"},
        {R"({"plugin": ["about"]})", "\"plugin\" is unknown"},
        {R"({"plugins": "about"})", "plugins must be a list of text"},
        {R"({"plugins": ["About Kiosk"]})", "invalid id \"About Kiosk\""},
        {R"({"settings": [1]})", "settings must be an object"},
        {R"({"plugin_settings": {"about": 5}})", "\"about\" must be a plugin id with an object"},
        {R"({"channels": ["geo..x", "Geo"]})", "invalid channel name \"Geo\""},
    };
    for (const auto& [text, expected] : bad) {
        try {
            check_fleet_config(json::parse(text));
            ADD_FAILURE() << text << ": accepted";
        } catch (const Error& e) {
            EXPECT_THAT(e.what(), HasSubstr(expected)) << text;
        }
    }
}

// A fleet configuration's kiosk settings follow the table the kiosks read
// (seba/kiosk_settings.hpp): a value every kiosk would refuse is refused when a pilot
// publishes it, naming the centre, the key and what it must be, and nothing is published.
TEST_F(PackTest, AFleetValueTheKiosksWouldRefuseIsRefusedAtPublish) {
    store_->create_centre("c1", "Centre one");
    const std::pair<const char*, const char*> bad[] = {
        // each end of a range, and past it
        {R"({"kiosk.idle_timeout_s": 9})",
         "kiosk.idle_timeout_s must be an integer from 10 to 3600 (found 9)"},
        {R"({"kiosk.idle_timeout_s": 3601})",
         "kiosk.idle_timeout_s must be an integer from 10 to 3600 (found 3601)"},
        {R"({"kiosk.idle_timeout_s": 5})",
         "kiosk.idle_timeout_s must be an integer from 10 to 3600 (found 5)"},
        // the wrong type
        {R"({"kiosk.idle_timeout_s": "soon"})",
         "kiosk.idle_timeout_s must be an integer from 10 to 3600 (found \"soon\")"},
        {R"({"kiosk.idle_timeout_s": 60.5})",
         "kiosk.idle_timeout_s must be an integer from 10 to 3600 (found 60.5)"},
        {R"({"kiosk.languages": "bn"})",
         "kiosk.languages must be a non-empty array of languages (found \"bn\")"},
        // an unknown key, and one only the kiosk's own file sets
        {R"({"kiosk.colour": "red"})",
         "kiosk.colour is not among the settings a fleet configuration may set: kiosk.centre, "
         "kiosk.languages, kiosk.idle_timeout_s, server.url"},
        {R"({"kiosk.data_dir": "/tmp"})",
         "kiosk.data_dir is not among the settings a fleet configuration may set"},
        // the values themselves
        {R"({"kiosk.languages": ["bn", "French"]})",
         "kiosk.languages[1] must be a BCP 47 language tag such as \"bn\", \"uz-Latn\" or \"ne\" "
         "(found \"French\")"},
        {R"({"kiosk.languages": []})", "kiosk.languages must be a non-empty array"},
        {R"({"kiosk.languages": ["bn", "en", "bn"]})",
         "kiosk.languages[2] repeats \"bn\"; list each language once"},
        {R"({"kiosk.centre": "Centre one"})",
         "kiosk.centre must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'"},
        {R"({"server.url": "http://seba.example.org"})",
         "server.url must be an https:// URL: a kiosk sends citizens' data to its server only "
         "over TLS"},
    };
    for (const auto& [settings, expected] : bad) {
        const json config = {{"plugins", {"about"}}, {"settings", json::parse(settings)}};
        for (const bool dry_run : {true, false}) {
            try {
                publish_fleet_config(*store_, "c1", config, dry_run);
                ADD_FAILURE() << settings << ": published";
            } catch (const Error& e) {
                EXPECT_THAT(e.what(), HasSubstr(std::string("fleet configuration for centre c1: "
                                                            "settings: ") +
                                                expected))
                    << settings;
            }
        }
    }
    EXPECT_TRUE(store_->changes("fleet", "c1", std::nullopt, 10, 1 << 20).changes.empty())
        << "nothing was published";

    // The ends of a range are values, and every key a fleet may set is taken.
    const json shortest = {{"settings", {{"kiosk.idle_timeout_s", 10}}}};
    EXPECT_EQ(publish_fleet_config(*store_, "c1", shortest, false).added, 1);
    const json every_key = json::parse(R"({"settings": {"kiosk.idle_timeout_s": 3600,
        "kiosk.languages": ["uz-Latn", "ru"], "kiosk.centre": "c1",
        "server.url": "https://seba.example.uz"}})");
    EXPECT_EQ(publish_fleet_config(*store_, "c1", every_key, false).changed, 1);
}

TEST_F(PackTest, APackWithABadFleetValuePublishesNothingAndNamesTheFileAndCentre) {
    write("good.csv", "id,name\n1,Andijon\n");
    std::filesystem::path fleet =
        write("fleet/c1.json", R"({"settings": {"kiosk.idle_timeout_s": "soon"}})");
    std::filesystem::path pack = write("pack.json", R"({"name": "x",
        "centres": [{"id": "c1", "name": "C"}],
        "channels": [{"channel": "geo.a", "file": "good.csv"}],
        "fleet": {"c1": "fleet/c1.json"}})");
    try {
        import_country_pack(*store_, pack, false);
        ADD_FAILURE() << "imported";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr(fleet.string() +
                                        ": fleet configuration for centre c1: settings: "
                                        "kiosk.idle_timeout_s must be an integer from 10 to 3600 "
                                        "(found \"soon\")"));
    }
    EXPECT_TRUE(store_->channels().empty());
    EXPECT_FALSE(store_->centre_exists("c1"));
}

// The real binary, as an administrator runs it.
class AdminCommands : public PackTest {
  protected:
    void SetUp() override {
        config_ = write("seba-server.toml", "[server]\ndatabase = \"cli.db\"\n");
    }
    seba::testing::ProcessResult admin(const std::string& args) {
        return seba::testing::run_process(std::string(SEBA_SERVER_BIN) + " --config " +
                                          config_.string() + " admin " + args + " 2>&1");
    }
    std::filesystem::path config_;
};

TEST_F(AdminCommands, ImportListCompactAndFleetConfigFromTheCommandLine) {
    std::string unions = std::string(SEBA_DATA_DIR) + "/bd-geocode/unions.csv";
    auto dry = admin("import geo.bd.unions " + unions +
                     " --columns id,upazila_id,name_en,name_bn,portal_url --dry-run");
    EXPECT_EQ(dry.exit_code, 0) << dry.output;
    EXPECT_THAT(dry.output, HasSubstr("(dry run) channel geo.bd.unions: 4540 added"));
    auto real = admin("import geo.bd.unions " + unions +
                      " --columns id,upazila_id,name_en,name_bn,portal_url");
    EXPECT_THAT(real.output, HasSubstr("channel geo.bd.unions: 4540 added, 0 changed, 0 removed, "
                                       "0 unchanged (version 4540)"));

    // The same file less its last 40 rows: 40 tombstones, then forgotten.
    std::ifstream in(unions);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::ofstream shorter(dir_ / "shorter.csv");
    for (std::size_t i = 0; i + 40 < lines.size(); ++i) shorter << lines[i] << "\n";
    shorter.close();
    auto removed = admin("import geo.bd.unions " + (dir_ / "shorter.csv").string() +
                         " --columns id,upazila_id,name_en,name_bn,portal_url");
    EXPECT_THAT(removed.output, HasSubstr("0 added, 0 changed, 40 removed, 4500 unchanged"));
    auto listed = admin("channels");
    EXPECT_THAT(listed.output, ::testing::ContainsRegex("geo.bd.unions +4500 +40 +4580 +0"));
    auto compacted = admin("compact geo.bd.unions");
    EXPECT_THAT(compacted.output, HasSubstr("40 tombstone(s) forgotten"));

    auto villages = admin("import geo.uz.villages " + std::string(SEBA_DATA_DIR) +
                          "/uz-regions/villages.csv --uz-latin name_uz");
    EXPECT_THAT(villages.output, HasSubstr("2641 added"));

    EXPECT_EQ(admin("create-centre c1 \"Centre one\"").exit_code, 0);
    std::filesystem::path fleet = write("fleet.json", R"({"plugins": ["about"]})");
    EXPECT_THAT(admin("fleet-config c1 " + fleet.string()).output, HasSubstr("fleet c1: 1 added"));
    EXPECT_THAT(admin("fleet-config nowhere " + fleet.string()).output,
                HasSubstr("centre nowhere does not exist"));
}

TEST_F(AdminCommands, ABadFleetValueIsRefusedNamingTheCentreKeyAndRule) {
    EXPECT_EQ(admin("create-centre c1 \"Centre one\"").exit_code, 0);
    std::filesystem::path bad =
        write("bad-fleet.json", R"({"settings": {"kiosk.idle_timeout_s": 5}})");
    auto refused = admin("fleet-config c1 " + bad.string());
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_THAT(refused.output,
                HasSubstr("fleet configuration for centre c1: settings: kiosk.idle_timeout_s must "
                          "be an integer from 10 to 3600 (found 5)"));
    EXPECT_THAT(admin("channels").output, ::testing::Not(HasSubstr("fleet")));
}

TEST_F(AdminCommands, ABadFileExitsWithTheLineAndChangesNothing) {
    std::filesystem::path bad = write("bad.csv", "id,name\n1,\"Andijon\n");
    auto result = admin("import geo.uz.regions " + bad.string());
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_THAT(result.output, HasSubstr("line 2"));
    EXPECT_THAT(admin("channels").output, ::testing::Not(HasSubstr("geo.uz.regions")));
}

}  // namespace
}  // namespace seba::server

// SPDX-License-Identifier: Apache-2.0
// The kiosk database: WAL and durability settings, clear errors for bad files, ordered
// migrations that roll back whole, and the plugin namespace enforced by SQLite itself.
#include "seba/storage.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <stdexcept>

#include "seba/error.hpp"
#include "seba/manifest.hpp"
#include "seba/plugin_store.hpp"
#include "seba/tcv.hpp"
#include "temp_dir.hpp"

namespace seba {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;
using testing::write_file;

std::int64_t scalar(Database& db, const std::string& sql) {
    Statement q = db.prepare(sql);
    EXPECT_TRUE(q.step());
    return q.integer(0);
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(Database, OpensInWalModeWithFullSyncAndBusyTimeout) {
    TempDir dir;
    Database db = Database::open(dir / "k.db");
    Statement mode = db.prepare("PRAGMA journal_mode");
    ASSERT_TRUE(mode.step());
    EXPECT_EQ(mode.text(0), "wal");
    EXPECT_EQ(scalar(db, "PRAGMA synchronous"), 2) << "2 is FULL";
    EXPECT_EQ(scalar(db, "PRAGMA busy_timeout"), 5000);
    EXPECT_EQ(scalar(db, "PRAGMA foreign_keys"), 1);
}

TEST(Database, FileThatIsNotADatabaseGivesAnErrorNamingItAndWhatToDo) {
    TempDir dir;
    write_file(dir / "k.db", std::string(8192, 'x'));
    std::string message = error_of([&] { Database::open(dir / "k.db"); });
    EXPECT_THAT(message,
                AllOf(HasSubstr((dir / "k.db").string()),
                      HasSubstr("not a Seba database or is damaged"), HasSubstr("Move it aside")));
}

TEST(Database, MissingFolderGivesAnErrorNamingTheFile) {
    TempDir dir;
    std::string message = error_of([&] { Database::open(dir / "no" / "such" / "k.db"); });
    EXPECT_THAT(message, AllOf(HasSubstr("no/such/k.db"), HasSubstr("cannot open")));
}

TEST(Database, TransactionRollsBackUnlessCommittedAndNestsAsSavepoints) {
    TempDir dir;
    Database db = Database::open(dir / "k.db");
    db.exec("CREATE TABLE t (v INTEGER)");
    {
        Transaction outer = db.transaction();
        db.exec("INSERT INTO t VALUES (1)");
        {
            Transaction inner = db.transaction();
            db.exec("INSERT INTO t VALUES (2)");
        }  // inner rolled back alone
        outer.commit();
    }
    EXPECT_EQ(scalar(db, "SELECT group_concat(v) FROM t"), 1);
    {
        Transaction tx = db.transaction();
        db.exec("INSERT INTO t VALUES (3)");
    }
    EXPECT_EQ(scalar(db, "SELECT count(*) FROM t"), 1);
}

TEST(Database, CachedStatementsAreReusedCleanAndNeverSharedWhileInUse) {
    TempDir dir;
    Database db = Database::open(dir / "k.db");
    db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)");
    const char* insert = "INSERT INTO t (k, v) VALUES (?, ?)";
    db.prepare_cached(insert).bind_all("a", 1).run();
    // The second use gets the statement back reset, so it runs again with new values.
    db.prepare_cached(insert).bind_all("b", 2).run();
    // Bindings from the last use do not leak into the next: unbound is NULL.
    db.prepare_cached(insert).bind(1, "c").run();
    EXPECT_EQ(scalar(db, "SELECT count(*) FROM t WHERE k = 'c' AND v IS NULL"), 1);

    // A nested use of the same SQL while the first is mid-rows gets its own statement:
    // both iterate their own rows.
    const char* select = "SELECT k FROM t WHERE v IS NOT NULL ORDER BY k";
    Statement outer = db.prepare_cached(select);
    std::string pairs;
    for (int rows = 0; rows < 4 && outer.step(); ++rows) {  // bounded: a shared one loops
        Statement inner = db.prepare_cached(select);
        while (inner.step()) pairs += outer.text(0) + inner.text(0) + " ";
    }
    EXPECT_EQ(pairs, "aa ab ba bb ");

    // A statement left mid-rows is reset when handed back: the next use starts at row one.
    {
        Statement first = db.prepare_cached(select);
        ASSERT_TRUE(first.step());
    }
    {
        Statement again = db.prepare_cached(select);
        ASSERT_TRUE(again.step());
        EXPECT_EQ(again.text(0), "a");
    }

    // A schema change after caching is seen (SQLite re-prepares the cached statement).
    const char* everything = "SELECT * FROM t WHERE k = 'a'";
    {
        Statement before = db.prepare_cached(everything);
        ASSERT_TRUE(before.step());
    }
    db.exec("ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'x'");
    Statement after = db.prepare_cached(everything);
    ASSERT_TRUE(after.step());
    EXPECT_EQ(after.text(2), "x");
}

constexpr Migration kThree[] = {
    {1, "people", "CREATE TABLE demo__people (id INTEGER PRIMARY KEY, name TEXT)"},
    {2, "seed", "INSERT INTO demo__people (name) VALUES ('Rahim')"},
    {3, "phone", "ALTER TABLE demo__people ADD COLUMN phone TEXT"},
};

TEST(Migrations, ApplyOnceAndInOrder) {
    TempDir dir;
    Database db = Database::open(dir / "k.db");
    EXPECT_EQ(apply_migrations(db, "demo", std::span(kThree).first(2)), 2);
    EXPECT_EQ(schema_version(db, "demo"), 2);
    EXPECT_EQ(apply_migrations(db, "demo", kThree), 1) << "only the new third one";
    EXPECT_EQ(apply_migrations(db, "demo", kThree), 0) << "nothing twice";
    EXPECT_EQ(scalar(db, "SELECT count(*) FROM demo__people"), 1) << "the seed ran once";
    db.exec("UPDATE demo__people SET phone = '+8801711000000'");
    EXPECT_EQ(schema_version(db, "other"), 0);
}

TEST(Migrations, FailedMigrationRollsBackWholeAndKeepsEarlierOnes) {
    TempDir dir;
    Database db = Database::open(dir / "k.db");
    const Migration broken[] = {
        kThree[0],
        {2, "half done",
         "CREATE TABLE demo__fees (amount INTEGER); "
         "INSERT INTO demo__nowhere VALUES (1)"},
    };
    std::string message = error_of([&] { apply_migrations(db, "demo", broken); });
    EXPECT_THAT(message, AllOf(HasSubstr("migration 2 \"half done\" of demo"),
                               HasSubstr("failed and was rolled back"),
                               HasSubstr("no such table: demo__nowhere")));
    EXPECT_EQ(schema_version(db, "demo"), 1);
    EXPECT_EQ(scalar(db, "SELECT count(*) FROM sqlite_master WHERE name = 'demo__fees'"), 0)
        << "the first statement of the failed migration was rolled back too";
    EXPECT_EQ(apply_migrations(db, "demo", kThree), 2) << "the fixed list applies";
}

TEST(Migrations, NumberingGapsEditedAndNewerSchemasAreErrors) {
    TempDir dir;
    Database db = Database::open(dir / "k.db");
    const Migration gap[] = {kThree[0], kThree[2]};
    EXPECT_THAT(error_of([&] { apply_migrations(db, "demo", gap); }),
                HasSubstr("must be numbered 1, 2, 3"));

    apply_migrations(db, "demo", kThree);
    const Migration edited[] = {
        kThree[0], {2, "seed", "INSERT INTO demo__people VALUES (9, 'X')"}, kThree[2]};
    EXPECT_THAT(error_of([&] { apply_migrations(db, "demo", edited); }),
                HasSubstr("was changed after it was applied"));
    EXPECT_THAT(error_of([&] { apply_migrations(db, "demo", std::span(kThree).first(1)); }),
                HasSubstr("newer than this build knows"));
}

TEST(Migrations, PluginMigrationsMayNotTouchCoreOrOtherPlugins) {
    TempDir dir;
    Database db = Database::open(dir / "k.db");
    migrate_core(db);
    const Migration sneaky[] = {{1, "sneaky", "DROP TRIGGER core__audit_no_update"}};
    EXPECT_THAT(error_of([&] { apply_migrations(db, "demo", sneaky); }),
                HasSubstr("not authorized"));
    const Migration other[] = {{1, "other", "CREATE TABLE rival__t (x)"}};
    EXPECT_THAT(error_of([&] { apply_migrations(db, "demo", other); }),
                HasSubstr("not authorized"));
}

Manifest store_manifest() {
    return parse_manifest(R"({"id": "dc", "version": "1.0.0", "api": "1.0",
        "names": {"en": "DC"}, "capabilities": ["storage", "outbox"],
        "events": ["dc.request_created"]})",
                          "dc/manifest.json");
}

class PluginStoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        migrate_core(db_);
        store_.exec("CREATE TABLE dc__requests (id INTEGER PRIMARY KEY, service TEXT)");
        db_.exec("CREATE TABLE other__secrets (v TEXT)");
    }
    TempDir dir_;
    Database db_ = Database::open(dir_ / "k.db");
    Manifest manifest_ = store_manifest();
    PluginStore store_{db_, manifest_};
};

TEST_F(PluginStoreTest, OwnTablesWorkEverythingElseIsRefused) {
    store_.prepare("INSERT INTO dc__requests (service) VALUES ('birth_reg')").run();
    store_.exec("CREATE TABLE dc__services (code TEXT PRIMARY KEY, name TEXT UNIQUE)");
    store_.exec("CREATE INDEX dc__requests_by_service ON dc__requests (service)");
    EXPECT_EQ(scalar(db_, "SELECT count(*) FROM dc__requests"), 1);
    for (const char* sql : {"SELECT * FROM core__audit", "SELECT * FROM other__secrets",
                            "DELETE FROM core__outbox", "ATTACH 'x.db' AS x",
                            "PRAGMA writable_schema = 1", "BEGIN", "CREATE TABLE core__mine (x)"}) {
        EXPECT_THAT(
            error_of([&] { store_.prepare(sql); }),
            AllOf(HasSubstr("plugin dc may only use its own tables, named dc__*"), HasSubstr(sql)));
    }
    // The guard is lifted after each call: core still reaches its own tables.
    EXPECT_EQ(scalar(db_, "SELECT count(*) FROM core__audit"), 0);
}

// The attacks of issue 13, as a plugin with SQL of its choosing would try them. The first
// two prepare a harmless statement, then change the schema so that SQLite compiles the
// statement again when it runs, with no plugin on the stack: what the plugin's view or
// trigger does must still be held to the plugin's tables.
TEST_F(PluginStoreTest, AViewSwappedAfterPrepareCannotReadCoreTables) {
    write_core_value(db_, "sync.device_id", "device-secret-42", "test");
    store_.exec("CREATE VIEW dc__v AS SELECT service AS x FROM dc__requests");
    store_.prepare("INSERT INTO dc__requests (service) VALUES ('birth_reg')").run();
    Statement read = store_.prepare("SELECT x FROM dc__v");
    store_.exec("DROP VIEW dc__v");
    store_.exec("CREATE VIEW dc__v AS SELECT value AS x FROM core__config");
    std::string seen;
    std::string error = error_of([&] {
        while (read.step()) seen += read.text(0);
    });
    EXPECT_THAT(seen, Not(HasSubstr("device-secret-42")));
    EXPECT_THAT(error, HasSubstr("access to core__config.value is prohibited"));
}

TEST_F(PluginStoreTest, ATriggerAddedAfterPrepareCannotForgeEventsOrTheDevice) {
    write_core_value(db_, "sync.device_id", "the-real-device", "test");
    Statement insert = store_.prepare("INSERT INTO dc__requests (service) VALUES ('land')");
    store_.exec(
        "CREATE TRIGGER dc__t AFTER INSERT ON dc__requests BEGIN "
        "INSERT INTO core__outbox (uuid, plugin, type, payload, created_at) "
        "VALUES ('forged', 'other', 'other.paid', '{}', '2026-01-01'); "
        "UPDATE core__config SET value = 'forged-device' WHERE key = 'sync.device_id'; END");
    EXPECT_THAT(error_of([&] { insert.run(); }), HasSubstr("not authorized"));
    EXPECT_EQ(scalar(db_, "SELECT count(*) FROM core__outbox"), 0);
    EXPECT_EQ(read_core_value(db_, "sync.device_id"), "the-real-device");
    EXPECT_EQ(scalar(db_, "SELECT count(*) FROM dc__requests"), 0);
}

TEST_F(PluginStoreTest, VacuumCannotCopyTheDatabase) {
    const auto copy = dir_ / "copy.db";
    for (const std::string& sql : {"VACUUM INTO '" + copy.string() + "'", std::string("VACUUM")})
        EXPECT_THAT(error_of([&] { store_.prepare(sql).run(); }),
                    HasSubstr("too many attached databases"))
            << sql;
    EXPECT_FALSE(std::filesystem::exists(copy));
}

TEST_F(PluginStoreTest, OnlyFullTextAndRTreeVirtualTablesMayBeMade) {
    // dbstat would list every table's pages, core's included.
    EXPECT_THAT(error_of([&] { store_.exec("CREATE VIRTUAL TABLE dc__pages USING dbstat"); }),
                HasSubstr("plugin dc may only use its own tables"));
    store_.exec("CREATE VIRTUAL TABLE dc__search USING fts5(title)");
    store_.prepare("INSERT INTO dc__search (title) VALUES ('birth registration')").run();
    EXPECT_EQ(scalar(db_, "SELECT count(*) FROM dc__search WHERE dc__search MATCH 'birth'"), 1);
}

TEST_F(PluginStoreTest, TheCoreSettingOffAPluginsTriggerGivesItNoMoreRights) {
    store_.exec(
        "CREATE TRIGGER dc__t AFTER DELETE ON dc__requests BEGIN "
        "DELETE FROM core__config; END");
    write_core_value(db_, "sync.device_id", "the-real-device", "test");
    store_.prepare("INSERT INTO dc__requests (service) VALUES ('land')").run();
    // The core deleting a plugin's rows (retention, say) fires the plugin's trigger.
    EXPECT_THAT(error_of([&] { db_.exec("DELETE FROM dc__requests"); }),
                HasSubstr("not authorized"));
    EXPECT_EQ(read_core_value(db_, "sync.device_id"), "the-real-device");
}

TEST_F(PluginStoreTest, FunctionsThatLeakAddressesOrLoadCodeAreRefused) {
    for (const char* sql :
         {"SELECT fts3_tokenizer('simple')", "SELECT load_extension('libc.so.6')"})
        EXPECT_THAT(error_of([&] { store_.prepare(sql).run(); }),
                    HasSubstr("plugin dc may only use its own tables"))
            << sql;
    // Ordinary functions still work.
    store_.prepare("INSERT INTO dc__requests (service) VALUES (lower('LAND'))").run();
    EXPECT_EQ(scalar(db_, "SELECT count(*) FROM dc__requests WHERE service = 'land'"), 1);
}

TEST_F(PluginStoreTest, TheSchemaCannotBeWrittenAndItsFunctionsAreNotTrusted) {
    // DEFENSIVE: not even the core can hand-edit the schema, so no plugin can either.
    db_.exec("PRAGMA writable_schema = ON");
    EXPECT_THAT(error_of([&] {
                    db_.exec("UPDATE sqlite_schema SET sql = 'x' WHERE name = 'dc__requests'");
                }),
                HasSubstr("may not be modified"));
    EXPECT_EQ(scalar(db_, "PRAGMA trusted_schema"), 0);
}

TEST_F(PluginStoreTest, RequestAndItsEventCommitTogetherOrNotAtAll) {
    store_.transaction([&] {
        store_.prepare("INSERT INTO dc__requests (service) VALUES ('birth_reg')").run();
        std::string uuid = store_.emit("dc.request_created", {{"service", "birth_reg"}});
        EXPECT_EQ(uuid.size(), 36u);
        EXPECT_EQ(uuid[14], '4') << "a version 4 UUID";
    });
    EXPECT_THROW(store_.transaction([&] {
        store_.prepare("INSERT INTO dc__requests (service) VALUES ('land')").run();
        store_.emit("dc.request_created", {{"service", "land"}});
        throw std::runtime_error("printer jammed before confirm");
    }),
                 std::runtime_error);
    EXPECT_EQ(scalar(db_, "SELECT count(*) FROM dc__requests"), 1);
    EXPECT_EQ(scalar(db_, "SELECT count(*) FROM core__outbox"), 1);
    Statement event = db_.prepare("SELECT plugin, type, payload, state FROM core__outbox");
    ASSERT_TRUE(event.step());
    EXPECT_EQ(event.text(0), "dc");
    EXPECT_EQ(event.text(1), "dc.request_created");
    EXPECT_EQ(event.text(2), R"({"service":"birth_reg"})");
    EXPECT_EQ(event.text(3), "pending");
}

TEST_F(PluginStoreTest, EmitOutsideATransactionOrOfAnUndeclaredTypeIsRefused) {
    EXPECT_THAT(error_of([&] { store_.emit("dc.request_created", {}); }),
                HasSubstr("outside store().transaction()"));
    EXPECT_THAT(error_of([&] { store_.transaction([&] { store_.emit("dc.secret", {}); }); }),
                HasSubstr("does not declare in \"events\""));
    EXPECT_EQ(scalar(db_, "SELECT count(*) FROM core__outbox"), 0);
}

// A service delivered (docs/civil-service.md): a declared service event carries a valid "tcv"
// member or is refused with nothing written, naming the plugin, the event and what is wrong.
class ServiceEventTest : public ::testing::Test {
  protected:
    void SetUp() override { migrate_core(db_); }
    static Manifest manifest(const char* capabilities) {
        return parse_manifest(fmt::format(R"({{"id": "dc", "version": "1.0.0", "api": "1.7",
            "names": {{"en": "DC"}}, "capabilities": [{}],
            "events": ["dc.request_confirmed", "dc.day_closed"],
            "service_events": ["dc.request_confirmed"]}})",
                                          capabilities),
                              "dc/manifest.json");
    }
    static nlohmann::json delivered() {
        return tcv::delivered_member({"DC-261128-A7-0001", "birth_registration",
                                      "2026-11-28T02:01:43.788Z", "2026-11-28T02:09:10.120Z", 80,
                                      "BDT"});
    }
    std::int64_t events() { return scalar(db_, "SELECT count(*) FROM core__outbox"); }
    std::string emit(PluginStore& store, const std::string& type, const nlohmann::json& payload) {
        return error_of([&] { store.transaction([&] { store.emit(type, payload); }); });
    }

    TempDir dir_;
    Database db_ = Database::open(dir_ / "k.db");
    Manifest manifest_ = manifest(R"("storage", "outbox", "survey")");
    PluginStore store_{db_, manifest_};
};

TEST_F(ServiceEventTest, AServiceEventWithItsTcvMemberIsQueued) {
    EXPECT_EQ(emit(store_, "dc.request_confirmed", {{"fees", 80}, {"tcv", delivered()}}),
              "(no error)");
    Statement row = db_.prepare("SELECT payload FROM core__outbox");
    ASSERT_TRUE(row.step());
    const auto payload = nlohmann::json::parse(row.text(0));
    EXPECT_EQ(payload["tcv"]["tracking"], "DC-261128-A7-0001");
    EXPECT_EQ(payload["tcv"]["cost"], 80);
    // Events that are not service events need none.
    EXPECT_EQ(emit(store_, "dc.day_closed", {{"day", "2026-11-28"}}), "(no error)");
    EXPECT_EQ(events(), 2);
}

TEST_F(ServiceEventTest, AServiceEventWithoutAValidTcvMemberIsRefusedWithNothingWritten) {
    auto without = [](const char* key) {
        nlohmann::json member = delivered();
        member.erase(key);
        return nlohmann::json{{"tcv", member}};
    };
    nlohmann::json later = delivered();
    later["arrived_at"] = "2026-11-28T03:00:00Z";
    nlohmann::json negative = delivered();
    negative["cost"] = -5;
    struct Case {
        nlohmann::json payload;
        const char* problem;
    };
    const Case cases[] = {
        {{{"fees", 80}}, "the payload has no \"tcv\" member"},
        {nlohmann::json::array({1, 2}), "the payload has no \"tcv\" member"},
        {{{"tcv", "DC-261128-A7-0001"}}, "its \"tcv\" member is not valid"},
        {without("tracking"), "tracking"},
        {without("ended_at"), "ended_at"},
        {{{"tcv", later}}, "arrived_at is after its ended_at"},
        {{{"tcv", negative}}, "cost"},
    };
    for (const Case& c : cases) {
        EXPECT_THAT(emit(store_, "dc.request_confirmed", c.payload),
                    AllOf(HasSubstr("plugin dc"), HasSubstr("\"dc.request_confirmed\""),
                          HasSubstr("service event"), HasSubstr(c.problem)))
            << c.payload.dump();
    }
    EXPECT_EQ(events(), 0);
}

TEST_F(ServiceEventTest, TheSurveyEventNeedsTheSurveyCapabilityAndAnswersTheServerWouldRead) {
    tcv::Survey survey;
    survey.tracking = "DC-261128-A7-0001";
    survey.service = "birth_registration";
    survey.visits = 2;
    survey.rating = 4;
    survey.currency = "BDT";
    survey.language = "bn";
    EXPECT_EQ(tcv::record_survey(store_, survey).size(), 36u);

    nlohmann::json impossible = tcv::survey_payload(survey);
    impossible["visits"] = 500;
    EXPECT_THAT(emit(store_, "tcv.survey", impossible),
                AllOf(HasSubstr("plugin dc"), HasSubstr("\"tcv.survey\""), HasSubstr("1 to 30")));
    EXPECT_EQ(events(), 1);

    Manifest no_survey = manifest(R"("storage", "outbox")");
    PluginStore without{db_, no_survey};
    EXPECT_THAT(error_of([&] { tcv::record_survey(without, survey); }),
                AllOf(HasSubstr("plugin dc"), HasSubstr("\"tcv.survey\"")));
    EXPECT_EQ(events(), 1);
}

}  // namespace
}  // namespace seba

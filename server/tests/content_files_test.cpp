// SPDX-License-Identifier: Apache-2.0
// Content files (docs/protocol.md "Content files", seba/content_files.hpp): a country pack's
// "$file" stored by hash and published as a reference; the real server streaming them with
// ranges; a real kiosk database whose sync client downloads, resumes, checks and refetches
// them; budgets with least-recently-used eviction; a full disk that stops downloads and
// leaves the database intact.
#include "seba/content_files.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "seba/server/country_pack.hpp"
#include "seba/server/file_store.hpp"
#include "seba/signing.hpp"
#include "seba/sync_engine.hpp"
#include "server_fixture.hpp"
#include "small_disk.hpp"
#include "test_store.hpp"

namespace seba::server {
namespace {

using files::FileRef;
using files::State;
using nlohmann::json;
using ::testing::HasSubstr;

// Bytes that do not compress and differ by seed.
std::string random_bytes(std::size_t size, unsigned seed) {
    std::mt19937 random(seed);
    std::string out(size, '\0');
    for (char& c : out) c = static_cast<char>(random() & 0xFF);
    return out;
}

std::string sha256_hex(const std::string& bytes) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

unsigned mode_of(const std::filesystem::path& file) {
    struct stat st {};
    EXPECT_EQ(::stat(file.c_str(), &st), 0) << file;
    return st.st_mode & 0777;
}

class ContentFilesTest : public ::testing::Test {
  protected:
    void SetUp() override {
        store_->create_centre("dhaka-1", "Dhaka Union Digital Centre");
        migrate_core(kiosk_db_);
    }

    static ServerOptions with_files(const std::filesystem::path& dir) {
        ServerOptions options;
        options.files_dir = dir;
        return options;
    }

    SyncOptions sync_options(const std::string& url) const {
        SyncOptions options;
        options.server_url = url;
        options.device_key_file = dir_ / "device.key";
        options.total_timeout_ms = 5000;
        options.files_dir = kiosk_files_;
        return options;
    }

    // The kiosk, enrolled with the server.
    std::unique_ptr<SyncClient> kiosk(SyncOptions options) {
        auto client = std::make_unique<SyncClient>(kiosk_db_, std::move(options));
        if (!client->enrolled())
            client->enroll(
                store_->create_enrollment_code("dhaka-1", std::chrono::hours(1), Clock::now()),
                "dhaka-1");
        return client;
    }
    std::unique_ptr<SyncClient> kiosk() { return kiosk(sync_options(server_.url())); }

    // A file in the server's store, as a pack puts it there.
    FileRef publish(const std::string& name, const std::string& bytes) {
        const std::filesystem::path source = dir_ / "source" / name;
        seba::testing::write_file(source, bytes);
        FileStore::Stored stored = server_files_.add(source, files::kMaxFileBytes, false);
        return {stored.sha256, stored.size, name};
    }

    std::unique_ptr<files::Files> plugin_files(const std::string& plugin = "muktopaath") {
        return files::local_files(kiosk_db_, kiosk_files_, plugin);
    }

    // GET of a signed request by a device enrolled here, as a kiosk signs it.
    httplib::Result signed_get(const std::string& path, httplib::Headers headers = {}) {
        if (device_.empty()) {
            device_key_ = signing::generate_key_pair();
            device_ = store_
                          ->enroll(store_->create_enrollment_code("dhaka-1", std::chrono::hours(1),
                                                                  Clock::now()),
                                   device_key_.public_key, Clock::now(), "dhaka-1")
                          .id;
        }
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        signing::SignedHeaders h =
            signing::sign_request(device_key_, device_, "GET", path, "", now);
        headers.emplace("X-Seba-Device", h.device);
        headers.emplace("X-Seba-Timestamp", h.timestamp);
        headers.emplace("X-Seba-Nonce", h.nonce);
        headers.emplace("X-Seba-Signature", h.signature);
        return httplib::Client("127.0.0.1", server_.port()).Get(path.c_str(), headers);
    }

    std::string integrity() {
        Statement q = kiosk_db_.prepare("PRAGMA integrity_check");
        q.step();
        return q.text(0);
    }

    seba::testing::TempDir dir_;
    std::unique_ptr<Store> store_ = seba::testing::open_test_store(dir_.path());
    FileStore server_files_{dir_ / "server-files"};
    RunningServer server_{*store_, with_files(dir_ / "server-files")};
    Database kiosk_db_ = Database::open(dir_ / "kiosk.db");
    std::filesystem::path kiosk_files_ = dir_ / "kiosk-files";
    signing::KeyPair device_key_{};
    std::string device_;
};

// --- the pack: "$file" ---------------------------------------------------------------------

class PackFilesTest : public ContentFilesTest {
  protected:
    std::filesystem::path pack(const json& courses) {
        seba::testing::write_file(
            dir_ / "pack" / "pack.json",
            json{{"name", "files"},
                 {"channels", {{{"channel", "muktopaath.courses"}, {"file", "courses.json"}}}}}
                .dump());
        seba::testing::write_file(dir_ / "pack" / "courses.json", courses.dump());
        return dir_ / "pack" / "pack.json";
    }
    json course_with(const json& pack_entries) {
        return {{"dl-bn", {{"title", {{"en", "Digital literacy"}}}, {"pack", pack_entries}}}};
    }
    std::string published(const std::string& key) {
        ChannelPage page =
            store_->changes("muktopaath.courses", "dhaka-1", std::nullopt, 100, 1 << 20);
        for (const ChannelChange& c : page.changes)
            if (c.key == key && c.data) return *c.data;
        return {};
    }
    std::size_t stored_files() {
        std::error_code ec;
        std::size_t n = 0;
        for (const auto& entry : std::filesystem::directory_iterator(server_files_.dir(), ec)) {
            (void)entry;
            ++n;
        }
        return n;
    }
};

TEST_F(PackFilesTest, AFileInAPackIsStoredByItsHashAndPublishedAsAReference) {
    const std::string lesson = R"({"course": "dl-bn", "lessons": []})";
    const std::string image = random_bytes(20000, 1);
    seba::testing::write_file(dir_ / "pack/courses/dl-bn/course.json", lesson);
    seba::testing::write_file(dir_ / "pack/courses/dl-bn/images/phone.png", image);
    const auto file =
        pack(course_with(json::array({{{"$file", "courses/dl-bn/course.json"}},
                                      {{"$file", "courses/dl-bn/images/phone.png"}}})));

    // A dry run reads and checks every file, and stores none.
    import_country_pack(*store_, file, /*dry_run=*/true, &server_files_);
    EXPECT_EQ(stored_files(), 0u);
    EXPECT_TRUE(store_->channels().empty());

    import_country_pack(*store_, file, false, &server_files_);
    const json record = json::parse(published("dl-bn"));
    EXPECT_EQ(
        record["pack"][0],
        (json{{"sha256", sha256_hex(lesson)}, {"size", lesson.size()}, {"name", "course.json"}}));
    EXPECT_EQ(record["pack"][1], (json{{"sha256", sha256_hex(image)},
                                       {"size", image.size()},
                                       {"name", "images/phone.png"}}));
    EXPECT_EQ(record["title"]["en"], "Digital literacy");
    ASSERT_TRUE(FileRef::from_json(record["pack"][1]));
    // Stored under its hash, the server's alone, and byte for byte.
    const std::filesystem::path stored = server_files_.dir() / sha256_hex(image);
    EXPECT_EQ(seba::testing::read_file(stored), image);
    EXPECT_EQ(mode_of(stored), 0600u);
    EXPECT_EQ(stored_files(), 2u) << "no temporary file is left behind";
    // Imported again: the same references, the same two files.
    import_country_pack(*store_, file, false, &server_files_);
    EXPECT_EQ(json::parse(published("dl-bn")), record);
    EXPECT_EQ(stored_files(), 2u);
}

TEST(FileRefName, IsThePathInsideTheRecordsFolder) {
    EXPECT_EQ(file_ref_name("courses/dl-bn/images/x.png"), "images/x.png");
    EXPECT_EQ(file_ref_name("courses/dl-bn/course.json"), "course.json");
    EXPECT_EQ(file_ref_name("dl-bn/course.json"), "course.json");
    EXPECT_EQ(file_ref_name("course.json"), "course.json");
}

TEST_F(PackFilesTest, ABadFileReferencePublishesNothingAndSaysWhichRecordAndPath) {
    seba::testing::write_file(dir_ / "pack/courses/dl-bn/course.json", "{}");
    seba::testing::write_file(dir_ / "outside.json", "{}");
    std::filesystem::create_symlink(dir_ / "outside.json", dir_ / "pack/courses/escape.json");
    // 1 byte over the limit, and sparse: it takes no room.
    {
        const std::filesystem::path big = dir_ / "pack/courses/big.bin";
        std::ofstream(big).put('x');
        std::filesystem::resize_file(big, static_cast<std::uintmax_t>(files::kMaxFileBytes) + 1);
    }
    struct Case {
        json entry;
        std::string says;
    };
    const std::vector<Case> cases = {
        {{{"$file", "courses/dl-bn/missing.json"}}, "cannot be found"},
        {{{"$file", (dir_ / "pack/courses/dl-bn/course.json").string()}}, "is absolute"},
        {{{"$file", "courses/../courses/dl-bn/course.json"}}, "goes up"},
        {{{"$file", "courses/escape.json"}}, "leads out of the pack"},
        {{{"$file", "courses/big.bin"}}, "256 MiB"},
        {{{"$file", "courses/dl-bn"}}, "not a regular file"},
        {{{"$file", "courses/dl-bn/course.json"}, {"name", "x"}}, "must be alone"},
        {{{"$file", 7}}, "must be alone in its object, with a path as text"},
    };
    for (const Case& c : cases) {
        const auto file = pack(course_with(json::array({c.entry})));
        try {
            import_country_pack(*store_, file, false, &server_files_);
            ADD_FAILURE() << "accepted " << c.entry.dump();
        } catch (const Error& e) {
            EXPECT_THAT(e.what(), HasSubstr((dir_ / "pack" / "courses.json").string()));
            EXPECT_THAT(e.what(), HasSubstr("record \"dl-bn\"")) << e.what();
            EXPECT_THAT(e.what(), HasSubstr(c.says)) << e.what();
        }
        EXPECT_TRUE(store_->channels().empty()) << c.entry.dump();
        EXPECT_EQ(stored_files(), 0u) << c.entry.dump();
    }
}

// --- the server: GET /v1/files/<sha256> ---------------------------------------------------

TEST_F(ContentFilesTest, TheServerStreamsAFileWholeOrFromAByteAndRefusesBadRanges) {
    const std::string bytes = random_bytes(300000, 2);
    const FileRef ref = publish("lesson.ogg", bytes);
    const std::string path = "/v1/files/" + ref.sha256;

    httplib::Result whole = signed_get(path);
    ASSERT_TRUE(whole);
    EXPECT_EQ(whole->status, 200);
    EXPECT_EQ(whole->body, bytes);
    EXPECT_EQ(whole->get_header_value("ETag"), "\"" + ref.sha256 + "\"");
    EXPECT_FALSE(whole->has_header("Content-Encoding"));

    httplib::Result rest = signed_get(path, {{"Range", "bytes=100000-"}});
    ASSERT_TRUE(rest);
    EXPECT_EQ(rest->status, 206);
    EXPECT_EQ(rest->get_header_value("Content-Range"), "bytes 100000-299999/300000");
    EXPECT_EQ(rest->body, bytes.substr(100000));

    httplib::Result last = signed_get(path, {{"Range", "bytes=299999-"}});
    ASSERT_TRUE(last);
    EXPECT_EQ(last->status, 206);
    EXPECT_EQ(last->body, bytes.substr(299999));

    for (const char* range : {"bytes=300000-", "bytes=999999999-", "bytes=0-1,5-6"}) {
        httplib::Result bad = signed_get(path, {{"Range", range}});
        ASSERT_TRUE(bad) << range;
        EXPECT_EQ(bad->status, 416) << range;
        EXPECT_EQ(bad->get_header_value("Content-Range"), "bytes */300000") << range;
        EXPECT_THAT(bad->body, HasSubstr("bad_range")) << range;
    }
    httplib::Result garbled = signed_get(path, {{"Range", "bytes=abc"}});
    ASSERT_TRUE(garbled);
    EXPECT_EQ(garbled->status, 416);
}

TEST_F(ContentFilesTest, AnUnknownHashIs404AndAnUnsignedRequestIsRefused) {
    const FileRef ref = publish("a.bin", random_bytes(1000, 3));
    httplib::Result unknown = signed_get("/v1/files/" + std::string(64, 'a'));
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 404);
    EXPECT_THAT(unknown->body, HasSubstr("unknown_file"));
    // A range on it does not cut the error's body.
    httplib::Result ranged =
        signed_get("/v1/files/" + std::string(64, 'a'), {{"Range", "bytes=5-"}});
    ASSERT_TRUE(ranged);
    EXPECT_EQ(ranged->status, 404);
    EXPECT_TRUE(json::accept(ranged->body)) << ranged->body;
    httplib::Result upper = signed_get("/v1/files/" + std::string(64, 'A'));
    ASSERT_TRUE(upper);
    EXPECT_EQ(upper->status, 404);
    httplib::Result unsigned_get =
        httplib::Client("127.0.0.1", server_.port()).Get(("/v1/files/" + ref.sha256).c_str());
    ASSERT_TRUE(unsigned_get);
    EXPECT_EQ(unsigned_get->status, 401);
}

// --- the kiosk: download, resume, check ------------------------------------------------------

TEST_F(ContentFilesTest, AWantedFileIsDownloadedCheckedAndOpened) {
    const std::string lesson = random_bytes(150000, 4), image = random_bytes(70000, 5);
    const FileRef a = publish("course.json", lesson), b = publish("images/phone.png", image);
    auto files = plugin_files();
    files->want({a, b});
    EXPECT_EQ(files->status(a.sha256).state, State::Queued);
    EXPECT_FALSE(files->open(a.sha256));

    SyncClient::FilesReport report = kiosk()->download_files();
    EXPECT_EQ(report.ready, 2);
    EXPECT_EQ(report.bytes, static_cast<std::int64_t>(lesson.size() + image.size()));
    EXPECT_FALSE(report.more);
    EXPECT_EQ(files->status(a.sha256).state, State::Ready);
    EXPECT_EQ(files->status(b.sha256).have, b.size);
    std::optional<std::filesystem::path> path = files->open(b.sha256);
    ASSERT_TRUE(path);
    EXPECT_EQ(seba::testing::read_file(*path), image);
    EXPECT_EQ(mode_of(*path), 0600u);
    // Another plugin has wanted nothing: it sees nothing.
    EXPECT_EQ(plugin_files("other")->status(a.sha256).state, State::Absent);
    // Nothing more to do at the next sync.
    EXPECT_EQ(kiosk()->download_files().bytes, 0);
    // Let go, a file is deleted.
    files->want({a});
    EXPECT_EQ(files->status(b.sha256).state, State::Absent);
    EXPECT_FALSE(std::filesystem::exists(kiosk_files_ / b.sha256));
    EXPECT_TRUE(std::filesystem::exists(kiosk_files_ / a.sha256));
}

TEST_F(ContentFilesTest, ADownloadStoppedAtASyncsLimitResumesWhereItStopped) {
    const std::string bytes = random_bytes(3 << 20, 6);
    const FileRef ref = publish("audio/l1.ogg", bytes);
    auto files = plugin_files();
    files->want({ref});
    SyncOptions limited = sync_options(server_.url());
    limited.files_bytes_per_sync = 1 << 20;
    SyncClient::FilesReport first = kiosk(limited)->download_files();
    EXPECT_TRUE(first.more);
    EXPECT_EQ(first.ready, 0);
    EXPECT_EQ(first.bytes, 1 << 20);
    files::FileStatus status = files->status(ref.sha256);
    EXPECT_EQ(status.state, State::Downloading);
    EXPECT_EQ(status.have, 1 << 20);
    EXPECT_EQ(status.size, 3 << 20);

    // The rest only: a Range from the byte it stopped at.
    SyncClient::FilesReport second = kiosk()->download_files();
    EXPECT_EQ(second.ready, 1);
    EXPECT_EQ(second.bytes, (3 << 20) - (1 << 20));
    EXPECT_EQ(seba::testing::read_file(*files->open(ref.sha256)), bytes);
    EXPECT_FALSE(std::filesystem::exists(kiosk_files_ / (ref.sha256 + ".part")));
}

// A server whose connection drops after `cut` bytes of a file (a network that fails).
class CuttingServer {
  public:
    CuttingServer(std::string bytes, std::size_t cut) : bytes_(std::move(bytes)), cut_(cut) {
        http_.Get(R"(/v1/files/.*)", [this](const httplib::Request&, httplib::Response& res) {
            res.set_content_provider(
                bytes_.size(), "application/octet-stream",
                [this](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                    if (offset >= cut_) return false;
                    return sink.write(bytes_.data() + offset, cut_ - offset);
                });
        });
        port_ = http_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { http_.listen_after_bind(); });
        while (!http_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~CuttingServer() {
        http_.stop();
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  private:
    std::string bytes_;
    std::size_t cut_;
    httplib::Server http_;
    std::thread thread_;
    int port_ = 0;
};

TEST_F(ContentFilesTest, ADownloadCutByTheNetworkKeepsWhatArrivedAndResumes) {
    const std::string bytes = random_bytes(2 << 20, 7);
    const FileRef ref = publish("video.bin", bytes);
    auto files = plugin_files();
    files->want({ref});
    kiosk();  // enrolled with the real server
    {
        CuttingServer cutting(bytes, 700000);
        SyncClient client(kiosk_db_, sync_options(cutting.url()));
        EXPECT_THROW(client.download_files(), SyncError);
    }
    EXPECT_EQ(files->status(ref.sha256).state, State::Downloading);
    EXPECT_EQ(files->status(ref.sha256).have, 700000);
    SyncClient::FilesReport report = kiosk()->download_files();
    EXPECT_EQ(report.ready, 1);
    EXPECT_EQ(report.bytes, (2 << 20) - 700000);
    EXPECT_EQ(seba::testing::read_file(*files->open(ref.sha256)), bytes);
}

TEST_F(ContentFilesTest, AFileThatDoesNotMatchItsHashIsThrownAwayAndFetchedAgainOnceRight) {
    const std::string bytes = random_bytes(200000, 8);
    const FileRef ref = publish("course.json", bytes);
    // The server's copy is damaged (same size, other bytes).
    std::string damaged = bytes;
    damaged[1234] = static_cast<char>(damaged[1234] ^ 0x5A);
    seba::testing::write_file(server_files_.dir() / ref.sha256, damaged);
    auto files = plugin_files();
    files->want({ref});
    SyncClient::FilesReport report = kiosk()->download_files();
    EXPECT_EQ(report.refetch, 1);
    EXPECT_EQ(report.ready, 0);
    files::FileStatus status = files->status(ref.sha256);
    EXPECT_EQ(status.state, State::Queued);
    EXPECT_THAT(status.error, HasSubstr("SHA-256"));
    EXPECT_FALSE(files->open(ref.sha256));
    EXPECT_FALSE(std::filesystem::exists(kiosk_files_ / ref.sha256));
    EXPECT_FALSE(std::filesystem::exists(kiosk_files_ / (ref.sha256 + ".part")));

    seba::testing::write_file(server_files_.dir() / ref.sha256, bytes);  // put right
    EXPECT_EQ(kiosk()->download_files().ready, 1);
    EXPECT_EQ(files->status(ref.sha256).state, State::Ready);
    EXPECT_EQ(files->status(ref.sha256).error, "");
    EXPECT_EQ(seba::testing::read_file(*files->open(ref.sha256)), bytes);
}

TEST_F(ContentFilesTest, AFileChangedOnTheKiosksDiskIsCaughtByOpenAndFetchedAgain) {
    const std::string bytes = random_bytes(100000, 9);
    const FileRef ref = publish("images/a.png", bytes);
    auto files = plugin_files();
    files->want({ref});
    kiosk()->download_files();
    ASSERT_TRUE(files->open(ref.sha256));
    // Same size, other bytes (its modification time moves).
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::string changed = bytes;
    changed[10] = static_cast<char>(changed[10] ^ 1);
    seba::testing::write_file(kiosk_files_ / ref.sha256, changed);
    EXPECT_FALSE(files->open(ref.sha256));
    EXPECT_EQ(files->status(ref.sha256).state, State::Queued);
    EXPECT_THAT(files->status(ref.sha256).error, HasSubstr("changed on the kiosk's disk"));
    // Cut short: caught by its size.
    EXPECT_EQ(kiosk()->download_files().ready, 1);
    std::filesystem::resize_file(kiosk_files_ / ref.sha256, 5);
    EXPECT_FALSE(files->open(ref.sha256));
    EXPECT_EQ(kiosk()->download_files().ready, 1);
    EXPECT_EQ(seba::testing::read_file(*files->open(ref.sha256)), bytes);
}

TEST_F(ContentFilesTest, AFileTheServerDoesNotHaveFailsWithTheReason) {
    const std::string bytes = random_bytes(5000, 10);
    const FileRef here = publish("here.bin", bytes);
    const FileRef missing{sha256_hex("not published"), 13, "missing.bin"};
    auto files = plugin_files();
    files->want({missing, here});
    SyncClient::FilesReport report = kiosk()->download_files();
    EXPECT_EQ(report.failed, 1);
    EXPECT_EQ(report.ready, 1) << "the next file is fetched all the same";
    files::FileStatus status = files->status(missing.sha256);
    EXPECT_EQ(status.state, State::Failed);
    EXPECT_THAT(status.error, HasSubstr("404"));
}

TEST_F(ContentFilesTest, FilesThatAreNotFilesAreRefused) {
    EXPECT_FALSE(FileRef::from_json({{"sha256", std::string(64, 'a')}, {"size", 0}}));
    EXPECT_FALSE(
        FileRef::from_json({{"sha256", std::string(64, 'a')}, {"size", files::kMaxFileBytes + 1}}));
    EXPECT_FALSE(FileRef::from_json({{"sha256", std::string(64, 'A')}, {"size", 5}}));
    EXPECT_FALSE(FileRef::from_json({{"sha256", "abc"}, {"size", 5}}));
    EXPECT_TRUE(FileRef::from_json({{"sha256", std::string(64, 'a')}, {"size", 5}}));
    auto files = plugin_files();
    EXPECT_THROW(files->want({{std::string(64, 'a'), files::kMaxFileBytes + 1, "big"}}), Error);
    EXPECT_THROW(files->set_budget(-1), Error);
}

// --- budgets ------------------------------------------------------------------------------

TEST_F(ContentFilesTest, OverItsBudgetAPluginLosesItsLeastRecentlyOpenedFiles) {
    const std::int64_t mib = 1 << 20;
    const FileRef a = publish("a", random_bytes(1 << 20, 11)),
                  b = publish("b", random_bytes(1 << 20, 12)),
                  c = publish("c", random_bytes(1 << 20, 13));
    auto files = plugin_files();
    files->set_budget(3 * mib);
    files->want({a, b, c});
    EXPECT_EQ(kiosk()->download_files().ready, 3);
    ASSERT_TRUE(files->open(b.sha256));
    ASSERT_TRUE(files->open(a.sha256));
    ASSERT_TRUE(files->open(c.sha256));  // b is now the least recently opened

    files->set_budget(2 * mib);
    EXPECT_EQ(files->status(b.sha256).state, State::Absent);
    EXPECT_FALSE(std::filesystem::exists(kiosk_files_ / b.sha256));
    EXPECT_EQ(files->status(a.sha256).state, State::Ready);
    EXPECT_EQ(files->status(c.sha256).state, State::Ready);

    // Wanted again, it waits: the budget is taken by files used more recently.
    files->want({a, b, c});
    files::FileStatus waiting = files->status(b.sha256);
    EXPECT_EQ(waiting.state, State::Failed);
    EXPECT_THAT(waiting.error, HasSubstr("does not fit in the plugin's budget of 2 MiB"));
    EXPECT_EQ(kiosk()->download_files().bytes, 0) << "nothing is thrown out for it";

    // A citizen asks for it: it comes, and the least recently opened (a) goes.
    EXPECT_FALSE(files->open(b.sha256));
    EXPECT_EQ(kiosk()->download_files().ready, 1);
    EXPECT_EQ(files->status(b.sha256).state, State::Ready);
    EXPECT_EQ(files->status(a.sha256).state, State::Absent);
    EXPECT_FALSE(std::filesystem::exists(kiosk_files_ / a.sha256));
    EXPECT_EQ(files->status(c.sha256).state, State::Ready);
    // A file another plugin keeps stays on disk when this one evicts it.
    auto other = plugin_files("other");
    other->want({c});
    files->set_budget(0);
    EXPECT_EQ(files->status(c.sha256).state, State::Absent);
    EXPECT_EQ(other->status(c.sha256).state, State::Ready);
    EXPECT_TRUE(other->open(c.sha256));
}

// --- the engine, and a full disk -------------------------------------------------------------

TEST_F(ContentFilesTest, TheSyncEngineFetchesFilesASliceAtATimeBetweenEvents) {
    const std::string bytes = random_bytes(3 << 20, 14);
    const FileRef ref = publish("big.bin", bytes);
    auto files = plugin_files();
    files->want({ref});
    kiosk();
    SyncOptions options = sync_options(server_.url());
    options.files_bytes_per_sync = 1 << 20;
    SyncEngine::Timing timing;
    timing.interval = std::chrono::minutes(10);  // only the files' own "soon" brings it back
    SyncEngine engine(dir_ / "kiosk.db", options, timing, {});
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (engine.status().files_ready < 1 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(engine.status().files_ready, 1) << engine.status().files_error;
    EXPECT_EQ(engine.status().files_error, "");
    EXPECT_EQ(seba::testing::read_file(*files->open(ref.sha256)), bytes);
}

TEST_F(ContentFilesTest, AFullDiskStopsDownloadsAndLeavesTheDatabaseIntact) {
    // The kiosk's data on a small disk (a tmpfs as root; else a file size limit): its
    // database, device key and files. Downloads run in a process of their own, under it.
    seba::testing::SmallDisk disk(dir_ / "disk");
    const std::filesystem::path db_file = disk / "kiosk.db", key = disk / "device.key",
                                files_dir = disk / "files";
    const std::string bytes = random_bytes(12 << 20, 15);
    const FileRef ref = publish("video.bin", bytes);
    {
        Database db = Database::open(db_file);
        migrate_core(db);
        SyncOptions options = sync_options(server_.url());
        options.device_key_file = key;
        SyncClient client(db, options);
        client.enroll(
            store_->create_enrollment_code("dhaka-1", std::chrono::hours(1), Clock::now()),
            "dhaka-1");
        files::local_files(db, files_dir, "muktopaath")->want({ref});
    }
    auto fetch = [&] {
        seba::testing::Program p(
            {SEBA_FILES_FETCHER, db_file.string(), key.string(), server_.url(), files_dir.string()},
            {}, &disk);
        EXPECT_EQ(p.finished(60), 0) << p.output();
        // Its report is its last line (the log may come before it).
        const std::string out = p.output();
        std::size_t start = out.rfind("\n{");
        start = start == std::string::npos ? out.find('{') : start + 1;
        json report =
            json::parse(out.substr(start == std::string::npos ? 0 : start), nullptr, false);
        EXPECT_FALSE(report.is_discarded()) << out;
        return report.is_discarded() ? json::object() : report;
    };
    disk.fill(6 << 20);
    json full = fetch();
    EXPECT_EQ(full["ready"], 0) << full.dump() << " " << disk.how();
    EXPECT_THAT(full["disk_problem"].get<std::string>(), HasSubstr("content downloads stopped"))
        << full.dump();
    {
        Database db = Database::open(db_file);
        Statement q = db.prepare("PRAGMA integrity_check");
        q.step();
        EXPECT_EQ(q.text(0), "ok");
        files::FileStatus status =
            files::local_files(db, files_dir, "muktopaath")->status(ref.sha256);
        EXPECT_NE(status.state, State::Ready);
        EXPECT_LE(status.have, 6 << 20);
        EXPECT_FALSE(std::filesystem::exists(files_dir / ref.sha256));
    }
    disk.free();
    json after = fetch();
    EXPECT_EQ(after["ready"], 1) << after.dump();
    EXPECT_EQ(after["disk_problem"], "");
    Database db = Database::open(db_file);
    std::optional<std::filesystem::path> path =
        files::local_files(db, files_dir, "muktopaath")->open(ref.sha256);
    ASSERT_TRUE(path);
    EXPECT_EQ(seba::testing::read_file(*path), bytes);
}

}  // namespace
}  // namespace seba::server

// SPDX-License-Identifier: Apache-2.0
// Time a kiosk can trust (issue 12, Why 5): the real seba-kiosk, its clock set wrong with
// libfaketime (10 minutes ahead, 2 hours and 2 days behind), enrolls, syncs and records a
// citizen's request with the real Digital Centre plugin against the real seba-server on
// loopback; the times the server receives are right, and times the kiosk could not check
// are flagged. A lost device key, met through the real commands, is re-enrolled.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "process.hpp"
#include "seba/kiosk_clock.hpp"
#include "seba/server/catalog_import.hpp"
#include "server_fixture.hpp"

namespace seba::server {
namespace {

using nlohmann::json;
using seba::testing::ProcessResult;
using seba::testing::run_process;
using seba::testing::write_file;
using ::testing::HasSubstr;
using ::testing::Not;

// One citizen's birth registration, from the home screen to the receipt.
constexpr const char* kRequestScript = R"([
    {"tap": "shell.home.digital_centre"}, {"tap": "dc.cat.certificates"},
    {"tap": "dc.svc.birth_registration"}, {"tap": "dc.apply"},
    {"tap": "dc.f.birth_registration.child_name"}, {"type": "আয়েশা সিদ্দিকা"},
    {"tap": "dc.f.birth_registration.date_of_birth"}, {"type": "১৫-০৩-২০১৮"},
    {"tap": "dc.f.birth_registration.father_name"}, {"type": "মোঃ করিম উদ্দিন"},
    {"tap": "dc.f.birth_registration.mother_name"}, {"type": "রাশেদা খাতুন"},
    {"tap": "dc.f.birth_registration.applicant_nid"}, {"type": "১৯৯০২৬৯২৬১৩০০০০১২"},
    {"tap": "dc.f.birth_registration.phone"}, {"type": "০১৭১১-২২৩৩৪৪"},
    {"tap": "dc.review"}, {"tap": "dc.confirm"}, {"expect": "dc.receipt.qr"}])";

// Seconds since the epoch of "2026-11-28T01:02:03.456Z"; nullopt for anything else.
std::optional<double> unix_of(const std::string& iso) {
    std::tm utc{};
    const char* rest = strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &utc);
    if (!rest) return std::nullopt;
    double fraction = 0;
    if (*rest == '.') fraction = std::strtod(rest, nullptr);
    return static_cast<double>(timegm(&utc)) + fraction;
}

// A loopback address nothing listens on: a kiosk pointed there is offline.
std::string offline_url() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t size = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    ::close(fd);
    return "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
}

double unix_now() {
    return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

// A kiosk in a folder of its own: the build's signed plugins with the Digital Centre, its
// server on loopback; every command run through libfaketime with the clock `shift` off.
class KioskProcess {
  public:
    KioskProcess(const std::filesystem::path& dir, const std::string& server_url, std::string shift)
        : dir_(dir), shift_(std::move(shift)) {
        set_server(server_url);
        write_file(dir_ / "request.json", kRequestScript);
    }

    // Where the kiosk's server is: a closed port keeps it offline.
    void set_server(const std::string& server_url) {
        write_file(dir_ / "seba.toml", fmt::format(R"([kiosk]
id = "clock-kiosk"
centre = "test-centre"
languages = ["bn", "en"]
default_language = "bn"
data_dir = "data"
mode = "development"

[plugins]
dirs = ["{}"]
enabled = ["digital_centre"]
trusted_keys = ["{}"]

[plugin.digital_centre]
centre_code = "CLK"

[printer]
pdf_dir = "{}"

[server]
url = "{}"
)",
                                                   SEBA_PLUGIN_DIR, SEBA_DEV_PUBLIC_KEY,
                                                   (dir_ / "receipts").string(), server_url));
    }

    // `seba-kiosk ARGS` with the clock off by the shift (the monotonic clock is left alone,
    // as a wrong wall clock leaves it).
    ProcessResult run(const std::string& args) const {
        std::string prefix;
        if (!shift_.empty())
            prefix =
                fmt::format("FAKETIME_DONT_FAKE_MONOTONIC=1 '{}' -f '{}' ", SEBA_FAKETIME, shift_);
        return run_process(fmt::format("{}'{}' --config '{}' {}", prefix, SEBA_KIOSK_BIN,
                                       (dir_ / "seba.toml").string(), args));
    }

    ProcessResult citizen_request() const {
        return run(fmt::format("--headless --script '{}' --out '{}'",
                               (dir_ / "request.json").string(), (dir_ / "out").string()));
    }

    std::filesystem::path database() const { return dir_ / "data" / "seba.db"; }

    // Everything the kiosk's processes logged.
    std::string logs() const {
        std::string all;
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(dir_ / "data" / "logs", ec))
            all += seba::testing::read_file(entry.path());
        return all;
    }
    void set_shift(std::string shift) { shift_ = std::move(shift); }

  private:
    std::filesystem::path dir_;
    std::string shift_;
};

class ClockTest : public ::testing::Test {
  protected:
    void SetUp() override {
        store_->create_centre("test-centre", "Test Centre");
        ImportSpec spec;
        spec.key = "key";
        ImportResult services = read_catalog_file(SEBA_DC_SERVICES, spec);
        std::vector<ChannelRecord> records;
        for (const CatalogRecord& r : services.records) records.push_back({r.key, r.data.dump()});
        store_->publish("dc.services", "", records, true, false);
    }

    std::string code() {
        return store_->create_enrollment_code("test-centre", std::chrono::hours(1), Clock::now());
    }

    // What the server stored of each event: its payload, created_at and clock_checked.
    std::vector<json> received() {
        Database db = Database::open(dir_ / "server.db");
        Statement rows = db.prepare(
            "SELECT type, payload, created_at, clock_checked FROM server__events ORDER BY "
            "received_at");
        std::vector<json> out;
        while (rows.step())
            out.push_back({{"type", rows.text(0)},
                           {"payload", json::parse(rows.text(1))},
                           {"created_at", rows.is_null(2) ? "" : rows.text(2)},
                           {"clock_checked", rows.is_null(3) ? -1 : rows.integer(3)}});
        return out;
    }

    seba::testing::TempDir dir_;
    std::unique_ptr<Store> store_ = open_sqlite_store(dir_ / "server.db");
};

// A kiosk whose clock is 10 minutes ahead, 2 hours behind or 2 days behind got 401 on
// every request, forever, and wrote wrong times into its events. Now it learns its offset
// from the server's Date, signs with the corrected time, and stamps events with it.
TEST_F(ClockTest, KiosksWithWrongClocksSyncAndTheirEventsCarryTheServersTime) {
    RunningServer server(*store_);
    for (const std::string shift : {"+10m", "-2h", "-2d"}) {
        SCOPED_TRACE("kiosk clock " + shift);
        seba::testing::TempDir kiosk_dir;
        KioskProcess kiosk(kiosk_dir.path(), server.url(), shift);
        const std::size_t before_count = store_->event_count();
        ProcessResult enrolled = kiosk.run("enroll " + code());
        ASSERT_EQ(enrolled.exit_code, 0) << enrolled.output;
        ProcessResult first = kiosk.run("sync --once");
        ASSERT_EQ(first.exit_code, 0) << first.output;
        EXPECT_THAT(first.output, HasSubstr("dc.services: "));

        const double started = unix_now();
        ProcessResult request = kiosk.citizen_request();
        ASSERT_EQ(request.exit_code, 0) << request.output;
        const double ended = unix_now();
        ProcessResult second = kiosk.run("sync --once");
        ASSERT_EQ(second.exit_code, 0) << second.output;

        std::vector<json> events = received();
        ASSERT_EQ(events.size(), static_cast<std::size_t>(before_count) + 1) << second.output;
        const json& e = events.back();
        EXPECT_EQ(e["type"], "digital_centre.request_confirmed");
        EXPECT_EQ(e["clock_checked"], 1) << e.dump();
        // The run takes a few seconds; the Date the offset comes from counts whole seconds.
        for (const char* field : {"arrived_at", "started_at", "ended_at"}) {
            std::optional<double> at = unix_of(e["payload"].value(field, ""));
            ASSERT_TRUE(at) << field << ": " << e.dump();
            EXPECT_GE(*at, started - 3) << field << " " << e["payload"][field];
            EXPECT_LE(*at, ended + 3) << field << " " << e["payload"][field];
        }
        std::optional<double> created = unix_of(e["created_at"].get<std::string>());
        ASSERT_TRUE(created) << e.dump();
        EXPECT_GE(*created, started - 3);
        EXPECT_LE(*created, ended + 3);
    }
}

// A kiosk rebooted without a battery-backed clock, 2 hours behind, and no network yet: the
// times it records are its best guess, and say so; once it reaches the server it syncs.
TEST_F(ClockTest, TimesRecordedBeforeTheClockWasCheckedAreFlagged) {
    RunningServer server(*store_);
    KioskProcess kiosk(dir_ / "kiosk", server.url(), "");
    ASSERT_EQ(kiosk.run("enroll " + code()).exit_code, 0);
    ASSERT_EQ(kiosk.run("sync --once").exit_code, 0);
    {
        // What the kiosk knew of its clock belonged to the boot before this one.
        Database db = Database::open(kiosk.database());
        db.exec(
            "UPDATE core__config SET value = json_set(value, '$.boot_id', 'another-boot') "
            "WHERE key = 'clock.state'");
        ASSERT_EQ(db.changes(), 1) << "the kiosk keeps its clock's state";
    }
    kiosk.set_shift("-2h");
    kiosk.set_server(offline_url());
    ProcessResult request = kiosk.citizen_request();
    ASSERT_EQ(request.exit_code, 0) << request.output;
    kiosk.set_server(server.url());
    ProcessResult sync = kiosk.run("sync --once");
    ASSERT_EQ(sync.exit_code, 0) << sync.output;

    std::vector<json> events = received();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["clock_checked"], 0) << events[0].dump();
    EXPECT_EQ(events[0]["payload"].value("clock_checked", true), false) << events[0].dump();
    std::optional<double> ended = unix_of(events[0]["payload"].value("ended_at", ""));
    ASSERT_TRUE(ended);
    EXPECT_NEAR(*ended, unix_now() - 7200, 120) << "recorded by the unchecked clock, as it was";
}

// The clock was set back 2 hours while the kiosk's boot went on (by hand, or a time
// server's step): the kiosk notices (its monotonic clock says how much time really passed),
// logs it, and keeps stamping the server's time, before it even reaches the server again.
TEST_F(ClockTest, AJumpOfTheLocalClockIsDetectedLoggedAndCorrected) {
    RunningServer server(*store_);
    KioskProcess kiosk(dir_ / "kiosk", server.url(), "");
    ASSERT_EQ(kiosk.run("enroll " + code()).exit_code, 0);
    ASSERT_EQ(kiosk.run("sync --once").exit_code, 0);
    kiosk.set_shift("-2h");
    kiosk.set_server(offline_url());  // only the kiosk's own clocks can tell
    const double started = unix_now();
    ProcessResult request = kiosk.citizen_request();
    ASSERT_EQ(request.exit_code, 0) << request.output;
    const double ended = unix_now();
    EXPECT_THAT(kiosk.logs(), HasSubstr("clock jumped"));
    kiosk.set_server(server.url());
    ProcessResult sync = kiosk.run("sync --once");
    ASSERT_EQ(sync.exit_code, 0) << sync.output;

    std::vector<json> events = received();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["clock_checked"], 1) << events[0].dump();
    std::optional<double> at = unix_of(events[0]["payload"].value("ended_at", ""));
    ASSERT_TRUE(at);
    EXPECT_GE(*at, started - 3);
    EXPECT_LE(*at, ended + 3);
}

// device.key lost: `sync --once` refused with 401 forever and `enroll` said "already
// enrolled". Now sync says to re-enroll, and after the administrator revokes the old
// device, `enroll` with a new code works.
TEST_F(ClockTest, ALostDeviceKeyIsReEnrolledThroughTheKiosksOwnCommands) {
    RunningServer server(*store_);
    KioskProcess kiosk(dir_ / "kiosk", server.url(), "");
    ProcessResult enrolled = kiosk.run("enroll " + code());
    ASSERT_EQ(enrolled.exit_code, 0) << enrolled.output;
    const std::string old_device = enrolled.output.substr(enrolled.output.find("dev-"), 20);
    std::filesystem::remove(dir_ / "kiosk" / "data" / "device.key");

    ProcessResult refused = kiosk.run("sync --once");
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_THAT(refused.output, HasSubstr("re-enroll"));
    EXPECT_THAT(refused.output, HasSubstr("seba-server admin revoke " + old_device));
    EXPECT_FALSE(std::filesystem::exists(dir_ / "kiosk" / "data" / "device.key"))
        << "no key was made silently";

    store_->revoke(old_device);
    ProcessResult again = kiosk.run("enroll " + code());
    ASSERT_EQ(again.exit_code, 0) << again.output;
    EXPECT_THAT(again.output, Not(HasSubstr("already enrolled")));
    EXPECT_THAT(again.output, HasSubstr("enrolled as dev-"));
    EXPECT_THAT(again.output, Not(HasSubstr(old_device + " for")));
    ProcessResult sync = kiosk.run("sync --once");
    EXPECT_EQ(sync.exit_code, 0) << sync.output;
}

// An event too large for any request (a plugin that put a scan in it): `sync --once` sends
// the rest and pulls the catalogs, and `seba-kiosk outbox` shows the event failed and why.
TEST_F(ClockTest, AnEventTooLargeToSendIsShownFailedWithItsReasonByTheKiosksCommands) {
    RunningServer server(*store_);
    KioskProcess kiosk(dir_ / "kiosk", server.url(), "");
    ASSERT_EQ(kiosk.run("enroll " + code()).exit_code, 0);
    {
        Database db = Database::open(kiosk.database());
        Statement add = db.prepare(
            "INSERT INTO core__outbox (uuid, plugin, type, payload, created_at) VALUES (?, "
            "'digital_centre', 'digital_centre.request_confirmed', ?, '2026-12-01T10:00:00.000Z')");
        add.bind_all("6f1c2f8e-2b1a-4c3d-8e9f-00000000000a",
                     json{{"scan", std::string(5 << 20, 'x')}}.dump())
            .run();
        add.reset();
        add.bind_all("6f1c2f8e-2b1a-4c3d-8e9f-00000000000b", R"({"tracking":"CLK-1"})").run();
    }
    ProcessResult sync = kiosk.run("sync --once");
    EXPECT_EQ(sync.exit_code, 4) << "something was refused: " << sync.output;
    EXPECT_THAT(sync.output, HasSubstr("1 accepted"));
    EXPECT_THAT(sync.output, HasSubstr("1 too large to send"));
    EXPECT_THAT(sync.output, HasSubstr("dc.services: "));
    ProcessResult outbox = kiosk.run("outbox");
    EXPECT_EQ(outbox.exit_code, 0) << outbox.output;
    EXPECT_THAT(outbox.output, HasSubstr("failed: 1"));
    EXPECT_THAT(outbox.output, HasSubstr("failed 6f1c2f8e-2b1a-4c3d-8e9f-00000000000a "
                                         "digital_centre.request_confirmed: too large to send"));
    EXPECT_EQ(received().size(), 1u);
}

// The kiosk believed it knew the server's time, but was 2 hours wrong (a Date forged on the
// way, a clock set back since): its first request is refused as stale, and the refusal's
// own Date sets the clock right; the request is signed again and goes through, once.
TEST_F(SyncTest, AStaleTimestampRefusalCorrectsTheClockAndTheRequestIsSentOnceMore) {
    RunningServer server(*store_);
    SyncClient kiosk = client(server.url());
    kiosk.enroll(code());
    request("birth_registration");
    KioskClock& clock = KioskClock::instance();
    const auto now = Clock::now();
    clock.learn(now - std::chrono::hours(2), now, now);
    ASSERT_LT(clock.offset(), -std::chrono::minutes(119));

    SyncClient::PushReport report;
    ASSERT_NO_THROW(report = kiosk.push_outbox());
    EXPECT_EQ(report.accepted, 1);
    EXPECT_LT(std::chrono::abs(clock.offset()), std::chrono::seconds(2))
        << "the clock follows the server's Date";
    EXPECT_TRUE(clock.checked());
    EXPECT_EQ(store_->event_count(), 1);
}

}  // namespace
}  // namespace seba::server

// SPDX-License-Identifier: Apache-2.0
// Issue 20's "done means", end to end: a scripted day of Digital Centre requests at two
// centres in two districts, each kiosk the real host loading the built plugins and driven by
// taps. Most citizens take the exit survey after their receipt; some skip it, one leaves half
// way. Kiosk A's push loses its reply and is sent again (duplicates); kiosk B pushes late, after
// A. The server's evidence (the authenticated API /dashboard/evidence.json) must equal the
// figures this test computes on its own from the raw events the server holds. The dashboard
// needs a login; a wrong password is refused and then rate-limited; the page, saved, renders in
// headless chromium for a person to look at.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "browser.hpp"
#include "fault_proxy.hpp"
#include "kiosk_harness.hpp"
#include "seba/server/http_server.hpp"
#include "seba/server/store.hpp"
#include "seba/sync_client.hpp"
#include "seba/tcv.hpp"
#include "temp_dir.hpp"

namespace seba::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using ::testing::HasSubstr;

struct CentreSpec {
    const char* id;
    const char* name;
    const char* code;
    const char* region;
    const char* district;
};
constexpr CentreSpec kCentres[] = {
    {"debidwar-1", "Debidwar Union Digital Centre", "DBW1", "Chattogram", "Cumilla"},
    {"savar-1", "Savar Pourashava Digital Centre", "SVR1", "Dhaka", "Dhaka"},
};

// One citizen's visit in the script: the service, and what they answer (nullopt: skipped).
struct Visit {
    std::string service;  ///< electricity_bill or exam_results
    enum class Survey { Answered, Declined, LeftHalfWay } survey = Survey::Answered;
    std::optional<int> visits;
    std::optional<int> travel_minutes;
    std::optional<std::int64_t> travel_cost;
    std::optional<bool> paid_extra;
    std::optional<std::int64_t> extra_amount;
    std::optional<int> rating;
};

// Nearest-rank percentile, written here apart from the server's SQL.
std::optional<double> percentile(std::vector<double> values, int p) {
    if (values.empty()) return std::nullopt;
    std::sort(values.begin(), values.end());
    const std::size_t rank = (values.size() * static_cast<std::size_t>(p) + 99) / 100;
    return values[std::max<std::size_t>(rank, 1) - 1];
}

double minutes_between(const std::string& from, const std::string& to) {
    auto millis = [](const std::string& iso) {
        std::tm tm{};
        strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
        double ms = static_cast<double>(timegm(&tm)) * 1000.0;
        if (const auto dot = iso.find('.'); dot != std::string::npos)
            ms += std::stod("0" + iso.substr(dot, iso.size() - dot - 1)) * 1000.0;
        return ms;
    };
    return (millis(to) - millis(from)) / 60000.0;
}

class TcvEndToEnd : public ::testing::Test {
  protected:
    void SetUp() override {
        for (const CentreSpec& c : kCentres) {
            store_->create_centre(c.id, c.name);
            store_->set_centre_place(c.id, c.region, c.district);
        }
        std::ifstream services(fs::path(SEBA_DEMO_PACK) / "dc" / "services-bd.json");
        std::vector<server::ChannelRecord> records;
        for (const json& r : json::parse(services))
            records.push_back({r["key"].get<std::string>(), r.dump()});
        store_->publish("dc.services", "", records, true, false);
        std::ifstream baselines(fs::path(SEBA_DEMO_PACK) / "tcv" / "baselines-bd.json");
        records.clear();
        for (const json& r : json::parse(baselines)) {
            baselines_[r["key"].get<std::string>()] = r;
            records.push_back({r["key"].get<std::string>(), r.dump()});
        }
        store_->publish("tcv.baselines", "", records, true, false);
        server_.emplace(*store_, server::ServerOptions{});

        for (std::size_t i = 0; i < 2; ++i) {
            KioskHarness& kiosk = *kiosks_[i];
            kiosk.config().kiosk_id = fmt::format("kiosk-{}", i);
            kiosk.config().centre = kCentres[i].id;
            kiosk.config().languages = {"bn", "en"};
            kiosk.config().default_language = i == 0 ? "bn" : "en";
            kiosk.config().enabled_plugins = {"digital_centre"};
            kiosk.config().plugin_settings["digital_centre"] = {{"centre_code", kCentres[i].code},
                                                                {"operator", "Operator"}};
            kiosk.config().printer.pdf_dir = kiosk.dir() / "receipts";
        }
    }

    std::unique_ptr<SyncClient> sync(KioskHarness& kiosk, const std::string& url) {
        SyncOptions options;
        options.server_url = url;
        options.device_key_file = kiosk.config().data_dir / "device.key";
        options.total_timeout_ms = 5000;
        return std::make_unique<SyncClient>(kiosk.host().database(), options);
    }

    void start_enrolled(std::size_t i) {
        KioskHarness& kiosk = *kiosks_[i];
        kiosk.start();
        std::unique_ptr<SyncClient> client = sync(kiosk, server_->url());
        client->enroll(store_->create_enrollment_code(kCentres[i].id, std::chrono::hours(1),
                                                      server::Clock::now()),
                       kCentres[i].id);
        client->pull("dc.services");
        kiosk.restart();
    }

    // One citizen: the service's form, confirm, the receipt, and the survey as `visit` says.
    void serve(KioskHarness& kiosk, const Visit& visit, int n) {
        kiosk.run(R"([{"tap": "shell.home.digital_centre"}])");
        if (visit.service == "electricity_bill") {
            kiosk.run(R"([{"tap": "dc.cat.utilities"}, {"tap": "dc.svc.electricity_bill"},
                          {"tap": "dc.apply"}, {"tap": "dc.f.electricity_bill.account"}])");
            kiosk.type(fmt::format("{}", 40'000'100 + n));
        } else {
            kiosk.run(R"([{"tap": "dc.cat.education"}, {"tap": "dc.svc.exam_results"},
                          {"tap": "dc.apply"}, {"tap": "dc.f.exam_results.roll"}])");
            kiosk.type(fmt::format("{}", 120'300 + n));
            kiosk.run(R"([{"tap": "dc.f.exam_results.year"}, {"type": "2025"}])");
        }
        kiosk.run(R"([{"tap": "dc.review"}, {"tap": "dc.confirm"}, {"expect": "dc.receipt.qr"}])");
        answer_survey(kiosk, visit);
        kiosk.run(R"([{"tap": "shell.home"}])");
    }

    void answer_survey(KioskHarness& kiosk, const Visit& visit);

    // The raw events the server holds, and the evidence computed from them here.
    json expected_rows(server::EvidenceLevel level);

    seba::testing::TempDir dir_;
    std::unique_ptr<server::Store> store_ = server::open_sqlite_store(dir_ / "server.db");
    std::optional<server::HttpServer> server_;
    std::map<std::string, json> baselines_;
    std::unique_ptr<KioskHarness> kiosks_[2] = {std::make_unique<KioskHarness>(),
                                                std::make_unique<KioskHarness>()};
};

}  // namespace
}  // namespace seba::testing

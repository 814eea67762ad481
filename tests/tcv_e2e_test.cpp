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
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "browser.hpp"
#include "fault_proxy.hpp"
#include "kiosk_harness.hpp"
#include "process.hpp"
#include "seba/server/dashboard.hpp"
#include "seba/server/http_server.hpp"
#include "seba/server/store.hpp"
#include "seba/sync_client.hpp"
#include "seba/tcv.hpp"
#include "server_fixture.hpp"
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
        // The citizen is done: Home asks whether to end the visit, and it ends.
        kiosk.tap("shell.home");
        if (kiosk.node("shell.finish.yes")) kiosk.tap("shell.finish.yes");
        kiosk.expect_screen("home");
    }

    void answer_survey(KioskHarness& kiosk, const Visit& visit);

    // The raw events the server holds, and the evidence computed from them here.
    json expected_rows(server::EvidenceLevel level);

    seba::testing::TempDir dir_;
    std::unique_ptr<server::Store> store_ = server::open_sqlite_store(dir_ / "server.db");
    std::optional<server::RunningServer> server_;
    std::map<std::string, json> baselines_;
    std::unique_ptr<KioskHarness> kiosks_[2] = {std::make_unique<KioskHarness>(),
                                                std::make_unique<KioskHarness>()};
};

void TcvEndToEnd::answer_survey(KioskHarness& kiosk, const Visit& visit) {
    if (visit.survey == Visit::Survey::Declined) return;  // Done, without the survey
    kiosk.run(R"([{"tap": "dc.survey"}, {"tap": "survey.consent.yes"}])");
    auto number = [&](const std::string& field, auto value) {
        kiosk.tap(field + ".value");
        kiosk.type(fmt::format("{}", value));
        kiosk.tap(field + ".next");
    };
    if (!visit.visits)
        kiosk.tap("survey.skip");
    else if (*visit.visits <= 5)
        kiosk.tap(fmt::format("survey.visits.{}", *visit.visits));
    else {
        kiosk.tap("survey.visits.more");
        number("survey.visits", *visit.visits);
    }
    if (visit.survey == Visit::Survey::LeftHalfWay) return;  // Home, from the journey question
    const std::set<int> chips = {15, 30, 60, 90, 120};
    if (!visit.travel_minutes)
        kiosk.tap("survey.skip");
    else if (chips.contains(*visit.travel_minutes))
        kiosk.tap(fmt::format("survey.minutes.{}", *visit.travel_minutes));
    else {
        kiosk.tap("survey.minutes.other");
        number("survey.minutes", *visit.travel_minutes);
    }
    if (!visit.travel_cost)
        kiosk.tap("survey.skip");
    else if (*visit.travel_cost == 0)
        kiosk.tap("survey.cost.nothing");
    else
        number("survey.cost", *visit.travel_cost);
    if (!visit.paid_extra)
        kiosk.tap("survey.skip");
    else if (!*visit.paid_extra)
        kiosk.tap("survey.extra.no");
    else {
        kiosk.tap("survey.extra.yes");
        if (visit.extra_amount)
            number("survey.extra_amount", *visit.extra_amount);
        else
            kiosk.tap("survey.skip");
    }
    if (visit.rating)
        kiosk.tap(fmt::format("survey.rating.{}", *visit.rating));
    else
        kiosk.tap("survey.skip");
    kiosk.expect("survey.thanks.saved");
}

// Rounded as the API gives figures: one decimal.
json one_decimal(const std::optional<double>& value) {
    if (!value) return nullptr;
    return std::round(*value * 10.0) / 10.0;
}

json TcvEndToEnd::expected_rows(server::EvidenceLevel level) {
    struct Service {
        std::string centre, month, service;
        double centre_minutes = 0;
        std::int64_t cost = 0;
        std::optional<tcv::Survey> survey;
    };
    // First received per (centre, tracking), as the raw events say; a duplicate push never
    // stored a second row, and a survey counts with its service whenever it came.
    std::map<std::pair<std::string, std::string>, Service> services;
    std::map<std::pair<std::string, std::string>, tcv::Survey> surveys;
    for (const CentreSpec& c : kCentres)
        for (const server::StoredEvent& e : store_->events(c.id)) {
            const json payload = json::parse(e.payload);
            if (e.type == "tcv.survey") {
                std::optional<tcv::Survey> s = tcv::read_survey(payload);
                if (s) surveys.try_emplace({c.id, s->tracking}, *s);
            } else if (payload.contains("tcv")) {
                std::optional<tcv::Delivered> d = tcv::read_delivered(payload["tcv"]);
                if (!d) continue;
                services.try_emplace(
                    {c.id, d->tracking},
                    Service{c.id, d->ended_at.substr(0, 7), d->service,
                            minutes_between(d->arrived_at, d->ended_at), d->cost, std::nullopt});
            }
        }
    for (auto& [key, service] : services)
        if (auto s = surveys.find(key); s != surveys.end()) service.survey = s->second;

    auto area_of = [&](const std::string& centre) -> std::string {
        for (const CentreSpec& c : kCentres)
            if (c.id == centre) switch (level) {
                    case server::EvidenceLevel::Country:
                        return "";
                    case server::EvidenceLevel::Region:
                        return c.region;
                    case server::EvidenceLevel::District:
                        return c.district;
                    case server::EvidenceLevel::Centre:
                        return c.id;
                }
        return "?";
    };
    std::map<std::tuple<std::string, std::string, std::string>, std::vector<const Service*>> groups;
    for (const auto& [key, service] : services)
        groups[{service.month, area_of(service.centre), service.service}].push_back(&service);

    json rows = json::array();
    for (const auto& [key, members] : groups) {
        const auto& [month, area, service] = key;
        std::vector<double> at_centre, minutes, costs, visits;
        std::int64_t surveyed = 0, paid_extra = 0, rating_sum = 0, rated = 0;
        for (const Service* s : members) {
            at_centre.push_back(s->centre_minutes);
            if (!s->survey) continue;
            const tcv::Survey& a = *s->survey;
            ++surveyed;
            if (a.visits) visits.push_back(*a.visits);
            if (a.visits && a.travel_minutes)
                minutes.push_back(s->centre_minutes + *a.visits * 2.0 * *a.travel_minutes);
            if (a.visits && a.travel_cost)
                costs.push_back(static_cast<double>(s->cost) +
                                *a.visits * 2.0 * static_cast<double>(*a.travel_cost) +
                                static_cast<double>(a.extra_amount.value_or(0)));
            if (a.paid_extra == true) ++paid_extra;
            if (a.rating) rating_sum += *a.rating, ++rated;
        }
        const bool shown = surveyed >= server::kMinAnswersShown;
        auto median = [&](const std::vector<double>& values) -> std::optional<double> {
            if (!shown || values.size() < static_cast<std::size_t>(server::kMinAnswersShown))
                return std::nullopt;
            return percentile(values, 50);
        };
        const json& baseline = baselines_.at(service);
        auto saved = [&](const char* what, const std::optional<double>& now) -> json {
            if (!now) return nullptr;
            return one_decimal(baseline[what].get<double>() - *now);
        };
        rows.push_back(
            {{"month", month},
             {"area", area},
             {"service", service},
             {"requests", members.size()},
             {"median_centre_minutes", one_decimal(percentile(at_centre, 50))},
             {"p90_centre_minutes", one_decimal(percentile(at_centre, 90))},
             {"surveys", surveyed},
             {"median_minutes", one_decimal(median(minutes))},
             {"median_cost", one_decimal(median(costs))},
             {"median_visits", one_decimal(median(visits))},
             {"saved_minutes", saved("minutes", median(minutes))},
             {"saved_cost", saved("cost", median(costs))},
             {"saved_visits", saved("visits", median(visits))},
             {"paid_extra", shown ? paid_extra : 0},
             {"mean_rating", shown && rated > 0 ? one_decimal(static_cast<double>(rating_sum) /
                                                              static_cast<double>(rated))
                                                : json(nullptr)}});
    }
    return rows;
}

// The dashboard's sign-in, as a browser does it: the form's cookie and token, then the post.
struct Dashboard {
    explicit Dashboard(int port) : http("127.0.0.1", port) { http.set_read_timeout(30, 0); }

    std::optional<std::string> cookie(const httplib::Response& res, const std::string& name) {
        for (const auto& [header, value] : res.headers)
            if (header == "Set-Cookie" && value.starts_with(name + "="))
                return value.substr(name.size() + 1, value.find(';') - name.size() - 1);
        return std::nullopt;
    }

    // From `address`, as the TLS front forwards it (X-Forwarded-For).
    httplib::Result sign_in(const std::string& user, const std::string& password,
                            const std::string& address = "203.0.113.10") {
        httplib::Result form = http.Get("/dashboard/login", {{"X-Forwarded-For", address}});
        EXPECT_EQ(form->status, 200);
        const std::string prelogin = cookie(*form, "seba_prelogin").value_or("");
        std::smatch m;
        static const std::regex kCsrf(R"re(name="csrf" value="([0-9a-f]+)")re");
        EXPECT_TRUE(std::regex_search(form->body, m, kCsrf));
        std::string body = "user=" + user + "&password=";
        for (unsigned char c : password)
            body +=
                std::isalnum(c) ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
        body += "&csrf=" + m[1].str() + "&lang=en";
        httplib::Result r =
            http.Post("/dashboard/login",
                      {{"Cookie", "seba_prelogin=" + prelogin}, {"X-Forwarded-For", address}}, body,
                      "application/x-www-form-urlencoded");
        if (r && r->status == 303) session = cookie(*r, "seba_session").value_or("");
        return r;
    }

    httplib::Result get(const std::string& path) {
        return http.Get(path, {{"Cookie", "seba_session=" + session}});
    }

    httplib::Client http;
    std::string session;
};

constexpr const char* kPassword = "a long pilot passphrase";

TEST_F(TcvEndToEnd, ADayAtTwoCentresGivesTheSavingsTheRawEventsGive) {
    start_enrolled(0);
    start_enrolled(1);

    // [SECTION] the day: at each centre, seven citizens for each of two services. Five answer
    // everything, one skips the cost and the faces, and one declines the survey (at B: leaves
    // it half way).
    for (std::size_t k = 0; k < 2; ++k) {
        int n = 0;
        for (const char* service : {"electricity_bill", "exam_results"})
            for (int i = 0; i < 7; ++i) {
                Visit v;
                v.service = service;
                v.visits = i == 4 || (k == 1 && i == 1) ? 2 : 1;  // near the centre: mostly once
                v.travel_minutes = std::vector<int>{15, 30, 15, 60, 20, 10, 30}[i];
                v.travel_cost = std::vector<std::int64_t>{0, 20, 10, 40, 20, 10, 30}[i];
                v.paid_extra = i % 3 == 0;
                if (*v.paid_extra && i != 3) v.extra_amount = 50 * (i + 1);
                v.rating = 1 + (i * 2 + static_cast<int>(k)) % 5;
                if (i == 5) v.travel_cost.reset(), v.rating.reset();
                if (i == 6)
                    v.survey = k == 0 ? Visit::Survey::Declined : Visit::Survey::LeftHalfWay;
                serve(*kiosks_[k], v, n++);
            }
    }

    // [SECTION] A's push loses its reply and goes again; B pushes late, after A.
    {
        seba::testing::FaultProxy losing(
            server_->port(), seba::testing::FaultProxy::Fault::LoseReply, "POST /v1/events ");
        EXPECT_THROW(
            sync(*kiosks_[0], "http://127.0.0.1:" + std::to_string(losing.port()))->push_outbox(),
            SyncError);
    }
    SyncClient::PushReport again = sync(*kiosks_[0], server_->url())->push_outbox();
    EXPECT_GE(again.duplicates, 14 + 12) << "14 requests and 12 surveys, sent twice";
    EXPECT_EQ(again.accepted, 0);
    SyncClient::PushReport late = sync(*kiosks_[1], server_->url())->push_outbox();
    EXPECT_EQ(late.accepted, 14 + 12);
    for (const CentreSpec& c : kCentres) {
        std::map<std::string, int> by_type;
        for (const server::StoredEvent& e : store_->events(c.id)) ++by_type[e.type];
        EXPECT_EQ(by_type["digital_centre.request_confirmed"], 14) << c.id;
        EXPECT_EQ(by_type["tcv.survey"], 12)
            << c.id << ": the declined and abandoned ones sent nothing";
    }

    // [SECTION] the dashboard: a login is required, a wrong password refused, then limited.
    create_dashboard_user(*store_, "pilot", kPassword);
    Dashboard dashboard(server_->port());
    EXPECT_EQ(dashboard.get("/dashboard/evidence.json")->status, 401);
    EXPECT_EQ(dashboard.get("/dashboard")->status, 303);
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(dashboard.sign_in("pilot", "wrong password!", "198.51.100.7")->status, 401);
    httplib::Result limited = dashboard.sign_in("pilot", kPassword);
    EXPECT_EQ(limited->status, 429) << "the right password waits too, after five wrong ones";
    EXPECT_TRUE(limited->has_header("Retry-After"));

    // A second pilot account signs in from the pilot's office (the first one's still waits).
    create_dashboard_user(*store_, "ministry", kPassword);
    httplib::Result ministry = dashboard.sign_in("ministry", kPassword);
    ASSERT_EQ(ministry->status, 303) << ministry->body;

    // [SECTION] the server's figures equal those computed here from the raw events.
    for (const auto& [word, level] : {std::pair{"country", server::EvidenceLevel::Country},
                                      std::pair{"region", server::EvidenceLevel::Region},
                                      std::pair{"district", server::EvidenceLevel::District},
                                      std::pair{"centre", server::EvidenceLevel::Centre}}) {
        httplib::Result r = dashboard.get(std::string("/dashboard/evidence.json?level=") + word);
        ASSERT_EQ(r->status, 200) << r->body;
        const json got = json::parse(r->body)["rows"];
        const json want = expected_rows(level);
        ASSERT_EQ(got.size(), want.size()) << word << ": " << got.dump();
        for (std::size_t i = 0; i < want.size(); ++i)
            for (const auto& [field, value] : want[i].items()) {
                if (value.is_number_float() && got[i][field].is_number())
                    EXPECT_NEAR(got[i][field].get<double>(), value.get<double>(), 0.051)
                        << word << " row " << i << " " << field;
                else
                    EXPECT_EQ(got[i][field], value) << word << " row " << i << " " << field;
            }
        if (level == server::EvidenceLevel::Country)
            for (const json& row : got) {
                EXPECT_EQ(row["requests"], 14) << row.dump();
                EXPECT_GE(row["saved_visits"].get<double>(), 0) << "no more visits than before";
                EXPECT_GT(row["saved_minutes"].get<double>(), 0)
                    << "less time than before: " << row.dump();
            }
    }

    // [SECTION] the page, saved as a pilot's browser has it, in headless chromium.
    for (const char* lang : {"en", "bn"}) {
        httplib::Result page = dashboard.get(std::string("/dashboard?level=district&lang=") + lang);
        ASSERT_EQ(page->status, 200);
        EXPECT_THAT(page->body, HasSubstr("<svg"));
        EXPECT_THAT(page->body, HasSubstr("Cumilla"));
        // Services by the catalog's names in the page's language, not by their ids.
        const json names =
            json::parse(std::ifstream(fs::path(SEBA_DEMO_PACK) / "dc" / "services-bd.json"));
        for (const json& r : names)
            if (r["key"] == "service/exam_results") {
                EXPECT_THAT(page->body, HasSubstr(r["names"][lang].get<std::string>())) << lang;
            }
        const fs::path saved = dir_ / fmt::format("dashboard-{}.html", lang);
        std::ofstream(saved) << page->body;
        const fs::path shot = fs::path(SEBA_BINARY_DIR) / "screenshots" / "tcv" /
                              fmt::format("dashboard-{}.png", lang);
        fs::create_directories(shot.parent_path());
        BrowserPage seen = open_in_browser("file://" + saved.string(), shot);
        EXPECT_EQ(seen.problem, "") << lang;
        EXPECT_THAT(seen.dom, HasSubstr("<svg")) << lang;
    }

    // [SECTION] the report for the ministry's meeting, printed to PDF as a browser saves it.
    httplib::Result report = dashboard.get("/dashboard/report?level=district&lang=en");
    ASSERT_EQ(report->status, 200);
    const fs::path saved = dir_ / "report.html";
    std::ofstream(saved) << report->body;
    const fs::path pdf = fs::path(SEBA_BINARY_DIR) / "screenshots" / "tcv" / "report.pdf";
    ASSERT_EQ(print_in_browser("file://" + saved.string(), pdf), "");
    const ProcessResult info = run_process(fmt::format("'{}' '{}'", SEBA_PDFINFO, pdf.string()));
    EXPECT_THAT(info.output, HasSubstr("(A4)")) << info.output;
    const ProcessResult text =
        run_process(fmt::format("'{}' -layout '{}' -", SEBA_PDFTOTEXT, pdf.string()));
    EXPECT_THAT(text.output, HasSubstr("Exam results")) << text.output;
    EXPECT_THAT(text.output, HasSubstr("Cumilla"));
    EXPECT_THAT(text.output, HasSubstr("Dec 2026"));
}

}  // namespace
}  // namespace seba::testing

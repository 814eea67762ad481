// SPDX-License-Identifier: Apache-2.0
#pragma once

// NISE's matches and referrals in a whole kiosk (seba::testing::KioskHarness: the real host
// loading the built, signed plugin, the shell drawn by the recorder, slips printed as PDF
// files): the demo pack's places of Bangladesh, a small catalog of skills, courses and
// opportunities written as a pull keeps them, and a server's sealing key. The session's
// citizen is set through the plugin's desk (Host::call), as the profile's screens would.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "demo_pack.hpp"
#include "desk.hpp"
#include "kiosk_harness.hpp"
#include "process.hpp"
#include "seba/host.hpp"

namespace seba::nise::testing {

using json = nlohmann::json;

/// The local day `days` from today in Dhaka (UTC+6), as the kiosk's clock guard counts it.
inline std::string local_day(int days) {
    const auto at = kiosk_now().at + std::chrono::minutes(360) + std::chrono::days(days);
    const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(at)};
    char out[16];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return out;
}

class MatchScreensTest : public ::testing::Test, public seba::testing::KioskHarness {
  protected:
    void SetUp() override {
        config().languages = {"en", "bn", "ru"};
        config().default_language = "en";
        config().idle_timeout_s = 600;
        config().enabled_plugins = {"nise"};
        config().plugin_settings["nise"] = {{"centre_code", "DHK1"},
                                            {"centre_place", "geo.bd.upazilas/1"},
                                            {"utc_offset_minutes", 360}};
        config().printer.pdf_dir = dir() / "slips";
    }

    void start() {
        give_server_key();
        KioskHarness::start();
        std::optional<PluginInfo> plugin = host().find("nise");
        ASSERT_TRUE(plugin);
        ASSERT_EQ(plugin->state, PluginState::Running) << plugin->reason;
        seba::portal::testing::keep_demo_pack(
            host().database(),
            {"search.indexes", "geo.bd.divisions", "geo.bd.districts", "geo.bd.upazilas"});
        publish_catalog();
        tap("shell.home.nise");
    }

    // Skills of one category, three courses that teach some of them, and five opportunities:
    // three open (two in the citizen's district, one in the next), one closed yesterday, one
    // full.
    void publish_catalog() {
        publish("nise.skill_categories", "digital",
                {{"names", {{"en", "Computer work"}, {"bn", "কম্পিউটারের কাজ"}}},
                 {"icon", "computer"},
                 {"order", 1}});
        const std::pair<const char*, const char*> skills[] = {
            {"spreadsheet", "Using a spreadsheet"},
            {"typing-bangla", "Typing in Bangla"},
            {"accounting", "Keeping accounts"},
            {"sewing", "Sewing"},
            {"driving", "Driving a car"}};
        for (const auto& [id, name] : skills)
            publish("nise.skills", id, {{"category", "digital"}, {"names", {{"en", name}}}});
        publish("muktopaath.courses", "excel-basics",
                {{"category", "digital"},
                 {"title", {{"en", "Spreadsheets for work"}, {"bn", "কাজের জন্য স্প্রেডশিট"}}},
                 {"skills", {"spreadsheet"}}});
        publish("muktopaath.courses", "bookkeeping",
                {{"category", "digital"},
                 {"title", {{"en", "Bookkeeping basics"}}},
                 {"skills", {"accounting"}}});
        publish(
            "muktopaath.courses", "tailoring",
            {{"category", "digital"}, {"title", {{"en", "Tailoring"}}}, {"skills", {"sewing"}}});
        publish_opportunity("data-entry", data_entry());
        json accounts = data_entry();
        accounts["title"] = {{"en", "Accounts assistant"}};
        accounts["organisation"] = {{"en", "Barura Traders"}};
        accounts["place"] = "geo.bd.upazilas/2";
        accounts["skills"] = {{{"skill", "accounting"}, {"weight", 3}},
                              {{"skill", "spreadsheet"}, {"weight", 2}}};
        accounts["closes"] = local_day(20);
        accounts["seats"] = 1;
        publish_opportunity("accounts-assistant", accounts);
        json tailoring = {
            {"kind", "training"},
            {"title", {{"en", "Tailoring course"}}},
            {"organisation", {{"en", "Feni Youth Centre"}}},
            {"place", "geo.bd.districts/2"},
            {"skills",
             {{{"skill", "sewing"}, {"weight", 3}}, {{"skill", "spreadsheet"}, {"weight", 1}}}},
            {"cost", {{"amount", 0}, {"currency", "BDT"}}},
            {"closes", local_day(40)},
            {"seats", 12}};
        publish_opportunity("tailoring-course", tailoring);
        json closed = data_entry();
        closed["title"] = {{"en", "Closed job"}};
        closed["closes"] = local_day(-1);
        publish_opportunity("closed-job", closed);
        json full = data_entry();
        full["title"] = {{"en", "Full job"}};
        full["seats"] = 0;
        publish_opportunity("full-job", full);
    }

    static json data_entry() {
        return {{"kind", "job"},
                {"title", {{"en", "Data entry operator"}, {"bn", "ডেটা এন্ট্রি অপারেটর"}}},
                {"summary", {{"en", "Typing forms into the office's spreadsheets."}}},
                {"organisation", {{"en", "Cumilla Textiles Ltd"}}},
                {"place", "geo.bd.upazilas/1"},
                {"skills",
                 {{{"skill", "spreadsheet"}, {"weight", 3}},
                  {{"skill", "typing-bangla"}, {"weight", 2}}}},
                {"education", "secondary"},
                {"wage", {{"amount", 14000}, {"currency", "BDT"}, {"per", "month"}}},
                {"closes", local_day(5)},
                {"seats", 3},
                {"source", "Illustrative: written for the test."}};
    }

    void publish_opportunity(const std::string& id, const json& data) {
        publish("nise.opportunities", id, data);
    }

    /// Runs `work` on the plugin's desk, inside the plugin's fault boundary.
    void with_desk(const std::function<void(Desk&)>& work) {
        const bool ran = host().call(
            "nise", "test", [&](Plugin& plugin) { work(dynamic_cast<HasDesk&>(plugin).desk()); });
        ASSERT_TRUE(ran);
    }

    /// The citizen says they can use a spreadsheet (shown by a certificate of excel-basics)
    /// and type in Bangla, or has only `skills` when given.
    void set_citizen(std::vector<std::string> skills = {"spreadsheet", "typing-bangla"},
                     bool with_certificate = true) {
        with_desk([&](Desk& desk) {
            Citizen& c = desk.citizen();
            c.profile.name = "Rahima Akter";
            c.profile.phone = "+8801712345678";
            c.profile.education = "secondary";
            c.profile.languages = {"bn", "en"};
            c.profile.skills = skills;
            if (with_certificate)
                c.profile.certificates.push_back(
                    {"0123456789abcdef", "excel-basics", local_day(-30), {"spreadsheet"}});
        });
    }

    /// Saves the citizen's profile with their consent (what the save screen does); returns
    /// the new return code.
    std::string save_citizen() {
        std::string code;
        with_desk([&](Desk& desk) {
            desk.citizen().consented = true;
            code = desk.profiles().save(desk.citizen());
        });
        return code;
    }

    /// What widget `id` holds beside its label, and its pictogram ("" and a failure when the
    /// widget is not on screen).
    std::string value(std::string_view id) const {
        const ui::Node* n = node(id);
        EXPECT_TRUE(n) << id << " is not on screen";
        return n ? n->value : std::string();
    }
    std::string icon(std::string_view id) const {
        const ui::Node* n = node(id);
        EXPECT_TRUE(n) << id << " is not on screen";
        return n ? n->icon : std::string();
    }
    bool enabled(std::string_view id) const {
        const ui::Node* n = node(id);
        EXPECT_TRUE(n) << id << " is not on screen";
        return n && n->enabled;
    }

    /// The ids of the match cards, in the order drawn.
    std::vector<std::string> cards() const {
        std::vector<std::string> out;
        for (const std::string& id : ids())
            if (id.starts_with("nise.match.") &&
                id.find('.', std::string_view("nise.match.").size()) == std::string::npos)
                out.push_back(id.substr(std::string_view("nise.match.").size()));
        return out;
    }

    std::int64_t scalar(const std::string& sql) {
        Statement q = host().database().prepare(sql);
        EXPECT_TRUE(q.step()) << sql;
        return q.integer(0);
    }
    std::int64_t referral_events() {
        return scalar("SELECT count(*) FROM core__outbox WHERE type = 'nise.referral'");
    }

    /// The text of the slip printed for `reference` (pdftotext), waiting for the printer.
    std::string printed_text(const std::string& reference) {
        const std::filesystem::path pdf = dir() / "slips" / (reference + ".pdf");
        for (int i = 0; i < 1000 && !std::filesystem::exists(pdf); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            run(R"([{"wait_s": 0.01}])");
        }
        return seba::testing::run_process("'" + std::string(SEBA_PDFTOTEXT) + "' '" + pdf.string() +
                                          "' -")
            .output;
    }
};

}  // namespace seba::nise::testing

// SPDX-License-Identifier: Apache-2.0
// Time-Cost-Visit at the Digital Centre (docs/civil-service.md): a confirmed request is a
// service delivered, its event carrying the "tcv" member (the fees paid, the visit's times);
// the receipt offers the kit's exit survey, whose answers follow the request's event as a
// "tcv.survey" event linked by the tracking number alone. Then the survey as a citizen sees
// it, in seba-kiosk's real window under Xvfb, landscape and portrait: nothing cut short or
// off the screen, the number field above the keypad.
#include <fmt/format.h>
#include <gmock/gmock.h>

#include <cstdlib>
#include <fstream>

#include "digital_centre_fixture.hpp"
#include "process.hpp"
#include "seba/tcv.hpp"

namespace seba::kiosk {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

// A confirmed birth registration (fees 50 + 30 taka), up to its receipt.
class DigitalCentreSurveyTest : public DigitalCentreTest {
  protected:
    std::string confirm_birth_registration() {
        start();
        publish_demo_services();
        fill_birth_registration(kNidBangla);
        run(R"([{"tap": "dc.review"}, {"tap": "dc.confirm"}, {"expect": "dc.receipt.qr"}])");
        wait_for_printing();
        return node("dc.receipt.panel")->value;
    }

    // The outbox, oldest first: (type, payload).
    std::vector<std::pair<std::string, json>> outbox() {
        std::vector<std::pair<std::string, json>> out;
        Statement rows =
            host().database().prepare("SELECT type, payload FROM core__outbox ORDER BY seq");
        while (rows.step()) out.emplace_back(rows.text(0), json::parse(rows.text(1)));
        return out;
    }
};

TEST_F(DigitalCentreSurveyTest, AConfirmedRequestIsAServiceDeliveredWithItsFeesAndTimes) {
    const std::string tracking = confirm_birth_registration();
    const auto events = outbox();
    ASSERT_EQ(events.size(), 1u);
    const auto& [type, payload] = events[0];
    EXPECT_EQ(type, "digital_centre.request_confirmed");
    ASSERT_TRUE(payload.contains("tcv"));
    const json& tcv = payload["tcv"];
    EXPECT_EQ(tcv["tracking"], tracking);
    EXPECT_EQ(tcv["service"], "birth_registration");
    EXPECT_EQ(tcv["cost"], 80) << "the government fee (50) and the centre's charge (30)";
    EXPECT_EQ(tcv["currency"], "BDT");
    EXPECT_EQ(tcv["arrived_at"], payload["arrived_at"]) << "the visit's own times";
    EXPECT_EQ(tcv["ended_at"], payload["ended_at"]);
    std::string problem;
    const std::optional<tcv::Delivered> read = tcv::read_delivered(tcv, &problem);
    ASSERT_TRUE(read) << problem;
    EXPECT_LE(read->arrived_at, read->ended_at);
    // What the manifest says, as the host loaded it.
    const std::optional<PluginInfo> plugin = host().find("digital_centre");
    ASSERT_TRUE(plugin && plugin->manifest);
    EXPECT_EQ(plugin->manifest->service_events,
              std::vector<std::string>{"digital_centre.request_confirmed"});
    EXPECT_TRUE(plugin->manifest->has(Capability::Survey));
}

TEST_F(DigitalCentreSurveyTest, TheReceiptOffersTheSurveyWhoseAnswersFollowTheRequestsEvent) {
    const std::string tracking = confirm_birth_registration();
    const ui::Node* offer = node("dc.survey");
    ASSERT_TRUE(offer) << "the receipt offers the survey";
    EXPECT_EQ(offer->label, "আপনার আসার অভিজ্ঞতা জানান");
    EXPECT_EQ(offer->icon, "reviews");
    run(R"([{"tap": "dc.survey"}, {"expect": "survey.consent.question"},
            {"expect": {"id": "survey.service", "label": "জন্ম নিবন্ধন"}},
            {"tap": "survey.consent.yes"}, {"tap": "survey.visits.2"},
            {"tap": "survey.minutes.60"},
            {"tap": "survey.cost.value"}, {"type": "৫০"},
            {"expect": {"id": "survey.cost.money", "label": "৫০৳"}},
            {"tap": "survey.cost.next"},
            {"tap": "survey.extra.no"}, {"tap": "survey.rating.5"},
            {"expect": "survey.thanks.saved"}])");
    const auto events = outbox();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].first, "digital_centre.request_confirmed");
    EXPECT_EQ(events[1].first, "tcv.survey") << "after the request's own event";
    EXPECT_EQ(events[1].second, json::parse(fmt::format(R"({{"tracking": "{}",
        "service": "birth_registration", "visits": 2, "travel_minutes": 60, "travel_cost": 50,
        "paid_extra": false, "rating": 5, "currency": "BDT", "language": "bn"}})",
                                                        tracking)));
    // Nothing in it says who the citizen is.
    EXPECT_FALSE(events[1].second.contains("sealed"));
    run(R"([{"tap": "survey.thanks.home"}, {"expect": "dc.cat.certificates"}])");
    EXPECT_EQ(scalar("SELECT count(*) FROM core__outbox"), 2);
}

TEST_F(DigitalCentreSurveyTest, LeavingTheSurveyKeepsTheRequestAndSendsNoAnswers) {
    confirm_birth_registration();
    run(R"([{"tap": "dc.survey"}, {"tap": "survey.consent.yes"}, {"tap": "survey.visits.1"},
            {"tap": "survey.minutes.15"}, {"tap": "survey.cost.value"}, {"type": "২০"},
            {"tap": "shell.home"}, {"tap": "shell.finish.yes"}, {"expect_screen": "home"}])");
    const auto events = outbox();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].first, "digital_centre.request_confirmed");
    EXPECT_EQ(scalar("SELECT count(*) FROM digital_centre__requests"), 1);
    EXPECT_TRUE(state().all_fields_zeroed()) << "the session's end wiped the typed cost";
}

// [SECTION] the survey on a real screen

struct Screen {
    int width;
    int height;
};

class DigitalCentreSurveyScreenTest : public DigitalCentreTest,
                                      public ::testing::WithParamInterface<Screen> {
  protected:
    void SetUp() override {
        DigitalCentreTest::SetUp();
        start();
        publish_demo_services();
        stop();  // the database is the kiosk process's from here on
        seba::testing::write_file(
            dir() / "seba.toml",
            fmt::format(R"(
[kiosk]
id = "survey-kiosk"
centre = "test-centre"
languages = ["bn", "uz-Latn", "uz-Cyrl", "ru", "en"]
default_language = "bn"
idle_timeout_s = 600
data_dir = "{}"
mode = "development"

[plugins]
dirs = ["{}"]
enabled = ["digital_centre"]
trusted_keys = ["{}"]

[plugin.digital_centre]
centre_code = "SRV1"
{})",
                        (dir() / "data").string(), SEBA_PLUGIN_DIR, SEBA_DEV_PUBLIC_KEY,
                        printer_toml(dir() / "receipts")));
    }

    // A request and its survey in `language`, every survey page shot as "<language>-<page>".
    static json survey_in(const std::string& language) {
        json steps = json::array();
        auto add = [&](const char* text) { steps.push_back(json::parse(text)); };
        auto shot = [&](const std::string& page) {
            steps.push_back({{"screenshot", language + "-" + page}});
        };
        steps.push_back({{"language", language}});
        add(R"({"tap": "shell.home.digital_centre"})");
        add(R"({"tap": "dc.cat.certificates"})");
        add(R"({"tap": "dc.svc.birth_registration"})");
        add(R"({"tap": "dc.apply"})");
        for (const auto& [field, text] : std::vector<std::pair<const char*, const char*>>{
                 {"child_name", "Ayesha"},
                 {"date_of_birth", "15-03-2018"},
                 {"father_name", "Karim Uddin"},
                 {"mother_name", "Rashida Khatun"},
                 {"applicant_nid", "19902692613000012"},
                 {"phone", "01711223344"}}) {
            steps.push_back({{"tap", std::string("dc.f.birth_registration.") + field}});
            steps.push_back({{"type", text}});
        }
        add(R"({"tap": "osk.enter"})");
        add(R"({"tap": "dc.review"})");
        add(R"({"tap": "dc.confirm"})");
        add(R"({"expect": "dc.survey"})");
        shot("receipt");
        add(R"({"tap": "dc.survey"})");
        shot("consent");
        add(R"({"tap": "survey.consent.yes"})");
        shot("visits");
        add(R"({"tap": "survey.visits.more"})");
        add(R"({"type": "45"})");
        add(R"({"tap": "survey.visits.next"})");
        add(R"({"expect": "survey.visits.errors"})");
        shot("visits-impossible");
        add(R"({"tap": "survey.skip"})");
        shot("minutes");
        add(R"({"tap": "survey.minutes.30"})");
        add(R"({"tap": "survey.cost.value"})");
        add(R"({"type": "60"})");
        shot("cost");
        add(R"({"tap": "survey.cost.next"})");
        shot("extra");
        add(R"({"tap": "survey.extra.yes"})");
        add(R"({"type": "200"})");
        shot("extra-amount");
        add(R"({"tap": "survey.extra_amount.next"})");
        shot("rating");
        add(R"({"tap": "survey.rating.4"})");
        shot("thanks");
        add(R"({"tap": "survey.thanks.home"})");
        add(R"({"tap": "shell.home"})");
        add(R"({"expect_screen": "home"})");
        return steps;
    }

    void play(const Screen& screen, const std::vector<std::string>& languages) {
        json steps = json::array();
        for (const std::string& language : languages)
            for (const json& s : survey_in(language)) steps.push_back(s);
        seba::testing::write_file(dir() / "script.json", steps.dump());
        seba::testing::ProcessResult r = seba::testing::run_process(fmt::format(
            "{} -a -s '-screen 0 {}x{}x24' '{}' --config '{}' --script '{}' --out '{}' --width {} "
            "--height {}",
            SEBA_XVFB_RUN, screen.width, screen.height, SEBA_KIOSK_BIN,
            (dir() / "seba.toml").string(), (dir() / "script.json").string(),
            (dir() / "out").string(), screen.width, screen.height));
        ASSERT_EQ(r.exit_code, 0) << r.output;
        // SEBA_KEEP_SCREENS=DIR keeps the screenshots to be looked at (they go with dir()).
        if (const char* keep = std::getenv("SEBA_KEEP_SCREENS")) {
            const std::filesystem::path to =
                std::filesystem::path(keep) / fmt::format("{}x{}", screen.width, screen.height);
            std::filesystem::create_directories(to);
            std::filesystem::copy(dir() / "out", to,
                                  std::filesystem::copy_options::overwrite_existing |
                                      std::filesystem::copy_options::recursive);
        }
    }

    json tree(const std::string& name) {
        std::ifstream in(dir() / "out" / (name + ".json"));
        if (!in) {
            ADD_FAILURE() << "no dump " << name;
            return json::array();
        }
        return json::parse(in);
    }
};

std::optional<std::array<float, 4>> box_of(const json& node) {
    if (!node.contains("box")) return std::nullopt;
    const json& b = node["box"];
    return std::array<float, 4>{b[0].get<float>(), b[1].get<float>(), b[2].get<float>(),
                                b[3].get<float>()};
}

TEST_P(DigitalCentreSurveyScreenTest, EverySurveyPageFitsTheScreenInBanglaAndUzbek) {
    const Screen screen = GetParam();
    const std::vector<std::string> languages = {"bn", "uz-Latn", "ru"};
    play(screen, languages);
    const char* pages[] = {"receipt", "consent", "visits",       "visits-impossible",
                           "minutes", "cost",    "extra-amount", "extra",
                           "rating",  "thanks"};
    for (const std::string& language : languages) {
        for (const char* page : pages) {
            const std::string name = language + "-" + page;
            SCOPED_TRACE(name);
            EXPECT_TRUE(std::filesystem::exists(dir() / "out" / (name + ".png")));
            const json t = tree(name);
            std::optional<float> keyboard_top;
            const json* focused = nullptr;
            bool question = false;
            for (const json& n : t) {
                const std::string id = n.value("id", "");
                const std::optional<std::array<float, 4>> b = box_of(n);
                if (!b) continue;
                EXPECT_GE((*b)[0], -1.0f) << id;
                EXPECT_LE((*b)[0] + (*b)[2], static_cast<float>(screen.width) + 1)
                    << id << " runs off the screen's right side";
                EXPECT_FALSE(n.value("elided", false))
                    << id << " is cut short: \"" << n.value("label", "") << "\"";
                if (n.value("role", "") == "key")
                    keyboard_top = std::min(keyboard_top.value_or(1e9f), (*b)[1]);
                if (n.value("role", "") == "field" && n.value("focused", false)) focused = &n;
                if (id.ends_with(".question") && n.value("icon", "") != "") question = true;
            }
            if (std::string(page) != "receipt" && std::string(page) != "thanks") {
                EXPECT_TRUE(question) << "a question with its pictogram";
            }
            if (focused && keyboard_top) {
                const auto f = *box_of(*focused);
                EXPECT_LE(f[1] + f[3], *keyboard_top + 1)
                    << focused->value("id", "") << " is hidden behind the keypad";
            }
        }
        // The impossible answer's message, in the language, under its field.
        const json t = tree(language + "-visits-impossible");
        const json* field = nullptr;
        for (const json& n : t)
            if (n.value("id", "") == "survey.visits.value") field = &n;
        ASSERT_TRUE(field);
        EXPECT_FALSE(field->value("error", "").empty());
        if (language != "en") {
            EXPECT_THAT(field->value("error", ""), ::testing::Not(HasSubstr("Enter how many")));
        }
    }
}

std::string name_of(const ::testing::TestParamInfo<Screen>& info) {
    return fmt::format("{}x{}", info.param.width, info.param.height);
}

INSTANTIATE_TEST_SUITE_P(Screens, DigitalCentreSurveyScreenTest,
                         ::testing::Values(Screen{1920, 1080}, Screen{1080, 1920}), name_of);

}  // namespace
}  // namespace seba::kiosk

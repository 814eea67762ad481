// SPDX-License-Identifier: Apache-2.0
// What kiosks and seba-server both read as a service delivered and an exit survey
// (seba/tcv.hpp): what a citizen may answer, and what a hostile payload is refused for.
#include "seba/tcv.hpp"

#include <gtest/gtest.h>

namespace {

using nlohmann::json;
using seba::tcv::Delivered;
using seba::tcv::Problem;
using seba::tcv::Survey;

Delivered birth_registration() {
    return {"DHK1-261128-A7-0042",
            "birth_registration",
            "2026-11-28T02:01:43.788Z",
            "2026-11-28T02:09:10Z",
            80,
            "BDT"};
}

Survey answered() {
    Survey s;
    s.tracking = "DHK1-261128-A7-0042";
    s.service = "birth_registration";
    s.visits = 2;
    s.travel_minutes = 40;
    s.travel_cost = 60;
    s.paid_extra = true;
    s.extra_amount = 200;
    s.rating = 4;
    s.currency = "BDT";
    s.language = "bn";
    return s;
}

TEST(TcvTest, ADeliveredServiceReadsBackAsItWasWritten) {
    std::string problem;
    const std::optional<Delivered> read =
        seba::tcv::read_delivered(seba::tcv::delivered_member(birth_registration()), &problem);
    ASSERT_TRUE(read) << problem;
    EXPECT_EQ(read->tracking, "DHK1-261128-A7-0042");
    EXPECT_EQ(read->cost, 80);
    EXPECT_EQ(read->arrived_at, "2026-11-28T02:01:43.788Z");
}

TEST(TcvTest, ADeliveredServiceWithImpossibleTimesOrCostsIsRefusedWithTheReason) {
    auto refused = [](const json& member) {
        std::string problem;
        EXPECT_FALSE(seba::tcv::read_delivered(member, &problem)) << member.dump();
        return problem;
    };
    json member = seba::tcv::delivered_member(birth_registration());
    json ended_first = member;
    ended_first["arrived_at"] = "2026-11-28T03:00:00Z";
    EXPECT_NE(refused(ended_first).find("after"), std::string::npos);
    json no_day = member;
    no_day["ended_at"] = "2026-02-30T03:00:00Z";
    EXPECT_NE(refused(no_day).find("UTC"), std::string::npos);
    json negative = member;
    negative["cost"] = -5;
    EXPECT_NE(refused(negative).find("cost"), std::string::npos);
    json huge = member;
    huge["cost"] = 5'000'000;
    EXPECT_NE(refused(huge).find("plausible"), std::string::npos);
    json spaced = member;
    spaced["tracking"] = "DHK1 261128";
    EXPECT_NE(refused(spaced).find("tracking"), std::string::npos);
    EXPECT_FALSE(refused(json::array()).empty());
    json free_service = member;
    free_service["cost"] = 0;
    free_service["currency"] = "";
    EXPECT_TRUE(seba::tcv::read_delivered(free_service));
}

TEST(TcvTest, ASurveyRoundTripsAndSkippedAnswersStayOut) {
    Survey s = answered();
    s.travel_cost.reset();
    s.rating.reset();
    const json payload = seba::tcv::survey_payload(s);
    EXPECT_FALSE(payload.contains("travel_cost"));
    EXPECT_FALSE(payload.contains("rating"));
    std::string problem;
    const std::optional<Survey> read = seba::tcv::read_survey(payload, &problem);
    ASSERT_TRUE(read) << problem;
    EXPECT_EQ(read->visits, 2);
    EXPECT_EQ(read->extra_amount, 200);
    EXPECT_FALSE(read->rating);
}

TEST(TcvTest, ImpossibleAnswersAreRefusedOnTheKioskAndOnTheServer) {
    struct Case {
        const char* tried;
        void (*change)(Survey&);
        Problem problem;
    };
    const Case cases[] = {
        {"no visits", [](Survey& s) { s.visits = 0; }, Problem::VisitsOutOfRange},
        {"500 visits", [](Survey& s) { s.visits = 500; }, Problem::VisitsOutOfRange},
        {"negative minutes", [](Survey& s) { s.travel_minutes = -10; }, Problem::MinutesOutOfRange},
        {"two days' journey", [](Survey& s) { s.travel_minutes = 2881; },
         Problem::MinutesOutOfRange},
        {"a journey dearer than any", [](Survey& s) { s.travel_cost = 100'001; },
         Problem::CostOutOfRange},
        {"a negative bribe", [](Survey& s) { s.extra_amount = -1; }, Problem::CostOutOfRange},
        {"an amount without paying extra", [](Survey& s) { s.paid_extra = false; },
         Problem::ExtraWithoutPayment},
        {"six faces", [](Survey& s) { s.rating = 6; }, Problem::RatingOutOfRange},
        {"no tracking number", [](Survey& s) { s.tracking.clear(); }, Problem::NoTracking},
    };
    for (const Case& c : cases) {
        Survey s = answered();
        c.change(s);
        EXPECT_EQ(seba::tcv::check(s), c.problem) << c.tried;
        std::string problem;
        EXPECT_FALSE(seba::tcv::read_survey(seba::tcv::survey_payload(s), &problem)) << c.tried;
        EXPECT_FALSE(problem.empty()) << c.tried;
    }
    EXPECT_EQ(seba::tcv::check(answered()), Problem::None);
}

TEST(TcvTest, TheServerRefusesSurveysThatAreNotWhatTheKioskWrites) {
    const json payload = seba::tcv::survey_payload(answered());
    for (const auto& [tried, change] : std::vector<std::pair<const char*, json>>{
             {"a name slipped in", {{"name", "Rahima"}}},
             {"visits as text", {{"visits", "two"}}},
             {"a fractional rating", {{"rating", 4.5}}},
             {"a long language", {{"language", std::string(200, 'x')}}},
             {"paid_extra as a number", {{"paid_extra", 1}}},
             {"a lower-case currency", {{"currency", "bdt"}}}}) {
        json bad = payload;
        bad.update(change);
        std::string problem;
        EXPECT_FALSE(seba::tcv::read_survey(bad, &problem)) << tried;
        EXPECT_FALSE(problem.empty()) << tried;
    }
    EXPECT_FALSE(seba::tcv::read_survey(json("a survey")));
}

TEST(TcvTest, PlausibleCostsFollowTheCurrency) {
    EXPECT_EQ(seba::tcv::max_plausible_cost("BDT"), 100'000);
    EXPECT_EQ(seba::tcv::max_plausible_cost("UZS"), 10'000'000);
    EXPECT_EQ(seba::tcv::max_plausible_cost("EUR"), 1'000'000);
    EXPECT_FALSE(seba::tcv::max_plausible_cost("taka"));
    Survey uzs = answered();
    uzs.currency = "UZS";
    uzs.travel_cost = 25'000;  // a taxi in Tashkent: too much in taka, fine in sum
    EXPECT_EQ(seba::tcv::check(uzs), Problem::None);
    uzs.currency = "BDT";
    EXPECT_EQ(seba::tcv::check(uzs), Problem::None);
    uzs.travel_cost = 250'000;
    EXPECT_EQ(seba::tcv::check(uzs), Problem::CostOutOfRange);
}

}  // namespace

// SPDX-License-Identifier: Apache-2.0
#include "seba/tcv.hpp"

#include <fmt/format.h>

#include <chrono>
#include <regex>

#include "seba/error.hpp"
#include "seba/plugin_store.hpp"

namespace seba::tcv {

namespace {

using nlohmann::json;

bool printable_ascii(std::string_view text, std::size_t max) {
    if (text.empty() || text.size() > max) return false;
    for (char c : text)
        if (c < 0x21 || c > 0x7e) return false;
    return true;
}

bool service_id(std::string_view text) {
    static const std::regex kId("[a-z0-9_.-]{1,64}");
    return std::regex_match(text.begin(), text.end(), kId);
}

bool currency_code(std::string_view text) {
    return text.size() == 3 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// "YYYY-MM-DDTHH:MM:SS[.fraction]Z" as milliseconds since the epoch; nullopt for another text
// or a day the calendar does not have.
std::optional<std::int64_t> utc_millis(std::string_view text) {
    static const std::regex kTime(
        R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.(\d{1,9}))?Z)");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_match(text.begin(), text.end(), m, kTime)) return std::nullopt;
    auto number = [&](int i) { return std::stoi(m[i].str()); };
    const std::chrono::year_month_day day{std::chrono::year{number(1)},
                                          std::chrono::month{static_cast<unsigned>(number(2))},
                                          std::chrono::day{static_cast<unsigned>(number(3))}};
    if (!day.ok() || number(4) > 23 || number(5) > 59 || number(6) > 60) return std::nullopt;
    std::int64_t ms = std::chrono::sys_days{day}.time_since_epoch() / std::chrono::milliseconds(1);
    ms += ((number(4) * 60LL + number(5)) * 60 + number(6)) * 1000;
    if (m[8].matched) ms += std::stoi((m[8].str() + "00").substr(0, 3));
    return ms;
}

// An optional whole number of the payload: absent or null is "skipped"; anything else must be
// an integer in [low, high].
bool read_number(const json& payload, const char* key, std::int64_t low, std::int64_t high,
                 std::optional<std::int64_t>& out) {
    auto it = payload.find(key);
    if (it == payload.end() || it->is_null()) return true;
    if (!it->is_number_integer()) return false;
    const std::int64_t value = it->get<std::int64_t>();
    if (value < low || value > high) return false;
    out = value;
    return true;
}

}  // namespace

json delivered_member(const Delivered& delivered) {
    return {{"tracking", delivered.tracking},
            {"service", delivered.service},
            {"arrived_at", delivered.arrived_at},
            {"ended_at", delivered.ended_at},
            {"cost", delivered.cost},
            {"currency", delivered.currency}};
}

std::optional<Delivered> read_delivered(const json& member, std::string* problem) {
    auto fail = [&](std::string why) -> std::optional<Delivered> {
        if (problem) *problem = std::move(why);
        return std::nullopt;
    };
    if (!member.is_object()) return fail("\"tcv\" must be an object");
    auto text = [&](const char* key) {
        auto it = member.find(key);
        return it != member.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    Delivered d{text("tracking"), text("service"), text("arrived_at"), text("ended_at"), 0,
                text("currency")};
    if (!printable_ascii(d.tracking, 64))
        return fail("\"tcv\".tracking must be 1 to 64 printable ASCII characters");
    if (!service_id(d.service))
        return fail("\"tcv\".service must be a service id ([a-z0-9_.-]{1,64})");
    const std::optional<std::int64_t> arrived = utc_millis(d.arrived_at);
    const std::optional<std::int64_t> ended = utc_millis(d.ended_at);
    if (!arrived || !ended)
        return fail("\"tcv\".arrived_at and ended_at must be UTC times (YYYY-MM-DDTHH:MM:SSZ)");
    if (*arrived > *ended) return fail("\"tcv\".arrived_at is after its ended_at");
    auto cost = member.find("cost");
    if (cost == member.end() || !cost->is_number_integer() || cost->get<std::int64_t>() < 0)
        return fail("\"tcv\".cost must be a whole amount of 0 or more");
    d.cost = cost->get<std::int64_t>();
    if (d.cost > 0 && !currency_code(d.currency))
        return fail("\"tcv\".currency must be an ISO 4217 code when there is a cost");
    if (!d.currency.empty() && !currency_code(d.currency))
        return fail("\"tcv\".currency must be an ISO 4217 code");
    if (d.cost > 0 && d.cost > *max_plausible_cost(d.currency))
        return fail("\"tcv\".cost is beyond any plausible fee");
    return d;
}

std::optional<std::int64_t> max_plausible_cost(std::string_view currency) {
    if (currency.empty()) return 1'000'000;  // no cost was paid at the centre: no currency said
    if (!currency_code(currency)) return std::nullopt;
    if (currency == "BDT") return 100'000;
    if (currency == "UZS") return 10'000'000;
    return 1'000'000;
}

Problem check(const Survey& survey) {
    if (!printable_ascii(survey.tracking, 64) || !service_id(survey.service))
        return Problem::NoTracking;
    if (survey.visits && (*survey.visits < 1 || *survey.visits > kMaxVisits))
        return Problem::VisitsOutOfRange;
    if (survey.travel_minutes &&
        (*survey.travel_minutes < 0 || *survey.travel_minutes > kMaxTravelMinutes))
        return Problem::MinutesOutOfRange;
    const std::optional<std::int64_t> most = max_plausible_cost(survey.currency);
    for (const std::optional<std::int64_t>& cost : {survey.travel_cost, survey.extra_amount})
        if (cost && (!most || *cost < 0 || *cost > *most)) return Problem::CostOutOfRange;
    if (survey.extra_amount && survey.paid_extra != true) return Problem::ExtraWithoutPayment;
    if (survey.rating && (*survey.rating < 1 || *survey.rating > 5))
        return Problem::RatingOutOfRange;
    return Problem::None;
}

std::string_view describe(Problem problem) {
    switch (problem) {
        case Problem::None:
            return "";
        case Problem::VisitsOutOfRange:
            return "Enter how many times you came: 1 to 30";
        case Problem::MinutesOutOfRange:
            return "Enter the minutes of your journey: 0 to 1440";
        case Problem::CostOutOfRange:
            return "This amount is too large; check it";
        case Problem::ExtraWithoutPayment:
            return "An extra amount needs a yes to paying extra";
        case Problem::RatingOutOfRange:
            return "Choose one of the five faces";
        case Problem::NoTracking:
            return "This survey is not linked to a service";
    }
    return "";
}

json survey_payload(const Survey& survey) {
    json out = {{"tracking", survey.tracking}, {"service", survey.service}};
    if (survey.visits) out["visits"] = *survey.visits;
    if (survey.travel_minutes) out["travel_minutes"] = *survey.travel_minutes;
    if (survey.travel_cost) out["travel_cost"] = *survey.travel_cost;
    if (survey.paid_extra) out["paid_extra"] = *survey.paid_extra;
    if (survey.extra_amount) out["extra_amount"] = *survey.extra_amount;
    if (survey.rating) out["rating"] = *survey.rating;
    if (!survey.currency.empty()) out["currency"] = survey.currency;
    if (!survey.language.empty()) out["language"] = survey.language;
    return out;
}

std::optional<Survey> read_survey(const json& payload, std::string* problem) {
    auto fail = [&](std::string why) -> std::optional<Survey> {
        if (problem) *problem = std::move(why);
        return std::nullopt;
    };
    if (!payload.is_object()) return fail("a survey must be an object");
    static constexpr const char* kKnown[] = {
        "tracking",   "service",      "visits", "travel_minutes", "travel_cost",
        "paid_extra", "extra_amount", "rating", "currency",       "language"};
    for (const auto& [key, value] : payload.items())
        if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown))
            return fail(fmt::format("a survey has no field \"{}\"", key.substr(0, 64)));
    auto text = [&](const char* key, std::size_t max) -> std::optional<std::string> {
        auto it = payload.find(key);
        if (it == payload.end() || it->is_null()) return std::string();
        if (!it->is_string() || it->get_ref<const std::string&>().size() > max) return std::nullopt;
        return it->get<std::string>();
    };
    Survey s;
    std::optional<std::string> tracking = text("tracking", 64), service = text("service", 64),
                               currency = text("currency", 3), language = text("language", 35);
    if (!tracking || !service || !currency || !language)
        return fail("a survey's tracking, service, currency and language must be short texts");
    s.tracking = *tracking;
    s.service = *service;
    s.currency = *currency;
    s.language = *language;
    if (!s.currency.empty() && !currency_code(s.currency))
        return fail("a survey's currency must be an ISO 4217 code");
    std::optional<std::int64_t> visits, minutes, rating, travel_cost, extra;
    const std::int64_t most = max_plausible_cost(s.currency).value_or(0);
    if (!read_number(payload, "visits", 1, kMaxVisits, visits))
        return fail(std::string(describe(Problem::VisitsOutOfRange)));
    if (!read_number(payload, "travel_minutes", 0, kMaxTravelMinutes, minutes))
        return fail(std::string(describe(Problem::MinutesOutOfRange)));
    if (!read_number(payload, "travel_cost", 0, most, travel_cost) ||
        !read_number(payload, "extra_amount", 0, most, extra))
        return fail(std::string(describe(Problem::CostOutOfRange)));
    if (!read_number(payload, "rating", 1, 5, rating))
        return fail(std::string(describe(Problem::RatingOutOfRange)));
    if (visits) s.visits = static_cast<int>(*visits);
    if (minutes) s.travel_minutes = static_cast<int>(*minutes);
    if (rating) s.rating = static_cast<int>(*rating);
    s.travel_cost = travel_cost;
    s.extra_amount = extra;
    if (auto it = payload.find("paid_extra"); it != payload.end() && !it->is_null()) {
        if (!it->is_boolean()) return fail("a survey's paid_extra must be true or false");
        s.paid_extra = it->get<bool>();
    }
    if (const Problem p = check(s); p != Problem::None) return fail(std::string(describe(p)));
    return s;
}

std::string record_survey(PluginStore& store, const Survey& survey) {
    if (const Problem p = check(survey); p != Problem::None)
        throw Error(fmt::format("the survey was not recorded: {}", describe(p)));
    std::string uuid;
    store.transaction([&] { uuid = store.emit(kSurveyEvent, survey_payload(survey)); });
    return uuid;
}

}  // namespace seba::tcv

// SPDX-License-Identifier: Apache-2.0
#include "catalog.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "clock_guard.hpp"
#include "profile.hpp"

namespace seba::nise {

namespace {

using json = nlohmann::json;

// How much of each channel is read: a pack past these is a mistake, and the kiosk stays usable.
constexpr std::size_t kMaxCategories = 200;
constexpr std::size_t kMaxSkills = 20'000;
constexpr std::size_t kMaxOpportunities = 200'000;
constexpr std::size_t kMaxCourses = 10'000;
constexpr std::size_t kMaxCourseSkills = 50;
constexpr std::size_t kMaxCentres = 10'000;
constexpr std::size_t kMaxLanguages = 16;
constexpr std::size_t kMaxNameBytes = 400;      // a title, a skill's or an employer's name
constexpr std::size_t kMaxSummaryBytes = 4000;  // a summary
constexpr std::size_t kMaxRefBytes = 160;       // "<channel>/<key>" of a place
constexpr std::size_t kMaxSourceBytes = 500;
constexpr int kMaxSeats = 1'000'000;
constexpr double kMaxAmount = 1e12;

// Why a record is left out; caught where the record is read.
struct Refused {
    std::string why;
};

bool valid_id(std::string_view id, bool dots = true) {
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [dots](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
               (dots && (c == '.' || c == '_'));
    });
}

bool valid_tag(std::string_view tag) {
    if (tag.empty() || tag.size() > 16) return false;
    return std::all_of(tag.begin(), tag.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    });
}

bool valid_date(std::string_view day) {
    return days_until(day, day).has_value();
}

// {tag: text}; empty texts are dropped. Throws Refused naming `field`.
Names read_names(const json& data, const char* field, std::size_t max_bytes, bool required) {
    Names out;
    const auto it = data.find(field);
    if (it == data.end() || it->is_null()) {
        if (required) throw Refused{std::string("no ") + field};
        return out;
    }
    if (!it->is_object()) throw Refused{std::string(field) + " is not {language: text}"};
    if (it->size() > kMaxLanguages) throw Refused{std::string(field) + " has too many languages"};
    for (const auto& [tag, text] : it->items()) {
        if (!valid_tag(tag)) throw Refused{std::string(field) + " has a bad language tag"};
        if (!text.is_string()) throw Refused{std::string(field) + "." + tag + " is not text"};
        const auto& value = text.get_ref<const std::string&>();
        if (value.size() > max_bytes)
            throw Refused{std::string(field) + "." + tag + " is too long"};
        if (!value.empty()) out.emplace(tag, value);
    }
    if (required && out.empty()) throw Refused{std::string("no ") + field};
    return out;
}

std::string read_text(const json& data, const char* field, std::size_t max_bytes) {
    const auto it = data.find(field);
    if (it == data.end() || it->is_null()) return {};
    if (!it->is_string()) throw Refused{std::string(field) + " is not text"};
    const auto& value = it->get_ref<const std::string&>();
    if (value.size() > max_bytes) throw Refused{std::string(field) + " is too long"};
    return value;
}

std::optional<Money> read_money(const json& data, const char* field, bool with_period) {
    const auto it = data.find(field);
    if (it == data.end() || it->is_null()) return std::nullopt;
    if (!it->is_object()) throw Refused{std::string(field) + " is not an object"};
    Money m;
    const auto amount = it->find("amount");
    if (amount == it->end() || !amount->is_number())
        throw Refused{std::string(field) + ".amount is not a number"};
    m.amount = amount->get<double>();
    if (!std::isfinite(m.amount) || m.amount < 0 || m.amount > kMaxAmount)
        throw Refused{std::string(field) + ".amount is out of range"};
    m.currency = read_text(*it, "currency", 16);
    if (m.currency.size() != 3 || !std::all_of(m.currency.begin(), m.currency.end(),
                                               [](char c) { return c >= 'A' && c <= 'Z'; }))
        throw Refused{std::string(field) + ".currency is not an ISO 4217 code"};
    if (with_period) {
        m.per = read_text(*it, "per", 8);
        if (m.per != "month" && m.per != "day" && m.per != "hour")
            throw Refused{std::string(field) + ".per is not month, day or hour"};
    }
    return m;
}

std::optional<double> read_degrees(const json& data, const char* field, double limit) {
    const auto it = data.find(field);
    if (it == data.end() || it->is_null()) return std::nullopt;
    if (!it->is_number()) throw Refused{std::string(field) + " is not a number"};
    const double value = it->get<double>();
    if (!std::isfinite(value) || std::abs(value) > limit)
        throw Refused{std::string(field) + " is out of range"};
    return value;
}

Opportunity read(std::string_view key, const json& data) {
    if (!valid_id(key)) throw Refused{"the key is not an id ([a-z0-9._-]{1,64})"};
    if (!data.is_object()) throw Refused{"not an object"};
    Opportunity o;
    o.id = std::string(key);

    const std::string kind = read_text(data, "kind", 16);
    if (kind == "job")
        o.kind = Kind::Job;
    else if (kind == "training")
        o.kind = Kind::Training;
    else if (kind == "apprenticeship")
        o.kind = Kind::Apprenticeship;
    else
        throw Refused{"kind is not job, training or apprenticeship"};

    o.title = read_names(data, "title", kMaxNameBytes, true);
    o.summary = read_names(data, "summary", kMaxSummaryBytes, false);
    o.organisation = read_names(data, "organisation", kMaxNameBytes, false);

    o.place = read_text(data, "place", kMaxRefBytes);
    const std::size_t slash = o.place.find('/');
    if (o.place.empty()) throw Refused{"no place"};
    if (slash == std::string::npos || slash == 0 || slash + 1 == o.place.size())
        throw Refused{"place is not <channel>/<key>"};

    o.lat = read_degrees(data, "lat", 90);
    o.lon = read_degrees(data, "lon", 180);
    if (o.lat.has_value() != o.lon.has_value())
        throw Refused{"lat without lon, or lon without lat"};

    const auto skills = data.find("skills");
    if (skills == data.end() || !skills->is_array() || skills->empty()) throw Refused{"no skills"};
    if (skills->size() > kMaxSkillsPerOpportunity) throw Refused{"more than 20 skills"};
    std::set<std::string, std::less<>> seen;
    for (const json& s : *skills) {
        if (!s.is_object()) throw Refused{"a skill is not {skill, weight}"};
        RequiredSkill r;
        r.skill = read_text(s, "skill", 64);
        if (!valid_id(r.skill)) throw Refused{"a skill is not a skill id"};
        if (const auto w = s.find("weight"); w != s.end() && !w->is_null()) {
            if (!w->is_number_integer()) throw Refused{"a skill's weight is not 1, 2 or 3"};
            const auto weight = w->get<std::int64_t>();
            if (weight < 1 || weight > kMaxSkillWeight)
                throw Refused{"a skill's weight is not 1, 2 or 3"};
            r.weight = static_cast<int>(weight);
        }
        if (!seen.insert(r.skill).second) throw Refused{"skill " + r.skill + " is listed twice"};
        o.skills.push_back(std::move(r));
    }

    o.education = read_text(data, "education", 32);
    if (!o.education.empty() && education_rank(o.education) < 0)
        throw Refused{"education is not an education level"};

    o.wage = read_money(data, "wage", true);
    o.cost = read_money(data, "cost", false);
    if (o.wage && o.kind == Kind::Training) throw Refused{"a training has a cost, not a wage"};
    if (o.cost && o.kind != Kind::Training) throw Refused{"only a training has a cost"};

    o.closes = read_text(data, "closes", 10);
    if (o.closes.empty()) throw Refused{"no closing date"};
    if (!valid_date(o.closes)) throw Refused{"closes is not a date (YYYY-MM-DD)"};
    o.opens = read_text(data, "opens", 10);
    if (!o.opens.empty() && !valid_date(o.opens)) throw Refused{"opens is not a date (YYYY-MM-DD)"};
    if (!o.opens.empty() && o.opens > o.closes) throw Refused{"opens after it closes"};

    const auto seats = data.find("seats");
    if (seats == data.end() || !seats->is_number_integer()) throw Refused{"seats is not a number"};
    const auto count = seats->get<std::int64_t>();
    if (count < 0 || count > kMaxSeats) throw Refused{"seats is out of range"};
    o.seats = static_cast<int>(count);

    o.source = read_text(data, "source", kMaxSourceBytes);
    return o;
}

// uz-Cyrl and uz-Latn readers read each other's script, then Russian; everyone reads English.
std::array<std::string_view, 4> fallbacks(std::string_view language) {
    if (language == "uz-Cyrl") return {"uz-Cyrl", "uz-Latn", "ru", "en"};
    if (language == "uz-Latn") return {"uz-Latn", "uz-Cyrl", "ru", "en"};
    return {language, "en", "", ""};
}

}  // namespace

const std::string& name_in(const Names& names, std::string_view language) {
    static const std::string empty;
    for (std::string_view tag : fallbacks(language)) {
        if (tag.empty()) continue;
        if (auto it = names.find(tag); it != names.end() && !it->second.empty()) return it->second;
    }
    for (const auto& [tag, text] : names)
        if (!text.empty()) return text;
    return empty;
}

std::string_view to_string(Kind kind) {
    switch (kind) {
        case Kind::Job:
            return "job";
        case Kind::Training:
            return "training";
        case Kind::Apprenticeship:
            return "apprenticeship";
    }
    return "job";
}

std::optional<Opportunity> read_opportunity(std::string_view key, const nlohmann::json& data,
                                            std::string* why) {
    try {
        return read(key, data);
    } catch (const Refused& r) {
        if (why) *why = r.why;
        return std::nullopt;
    }
}

Catalog::Catalog(PluginStore& store, std::string centre)
    : store_(store), centre_(std::move(centre)) {
    refresh();
}

bool Catalog::refresh() {
    auto moved = [&](const char* channel) {
        std::string cursor = store_.catalog_cursor(channel);
        auto it = cursors_.find(channel);
        if (it != cursors_.end() && it->second == cursor) return false;
        cursors_[channel] = std::move(cursor);
        return true;
    };
    const bool categories = moved(kCategoriesChannel);
    const bool skills = moved(kSkillsChannel);
    // Opportunities and courses name skills: read again when the skills change.
    const bool opportunities = moved(kOpportunitiesChannel) || skills;
    const bool courses = moved(kCoursesChannel) || skills;
    if (!categories && !skills && !opportunities && !courses) return false;
    if (categories) read_categories();
    if (skills) read_skills();
    if (opportunities) read_opportunities();
    if (courses) read_courses();
    count_skipped();
    ++generation_;
    return true;
}

void Catalog::left_out(std::string_view channel, std::string_view key, const std::string& why) {
    ++skipped_in_[std::string(channel)];
    auto& list = problems_[std::string(channel)];
    std::string line =
        std::string(channel) + "/" + std::string(utf8::truncated(key, 80)) + ": " + why;
    if (log_) log_(line);
    if (list.size() < kMaxProblems) list.push_back(std::move(line));
}

void Catalog::count_skipped() {
    skipped_ = 0;
    for (const auto& [channel, n] : skipped_in_) skipped_ += n;
}

std::vector<std::string> Catalog::problems() const {
    std::vector<std::string> out;
    for (const auto& [channel, list] : problems_)
        for (const std::string& p : list)
            if (out.size() < kMaxProblems) out.push_back(p);
    return out;
}

void Catalog::read_categories() {
    skipped_in_[kCategoriesChannel] = 0;
    problems_[kCategoriesChannel].clear();
    categories_.clear();
    store_.for_each_catalog_record(kCategoriesChannel, [&](std::string_view key, const json& data) {
        try {
            if (categories_.size() >= kMaxCategories) throw Refused{"more than 200 categories"};
            if (!valid_id(key)) throw Refused{"the key is not an id"};
            if (!data.is_object()) throw Refused{"not an object"};
            SkillCategory c;
            c.id = std::string(key);
            c.names = read_names(data, "names", kMaxNameBytes, true);
            c.icon = read_text(data, "icon", 64);
            if (const auto order = data.find("order"); order != data.end() && !order->is_null()) {
                if (!order->is_number_integer() || std::abs(order->get<std::int64_t>()) > 1'000'000)
                    throw Refused{"order is not a whole number"};
                c.order = static_cast<int>(order->get<std::int64_t>());
            }
            categories_.push_back(std::move(c));
        } catch (const Refused& r) {
            left_out(kCategoriesChannel, key, r.why);
        }
    });
    std::sort(categories_.begin(), categories_.end(), [](const auto& a, const auto& b) {
        return std::tie(a.order, a.id) < std::tie(b.order, b.id);
    });
}

void Catalog::read_skills() {
    skipped_in_[kSkillsChannel] = 0;
    problems_[kSkillsChannel].clear();
    skills_.clear();
    store_.for_each_catalog_record(kSkillsChannel, [&](std::string_view key, const json& data) {
        try {
            if (skills_.size() >= kMaxSkills) throw Refused{"more than 20,000 skills"};
            if (!valid_id(key)) throw Refused{"the key is not an id ([a-z0-9._-]{1,64})"};
            if (!data.is_object()) throw Refused{"not an object"};
            Skill s;
            s.id = std::string(key);
            s.category = read_text(data, "category", 64);
            if (!valid_id(s.category)) throw Refused{"no category"};
            s.names = read_names(data, "names", kMaxNameBytes, true);
            s.esco = read_text(data, "esco", 256);
            s.isco = read_text(data, "isco", 4);
            if (!s.isco.empty() &&
                (s.isco.size() != 4 || !std::all_of(s.isco.begin(), s.isco.end(),
                                                    [](char c) { return c >= '0' && c <= '9'; })))
                throw Refused{"isco is not a 4-digit ISCO-08 code"};
            skills_.push_back(std::move(s));
        } catch (const Refused& r) {
            left_out(kSkillsChannel, key, r.why);
        }
    });
    // Channels come in key order; sorted again so lookups never depend on it.
    std::sort(skills_.begin(), skills_.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
}

void Catalog::read_opportunities() {
    skipped_in_[kOpportunitiesChannel] = 0;
    problems_[kOpportunitiesChannel].clear();
    opportunities_.clear();
    store_.for_each_catalog_record(
        kOpportunitiesChannel, [&](std::string_view key, const json& data) {
            try {
                if (opportunities_.size() >= kMaxOpportunities)
                    throw Refused{"more than 200,000 opportunities"};
                Opportunity o = read(key, data);
                // A skill the taxonomy does not have cannot be matched or shown: dropped, and the
                // record with it when none is left.
                std::erase_if(o.skills, [&](const RequiredSkill& r) { return !skill(r.skill); });
                if (o.skills.empty()) throw Refused{"none of its skills is in nise.skills"};
                opportunities_.push_back(std::move(o));
            } catch (const Refused& r) {
                left_out(kOpportunitiesChannel, key, r.why);
            }
        });
    std::sort(opportunities_.begin(), opportunities_.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
}

void Catalog::read_courses() {
    skipped_in_[kCoursesChannel] = 0;
    problems_[kCoursesChannel].clear();
    courses_.clear();
    store_.for_each_catalog_record(kCoursesChannel, [&](std::string_view key, const json& data) {
        // Only the courses that name skills are NISE's business; MuktoPaath reads the rest.
        if (!data.is_object() || !data.contains("skills")) return;
        try {
            if (courses_.size() >= kMaxCourses) throw Refused{"more than 10,000 courses"};
            if (!valid_id(key, false))
                throw Refused{"the key is not a course id ([a-z0-9-]{1,64})"};
            CourseSkills c;
            c.course = std::string(key);
            c.title = read_names(data, "title", kMaxNameBytes, true);
            const json& skills = data["skills"];
            if (!skills.is_array() || skills.size() > kMaxCourseSkills)
                throw Refused{"skills is not a list of at most 50 skill ids"};
            for (const json& s : skills) {
                if (!s.is_string()) throw Refused{"skills is not a list of skill ids"};
                const auto& id = s.get_ref<const std::string&>();
                // A skill the taxonomy does not have is dropped; the course stays a course.
                if (skill(id) && std::find(c.skills.begin(), c.skills.end(), id) == c.skills.end())
                    c.skills.push_back(id);
            }
            if (const auto centres = data.find("centres");
                centres != data.end() && !centres->is_null()) {
                if (!centres->is_array() || centres->size() > kMaxCentres)
                    throw Refused{"centres is not a list of centre ids"};
                c.here = std::any_of(centres->begin(), centres->end(),
                                     [&](const json& x) { return x.is_string() && x == centre_; });
            }
            if (!c.skills.empty()) courses_.push_back(std::move(c));
        } catch (const Refused& r) {
            left_out(kCoursesChannel, key, r.why);
        }
    });
    std::sort(courses_.begin(), courses_.end(),
              [](const auto& a, const auto& b) { return a.course < b.course; });
}

const SkillCategory* Catalog::category(std::string_view id) const {
    for (const SkillCategory& c : categories_)
        if (c.id == id) return &c;
    return nullptr;
}

const Skill* Catalog::skill(std::string_view id) const {
    auto it = std::lower_bound(skills_.begin(), skills_.end(), id,
                               [](const Skill& s, std::string_view x) { return s.id < x; });
    return it != skills_.end() && it->id == id ? &*it : nullptr;
}

std::vector<const Skill*> Catalog::skills_in(std::string_view category) const {
    std::vector<const Skill*> out;
    for (const Skill& s : skills_)
        if (s.category == category) out.push_back(&s);
    std::sort(out.begin(), out.end(), [](const Skill* a, const Skill* b) {
        const std::string& x = name_in(a->names, "en");
        const std::string& y = name_in(b->names, "en");
        return x != y ? x < y : a->id < b->id;
    });
    return out;
}

std::vector<const Skill*> Catalog::find_skills(std::string_view typed, std::size_t limit) {
    search::Search search = store_.search();
    const std::int64_t generation = search.generation();
    if (typed != found_for_ || limit != found_limit_ || generation != found_generation_) {
        search::Query query;
        query.text = std::string(typed);
        query.limit = std::min<std::size_t>(limit, 200);
        query.kind = "skill";
        found_.clear();
        for (const search::Hit& hit : search.find(kSkillsIndex, query))
            if (hit.entry.channel == kSkillsChannel) found_.push_back(hit.entry.key);
        found_for_ = std::string(typed);
        found_limit_ = limit;
        found_generation_ = generation;
    }
    // Ids, not pointers, are kept: a refresh may have read the skills again since.
    std::vector<const Skill*> out;
    for (const std::string& id : found_)
        if (const Skill* s = skill(id); s && out.size() < limit) out.push_back(s);
    return out;
}

const Opportunity* Catalog::opportunity(std::string_view id) const {
    auto it = std::lower_bound(opportunities_.begin(), opportunities_.end(), id,
                               [](const Opportunity& o, std::string_view x) { return o.id < x; });
    return it != opportunities_.end() && it->id == id ? &*it : nullptr;
}

std::vector<const CourseSkills*> Catalog::courses_teaching(std::string_view skill) const {
    std::vector<const CourseSkills*> out;
    for (const CourseSkills& c : courses_)
        if (std::find(c.skills.begin(), c.skills.end(), skill) != c.skills.end()) out.push_back(&c);
    // By id already; those enabled here first.
    std::stable_partition(out.begin(), out.end(), [](const CourseSkills* c) { return c->here; });
    return out;
}

const CourseSkills* Catalog::course(std::string_view id) const {
    auto it =
        std::lower_bound(courses_.begin(), courses_.end(), id,
                         [](const CourseSkills& c, std::string_view x) { return c.course < x; });
    return it != courses_.end() && it->course == id ? &*it : nullptr;
}

}  // namespace seba::nise

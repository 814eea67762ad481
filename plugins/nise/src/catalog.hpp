// SPDX-License-Identifier: Apache-2.0
#pragma once

// What NISE reads from the country pack (docs/nise.md, "The contracts"): the skills taxonomy
// (nise.skill_categories, nise.skills), the jobs, trainings and apprenticeships on offer
// (nise.opportunities), and which MuktoPaath courses teach which skills (the "skills" of
// muktopaath.courses). Records are read defensively: one that cannot be what it claims is left
// out, counted for the operator and logged, and the rest shows.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <seba/sdk.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace seba::nise {

inline constexpr const char* kCategoriesChannel = "nise.skill_categories";
inline constexpr const char* kSkillsChannel = "nise.skills";
inline constexpr const char* kOpportunitiesChannel = "nise.opportunities";
inline constexpr const char* kCoursesChannel = "muktopaath.courses";
inline constexpr const char* kProfilesChannel = "nise.profiles";    ///< per centre, by login
inline constexpr const char* kReferralsChannel = "nise.referrals";  ///< per centre, by reference
/// The search index over nise.skills the manifest declares.
inline constexpr const char* kSkillsIndex = "nise.skills";

/// Limits on what a record may hold; a record past them is left out.
inline constexpr std::size_t kMaxSkillsPerOpportunity = 20;
inline constexpr int kMaxSkillWeight = 3;

/// Text by language tag ("en", "bn", "uz-Latn", "uz-Cyrl", "ru").
using Names = std::map<std::string, std::string, std::less<>>;

/// The text in `language`, falling back as a citizen reads best: uz-Cyrl -> uz-Latn -> ru ->
/// en; uz-Latn -> uz-Cyrl -> ru -> en; bn -> en; anything -> en; then any text; "" if none.
const std::string& name_in(const Names& names, std::string_view language);

struct SkillCategory {
    std::string id;
    Names names;
    std::string icon;  ///< a Material Icons name, as the kit draws pictograms
    int order = 0;
};

struct Skill {
    std::string id;  ///< [a-z0-9._-]{1,64}
    std::string category;
    Names names;
    std::string esco;  ///< an ESCO skill URI or code, "" when the pack has none
    std::string isco;  ///< an ISCO-08 occupation code (4 digits), "" when none
};

enum class Kind { Job, Training, Apprenticeship };
/// "job", "training", "apprenticeship".
std::string_view to_string(Kind kind);

struct Money {
    double amount = 0;
    std::string currency;  ///< ISO 4217: "BDT", "UZS"
    std::string per;       ///< a wage's period: "month", "day" or "hour"; "" for a cost
};

struct RequiredSkill {
    std::string skill;  ///< a Skill id
    int weight = 1;     ///< 1 (useful) .. 3 (essential)
};

struct Opportunity {
    std::string id;  ///< the record's key, [a-z0-9._-]{1,64}
    Kind kind = Kind::Job;
    Names title, summary;
    Names organisation;  ///< the employer, or the training provider
    /// Where it is: a place of the portal directory as "<channel>/<key>", e.g.
    /// "geo.bd.upazilas/156" (search index "portal", docs/portal.md).
    std::string place;
    std::optional<double> lat, lon;  ///< the workplace itself, when the pack knows it
    std::vector<RequiredSkill> skills;  ///< 1 .. kMaxSkillsPerOpportunity, each once
    std::optional<Money> wage;          ///< jobs and apprenticeships
    std::optional<Money> cost;          ///< trainings; amount 0 is free
    std::string opens;                  ///< YYYY-MM-DD, or "": open already
    std::string closes;                 ///< YYYY-MM-DD: the last day to apply (required)
    int seats = 0;                      ///< posts or places still open; 0 is full
    std::string education;              ///< the least education level it asks (profile.hpp), or ""
    std::string source;                 ///< where the record comes from ("illustrative" if so)
};

/// Reads a record of nise.opportunities; nullopt, with the reason in `why`, when it cannot be
/// one (no title, no place, no skills, a bad date, a weight out of range, ...).
std::optional<Opportunity> read_opportunity(std::string_view key, const nlohmann::json& data,
                                            std::string* why = nullptr);

/// A MuktoPaath course that teaches skills (its record in muktopaath.courses has "skills").
struct CourseSkills {
    std::string course;  ///< the course id, as a certificate's achievement names it
    Names title;
    std::vector<std::string> skills;
    bool here = true;  ///< enabled at this kiosk's centre (the course's "centres")
};

/// The channels above as the screens and the matcher use them, read again when they change.
class Catalog {
  public:
    /// `centre`: this kiosk's centre, for the courses enabled here.
    Catalog(PluginStore& store, std::string centre);

    /// Reads again whatever channel changed since the last call (cheap when none did; called
    /// every frame). True when anything was read again.
    bool refresh();

    /// By `order`, then id.
    const std::vector<SkillCategory>& categories() const { return categories_; }
    const SkillCategory* category(std::string_view id) const;
    const Skill* skill(std::string_view id) const;
    /// The skills of a category, by English name.
    std::vector<const Skill*> skills_in(std::string_view category) const;
    /// Skills whose name in any language matches what the citizen typed, best first (the
    /// kiosk's search index kSkillsIndex: any script, spelling variants, typos).
    std::vector<const Skill*> find_skills(std::string_view typed, std::size_t limit);

    /// Every readable opportunity, open or not, by id.
    const std::vector<Opportunity>& opportunities() const { return opportunities_; }
    const Opportunity* opportunity(std::string_view id) const;

    /// The courses teaching `skill`, those enabled at this centre first, then by id.
    std::vector<const CourseSkills*> courses_teaching(std::string_view skill) const;
    const CourseSkills* course(std::string_view id) const;

    /// Records left out as unreadable, over every channel, for the operator.
    std::size_t skipped() const { return skipped_; }
    /// Why they were left out, "<channel>/<key>: <why>", at most kMaxProblems of them.
    std::vector<std::string> problems() const;
    static constexpr std::size_t kMaxProblems = 50;
    /// Called once for each record left out when its channel is read (for the plugin's log).
    void on_problem(std::function<void(const std::string&)> log) { log_ = std::move(log); }
    /// Changes whenever what the accessors return may have changed (for caches).
    std::size_t generation() const { return generation_; }

  private:
    PluginStore& store_;
    std::string centre_;
    std::map<std::string, std::string, std::less<>> cursors_;  // channel -> catalog_cursor
    std::vector<SkillCategory> categories_;
    std::vector<Skill> skills_;  // by id
    std::vector<Opportunity> opportunities_;  // by id
    std::vector<CourseSkills> courses_;       // by id
    std::size_t skipped_ = 0;
    std::size_t generation_ = 0;

    // Per channel, so reading one again leaves the others' counts.
    std::map<std::string, std::vector<std::string>, std::less<>> problems_;
    std::map<std::string, std::size_t, std::less<>> skipped_in_;
    std::function<void(const std::string&)> log_;
    // find_skills' last question and answer: the screens ask every frame.
    std::string found_for_;
    std::size_t found_limit_ = 0;
    std::int64_t found_generation_ = -1;
    std::vector<std::string> found_;

    void read_categories();
    void read_skills();
    void read_opportunities();
    void read_courses();
    void left_out(std::string_view channel, std::string_view key, const std::string& why);
    void count_skipped();
};

}  // namespace seba::nise

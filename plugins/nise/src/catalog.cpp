// SPDX-License-Identifier: Apache-2.0
// INTERIM (lead's contract commit): replaced by the catalog's implementation.
#include "catalog.hpp"

namespace seba::nise {

const std::string& name_in(const Names& names, std::string_view language) {
    static const std::string empty;
    auto it = names.find(language);
    if (it == names.end()) it = names.find("en");
    if (it == names.end()) it = names.begin();
    return it == names.end() ? empty : it->second;
}

std::string_view to_string(Kind kind) {
    switch (kind) {
        case Kind::Job: return "job";
        case Kind::Training: return "training";
        case Kind::Apprenticeship: return "apprenticeship";
    }
    return "job";
}

std::optional<Opportunity> read_opportunity(std::string_view, const nlohmann::json&,
                                            std::string* why) {
    if (why) *why = "not read yet";
    return std::nullopt;
}

Catalog::Catalog(PluginStore& store, std::string centre) : store_(store), centre_(std::move(centre)) {}
bool Catalog::refresh() { return false; }
const SkillCategory* Catalog::category(std::string_view) const { return nullptr; }
const Skill* Catalog::skill(std::string_view) const { return nullptr; }
std::vector<const Skill*> Catalog::skills_in(std::string_view) const { return {}; }
std::vector<const Skill*> Catalog::find_skills(std::string_view, std::size_t) { return {}; }
const Opportunity* Catalog::opportunity(std::string_view) const { return nullptr; }
std::vector<const CourseSkills*> Catalog::courses_teaching(std::string_view) const { return {}; }
const CourseSkills* Catalog::course(std::string_view) const { return nullptr; }

}  // namespace seba::nise

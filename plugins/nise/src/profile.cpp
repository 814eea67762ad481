// SPDX-License-Identifier: Apache-2.0
// INTERIM (lead's contract commit): replaced by the profile book's implementation.
#include "profile.hpp"

#include <sodium.h>

namespace seba::nise {

namespace {
constexpr EducationLevel kLevels[] = {
    {"none", "block", "No schooling"},
    {"primary", "child_care", "Primary school"},
    {"secondary", "menu_book", "Secondary school (SSC)"},
    {"higher_secondary", "school", "Higher secondary (HSC)"},
    {"vocational", "construction", "Vocational or diploma"},
    {"tertiary", "workspace_premium", "University degree"},
};
}  // namespace

std::span<const EducationLevel> education_levels() { return kLevels; }
int education_rank(std::string_view id) {
    for (std::size_t i = 0; i < std::size(kLevels); ++i)
        if (kLevels[i].id == id) return static_cast<int>(i);
    return -1;
}

Seeker Profile::seeker() const { return {}; }
void Profile::wipe() { *this = Profile{}; }
nlohmann::json to_json(const Profile&) { return nlohmann::json::object(); }
std::optional<Profile> profile_from_json(const nlohmann::json&) { return std::nullopt; }

void Citizen::wipe() {
    profile.wipe();
    login.clear();
    sodium_memzero(box_key.data(), box_key.size());
    consented = false;
}
Citizen::~Citizen() { sodium_memzero(box_key.data(), box_key.size()); }

std::span<const Migration> ProfileBook::migrations() { return {}; }
ProfileBook::ProfileBook(PluginStore& store, std::string centre)
    : store_(store), centre_(std::move(centre)) {}
std::string ProfileBook::save(Citizen&) { throw ProfileRefused("not built yet"); }
std::optional<Citizen> ProfileBook::sign_in(std::string_view, std::string_view) { return std::nullopt; }
void ProfileBook::withdraw(Citizen& citizen) { citizen.wipe(); }
bool ProfileBook::withdrawn(std::string_view) { return false; }
int ProfileBook::saved_on(std::string_view) { return 0; }

}  // namespace seba::nise

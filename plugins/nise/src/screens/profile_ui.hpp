// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the home, profile, return and save screens share (private to screens/): the ids of
// their fields, the return code as it is typed and shown, the phone as E.164, and the words
// of a skill or a certificate in the citizen's language.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "screens.hpp"

namespace seba::nise {

using ui::Navigator;
using ui::Ui;

/// The profile's steps: "Step n of 5" above each.
inline constexpr int kProfileSteps = 5;

/// A phone as typed, in E.164 when it is a mobile number of the setting "phone_region".
std::optional<std::string> phone_e164(Desk& desk, std::string_view typed);

/// A skill's name in the citizen's language (its id when the catalog has none).
std::string skill_name(Desk& desk, Ui& ui, std::string_view skill);
/// The skills the citizen said, then those only a certificate shows.
std::vector<std::string> profile_skills(const Profile& profile);
/// Whether a certificate of the profile shows `skill`.
bool verified(const Profile& profile, std::string_view skill);
/// The words of an education level, in the citizen's language; "" for none chosen.
std::string education_words(Ui& ui, std::string_view level);
/// "Place name (Parent, Grandparent)" of a directory ref, or the ref when unknown.
std::string place_words(Desk& desk, Ui& ui, std::string_view ref);

/// A "Read this page aloud" button (when the kiosk has a voice) that reads `text`.
void read_page_aloud(Ui& ui, std::string_view id, const std::string& text);

/// The profile's steps after the first (profile_screens.cpp).
std::unique_ptr<ui::Screen> skills_step(Desk& desk);

}  // namespace seba::nise

// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the matches, referral, check and operator screens share (private to them): words for
// kinds, places and statuses, and the referral's flow past the details page.

#include <seba/sdk.hpp>
#include <string>
#include <string_view>

#include "../desk.hpp"

namespace seba::nise::match_ui {

/// ui.tr(english) with {0}, {1}... filled in; English when a translation lost a placeholder.
std::string say(ui::Ui& ui, const std::string& english, std::string_view a0,
                std::string_view a1 = {});

/// The pictogram of a kind: a briefcase, a school, a tool.
std::string_view kind_icon(Kind kind);
/// "Job", "Training", "Apprenticeship" in the citizen's language.
std::string kind_word(ui::Ui& ui, Kind kind);

/// A referral's state in the citizen's language: sent (no answer yet), received, interview,
/// accepted, rejected; and its pictogram.
std::string status_word(ui::Ui& ui, std::string_view status);
std::string_view status_icon(std::string_view status);

/// The place's name with its parents ("Chandina, Cumilla, Chattogram"), or "" when unknown.
std::string place_words(ui::Ui& ui, Desk& desk, std::string_view ref);

/// A "Read this page aloud" button, shown only when the kiosk has a voice for the language.
void read_aloud_button(ui::Ui& ui, std::string_view id, const std::string& text);

/// The referral's review (what is sent to whom, consent, Send), for `opportunity`.
std::unique_ptr<ui::Screen> review_screen(Desk& desk, std::string opportunity);

}  // namespace seba::nise::match_ui

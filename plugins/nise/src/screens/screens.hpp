// SPDX-License-Identifier: Apache-2.0
#pragma once

// NISE's screens, made by these functions so each part stands in its own files:
//
//   Home ─┬─ Profile: Education ── Skills ── Certificates ── Place ── Languages ──> Matches
//         ├─ Matches ── Details ──(not saved: Save ── Code slip)── Refer ══> Referral slip
//         ├─ Return (phone + code) ── My profile ─┬─ Edit, Matches
//         │                                       └─ Withdraw (confirm)
//         └─ Check a referral
//
// Widget ids start with "nise." and are listed in docs/nise.md, "Screens" (tests and the demo
// tour tap them). Leaving a flow at any step writes nothing.

#include <functional>
#include <memory>
#include <seba/sdk.hpp>

#include "../desk.hpp"

namespace seba::nise {

// Home and the profile (profile_screens.cpp, home.cpp, return.cpp)
std::unique_ptr<ui::Screen> home_screen(Desk& desk);
/// The profile's first step (education); its last step opens the matches.
std::unique_ptr<ui::Screen> profile_screen(Desk& desk);
/// A returning citizen: phone and return code, then their profile.
std::unique_ptr<ui::Screen> return_screen(Desk& desk);
/// Name, phone and consent to keep the profile; on save, the return code's slip, then
/// `then(nav)` (e.g. push the referral's review).
std::unique_ptr<ui::Screen> save_screen(Desk& desk, std::function<void(ui::Navigator&)> then);

// Matches and referrals (match_screens.cpp, check.cpp, operator_page.cpp)
/// The citizen's ranked matches with reasons, or guidance when the profile has no skills.
std::unique_ptr<ui::Screen> matches_screen(Desk& desk);
/// A referral's answer by its reference, however it was typed.
std::unique_ptr<ui::Screen> check_screen(Desk& desk);
/// The operator's page: referrals made here by status, the catalog's counts, the clock guard.
void draw_operator_page(ui::Ui& ui, Desk& desk);

}  // namespace seba::nise

// SPDX-License-Identifier: Apache-2.0
#pragma once

/// The kit's pictograms: names of Material Icons (Debian's fonts-material-design-icons-iconfont)
/// that the shell and plugins pass to ui.tile, ui.button and ui.toggle. Citizens who read
/// little find their way by them, so one meaning keeps one picture everywhere: use these
/// names rather than spelling a glyph's name again. Each is checked against the installed
/// font by kiosk/tests/icon_test.cpp; a catalog or manifest may name any other icon the font
/// has (https://fonts.google.com/icons, "Material Icons" style).

#include <array>
#include <string_view>

namespace seba::ui::icon {

// --- Finding one's way ---------------------------------------------------------------------
inline constexpr std::string_view back = "arrow_back";
inline constexpr std::string_view forward = "arrow_forward";
inline constexpr std::string_view home = "home";
inline constexpr std::string_view close = "close";
inline constexpr std::string_view next = "chevron_right";  ///< a row that opens another page
inline constexpr std::string_view more = "expand_more";    ///< shows more of the same page
inline constexpr std::string_view search = "search";
inline constexpr std::string_view help = "help";
inline constexpr std::string_view touch = "touch_app";  ///< "touch the screen to begin"

// --- The citizen's own settings ------------------------------------------------------------
inline constexpr std::string_view language = "language";
inline constexpr std::string_view read_aloud = "volume_up";
inline constexpr std::string_view read_aloud_off = "volume_off";
inline constexpr std::string_view large_text = "text_increase";
inline constexpr std::string_view small_text = "text_decrease";
inline constexpr std::string_view contrast = "contrast";
inline constexpr std::string_view accessibility = "accessibility";

// --- Tones: the sign before a message or banner ---------------------------------------------
inline constexpr std::string_view info = "info";
inline constexpr std::string_view success = "check_circle";
inline constexpr std::string_view warning = "warning";
inline constexpr std::string_view error = "error";

// --- Actions -------------------------------------------------------------------------------
inline constexpr std::string_view done = "check";
inline constexpr std::string_view edit = "edit";
inline constexpr std::string_view print = "print";
inline constexpr std::string_view add = "add";
inline constexpr std::string_view remove = "remove";
inline constexpr std::string_view erase = "delete";  ///< a bin: throw something away
inline constexpr std::string_view undo = "undo";
inline constexpr std::string_view retry = "refresh";
inline constexpr std::string_view cancel = "cancel";
inline constexpr std::string_view start_over = "restart_alt";

// --- Keys of the on-screen keyboard --------------------------------------------------------
inline constexpr std::string_view backspace = "backspace";
inline constexpr std::string_view shift = "keyboard_capslock";
inline constexpr std::string_view space = "space_bar";
inline constexpr std::string_view enter = "keyboard_return";
inline constexpr std::string_view hide_keyboard = "keyboard_hide";

// --- The kiosk's state ---------------------------------------------------------------------
inline constexpr std::string_view schedule = "schedule";  ///< a clock: delivery time, opening hours
inline constexpr std::string_view waiting = "hourglass_empty";
inline constexpr std::string_view calendar = "calendar_today";
inline constexpr std::string_view online = "cloud_done";
inline constexpr std::string_view offline = "cloud_off";
inline constexpr std::string_view sync = "sync";
inline constexpr std::string_view locked = "lock";
inline constexpr std::string_view unlocked = "lock_open";
inline constexpr std::string_view operator_mode = "admin_panel_settings";
inline constexpr std::string_view settings = "settings";
inline constexpr std::string_view log_out = "logout";
inline constexpr std::string_view qr = "qr_code_2";
inline constexpr std::string_view phone = "phone";
inline constexpr std::string_view support = "support_agent";  ///< ask the operator

// --- What a service is about ---------------------------------------------------------------
inline constexpr std::string_view person = "person";
inline constexpr std::string_view family = "family_restroom";
inline constexpr std::string_view child = "child_care";
inline constexpr std::string_view id_card = "badge";
inline constexpr std::string_view register_person = "how_to_reg";
inline constexpr std::string_view description = "description";  ///< a document, a certificate
inline constexpr std::string_view verified = "verified_user";
inline constexpr std::string_view fact_check = "fact_check";
inline constexpr std::string_view payments = "payments";
inline constexpr std::string_view receipt_long = "receipt_long";
inline constexpr std::string_view bank = "account_balance";
inline constexpr std::string_view utilities = "lightbulb";
inline constexpr std::string_view land = "landscape";
inline constexpr std::string_view map = "map";
inline constexpr std::string_view travel = "flight";
inline constexpr std::string_view passport = "public";
inline constexpr std::string_view school = "school";
inline constexpr std::string_view work = "work";
inline constexpr std::string_view health = "local_hospital";
inline constexpr std::string_view agriculture = "agriculture";
inline constexpr std::string_view centre = "storefront";  ///< the Digital Centre itself
inline constexpr std::string_view about = "info_outline";

// --- The exit survey (seba/ui/exit_survey.hpp): a picture per question, a face per rating ---
inline constexpr std::string_view survey = "reviews";  ///< "tell us about your visit"
inline constexpr std::string_view skip = "skip_next";  ///< leave a question unanswered
inline constexpr std::string_view visits = "event_repeat";
inline constexpr std::string_view journey_time = "commute";
inline constexpr std::string_view journey_cost = "directions_bus";
inline constexpr std::string_view walked = "directions_walk";
/// Money asked beyond the receipt: the picture of civil_service's complaint "extra_money" too.
inline constexpr std::string_view paid_extra = "money_off";
inline constexpr std::string_view rating = "thumbs_up_down";
inline constexpr std::string_view very_dissatisfied = "sentiment_very_dissatisfied";
inline constexpr std::string_view dissatisfied = "sentiment_dissatisfied";
inline constexpr std::string_view neutral = "sentiment_neutral";
inline constexpr std::string_view satisfied = "sentiment_satisfied";
inline constexpr std::string_view very_satisfied = "sentiment_very_satisfied";

/// Every name above, for checks and galleries.
// clang-format off
inline constexpr std::array all = {
    back, forward, home, close, next, more, search, help, touch,
    language, read_aloud, read_aloud_off, large_text, small_text, contrast, accessibility,
    info, success, warning, error,
    done, edit, print, add, remove, erase, undo, retry, cancel, start_over,
    backspace, shift, space, enter, hide_keyboard,
    schedule, waiting, calendar, online, offline, sync, locked, unlocked, operator_mode,
    settings, log_out, qr, phone, support,
    person, family, child, id_card, register_person, description, verified, fact_check,
    payments, receipt_long, bank, utilities, land, map, travel, passport, school, work, health,
    agriculture, centre, about,
    survey, skip, visits, journey_time, journey_cost, walked, paid_extra, rating,
    very_dissatisfied, dissatisfied, neutral, satisfied, very_satisfied};
// clang-format on

}  // namespace seba::ui::icon

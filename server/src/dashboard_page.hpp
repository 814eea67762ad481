// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "seba/server/evidence.hpp"

/// The pilot's dashboard as HTML (docs/civil-service.md, "The dashboard"): pure functions from
/// the evidence to pages, with charts drawn as inline SVG and no script, in the five languages
/// Seba ships. Internal to seba-server; the HTTP side (sign-in, sessions) is dashboard.hpp.
namespace seba::server::detail {

/// What a dashboard page shows besides the figures: who, in which language, with which
/// filter, and the token its forms carry.
struct DashboardView {
    std::string language = "en";  ///< one of en, bn, uz-Latn, uz-Cyrl, ru
    std::string user;
    std::string csrf;
    EvidenceLevel level = EvidenceLevel::Country;
    EvidenceFilter filter;
    /// Why the filter was refused (check(EvidenceFilter)'s words); empty when it is fine.
    std::string problem;
    /// Why the figures could not be computed (the store's words); empty when they were.
    std::string failure;
};

/// GET /dashboard: the filter form, and (when there is evidence) the charts and tables.
std::string dashboard_page(const DashboardView& view, const std::optional<Evidence>& evidence);

/// GET /dashboard/report: the same figures laid out for A4 paper, titled with the period.
std::string report_page(const DashboardView& view, const Evidence& evidence);

/// GET /dashboard/login: the sign-in form, with `message` (already in the page's language)
/// above it when there is one.
std::string login_page(std::string_view language, std::string_view csrf, std::string_view message);

/// The words the sign-in answers use, in `language`.
enum class LoginMessage { Wrong, TooMany, FormExpired };
std::string login_message(std::string_view language, LoginMessage message, long wait_minutes = 0);

/// The one stylesheet every dashboard page inlines in its <style> element.
std::string_view dashboard_style();

/// The Content-Security-Policy of every dashboard page: nothing but that stylesheet, allowed
/// by its SHA-256 (computed once), and images from the server itself.
const std::string& dashboard_policy();

/// `value` as `language` writes numbers (Bangla digits for bn, the locale's separators), with
/// at most `max_fraction_digits` decimals.
std::string format_number(double value, std::string_view language, int max_fraction_digits = 1);

/// "2026-11" as `language` names a month ("Nov 2026", "নভে, ২০২৬"); the text itself when it is
/// no month.
std::string format_month(std::string_view month, std::string_view language);

}  // namespace seba::server::detail

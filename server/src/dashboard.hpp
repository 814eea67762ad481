// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <httplib.h>

#include <array>
#include <memory>
#include <optional>
#include <semaphore>
#include <span>
#include <string>

#include "dashboard_page.hpp"
#include "seba/server/store.hpp"

/// The dashboard's HTTP side (docs/civil-service.md, "The dashboard"): sign-in with a
/// CSRF token tied to a pre-login cookie, failures limited per address and per user in the
/// store, sessions by cookie, and the pages and API behind them. Internal to seba-server;
/// HttpServer routes /dashboard here.
namespace seba::server::detail {

/// A sign-in or form body is at most this long.
inline constexpr std::size_t kMaxDashboardBodyBytes = 4 * 1024;
/// Failed sign-ins per address, and per user, within kLoginFailureWindow; past them, 429.
inline constexpr int kLoginFailuresAllowed = 5;
inline constexpr std::chrono::minutes kLoginFailureWindow{15};
/// How long a session lasts from its sign-in.
inline constexpr std::chrono::hours kSessionLifetime{8};

class Dashboard {
  public:
    /// `secure_cookies`: cookies only over HTTPS (when the server is reached through TLS).
    /// `shared_secret`: a secret every backend of a fleet holds (the trust key's), from which
    /// the pre-login form key is derived, so that a form one backend served signs in at
    /// another; empty: a random key of this process's own.
    Dashboard(Store& store, bool secure_cookies, std::span<const std::uint8_t> shared_secret = {});

    // Each handler fills in the response; `address` is who asks (the front's
    // X-Forwarded-For, else the peer), for the sign-in limits.
    void login_form(const httplib::Request& req, httplib::Response& res);
    void login(const httplib::Request& req, httplib::Response& res, const std::string& address);
    void logout(const httplib::Request& req, httplib::Response& res);
    void page(const httplib::Request& req, httplib::Response& res);
    void report(const httplib::Request& req, httplib::Response& res);
    void evidence_json(const httplib::Request& req, httplib::Response& res);
    void evidence_csv(const httplib::Request& req, httplib::Response& res);

  private:
    // The API's figures for the request's filter (read into `view`), or nullopt with the
    // error answered (401 without a session, 400 for a bad filter, 503 when not computed).
    std::optional<Evidence> api_evidence(const httplib::Request& req, httplib::Response& res,
                                         DashboardView& view);
    std::string prelogin_csrf(std::string_view prelogin) const;
    void show_login(httplib::Response& res, std::string_view language, int status,
                    std::string_view message, std::string prelogin = {});
    std::string cookie(std::string_view name, std::string_view value, int max_age_s) const;

    Store& store_;
    bool secure_cookies_;
    /// Keys the pre-login CSRF tokens: derived from the fleet's shared secret, or new at each
    /// start without one (a form from before a restart is then refused, and asked again).
    std::array<unsigned char, 32> form_key_{};
    /// argon2id takes 64 MiB and ~0.2 s each: a few at a time, whatever the workers.
    std::counting_semaphore<2> hashing_{2};
};

}  // namespace seba::server::detail

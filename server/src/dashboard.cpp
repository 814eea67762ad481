// SPDX-License-Identifier: Apache-2.0
#include "dashboard.hpp"

#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "dashboard_page.hpp"
#include "seba/logging.hpp"
#include "seba/server/dashboard.hpp"
#include "seba/server/evidence.hpp"
#include "seba/utf8.hpp"
#include "verify_page.hpp"

namespace seba::server {

namespace {

constexpr const char* kSessionCookie = "seba_session";
constexpr const char* kPreloginCookie = "seba_prelogin";

std::string hex(const unsigned char* bytes, std::size_t size) {
    std::string out(size * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes, size);
    out.pop_back();
    return out;
}

std::string random_token() {
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    return hex(bytes, sizeof bytes);
}

// The store keeps a session by this, so that a stolen database opens no session.
std::string token_hash(std::string_view token) {
    unsigned char digest[crypto_generichash_BYTES];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()),
                       token.size(), nullptr, 0);
    return hex(digest, sizeof digest);
}

bool same(std::string_view a, std::string_view b) {
    return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool valid_user_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

}  // namespace

void create_dashboard_user(Store& store, std::string_view name, std::string_view password) {
    if (!valid_user_name(name))
        throw Error(fmt::format(
            "\"{}\" is not a valid user name: use 1 to 64 small letters, digits, '.', '_' or '-'",
            name));
    if (password.size() > kMaxDashboardPasswordBytes)
        throw Error(fmt::format("the password is longer than {} bytes; choose a shorter one",
                                kMaxDashboardPasswordBytes));
    if (!utf8::is_valid(password)) throw Error("the password is not UTF-8 text; type it again");
    std::size_t characters = 0;
    for (unsigned char c : password) characters += (c & 0xC0) != 0x80;
    if (characters < kMinDashboardPasswordChars)
        throw Error(fmt::format("the password has {} characters; use at least {}", characters,
                                kMinDashboardPasswordChars));
    if (sodium_init() < 0) throw Error("libsodium failed to initialise");
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, password.data(), password.size(),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        throw Error("not enough memory to hash the password (argon2id needs 64 MiB)");
    store.add_dashboard_user(name, hash);
}

}  // namespace seba::server

namespace seba::server::detail {

namespace {

// A form body (application/x-www-form-urlencoded) as name -> value; the first of a name wins.
std::map<std::string, std::string> form_fields(std::string_view body) {
    auto decode = [](std::string_view text) {
        std::string out;
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            if (c == '+') {
                out += ' ';
            } else if (c == '%' && i + 2 < text.size() &&
                       std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
                       std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
                out +=
                    static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
                i += 2;
            } else {
                out += c;
            }
        }
        return out;
    };
    std::map<std::string, std::string> fields;
    std::size_t count = 0;
    while (!body.empty() && count++ < 32) {
        const std::size_t amp = body.find('&');
        std::string_view pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
        const std::size_t eq = pair.find('=');
        if (eq == std::string_view::npos) continue;
        fields.emplace(decode(pair.substr(0, eq)), decode(pair.substr(eq + 1)));
    }
    return fields;
}

// One cookie's value from the Cookie header, or "".
std::string cookie_value(const httplib::Request& req, std::string_view name) {
    const std::string header = req.get_header_value("Cookie");
    std::string_view rest = header;
    while (!rest.empty()) {
        const std::size_t semicolon = rest.find(';');
        std::string_view item = rest.substr(0, semicolon);
        rest =
            semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        if (item.size() > name.size() && item.starts_with(name) && item[name.size()] == '=')
            return std::string(item.substr(name.size() + 1, 128));
    }
    return {};
}

// What every dashboard answer carries: no script, no framing, no caching, no referrer.
void secure_headers(httplib::Response& res) {
    res.set_header("Content-Security-Policy", dashboard_policy());
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Cache-Control", "no-store");
}

void api_error(httplib::Response& res, int status, std::string_view error,
               std::string_view message) {
    secure_headers(res);
    res.status = status;
    res.set_content(nlohmann::json{{"error", error}, {"message", message}}.dump(),
                    "application/json");
}

std::string language_of(const httplib::Request& req) {
    return page_language(req.get_param_value("lang"), req.get_header_value("Accept-Language"));
}

// The filter of a request, and what is wrong with it ("" when nothing).
std::pair<DashboardView, std::string> read_filter(const httplib::Request& req) {
    DashboardView view;
    view.language = language_of(req);
    std::string problem;
    const std::string level = req.get_param_value("level");
    if (!level.empty()) {
        if (std::optional<EvidenceLevel> parsed = parse_evidence_level(level))
            view.level = *parsed;
        else
            problem =
                fmt::format("\"{}\" is not a level: choose country, region, district or centre",
                            level.substr(0, 64));
    }
    auto param = [&](const char* name) { return req.get_param_value(name).substr(0, 256); };
    view.filter = {param("from"),     param("to"),     param("region"),
                   param("district"), param("centre"), param("service")};
    if (problem.empty()) problem = check(view.filter);
    return {std::move(view), problem};
}

void redirect(httplib::Response& res, const std::string& to) {
    secure_headers(res);
    res.status = 303;
    res.set_header("Location", to);
}

}  // namespace

Dashboard::Dashboard(Store& store, bool secure_cookies, std::span<const std::uint8_t> shared_secret)
    : store_(store), secure_cookies_(secure_cookies) {
    if (sodium_init() < 0) throw Error("libsodium failed to initialise");
    if (shared_secret.empty()) {
        randombytes_buf(form_key_.data(), form_key_.size());
        return;
    }
    // Several backends behind one front: the login form may come from one and its POST go to
    // another, so each derives the same form key (a keyed hash with its own purpose, which
    // says nothing about the secret).
    static constexpr std::string_view kPurpose = "seba dashboard pre-login form key v1";
    crypto_generichash(
        form_key_.data(), form_key_.size(), reinterpret_cast<const unsigned char*>(kPurpose.data()),
        kPurpose.size(), shared_secret.data(),
        std::min<std::size_t>(shared_secret.size(), crypto_generichash_KEYBYTES_MAX));
}

std::string Dashboard::cookie(std::string_view name, std::string_view value, int max_age_s) const {
    return fmt::format("{}={}; Path=/dashboard; Max-Age={}; HttpOnly; SameSite=Strict{}", name,
                       value, max_age_s, secure_cookies_ ? "; Secure" : "");
}

std::string Dashboard::prelogin_csrf(std::string_view prelogin) const {
    unsigned char mac[crypto_auth_BYTES];
    crypto_auth(mac, reinterpret_cast<const unsigned char*>(prelogin.data()), prelogin.size(),
                form_key_.data());
    return hex(mac, sizeof mac);
}

void Dashboard::show_login(httplib::Response& res, std::string_view language, int status,
                           std::string_view message, std::string prelogin) {
    // A fresh pre-login cookie unless the caller keeps the one the browser has.
    if (prelogin.empty()) {
        prelogin = random_token();
        res.set_header("Set-Cookie", cookie(kPreloginCookie, prelogin, 3600));
    }
    secure_headers(res);
    res.status = status;
    res.set_header("Content-Language", std::string(language));
    res.set_content(login_page(language, prelogin_csrf(prelogin), message),
                    "text/html; charset=utf-8");
}

void Dashboard::login_form(const httplib::Request& req, httplib::Response& res) {
    show_login(res, language_of(req), 200, {});
}

void Dashboard::login(const httplib::Request& req, httplib::Response& res,
                      const std::string& address) {
    std::map<std::string, std::string> form = form_fields(req.body);
    const std::string language =
        page_language(form["lang"], req.get_header_value("Accept-Language"));
    // The form must come from a page this server gave this browser.
    const std::string prelogin = cookie_value(req, kPreloginCookie);
    if (prelogin.empty() || !same(form["csrf"], prelogin_csrf(prelogin)))
        return show_login(res, language, 403, login_message(language, LoginMessage::FormExpired));

    const std::string& user = form["user"];
    const std::string& password = form["password"];
    const std::string counted_user = valid_user_name(user) ? user : std::string();
    const Clock::time_point now = Clock::now();
    // Past the limit no password is even checked: a right one waits like a wrong one.
    const auto [by_address, by_user] =
        store_.login_failures(address, counted_user, now - kLoginFailureWindow);
    const LoginFailures* limit = by_address.count >= kLoginFailuresAllowed ? &by_address
                                 : by_user.count >= kLoginFailuresAllowed  ? &by_user
                                                                           : nullptr;
    if (limit) {
        const auto wait =
            std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::seconds>(
                                          limit->oldest + kLoginFailureWindow - now)
                                          .count());
        res.set_header("Retry-After", std::to_string(wait));
        return show_login(res, language, 429,
                          login_message(language, LoginMessage::TooMany, (wait + 59) / 60),
                          prelogin);
    }

    // The same work whether the user exists or not: an unknown one is checked against a
    // hash of a random password, so the answer and its time say nothing about the name.
    static const std::string dummy = [] {
        const std::string random = random_token();
        char hash[crypto_pwhash_STRBYTES];
        if (crypto_pwhash_str(hash, random.data(), random.size(),
                              crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            throw Error("not enough memory to hash a password (argon2id needs 64 MiB)");
        return std::string(hash);
    }();
    std::optional<std::string> hash;
    if (!counted_user.empty()) hash = store_.dashboard_password_hash(counted_user);
    hashing_.acquire();
    const bool verified =
        crypto_pwhash_str_verify(hash ? hash->c_str() : dummy.c_str(), password.data(),
                                 std::min(password.size(), kMaxDashboardPasswordBytes)) == 0;
    hashing_.release();
    const bool right = verified && hash && password.size() <= kMaxDashboardPasswordBytes;
    if (!right) {
        store_.add_login_failure(address, counted_user, now);
        return show_login(res, language, 401, login_message(language, LoginMessage::Wrong),
                          prelogin);
    }

    // A new token at each sign-in: a token set before it (fixation) is worth nothing.
    const std::string token = random_token();
    store_.add_dashboard_session(
        token_hash(token), DashboardSession{user, random_token(), now + kSessionLifetime}, now);
    logging::get("server")->info("dashboard: {} signed in", user);
    res.set_header("Set-Cookie",
                   cookie(kSessionCookie, token,
                          static_cast<int>(std::chrono::seconds(kSessionLifetime).count())));
    res.set_header("Set-Cookie", cookie(kPreloginCookie, "", 0));
    redirect(res, "/dashboard?lang=" + language);
}

void Dashboard::logout(const httplib::Request& req, httplib::Response& res) {
    const std::string token = cookie_value(req, kSessionCookie);
    const std::string language = language_of(req);
    std::optional<DashboardSession> session;
    if (!token.empty()) session = store_.dashboard_session(token_hash(token), Clock::now());
    if (!session) return redirect(res, "/dashboard/login?lang=" + language);
    std::map<std::string, std::string> form = form_fields(req.body);
    if (!same(form["csrf"], session->csrf))
        return api_error(res, 403, "bad_csrf",
                         "this form did not come from your dashboard page; reload it and "
                         "sign out again");
    store_.end_dashboard_session(token_hash(token));
    res.set_header("Set-Cookie", cookie(kSessionCookie, "", 0));
    redirect(res, "/dashboard/login?lang=" + language);
}

namespace {

// The session of a request, or nullopt.
std::optional<DashboardSession> session_of(Store& store, const httplib::Request& req) {
    const std::string token = cookie_value(req, kSessionCookie);
    if (token.empty()) return std::nullopt;
    return store.dashboard_session(token_hash(token), Clock::now());
}

}  // namespace

void Dashboard::page(const httplib::Request& req, httplib::Response& res) {
    std::optional<DashboardSession> session = session_of(store_, req);
    auto [view, problem] = read_filter(req);
    if (!session) return redirect(res, "/dashboard/login?lang=" + view.language);
    view.user = session->user;
    view.csrf = session->csrf;
    secure_headers(res);
    res.set_header("Content-Language", view.language);
    std::optional<Evidence> evidence;
    if (problem.empty()) {
        try {
            evidence = store_.evidence(view.level, view.filter);
        } catch (const Error& e) {
            view.failure = e.what();
            res.status = 503;
        }
    } else {
        res.status = 400;
    }
    view.problem = problem;
    res.set_content(dashboard_page(view, evidence), "text/html; charset=utf-8");
}

void Dashboard::report(const httplib::Request& req, httplib::Response& res) {
    std::optional<DashboardSession> session = session_of(store_, req);
    auto [view, problem] = read_filter(req);
    if (!session) return redirect(res, "/dashboard/login?lang=" + view.language);
    view.user = session->user;
    view.csrf = session->csrf;
    secure_headers(res);
    res.set_header("Content-Language", view.language);
    if (problem.empty()) {
        try {
            res.set_content(report_page(view, store_.evidence(view.level, view.filter)),
                            "text/html; charset=utf-8");
            return;
        } catch (const Error& e) {
            view.failure = e.what();
            res.status = 503;
        }
    } else {
        res.status = 400;
    }
    view.problem = problem;
    res.set_content(dashboard_page(view, std::nullopt), "text/html; charset=utf-8");
}

std::optional<Evidence> Dashboard::api_evidence(const httplib::Request& req, httplib::Response& res,
                                                DashboardView& view) {
    if (!session_of(store_, req)) {
        api_error(res, 401, "not_signed_in", "sign in at /dashboard/login first");
        return std::nullopt;
    }
    std::string problem;
    std::tie(view, problem) = read_filter(req);
    if (!problem.empty()) {
        api_error(res, 400, "bad_filter", problem);
        return std::nullopt;
    }
    try {
        Evidence evidence = store_.evidence(view.level, view.filter);
        secure_headers(res);
        return evidence;
    } catch (const Error& e) {
        api_error(res, 503, "not_available", e.what());
        return std::nullopt;
    }
}

void Dashboard::evidence_json(const httplib::Request& req, httplib::Response& res) {
    DashboardView view;
    if (std::optional<Evidence> evidence = api_evidence(req, res, view))
        res.set_content(seba::server::evidence_json(*evidence), "application/json");
}

void Dashboard::evidence_csv(const httplib::Request& req, httplib::Response& res) {
    DashboardView view;
    std::optional<Evidence> evidence = api_evidence(req, res, view);
    if (!evidence) return;
    // Only checked words go into the file name: a level and YYYY-MM months.
    std::string name = fmt::format("seba-evidence-{}", to_string(view.level));
    if (!view.filter.from_month.empty()) name += "-from-" + view.filter.from_month;
    if (!view.filter.to_month.empty()) name += "-to-" + view.filter.to_month;
    res.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}.csv\"", name));
    res.set_content(seba::server::evidence_csv(*evidence), "text/csv; charset=utf-8");
}

}  // namespace seba::server::detail

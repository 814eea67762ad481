// SPDX-License-Identifier: Apache-2.0
// The pilot's dashboard (docs/civil-service.md, "The dashboard"): the real seba-server on
// loopback behind its sign-in (argon2id passwords, CSRF tokens, sessions by cookie, failures
// limited in the store), and the pages drawn from hand-built evidence, checked as text and
// seen in a real headless chromium.
#include "seba/server/dashboard.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <sodium.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <regex>

#include "../src/dashboard_page.hpp"
#include "browser.hpp"
#include "server_fixture.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

namespace seba::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kPassword = "correct horse battery";

// One browser's cookies, as a form and a session leave them.
struct Browser {
    Browser() = default;
    explicit Browser(std::string from) : address(std::move(from)) {}
    std::string prelogin;
    std::string csrf;
    std::string session;
    std::string address;  // X-Forwarded-For, as the front would send it

    httplib::Headers headers() const {
        httplib::Headers h;
        std::string cookies;
        if (!prelogin.empty()) cookies += "seba_prelogin=" + prelogin;
        if (!session.empty())
            cookies += std::string(cookies.empty() ? "" : "; ") + "seba_session=" + session;
        if (!cookies.empty()) h.emplace("Cookie", cookies);
        if (!address.empty()) h.emplace("X-Forwarded-For", address);
        return h;
    }
};

// The value a Set-Cookie header of the response gives `name`, or nullopt.
std::optional<std::string> set_cookie(const httplib::Response& res, const std::string& name) {
    for (const auto& [header, value] : res.headers)
        if (header == "Set-Cookie" && value.starts_with(name + "="))
            return value.substr(name.size() + 1, value.find(';') - name.size() - 1);
    return std::nullopt;
}

std::string set_cookie_line(const httplib::Response& res, const std::string& name) {
    for (const auto& [header, value] : res.headers)
        if (header == "Set-Cookie" && value.starts_with(name + "=")) return value;
    return {};
}

std::string form_csrf(const std::string& html) {
    std::smatch m;
    static const std::regex kCsrf(R"re(name="csrf" value="([0-9a-f]+)")re");
    return std::regex_search(html, m, kCsrf) ? m[1].str() : std::string();
}

std::string form_body(const std::map<std::string, std::string>& fields) {
    std::string body;
    for (const auto& [name, value] : fields) {
        if (!body.empty()) body += '&';
        body += name + '=';
        for (unsigned char c : value)
            body +=
                std::isalnum(c) ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
    }
    return body;
}

class DashboardTest : public ::testing::Test {
  protected:
    void SetUp() override { create_dashboard_user(*store_, "pilot", kPassword); }

    httplib::Client http() const {
        httplib::Client c("127.0.0.1", server_->port());
        c.set_read_timeout(30, 0);
        return c;
    }

    // GET /dashboard/login: the pre-login cookie and the form's token.
    Browser open_form(Browser b = {}) {
        httplib::Result r = http().Get("/dashboard/login", b.headers());
        EXPECT_TRUE(r);
        EXPECT_EQ(r->status, 200);
        b.prelogin = set_cookie(*r, "seba_prelogin").value_or("");
        b.csrf = form_csrf(r->body);
        EXPECT_FALSE(b.prelogin.empty());
        EXPECT_FALSE(b.csrf.empty());
        return b;
    }

    httplib::Result sign_in(const Browser& b, const std::string& user,
                            const std::string& password) {
        return http().Post(
            "/dashboard/login", b.headers(),
            form_body({{"user", user}, {"password", password}, {"csrf", b.csrf}, {"lang", "en"}}),
            "application/x-www-form-urlencoded");
    }

    // A browser signed in as pilot.
    Browser signed_in() {
        Browser b = open_form();
        httplib::Result r = sign_in(b, "pilot", kPassword);
        EXPECT_TRUE(r);
        EXPECT_EQ(r->status, 303);
        b.session = set_cookie(*r, "seba_session").value_or("");
        EXPECT_FALSE(b.session.empty());
        b.prelogin.clear();
        // The page's own token, for its sign-out form.
        httplib::Result page = http().Get("/dashboard?from=2099-01", b.headers());
        b.csrf = form_csrf(page->body);
        return b;
    }

    seba::testing::TempDir dir_;
    std::unique_ptr<Store> store_ = seba::testing::open_test_store(dir_.path());
    std::unique_ptr<RunningServer> server_ = std::make_unique<RunningServer>(*store_);
};

// [SECTION] sign-in

TEST_F(DashboardTest, EveryPageNeedsASession) {
    for (const char* page : {"/dashboard", "/dashboard/report", "/dashboard?level=centre"}) {
        httplib::Result r = http().Get(page);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 303) << page;
        EXPECT_THAT(r->get_header_value("Location"), StartsWith("/dashboard/login")) << page;
    }
    Browser stranger;
    stranger.session = std::string(64, 'a');  // a token no one was given
    for (const char* api : {"/dashboard/evidence.json", "/dashboard/evidence.csv"}) {
        for (const Browser& b : {Browser{}, stranger}) {
            httplib::Result r = http().Get(api, b.headers());
            ASSERT_TRUE(r);
            EXPECT_EQ(r->status, 401) << api;
            EXPECT_THAT(r->body, HasSubstr("sign in")) << api;
        }
    }
    EXPECT_EQ(http().Get("/dashboard", stranger.headers())->status, 303);
}

TEST_F(DashboardTest, AWrongPasswordIsRefusedAndTheSixthTryWaits) {
    Browser b = open_form();
    std::string first_message;
    for (int i = 0; i < 5; ++i) {
        // An unknown user and a wrong password read alike, and take the same work.
        const bool unknown = i % 2 == 1;
        const auto start = std::chrono::steady_clock::now();
        httplib::Result r =
            sign_in(b, unknown ? "nobody" : "pilot", "wrong password " + std::to_string(i));
        const auto took = std::chrono::steady_clock::now() - start;
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 401) << i;
        EXPECT_FALSE(set_cookie(*r, "seba_session")) << i;
        EXPECT_THAT(r->body, HasSubstr("The user name or the password is wrong."));
        EXPECT_GT(took, std::chrono::milliseconds(30))
            << "argon2id ran for " << (unknown ? "an unknown user" : "pilot");
        std::smatch m;
        std::regex_search(r->body, m, std::regex("<p class=\"problem\"[^>]*>([^<]*)</p>"));
        if (i == 0) first_message = m[1];
        EXPECT_EQ(m[1], first_message);
    }
    httplib::Result sixth = sign_in(b, "pilot", "wrong again");
    ASSERT_TRUE(sixth);
    EXPECT_EQ(sixth->status, 429);
    const int wait = std::stoi(sixth->get_header_value("Retry-After"));
    EXPECT_GE(wait, 1);
    EXPECT_LE(wait, 15 * 60);
    EXPECT_THAT(sixth->body, HasSubstr("Too many failed sign-ins"));

    // The right password waits too.
    httplib::Result right = sign_in(b, "pilot", kPassword);
    EXPECT_EQ(right->status, 429);
    EXPECT_FALSE(set_cookie(*right, "seba_session"));
    // pilot failed three times from that address; two more from another make five for the
    // user, and then the right password waits from any address.
    Browser elsewhere = open_form(Browser("203.0.113.9"));
    EXPECT_EQ(sign_in(elsewhere, "pilot", "wrong 6")->status, 401);
    EXPECT_EQ(sign_in(elsewhere, "pilot", "wrong 7")->status, 401);
    Browser third = open_form(Browser("203.0.113.10"));
    EXPECT_EQ(sign_in(third, "pilot", kPassword)->status, 429);

    // The count is in the database: a restarted server still makes them wait.
    server_.reset();
    server_ = std::make_unique<RunningServer>(*store_);
    Browser after_restart = open_form();
    EXPECT_EQ(sign_in(after_restart, "pilot", kPassword)->status, 429);
}

TEST_F(DashboardTest, FailuresFromOneAddressStopThatAddress) {
    create_dashboard_user(*store_, "ministry", "another good password");
    Browser guesser = open_form(Browser("198.51.100.7"));
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(sign_in(guesser, "guess" + std::to_string(i), "password123456")->status, 401);
    EXPECT_EQ(sign_in(guesser, "ministry", "another good password")->status, 429);
    // Others are not held up by it.
    Browser colleague = open_form(Browser("198.51.100.8"));
    EXPECT_EQ(sign_in(colleague, "ministry", "another good password")->status, 303);
}

TEST_F(DashboardTest, ASignInWithoutItsFormTokenIsRefused) {
    Browser b = open_form();
    Browser no_cookie = b;
    no_cookie.prelogin.clear();
    Browser wrong_token = b;
    wrong_token.csrf = std::string(64, '0');
    Browser no_token = b;
    no_token.csrf.clear();
    Browser other = open_form();  // another browser's token with this one's cookie
    Browser swapped = b;
    swapped.csrf = other.csrf;
    for (const Browser& bad : {no_cookie, wrong_token, no_token, swapped}) {
        httplib::Result r = sign_in(bad, "pilot", kPassword);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 403);
        EXPECT_FALSE(set_cookie(*r, "seba_session"));
        EXPECT_THAT(r->body, HasSubstr("This form has expired"));
    }
    EXPECT_EQ(sign_in(b, "pilot", kPassword)->status, 303);
}

TEST_F(DashboardTest, TheSessionCookieIsNewHttpOnlyStrictAndScoped) {
    Browser b = open_form();
    b.session = "planted-by-someone-else";
    httplib::Result r = sign_in(b, "pilot", kPassword);
    ASSERT_EQ(r->status, 303);
    EXPECT_THAT(r->get_header_value("Location"), StartsWith("/dashboard"));
    const std::string line = set_cookie_line(*r, "seba_session");
    EXPECT_THAT(line, HasSubstr("; HttpOnly"));
    EXPECT_THAT(line, HasSubstr("; SameSite=Strict"));
    EXPECT_THAT(line, HasSubstr("; Path=/dashboard"));
    EXPECT_THAT(line, HasSubstr("; Max-Age=28800"));
    EXPECT_THAT(line, Not(HasSubstr("Secure")));  // plain HTTP on loopback here
    const std::string token = *set_cookie(*r, "seba_session");
    EXPECT_NE(token, "planted-by-someone-else");
    EXPECT_EQ(token.size(), 64u);
    // Another sign-in gets another token.
    Browser again = open_form();
    EXPECT_NE(set_cookie(*sign_in(again, "pilot", kPassword), "seba_session"), token);

    // Reached through TLS, the cookies are for HTTPS only.
    ServerOptions tls;
    tls.dashboard_secure_cookies = true;
    RunningServer secure(*store_, tls);
    httplib::Client c("127.0.0.1", secure.port());
    httplib::Result form = c.Get("/dashboard/login");
    EXPECT_THAT(set_cookie_line(*form, "seba_prelogin"), HasSubstr("; Secure"));
    Browser s;
    s.prelogin = *set_cookie(*form, "seba_prelogin");
    s.csrf = form_csrf(form->body);
    httplib::Result in =
        c.Post("/dashboard/login", s.headers(),
               form_body({{"user", "pilot"}, {"password", kPassword}, {"csrf", s.csrf}}),
               "application/x-www-form-urlencoded");
    EXPECT_THAT(set_cookie_line(*in, "seba_session"), HasSubstr("; Secure"));
}

TEST_F(DashboardTest, SignOutNeedsTheTokenAndEndsTheSession) {
    Browser b = signed_in();
    ASSERT_FALSE(b.csrf.empty());
    // Signed in: the page, and the API (a bad filter answers 400, not 401).
    httplib::Result page = http().Get("/dashboard", b.headers());
    EXPECT_NE(page->status, 303);
    EXPECT_THAT(page->body, HasSubstr("action=\"/dashboard/logout\""));
    EXPECT_THAT(page->body, HasSubstr("<b>pilot</b>"));
    EXPECT_EQ(http().Get("/dashboard/evidence.json?from=x", b.headers())->status, 400);

    for (const std::string& token : {std::string(), std::string(64, 'f')}) {
        httplib::Result r =
            http().Post("/dashboard/logout", b.headers(), form_body({{"csrf", token}}),
                        "application/x-www-form-urlencoded");
        EXPECT_EQ(r->status, 403);
    }
    EXPECT_EQ(http().Get("/dashboard/evidence.json?from=x", b.headers())->status, 400);

    httplib::Result out =
        http().Post("/dashboard/logout", b.headers(), form_body({{"csrf", b.csrf}}),
                    "application/x-www-form-urlencoded");
    EXPECT_EQ(out->status, 303);
    EXPECT_THAT(set_cookie_line(*out, "seba_session"), HasSubstr("Max-Age=0"));
    EXPECT_EQ(http().Get("/dashboard", b.headers())->status, 303);
    EXPECT_EQ(http().Get("/dashboard/evidence.json", b.headers())->status, 401);
    EXPECT_EQ(http().Get("/dashboard/evidence.csv", b.headers())->status, 401);
}

TEST_F(DashboardTest, ARemovedUserIsSignedOut) {
    Browser b = signed_in();
    EXPECT_TRUE(store_->remove_dashboard_user("pilot"));
    EXPECT_EQ(http().Get("/dashboard", b.headers())->status, 303);
    EXPECT_FALSE(store_->remove_dashboard_user("pilot"));
}

TEST_F(DashboardTest, AccountsNeedGoodNamesAndPasswords) {
    EXPECT_THROW(create_dashboard_user(*store_, "pilot", "a fine long password"), Error);
    EXPECT_THROW(create_dashboard_user(*store_, "Pilot Two", "a fine long password"), Error);
    EXPECT_THROW(create_dashboard_user(*store_, "", "a fine long password"), Error);
    try {
        create_dashboard_user(*store_, "short", "elevenchars");
        ADD_FAILURE();
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("at least 12"));
    }
    // Twelve Bangla characters are twelve characters, though more bytes.
    create_dashboard_user(*store_, "bangla", "পাসওয়ার্ডটিআছে");
    std::vector<DashboardUser> users = store_->dashboard_users();
    ASSERT_EQ(users.size(), 2u);
    EXPECT_EQ(users[0].name, "bangla");
    EXPECT_EQ(users[1].name, "pilot");
    // Only an argon2id hash is kept.
    const std::optional<std::string> hash = store_->dashboard_password_hash("pilot");
    ASSERT_TRUE(hash);
    EXPECT_THAT(*hash, StartsWith("$argon2id$"));
    EXPECT_THAT(*hash, Not(HasSubstr(kPassword)));
}

TEST_F(DashboardTest, TheAdminCliAddsListsAndRemovesUsersFromStdin) {
    const std::filesystem::path config = dir_ / "server.toml";
    std::ofstream(config) << "[server]\ndatabase = \"cli.db\"\nlog_dir = \"logs\"\n";
    const std::string cli =
        fmt::format("'{}' -c '{}' admin dashboard-user ", SEBA_SERVER_BIN, config.string());
    auto run = [&](const std::string& command) {
        std::string out;
        FILE* p = ::popen((command + " 2>&1").c_str(), "r");
        char buffer[512];
        while (std::fgets(buffer, sizeof buffer, p)) out += buffer;
        const int status = ::pclose(p);
        return std::pair{WEXITSTATUS(status), out};
    };
    auto [short_rc, short_out] = run("printf 'too short\\n' | " + cli + "add minister");
    EXPECT_EQ(short_rc, 2);
    EXPECT_THAT(short_out, HasSubstr("at least 12"));
    auto [add_rc, add_out] = run("printf 'a long enough password\\n' | " + cli + "add minister");
    EXPECT_EQ(add_rc, 0) << add_out;
    EXPECT_THAT(add_out, Not(HasSubstr("a long enough password")));
    auto [list_rc, list_out] = run(cli + "list");
    EXPECT_THAT(list_out, HasSubstr("minister"));
    auto [remove_rc, remove_out] = run(cli + "remove minister");
    EXPECT_EQ(remove_rc, 0) << remove_out;
    EXPECT_EQ(run(cli + "remove minister").first, 2);
    std::unique_ptr<Store> cli_store = open_sqlite_store(dir_ / "cli.db");
    EXPECT_TRUE(cli_store->dashboard_users().empty());
    std::string audit;
    for (const AuditEntry& a : cli_store->audit_log()) audit += a.action + " " + a.detail + "\n";
    EXPECT_THAT(audit, HasSubstr("dashboard_user.added minister"));
    EXPECT_THAT(audit, HasSubstr("dashboard_user.removed minister"));
    EXPECT_THAT(audit, Not(HasSubstr("password")));
}

// [SECTION] filters, headers, escaping

TEST_F(DashboardTest, BadFiltersAreRefusedWithTheirReason) {
    Browser b = signed_in();
    struct Case {
        const char* query;
        const char* message;
    };
    for (const Case& c : {Case{"from=2026-13", "is not a month"},
                          Case{"from=2026-12&to=2026-01", "the wrong way round"},
                          Case{"level=planet", "is not a level"},
                          Case{"region=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "up to 64 letters"},
                          Case{"service=ab%22onmouseover%3D", "up to 64 letters"}}) {
        for (const char* path : {"/dashboard", "/dashboard/report"}) {
            httplib::Result r = http().Get(std::string(path) + "?" + c.query, b.headers());
            ASSERT_TRUE(r);
            EXPECT_EQ(r->status, 400) << path << "?" << c.query;
            EXPECT_THAT(r->body, HasSubstr("id=\"problem\"")) << c.query;
            EXPECT_THAT(r->body, HasSubstr(c.message)) << c.query;
            EXPECT_THAT(r->body, Not(HasSubstr("<script>alert"))) << c.query;
            EXPECT_THAT(r->body, Not(HasSubstr("ab\"onmouseover"))) << c.query;
        }
        httplib::Result api =
            http().Get(std::string("/dashboard/evidence.json?") + c.query, b.headers());
        EXPECT_EQ(api->status, 400) << c.query;
        EXPECT_THAT(api->body, HasSubstr(c.message));
        EXPECT_EQ(
            http().Get(std::string("/dashboard/evidence.csv?") + c.query, b.headers())->status,
            400);
    }
}

TEST_F(DashboardTest, PagesSendTheirSecurityHeadersAndAllowOnlyTheirStyle) {
    Browser b = signed_in();
    for (const char* path : {"/dashboard/login", "/dashboard", "/dashboard?from=2026-13"}) {
        httplib::Result r = http().Get(path, b.headers());
        ASSERT_TRUE(r);
        const std::string policy = r->get_header_value("Content-Security-Policy");
        EXPECT_THAT(policy, HasSubstr("default-src 'none'"));
        EXPECT_THAT(policy, HasSubstr("frame-ancestors 'none'"));
        EXPECT_THAT(policy, HasSubstr("form-action 'self'"));
        EXPECT_THAT(policy, HasSubstr("base-uri 'none'"));
        EXPECT_THAT(policy, HasSubstr("img-src 'self' data:"));
        EXPECT_THAT(policy, Not(HasSubstr("unsafe-inline")));
        EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
        EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
        EXPECT_EQ(r->get_header_value("Referrer-Policy"), "no-referrer");
        EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY");
        // The one <style> is the one the policy's hash allows; no script, no style attribute.
        std::smatch m;
        ASSERT_TRUE(std::regex_search(r->body, m, std::regex("<style>([^<]*)</style>")));
        const std::string style = m[1];
        unsigned char digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(style.data()),
                           style.size());
        char base64[64];
        sodium_bin2base64(base64, sizeof base64, digest, sizeof digest,
                          sodium_base64_VARIANT_ORIGINAL);
        EXPECT_THAT(policy, HasSubstr(fmt::format("style-src 'sha256-{}'", base64)));
        EXPECT_THAT(r->body, Not(HasSubstr("<script")));
        EXPECT_THAT(r->body, Not(HasSubstr(" style=")));
    }
}

TEST_F(DashboardTest, AFormBodyOver4KiBIsRefused) {
    Browser b = open_form();
    httplib::Result r = http().Post(
        "/dashboard/login", b.headers(),
        form_body({{"user", "pilot"}, {"password", std::string(5000, 'x')}, {"csrf", b.csrf}}),
        "application/x-www-form-urlencoded");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
}

// [SECTION] the pages, drawn from hand-built evidence

Evidence sample_evidence(EvidenceLevel level = EvidenceLevel::Centre) {
    Evidence e;
    e.level = level;
    e.computed_at = "2026-12-03T08:00:00.000Z";
    Baseline birth{"birth_registration", 420, 350, 3, "BDT", "a2i TCV study, 2019 (demo)", true};
    auto row = [&](std::string month, std::string area, std::int64_t requests, double centre,
                   std::int64_t surveys) {
        EvidenceRow r;
        r.month = std::move(month);
        r.area = std::move(area);
        r.service = "birth_registration";
        r.requests = requests;
        r.median_centre_minutes = centre;
        r.p90_centre_minutes = centre * 2;
        r.surveys = surveys;
        r.baseline = birth;
        if (surveys >= kMinAnswersShown) {
            r.median_minutes = 95.5;
            r.median_cost = 140;
            r.median_visits = 1;
            r.saved_minutes = 324.5;
            r.saved_cost = 210;
            r.saved_visits = 2;
            r.paid_extra = 1;
            r.ratings = {0, 0, 1, 3, 4};
            r.mean_rating = 4.375;
        }
        return r;
    };
    e.rows.push_back(row("2026-11", "dhaka-1", 1234, 7.5, 8));
    e.rows.push_back(row("2026-11", "<script>alert('centre')</script>", 40, 9, 3));
    e.rows.push_back(row("2026-12", "dhaka-1", 987, 6.5, 12));
    // A few answers, with figures the store would not send: never shown all the same.
    EvidenceRow few = row("2026-12", "tashkent-1", 30, 12, 2);
    few.service = "land_record";
    few.baseline.reset();
    few.median_minutes = 777.7;
    few.median_cost = 8888;
    few.mean_rating = 1.5;
    e.rows.push_back(few);
    e.grievances.push_back({"2026-11", "dhaka-1", "delay", 3, 1});
    return e;
}

detail::DashboardView sample_view(std::string language = "en") {
    detail::DashboardView view;
    view.language = std::move(language);
    view.user = "pilot";
    view.csrf = std::string(64, 'c');
    view.level = EvidenceLevel::Centre;
    return view;
}

TEST(DashboardPage, ShowsTheFiguresAsTablesAndCharts) {
    const std::string html = detail::dashboard_page(sample_view(), sample_evidence());
    EXPECT_THAT(html, HasSubstr("id=\"trend-chart\""));
    EXPECT_THAT(html, HasSubstr("id=\"savings-time\""));
    EXPECT_THAT(html, HasSubstr("<svg"));
    // Services delivered: per row, and November's sum in the chart.
    EXPECT_THAT(html, HasSubstr("<td class=\"n\">1,234</td>"));
    EXPECT_THAT(html, HasSubstr(">1,274</text>"));
    EXPECT_THAT(html, HasSubstr("<td class=\"n\">7.5</td><td class=\"n\">15</td>"));
    // Reported figures and savings where enough answered.
    EXPECT_THAT(html, HasSubstr("<td class=\"n\">95.5</td>"));
    EXPECT_THAT(html, HasSubstr("<td class=\"n\">324.5</td>"));
    EXPECT_THAT(html, HasSubstr("<td class=\"n\">4.4</td>"));  // mean rating
    // Baseline against now in the savings chart: 420 minutes before, 95.5 now.
    EXPECT_THAT(html, HasSubstr(">420</text>"));
    EXPECT_THAT(html, HasSubstr(">95.5</text>"));
    EXPECT_THAT(html, HasSubstr("illustrative baseline"));
    EXPECT_THAT(html, HasSubstr("a2i TCV study, 2019 (demo)"));
    EXPECT_THAT(html, HasSubstr("Nov 2026"));
    // Grievances.
    EXPECT_THAT(html, HasSubstr("<td>delay</td><td class=\"n\">3</td><td class=\"n\">1</td>"));
}

TEST(DashboardPage, NeverShowsFiguresFromFewerThanFiveAnswers) {
    const std::string html = detail::dashboard_page(sample_view(), sample_evidence());
    EXPECT_THAT(html, HasSubstr("fewer than 5 answers"));
    EXPECT_THAT(html, Not(HasSubstr("777.7")));
    EXPECT_THAT(html, Not(HasSubstr("8,888")));
    EXPECT_THAT(html, Not(HasSubstr(">1.5<")));
    // land_record has no figure to chart: said so, not drawn.
    std::smatch m;
    ASSERT_TRUE(std::regex_search(html, m, std::regex("id=\"savings-time\".*?</svg>")));
    EXPECT_THAT(m.str(), HasSubstr("land_record"));
    EXPECT_THAT(m.str(), HasSubstr("fewer than 5 answers"));
}

TEST(DashboardPage, EscapesWhatItDidNotWrite) {
    const std::string html = detail::dashboard_page(sample_view(), sample_evidence());
    EXPECT_THAT(html, Not(HasSubstr("<script")));
    EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&#39;centre&#39;)&lt;/script&gt;"));
    detail::DashboardView view = sample_view();
    view.user = "<b>x";
    view.filter.region = "\"><script>x</script>";
    view.problem = "<img src=x onerror=alert(1)>";
    const std::string refused = detail::dashboard_page(view, std::nullopt);
    EXPECT_THAT(refused, Not(HasSubstr("<script")));
    EXPECT_THAT(refused, Not(HasSubstr("<img")));
    EXPECT_THAT(refused, Not(HasSubstr("<b>x")));
    EXPECT_THAT(refused, HasSubstr("&lt;img src=x onerror=alert(1)&gt;"));
}

TEST(DashboardPage, WritesNumbersAndWordsInThePagesLanguage) {
    const std::string bn = detail::dashboard_page(sample_view("bn"), sample_evidence());
    EXPECT_THAT(bn, HasSubstr("lang=\"bn\""));
    EXPECT_THAT(bn, HasSubstr("প্রদত্ত সেবা"));
    EXPECT_THAT(bn, HasSubstr("১,২৩৪"));  // 1,234 in Bangla digits
    EXPECT_THAT(bn, HasSubstr("৯৫.৫"));   // 95.5
    EXPECT_THAT(bn, HasSubstr("৫টির কম উত্তর"));
    EXPECT_THAT(bn, Not(HasSubstr(">1,234<")));
    EXPECT_EQ(detail::format_number(1234.56, "bn"), "১,২৩৪.৬");
    EXPECT_EQ(detail::format_number(1234.56, "en"), "1,234.6");
    EXPECT_EQ(detail::format_number(1234.5, "ru"), "1\u00a0234,5");  // a no-break space
    EXPECT_THAT(detail::format_month("2026-11", "ru"), HasSubstr("2026"));
    EXPECT_THAT(detail::format_month("2026-11", "bn"), HasSubstr("২০২৬"));
    EXPECT_EQ(detail::format_month("<b>", "en"), "<b>");
    for (const char* language : {"uz-Latn", "uz-Cyrl", "ru"}) {
        const std::string html = detail::dashboard_page(sample_view(language), sample_evidence());
        EXPECT_THAT(html, HasSubstr(fmt::format("lang=\"{}\"", language)));
        EXPECT_THAT(html, Not(HasSubstr("Services delivered"))) << language;
    }
}

TEST(DashboardPage, TheReportIsForA4WithItsPeriod) {
    detail::DashboardView view = sample_view();
    const std::string html = detail::report_page(view, sample_evidence());
    EXPECT_THAT(html, HasSubstr("Time, Cost and Visits: evidence report"));
    EXPECT_THAT(html, HasSubstr("Nov 2026 – Dec 2026"));
    EXPECT_THAT(html, HasSubstr("class=\"report\""));
    EXPECT_THAT(std::string(detail::dashboard_style()), HasSubstr("@page{size:A4"));
    EXPECT_THAT(std::string(detail::dashboard_style()), HasSubstr("break-inside:avoid"));
    EXPECT_THAT(html, HasSubstr("illustrative baseline"));
    view.filter.from_month = "2026-10";
    EXPECT_THAT(detail::report_page(view, sample_evidence()), HasSubstr("Oct 2026 – Dec 2026"));
}

// The rendered pages in headless chromium, served with their real headers (the style must
// pass the policy), and the signed-in page saved to a file and opened from it.
TEST_F(DashboardTest, PagesInARealBrowser) {
    httplib::Server pages;
    auto serve = [&](const std::string& path, std::string html) {
        pages.Get(path, [html](const httplib::Request&, httplib::Response& res) {
            res.set_header("Content-Security-Policy", detail::dashboard_policy());
            res.set_content(html, "text/html; charset=utf-8");
        });
    };
    serve("/en", detail::dashboard_page(sample_view(), sample_evidence()));
    serve("/bn", detail::dashboard_page(sample_view("bn"), sample_evidence()));
    serve("/report", detail::report_page(sample_view(), sample_evidence()));
    const int port = pages.bind_to_any_port("127.0.0.1");
    std::thread thread([&] { pages.listen_after_bind(); });
    while (!pages.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const std::filesystem::path out(SEBA_BINARY_DIR);
    for (const char* page : {"en", "bn", "report"}) {
        seba::testing::BrowserPage seen =
            seba::testing::open_in_browser(fmt::format("http://127.0.0.1:{}/{}", port, page),
                                           out / fmt::format("dashboard-{}.png", page));
        EXPECT_EQ(seen.problem, "") << page;
        EXPECT_THAT(seen.dom, HasSubstr("id=\"trend-chart\"")) << page;
        EXPECT_THAT(seen.dom, Not(HasSubstr("<script"))) << page;
    }
    pages.stop();
    thread.join();

    // The live page of a signed-in user, saved as a browser would save it.
    Browser b = signed_in();
    httplib::Result live = http().Get("/dashboard?lang=bn", b.headers());
    ASSERT_TRUE(live);
    const std::filesystem::path saved = dir_ / "dashboard-live.html";
    std::ofstream(saved) << live->body;
    seba::testing::BrowserPage seen =
        seba::testing::open_in_browser("file://" + saved.string(), out / "dashboard-live.png");
    EXPECT_EQ(seen.problem, "");
    EXPECT_THAT(seen.dom, HasSubstr("পাইলটের প্রমাণ"));
}

}  // namespace
}  // namespace seba::server

// SPDX-License-Identifier: Apache-2.0
// The shell driven through the recorder with real plugins loaded by the real host: what a
// citizen and an operator would see and do.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "kiosk_fixture.hpp"
#include "seba/audit.hpp"
#include "seba/kiosk_clock.hpp"
#include "seba/pin.hpp"
#include "seba/sync_client.hpp"
#include "test_server.hpp"

namespace seba::kiosk {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> tile_ids(const ui::UiState& state) {
    std::vector<std::string> ids;
    for (const ui::Node& n : state.tree())
        if (n.role == ui::Role::Tile) ids.push_back(n.id);
    return ids;
}

TEST_F(KioskTest, HomeHasATilePerRunningUiPluginInConfiguredOrder) {
    EXPECT_EQ(shell().screen(), "home");
    EXPECT_THAT(tile_ids(state()),
                ElementsAre("shell.home.about", "shell.home.greeter", "shell.home.throws_in_draw"));
    EXPECT_EQ(label("shell.home.title"), "Choose a service");
    EXPECT_EQ(label("shell.home.greeter"), "Greeter");
    // The citizen's one-line header: language, read-aloud, large text, contrast, clock.
    for (const char* id : {"shell.language", "shell.read_aloud", "shell.large_text",
                           "shell.contrast", "shell.clock"})
        EXPECT_NE(node(id), nullptr) << id;
    EXPECT_EQ(node("shell.language")->icon, "language") << "found by its pictogram";
    EXPECT_EQ(node("shell.read_aloud")->value, "off") << "read-aloud is off by default";
    EXPECT_EQ(node("shell.clock")->style, seba::ui::ButtonStyle::Plain) << "not a button's look";
    // The sync's state is the operator's business, not the citizen's.
    for (const char* id : {"shell.status.network", "shell.status.sync", "shell.status.outbox"})
        EXPECT_EQ(node(id), nullptr) << id;
    // The language picker opens under the header, the current language marked.
    EXPECT_EQ(node("shell.lang.bn"), nullptr);
    run(json::parse(R"([{"tap": "shell.language"}])"));
    for (const char* id : {"shell.lang.en", "shell.lang.bn", "shell.lang.ru"})
        EXPECT_NE(node(id), nullptr) << id;
    EXPECT_EQ(node("shell.lang.en")->style, seba::ui::ButtonStyle::Primary) << "the current one";
    EXPECT_EQ(node("shell.lang.en")->icon, "check");
    EXPECT_EQ(node("shell.lang.bn")->style, seba::ui::ButtonStyle::Secondary);
}

// Read-aloud, for citizens who read little: off by default; once on, each page's heading,
// the tile tapped, the field that takes the keyboard (with its error), a message of a tone,
// and the page again in a newly chosen language; off again for the next citizen.
TEST_F(KioskTest, ReadAloudSaysEachPageTheTileTappedAndTheFieldTypedInto) {
    std::vector<std::pair<std::string, std::string>> said;  // text, language
    shell().speak = [&](const std::string& text, const std::string& language) {
        said.emplace_back(text, language);
    };
    run(json::parse(R"([{"tap": "shell.home.greeter"}, {"tap": "shell.home"}])"));
    EXPECT_TRUE(said.empty()) << "silent until a citizen turns it on";

    run(json::parse(R"([{"tap": "shell.read_aloud"}])"));
    EXPECT_EQ(node("shell.read_aloud")->value, "on");
    ASSERT_EQ(said.size(), 1u);
    EXPECT_EQ(said[0], std::make_pair(std::string("Choose a service"), std::string("en")));

    said.clear();
    run(json::parse(R"([{"tap": "shell.home.greeter"}])"));
    ASSERT_FALSE(said.empty());
    EXPECT_EQ(said[0].first, "Greeter") << "the tile tapped";
    EXPECT_THAT(said.back().first, HasSubstr("Say hello")) << "then the page's heading";

    said.clear();
    run(json::parse(R"([{"tap": "greeter.name"}, {"type": "Ali7"}, {"tap": "osk.enter"},
                        {"tap": "greeter.name"}])"));
    ASSERT_FALSE(said.empty());
    EXPECT_THAT(said.back().first, HasSubstr("Your name")) << "the field that takes the keyboard";
    EXPECT_THAT(said.back().first, HasSubstr("A name has no digits")) << "and what is wrong";

    said.clear();
    run(json::parse(R"([{"language": "bn"}])"));
    ASSERT_FALSE(said.empty());
    EXPECT_EQ(said.back().second, "bn");
    EXPECT_THAT(said.back().first, HasSubstr("হ্যালো বলুন")) << "the page again, in Bangla";

    run(json::parse(R"([{"wait_s": 80}])"));  // the session ends
    EXPECT_EQ(node("shell.read_aloud")->value, "off") << "the next citizen starts silent";
}

TEST_F(KioskTest, LanguageSwitchTranslatesShellAndPluginsAndShowsBanglaDigits) {
    run(json::parse(R"([{"language": "bn"}])"));
    EXPECT_EQ(label("shell.home.greeter"), "শুভেচ্ছা");
    EXPECT_EQ(label("shell.language"), "বাংলা") << "the header names the current language";
    EXPECT_EQ(node("shell.lang.bn"), nullptr) << "the picker closed once a language was chosen";
    EXPECT_NE(label("shell.home.title"), "Choose a service");
    EXPECT_THAT(label("shell.clock"), ::testing::Not(::testing::ContainsRegex("[0-9]")))
        << "Bangla digits";
    run(json::parse(R"([{"tap": "shell.home.greeter"}])"));
    EXPECT_EQ(label("greeter.title"), "হ্যালো বলুন") << "the plugin's own catalog";
    EXPECT_NE(node("shell.language"), nullptr) << "the switch is on every screen";
    run(json::parse(R"([{"language": "ru"}])"));
    EXPECT_EQ(label("greeter.title"), "Say hello") << "no Russian catalog: English";
    EXPECT_NE(label("shell.home"), "Home") << "the shell speaks Russian";
}

TEST_F(KioskTest, TypingWithTheOnScreenKeyboardReachesTheField) {
    run(json::parse(R"([{"tap": "shell.home.greeter"}, {"tap": "greeter.name"}])"));
    ASSERT_NE(node("osk.space"), nullptr) << "a focused text field opens the keyboard";
    EXPECT_FALSE(node("greeter.ok")->enabled) << "the name is required";
    run(json::parse(R"([{"keys": "Rahim Uddin"}])"));
    EXPECT_EQ(node("greeter.name")->value, "Rahim Uddin");
    run(json::parse(R"([{"tap": "osk.backspace"}, {"keys": "n"}, {"tap": "osk.enter"}])"));
    EXPECT_EQ(node("greeter.name")->value, "Rahim Uddin");
    EXPECT_EQ(node("osk.space"), nullptr) << "Enter closes the keyboard";
    run(json::parse(R"([{"tap": "greeter.ok"}, {"expect": "greeter.hello"}])"));
}

TEST_F(KioskTest, BanglaKeyboardTypesBanglaAndValidatorsSpeakBangla) {
    run(json::parse(R"([{"language": "bn"}, {"tap": "shell.home.greeter"},
                        {"tap": "greeter.name"}, {"keys": "কখ"}])"));
    EXPECT_EQ(node("greeter.name")->value, "কখ");
    run(json::parse(R"([{"keys": "১"}])"));  // a digit in a name
    EXPECT_EQ(node("greeter.name")->error, "") << "no error while the citizen types";
    EXPECT_FALSE(node("greeter.ok")->enabled) << "an invalid field blocks the action";
    run(json::parse(R"([{"tap": "osk.enter"}])"));  // leaves the field
    EXPECT_EQ(node("greeter.name")->error, "নামে কোনো সংখ্যা থাকে না");
}

TEST_F(KioskTest, KeyboardCyclesThroughTheKioskLanguages) {
    run(json::parse(R"([{"tap": "shell.home.greeter"}, {"tap": "greeter.name"}])"));
    EXPECT_EQ(label("osk.next"), "বাংলা");
    run(json::parse(R"([{"tap": "osk.next"}, {"keys": "ক"}])"));
    EXPECT_EQ(label("osk.next"), "Русский");
    run(json::parse(R"([{"tap": "osk.next"}, {"keys": "ж"}])"));
    EXPECT_EQ(node("greeter.name")->value, "কж");
}

TEST_F(KioskTest, BackGoesBackInsideThePluginThenHome) {
    run(json::parse(R"([{"tap": "shell.home.greeter"}, {"tap": "greeter.name"},
                        {"keys": "Ali"}, {"tap": "greeter.ok"}, {"expect": "greeter.hello"},
                        {"tap": "shell.back"}, {"absent": "greeter.hello"},
                        {"expect_screen": "plugin"}, {"tap": "shell.back"},
                        {"expect_screen": "home"}])"));
}

// Where `needle` occurs in [begin, end), or null. Not instrumented: under AddressSanitizer
// this reads freed and red-zone memory on purpose, which is the point of the search.
__attribute__((no_sanitize("address"), noinline)) const char* find_bytes(const char* begin,
                                                                         const char* end,
                                                                         const std::string& needle,
                                                                         const char* skip) {
    const std::size_t n = needle.size();
    for (const char* at = begin; at + n <= end; ++at) {
        if (*at != needle[0] || at == skip) continue;
        std::size_t i = 1;
        while (i < n && at[i] == needle[i]) ++i;
        if (i == n) return at;
    }
    return nullptr;
}

// Bytes of `needle` anywhere in this process's writable memory, other than `needle` itself.
bool in_process_memory(const std::string& needle) {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        std::istringstream fields(line);
        std::string range, perms;
        fields >> range >> perms;
        if (perms.size() < 2 || perms[0] != 'r' || perms[1] != 'w') continue;
        if (line.find("[vvar]") != std::string::npos) continue;
        auto dash = range.find('-');
        auto* begin =
            reinterpret_cast<const char*>(std::stoull(range.substr(0, dash), nullptr, 16));
        auto* end = reinterpret_cast<const char*>(std::stoull(range.substr(dash + 1), nullptr, 16));
        // Sanitizer shadow memory is reserved by the terabyte; no heap region is that large.
        if (end - begin > (std::ptrdiff_t{1} << 32)) continue;
        if (find_bytes(begin, end, needle, needle.data())) return true;
    }
    return false;
}

TEST_F(KioskTest, IdleTimeoutCountsDownThenWipesEverythingTypedAndGoesHome) {
    // The typed text is kept masked in the test so the only unmasked copies are the kit's.
    const std::string masked = "\x24\x2f\x2d\x3f\x23\x3e\x22\x24\x25\x2c\x2f\x24\x2d\x3f\x23\x3e";
    run(json::parse(R"([{"language": "bn"}, {"tap": "shell.home.greeter"},
                        {"tap": "greeter.name"}, {"tap": "osk.next"}, {"tap": "osk.next"}])"));
    ASSERT_EQ(label("osk.next"), "বাংলা") << "the English keyboard is up";
    for (char m : masked) {  // tap each key, as a citizen would
        std::string letter(1, static_cast<char>(m ^ 0x55));
        const ui::Node* key = nullptr;
        for (const ui::Node& n : state().tree())
            if (n.role == ui::Role::Key && n.label == letter) key = &n;
        ASSERT_NE(key, nullptr) << letter;
        run(json{{{"tap", key->id}}});
    }
    ASSERT_EQ(node("greeter.name")->value.size(), masked.size());

    run(json::parse(R"([{"wait_s": 59}, {"absent": "shell.idle.countdown"}, {"wait_s": 2},
                        {"expect": "shell.idle.countdown"}, {"absent": "greeter.name"}])"));
    EXPECT_THAT(label("shell.idle.countdown"), HasSubstr("১৪")) << "seconds left, in Bangla";
    run(json::parse(R"([{"wait_s": 15}])"));

    EXPECT_EQ(shell().screen(), "home");
    EXPECT_EQ(state().language, "en") << "back to the default language";
    EXPECT_TRUE(state().all_fields_zeroed());
    run(json::parse(R"([{"tap": "shell.home.greeter"}])"));
    EXPECT_EQ(node("greeter.name")->value, "") << "the next citizen sees an empty field";
    std::string typed;
    typed.reserve(64);
    for (char m : masked) typed += static_cast<char>(m ^ 0x55);
    EXPECT_FALSE(in_process_memory(typed)) << "a copy of what was typed survived the session";
}

TEST_F(KioskTest, LargeTextAndHighContrastLastUntilTheSessionEnds) {
    run(json::parse(R"([{"tap": "shell.large_text"}, {"tap": "shell.contrast"}])"));
    EXPECT_TRUE(state().large_text);
    EXPECT_TRUE(state().high_contrast);
    run(json::parse(R"([{"wait_s": 80}])"));
    EXPECT_FALSE(state().large_text);
    EXPECT_FALSE(state().high_contrast);
}

TEST_F(KioskTest, HomeAsksAreYouFinishedThenEndsTheSessionAsTheIdleTimeoutDoes) {
    run(json::parse(R"([{"language": "bn"}, {"tap": "shell.large_text"},
                        {"tap": "shell.home.greeter"}, {"tap": "greeter.name"},
                        {"type": "Karimova"}, {"tap": "shell.home"},
                        {"expect": "shell.finish.title"}, {"absent": "greeter.name"}])"));
    EXPECT_EQ(label("shell.finish.title"), "আপনার কাজ কি শেষ?")
        << "asked in the citizen's language";
    // No: back to the form as it was.
    run(json::parse(R"([{"tap": "shell.finish.no"}, {"expect_screen": "plugin"}])"));
    EXPECT_EQ(node("greeter.name")->value, "Karimova");
    // Yes: everything of this citizen goes, as after the idle timeout.
    run(json::parse(R"([{"tap": "shell.home"}, {"tap": "shell.finish.yes"},
                        {"expect_screen": "home"}])"));
    EXPECT_EQ(state().language, "en") << "back to the default language";
    EXPECT_FALSE(state().large_text);
    EXPECT_TRUE(state().all_fields_zeroed());
    run(json::parse(R"([{"tap": "shell.home.greeter"}])"));
    EXPECT_EQ(node("greeter.name")->value, "") << "the next citizen sees an empty field";
}

TEST_F(KioskTest, HomeWithNothingTypedEndsTheSessionWithoutAsking) {
    run(json::parse(R"([{"language": "ru"}, {"tap": "shell.home.about"}, {"tap": "shell.home"},
                        {"expect_screen": "home"}, {"absent": "shell.finish.title"}])"));
    EXPECT_EQ(state().language, "en");
}

TEST_F(KioskTest, AnIdleHomeScreenAsksForNoRedrawBeforeTheClockMoves) {
    double wait = shell().seconds_until_change(now());
    EXPECT_GT(wait, 0.0);
    EXPECT_LE(wait, 60.1);
    run(json::parse(R"([{"tap": "shell.home.about"}, {"wait_s": 61}])"));
    EXPECT_EQ(shell().seconds_until_change(now()), 0.25) << "the countdown ticks";
}

TEST_F(KioskTest, StatusBarShowsTheBackgroundSyncAndEndingASessionAsksItToRun) {
    log_in_as_operator();  // the sync's state is shown to the operator
    EXPECT_EQ(label("shell.status.network"), "Offline");
    EXPECT_EQ(label("shell.status.sync"), "Never synced");
    setenv("TZ", "UTC", 1);  // the last sync is shown in local time
    tzset();
    int asked = 0;
    shell().sync_status = [] {
        SyncStatus s;
        s.enrolled = s.online = true;
        s.last_sync = "2026-11-28T02:01:43.788Z";
        s.pending = 3;
        return s;
    };
    shell().sync_now = [&] { ++asked; };
    run(json::parse(R"([{"language": "bn"}])"));
    EXPECT_NE(label("shell.status.network"), "Offline");
    EXPECT_THAT(label("shell.status.outbox"), HasSubstr("৩"));
    EXPECT_THAT(label("shell.status.sync"), HasSubstr("০২:০১")) << "02:01 UTC, in Bangla digits";
    run(json::parse(R"([{"wait_s": 80}])"));
    EXPECT_EQ(asked, 1) << "the citizen's session ended";
}

TEST_F(KioskTest, ThePullsProgressShowsOnlyWhenItBringsRecords) {
    SyncStatus status;
    shell().sync_status = [&] { return status; };
    status.online = true;
    status.pulling = "dc.services";
    log_in_as_operator();
    run(json::parse(R"([{"wait_s": 1}])"));
    EXPECT_FALSE(node("shell.status.pulling")) << "a pass with nothing new does not flash";
    status.records = 350;
    run(json::parse(R"([{"wait_s": 1}])"));
    EXPECT_EQ(label("shell.status.pulling"), "Updating catalogs: 350 received");
    status.pulling.clear();
    run(json::parse(R"([{"wait_s": 1}])"));
    EXPECT_FALSE(node("shell.status.pulling"));
}

TEST_F(KioskTest, ANewFleetConfigurationWaitsForTheCitizenToLeaveThenApplies) {
    SyncStatus status;
    shell().sync_status = [&] { return status; };
    std::vector<std::string> channels;
    shell().set_sync_channels = [&](std::vector<std::string> c) { channels = std::move(c); };
    run(json::parse(R"([{"tap": "shell.home.greeter"}, {"expect": "greeter.title"}])"));

    // The fleet drops greeter and asks for a catalog while a citizen uses greeter.
    publish("fleet", "config",
            json::parse(R"({"plugins": ["about"], "channels": ["geo.bd.unions"]})"));
    status.catalog_changes = 1;
    status.pulling = "geo.bd.unions";
    status.records = 1200;
    run(json::parse(R"([{"wait_s": 1}, {"expect": "greeter.title"}])"));
    EXPECT_FALSE(node("shell.status.pulling")) << "the citizen is not shown the sync";
    EXPECT_TRUE(channels.empty()) << "not under the citizen's hands";

    run(json::parse(R"([{"wait_s": 80}, {"expect_screen": "home"}, {"wait_s": 1}])"));
    // search.indexes too: every kiosk keeps the country's search specs (docs/search.md), and
    // credentials.trust, the keys credentials are checked with (docs/credentials.md).
    EXPECT_THAT(channels,
                ::testing::ElementsAre("fleet", "i18n.languages", "i18n.translations",
                                       "geo.bd.unions", "search.indexes", "credentials.trust"));
    EXPECT_TRUE(node("shell.home.about"));
    EXPECT_FALSE(node("shell.home.greeter")) << "the fleet took greeter away";
}

TEST_F(KioskTest, ANewSearchIndexsChannelsArePulledWithoutARestartOrWaitingForTheCitizen) {
    SyncStatus status;
    shell().sync_status = [&] { return status; };
    std::vector<std::string> channels;
    int told = 0;
    shell().set_sync_channels = [&](std::vector<std::string> c) {
        channels = std::move(c);
        ++told;
    };
    run(json::parse(R"([{"tap": "shell.home.greeter"}, {"expect": "greeter.title"}])"));

    // A pass that changed other channels: sync goes on with what it pulls.
    publish("geo.uz.regions", "3", json::parse(R"({"name_uz": "Buxoro viloyati"})"));
    status.catalog_changes = 1;
    run(json::parse(R"([{"wait_s": 1}])"));
    EXPECT_EQ(told, 0);

    // The country publishes an index over that channel: sync is told at once, and the
    // citizen's screen stays as it was.
    publish("search.indexes", "places", json::parse(R"({"sources": [{"channel": "geo.uz.regions",
        "kind": "region", "name_fields": {"uz-Latn": "name_uz"}}]})"));
    status.catalog_changes = 2;
    run(json::parse(R"([{"wait_s": 1}, {"expect": "greeter.title"}])"));
    EXPECT_EQ(told, 1);
    EXPECT_THAT(channels, ::testing::Contains("geo.uz.regions"));
    EXPECT_THAT(channels, ::testing::Contains("search.indexes"));

    // Later passes with the same specs do not tell it again.
    status.catalog_changes = 3;
    run(json::parse(R"([{"wait_s": 1}])"));
    EXPECT_EQ(told, 1);
}

TEST_F(KioskTest, ContinueKeepsTheSessionAndItsText) {
    run(json::parse(R"([{"tap": "shell.home.greeter"}, {"tap": "greeter.name"},
                        {"keys": "Ali"}, {"wait_s": 65}, {"tap": "shell.idle.continue"},
                        {"wait_s": 30}])"));
    EXPECT_EQ(shell().screen(), "plugin");
    EXPECT_EQ(node("greeter.name")->value, "Ali");
}

TEST_F(KioskTest, PluginThrowingWhileDrawingShowsServiceUnavailableAndTheKioskRunsOn) {
    run(json::parse(R"([{"tap": "shell.home.throws_in_draw"}])"));
    EXPECT_EQ(shell().screen(), "unavailable");
    EXPECT_EQ(label("shell.unavailable.title"), "Service unavailable");
    EXPECT_EQ(node("broken.tiles"), nullptr) << "the half-drawn screen is not shown";
    std::optional<PluginInfo> broken = host().find("throws_in_draw");
    EXPECT_EQ(broken->state, PluginState::Failed);
    EXPECT_THAT(broken->reason, HasSubstr("draw threw: the catalog row has no name"));
    run(json::parse(R"([{"tap": "shell.home"}, {"absent": "shell.home.throws_in_draw"},
                        {"tap": "shell.home.greeter"}, {"expect": "greeter.title"}])"));
}

TEST_F(KioskTest, OperatorModeNeedsTheGestureAndAPinThatLocksOutGuessers) {
    OperatorPin(host().database(), host().audit()).set("2468", "test");
    run(json::parse(R"([{"tap": "shell.clock"}, {"tap": "shell.clock"}, {"tap": "shell.clock"},
                        {"tap": "shell.clock"}])"));
    EXPECT_EQ(shell().screen(), "home") << "four taps are not the gesture";
    run(json::parse(R"([{"tap": "shell.clock"}, {"expect_screen": "pin"}])"));
    ASSERT_NE(node("osk.0.0"), nullptr) << "the PIN field opens the digit pad";
    for (int attempt = 0; attempt < 3; ++attempt)
        run(json::parse(R"([{"keys": "1111"}, {"tap": "shell.pin.ok"}])"));
    // 30 s from the third failure; a second may tick by while argon2id checks the PIN.
    EXPECT_THAT(label("shell.pin.locked"),
                ::testing::ContainsRegex("Try again in (29|30) seconds"));
    run(json::parse(R"([{"keys": "2468"}])"));
    EXPECT_FALSE(node("shell.pin.ok")->enabled) << "even the right PIN waits out the lock";
    EXPECT_EQ(shell().screen(), "pin");
    int locked = 0;
    for (const AuditEntry& e : host().audit().recent(20))
        locked += e.action == "operator.pin_locked";
    EXPECT_EQ(locked, 1);
}

TEST_F(KioskTest, OperatorDisablesAPluginAndEveryChangeIsAudited) {
    log_in_as_operator();
    run(json::parse(R"([{"tap": "shell.op.toggle.greeter"},
                        {"tap": "shell.op.setting.kiosk.idle_timeout_s"}, {"keys": "90"},
                        {"tap": "shell.op.setting.kiosk.idle_timeout_s.save"},
                        {"expect": {"id": "shell.op.message", "label": "Saved"}},
                        {"tap": "shell.op.exit"}, {"expect_screen": "home"},
                        {"absent": "shell.home.greeter"}])"));
    EXPECT_EQ(shell().idle_timeout_s(), 90);
    std::vector<std::string> actions;
    for (const AuditEntry& e : host().audit().recent(6)) actions.push_back(e.action);
    EXPECT_THAT(actions, ElementsAre("operator.logout", "kiosk.setting", "plugin.disabled",
                                     "plugin.stopped", "plugin.disable", "operator.login"));
    EXPECT_TRUE(host().audit().verify().ok);

    restart();  // a restart keeps the operator's choices
    EXPECT_EQ(shell().idle_timeout_s(), 90);
    EXPECT_EQ(node("shell.home.greeter"), nullptr);
}

TEST_F(KioskTest, OperatorEditsPluginSettingsAndKioskLanguagesFromTheirSchema) {
    log_in_as_operator();
    run(json::parse(R"([{"expect": "shell.op.settings.about"},
                        {"tap": "shell.op.set.about.helpline"}, {"keys": "16345"},
                        {"tap": "shell.op.set.about.helpline.save"},
                        {"tap": "shell.op.setting.kiosk.languages.ru"},
                        {"tap": "shell.op.setting.kiosk.languages.uz-Latn"},
                        {"tap": "shell.op.setting.server.url"}, {"keys": "not a url"},
                        {"tap": "shell.op.setting.server.url.save"}])"));
    EXPECT_THAT(label("shell.op.message"),
                HasSubstr("server.url must be an http:// or https:// URL"));
    EXPECT_THAT(host().config().languages, ElementsAre("bn", "uz-Latn", "en"));
    run(json::parse(R"([{"tap": "shell.language"}])"));
    EXPECT_EQ(node("shell.lang.ru"), nullptr) << "the language switch follows at once";
    EXPECT_NE(node("shell.lang.uz-Latn"), nullptr);
    run(json::parse(R"([{"tap": "shell.op.exit"}, {"tap": "shell.home.about"}])"));
    EXPECT_THAT(label("about.helpline"), HasSubstr("16345")) << "the plugin restarted with it";
    int changes = 0;
    for (const AuditEntry& e : host().audit().recent(20))
        changes += e.action == "plugin.setting" || e.action == "kiosk.setting";
    EXPECT_EQ(changes, 3) << "the helpline and two language changes; the bad URL changed nothing";
}

// The kiosk settings part of the operator screen is the table's (seba/kiosk_settings.hpp):
// a control for each key the operator may set and none for the others, the table's label in
// the operator's language, and the table's words for a value it refuses, which changes
// nothing and is not audited.
TEST_F(KioskTest, OperatorScreenDrawsAndChecksKioskSettingsFromTheTable) {
    log_in_as_operator();
    for (const KioskSetting& setting : kiosk_settings())
        EXPECT_EQ(node("shell.op.setting." + std::string(setting.key)) != nullptr,
                  setting.settable_by(SettingLayer::Operator))
            << setting.key;
    run(json::parse(R"([{"tap": "shell.op.setting.kiosk.idle_timeout_s"}, {"keys": "9"},
                        {"tap": "shell.op.setting.kiosk.idle_timeout_s.save"}])"));
    EXPECT_EQ(label("shell.op.message"),
              "kiosk.idle_timeout_s must be an integer from 10 to 3600 (found 9)");
    EXPECT_EQ(shell().idle_timeout_s(), 60);
    // The last language cannot go: the table wants at least one.
    run(json::parse(R"([{"tap": "shell.op.setting.kiosk.languages.en"},
                        {"tap": "shell.op.setting.kiosk.languages.bn"},
                        {"tap": "shell.op.setting.kiosk.languages.ru"}])"));
    EXPECT_THAT(label("shell.op.message"),
                HasSubstr("kiosk.languages must be a non-empty array of languages"));
    EXPECT_THAT(host().config().languages, ElementsAre("ru"));

    run(json::parse(R"([{"tap": "shell.op.setting.kiosk.idle_timeout_s"}, {"keys": "3600"},
                        {"tap": "shell.op.setting.kiosk.idle_timeout_s.save"},
                        {"expect": {"id": "shell.op.message", "label": "Saved"}}])"));
    EXPECT_EQ(shell().idle_timeout_s(), 3600);
    std::vector<std::string> changes;
    for (const AuditEntry& e : host().audit().recent(20))
        if (e.action == "kiosk.setting") changes.push_back(e.subject + ": " + e.detail);
    EXPECT_THAT(changes, ElementsAre("kiosk.idle_timeout_s: Idle timeout (seconds): 60 -> 3600",
                                     "kiosk.languages: Languages: bn ru -> ru",
                                     "kiosk.languages: Languages: en bn ru -> bn ru"))
        << "the refused values are not among them";

    run(json::parse(R"([{"language": "ru"}])"));
    EXPECT_THAT(label("shell.op.setting.kiosk.idle_timeout_s"),
                HasSubstr("Тайм-аут бездействия (в секундах)"));
}

// The operator sees how far the kiosk's clock is from the server's (events carry the
// server's time either way), and why sync does not go through, such as a lost device key.
TEST_F(KioskTest, OperatorScreenShowsTheClocksOffsetAndWhySyncFails) {
    shell().sync_status = [] {
        SyncStatus s;
        s.enrolled = true;
        s.last_error = "this kiosk is enrolled as dev-1, but its device key is missing; re-enroll";
        return s;
    };
    log_in_as_operator();
    KioskClock& clock = KioskClock::instance();
    // Dates count whole seconds, and are read as the middle of their second.
    const auto date = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto now = date + std::chrono::milliseconds(500);
    clock.learn(date - std::chrono::seconds(600), now, now);  // this kiosk is 10 minutes ahead
    run(json::parse(R"([{"language": "bn"}])"));
    EXPECT_THAT(label("shell.op.clock"), HasSubstr("৬০০")) << "600, in Bangla digits";
    EXPECT_THAT(label("shell.op.clock"), HasSubstr("এগিয়ে")) << "ahead";
    EXPECT_THAT(label("shell.op.sync_problem"), HasSubstr("re-enroll"));
    clock.learn(date + std::chrono::seconds(3600), now, now);  // an hour behind
    run(json::parse(R"([{"language": "en"}])"));
    EXPECT_THAT(label("shell.op.clock"), HasSubstr("3600 seconds behind the server's clock"));
    clock.learn(date, now, now);
    run(json::parse(R"([{"language": "en"}])"));
    EXPECT_EQ(label("shell.op.clock"), "Clock: Agrees with the server's clock");
}

// Russian counts take the noun's form for the number (1, 21 секунду; 32 секунды; 45
// секунд), from the catalog's Plural-Forms, not one abbreviation for every count. (The
// offsets lie far apart: the clock ignores a change within its one-second precision.)
TEST_F(KioskTest, OperatorScreenSaysTheOffsetInTheFormOfItsNumber) {
    log_in_as_operator();
    KioskClock& clock = KioskClock::instance();
    const auto date = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto now = date + std::chrono::milliseconds(500);
    const std::pair<int, std::string> expected[] = {
        {21, "спешат на 21 секунду "},
        {32, "спешат на 32 секунды "},
        {45, "спешат на 45 секунд "},
        {-111, "отстают от часов сервера на 111 секунд"}};
    for (const auto& [ahead_s, text] : expected) {
        clock.learn(date - std::chrono::seconds(ahead_s), now, now);
        // A new language redraws the screen with the clock just learnt.
        run(json::parse(R"([{"language": "en"}, {"language": "ru"}])"));
        EXPECT_THAT(label("shell.op.clock"), HasSubstr(text)) << ahead_s;
    }
    clock.learn(date - std::chrono::seconds(21), now, now);
    run(json::parse(R"([{"language": "en"}])"));
    EXPECT_THAT(label("shell.op.clock"), HasSubstr("21 seconds ahead of the server's clock"));
    clock.learn(date, now, now);
}

TEST_F(KioskTest, OperatorModeWithoutAPinSaysHowToSetOne) {
    open_pin_screen();
    EXPECT_THAT(label("shell.pin.unset"), HasSubstr("seba-kiosk --config FILE set-pin"));
}

TEST_F(KioskTest, ScriptWithAnUnknownIdFailsNamingTheStepAndTheIdsOnScreen) {
    try {
        run(json::parse(R"([{"expect_screen": "home"}, {"tap": "dc.birth_reg"}])"));
        FAIL() << "expected a script error";
    } catch (const ScriptError& e) {
        EXPECT_THAT(e.what(), HasSubstr("step 2"));
        EXPECT_THAT(e.what(), HasSubstr("no widget with id \"dc.birth_reg\""));
        EXPECT_THAT(e.what(), HasSubstr("shell.home.greeter"));
    }
    EXPECT_THROW(run(json::parse(R"([{"fly": "away"}])")), ScriptError);
}

// [SECTION] the operator's outbox, and messages beside what they are about

// An event in the outbox as a plugin's emit leaves it, made `age` ago.
void queue_event(Database& db, const std::string& uuid, const json& payload,
                 std::chrono::minutes age) {
    const auto at =
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now() - age);
    db.prepare(
          "INSERT INTO core__outbox (uuid, plugin, type, payload, created_at) "
          "VALUES (?, 'about', 'about.session_counted', ?, ?)")
        .bind_all(uuid, payload.dump(), fmt::format("{:%Y-%m-%dT%H:%M:%S}.000Z", at))
        .run();
}

// Where `id` was drawn in the last frame, in the order the operator reads the page.
std::ptrdiff_t position(const std::vector<std::string>& ids, const std::string& id) {
    auto at = std::find(ids.begin(), ids.end(), id);
    EXPECT_NE(at, ids.end()) << id << " is not on screen";
    return at - ids.begin();
}

// A real seba-server refuses an event: the same id again with other content (a kiosk
// restored from an old copy). The operator sees it first, with the server's reason and no
// payload, beside what still waits, and puts it back in line (audited).
TEST_F(KioskTest, TheOperatorSeesEachEventNotSentWithTheServersReasonAndRetriesIt) {
    TestServer server(dir() / "server.db");
    server.store().create_centre("test-centre", "Test Union Digital Centre");
    SyncOptions options;
    options.server_url = server.url();
    options.device_key_file = dir() / "device.key";
    SyncClient client(host().database(), options);
    client.enroll(server.store().create_enrollment_code("test-centre", std::chrono::hours(1),
                                                        std::chrono::system_clock::now()));
    const std::string refused = "6f1c2f8e-2b1a-4c3d-8e9f-0a1b2c3d4e5f";
    const std::string waiting = "0b5e8d1c-7a2f-4e6b-9c3d-1f2e3d4c5b6a";
    queue_event(host().database(), refused, {{"count", 1}}, std::chrono::minutes(12));
    ASSERT_EQ(client.push_outbox().accepted, 1);
    queue_event(host().database(), refused, {{"count", 2}, {"citizen", "Rahim Uddin"}},
                std::chrono::minutes(12));
    ASSERT_EQ(client.push_outbox().conflicts, 1);
    queue_event(host().database(), waiting, {{"count", 3}}, std::chrono::minutes(3 * 60 + 5));

    log_in_as_operator();
    EXPECT_EQ(label("shell.op.outbox.failed"), "Failed events: 1");
    EXPECT_EQ(label("shell.op.outbox.pending"), "Events waiting: 1");
    ASSERT_TRUE(node("shell.op.outbox.event." + refused));
    EXPECT_EQ(label("shell.op.outbox.event." + refused), "about.session_counted");
    EXPECT_EQ(node("shell.op.outbox.event." + refused)->value, "Not sent, 12 min, Attempts: 0");
    EXPECT_EQ(label("shell.op.outbox.reason." + refused),
              "Reason: an event with this id and different content was received before");
    EXPECT_EQ(node("shell.op.outbox.event." + waiting)->value, "Waiting to send, 3 h, Attempts: 0");
    expect("shell.op.outbox.retry." + refused);
    expect_absent("shell.op.outbox.retry." + waiting);
    expect_absent("shell.op.outbox.more");
    std::vector<std::string> shown = ids();
    EXPECT_LT(position(shown, "shell.op.outbox.event." + refused),
              position(shown, "shell.op.outbox.event." + waiting))
        << "what needs the operator first";
    for (const ui::Node& n : state().tree()) {
        EXPECT_THAT(n.label, Not(HasSubstr("Rahim"))) << n.id << ": no payload on screen";
        EXPECT_THAT(n.value, Not(HasSubstr("Rahim"))) << n.id;
    }

    // Retry: back in line, said under the list, written in the audit log.
    tap("shell.op.outbox.retry." + refused);
    EXPECT_EQ(node("shell.op.outbox.event." + refused)->value,
              "Waiting to send, 12 min, Attempts: 0");
    EXPECT_EQ(label("shell.op.outbox.failed"), "Failed events: 0");
    EXPECT_EQ(label("shell.op.message"), "Back in line to send: 1");
    EXPECT_EQ(node("shell.op.message")->value, "success");
    shown = ids();
    EXPECT_GT(position(shown, "shell.op.message"),
              position(shown, "shell.op.outbox.event." + waiting))
        << "under the outbox, not at the top of the page";
    std::vector<AuditEntry> recent = host().audit().recent(1);
    ASSERT_EQ(recent.size(), 1u);
    EXPECT_EQ(recent[0].actor, "operator");
    EXPECT_EQ(recent[0].action, "outbox.retry");
    EXPECT_EQ(recent[0].subject, refused);
    EXPECT_THAT(recent[0].detail, HasSubstr("different content"));

    // The server keeps its first version: refused again. Retry all puts it back again.
    SyncClient::PushReport again = client.push_outbox();
    EXPECT_EQ(again.accepted, 1);
    EXPECT_EQ(again.conflicts, 1);
    run(R"([{"wait_s": 1}])");
    EXPECT_EQ(label("shell.op.outbox.failed"), "Failed events: 1");
    expect_absent("shell.op.outbox.event." + waiting);
    tap("shell.op.outbox.retry_all");
    EXPECT_EQ(label("shell.op.outbox.failed"), "Failed events: 0");
    EXPECT_EQ(label("shell.op.message"), "Back in line to send: 1");
    EXPECT_TRUE(host().audit().verify().ok);
}

TEST_F(KioskTest, TheOutboxListsAtMostFiftyEventsAndCountsTheRest) {
    for (int i = 0; i < 62; ++i)
        queue_event(host().database(), fmt::format("event-{:03}", i), {{"count", i}},
                    std::chrono::minutes(62 - i));
    host().database().exec(
        "UPDATE core__outbox SET state = 'failed', last_error = 'too large to send' "
        "WHERE uuid IN ('event-060', 'event-061')");
    log_in_as_operator();
    std::vector<std::string> rows;
    for (const ui::Node& n : state().tree())
        if (n.id.starts_with("shell.op.outbox.event.")) rows.push_back(n.id);
    ASSERT_EQ(rows.size(), 50u);
    EXPECT_EQ(rows[0], "shell.op.outbox.event.event-060") << "the failed first, oldest first";
    EXPECT_EQ(rows[1], "shell.op.outbox.event.event-061");
    EXPECT_EQ(rows[2], "shell.op.outbox.event.event-000");
    EXPECT_EQ(label("shell.op.outbox.more"), "and 12 more");
    run(R"([{"language": "bn"}])");
    EXPECT_EQ(label("shell.op.outbox.more"), "আরও ১২টি");
    EXPECT_THAT(node("shell.op.outbox.event.event-000")->value, HasSubstr("১ ঘণ্টা"));
    EXPECT_THAT(node("shell.op.outbox.event.event-040")->value, HasSubstr("২২ মিনিট"));
}

// "Saved", or why not, under the setting it is about and in its tone, not at the top of a
// long page; it goes when the operator leaves.
TEST_F(KioskTest, ASettingsMessageShowsUnderItInItsTone) {
    log_in_as_operator();
    const std::string timeout = "shell.op.setting.kiosk.idle_timeout_s";
    run(json::array({{{"tap", timeout}}, {{"keys", "9"}}, {{"tap", timeout + ".save"}}}));
    EXPECT_EQ(node("shell.op.message")->value, "error");
    EXPECT_EQ(position(ids(), "shell.op.message"), position(ids(), timeout + ".save") + 1);
    run(json::array({{{"tap", timeout}}, {{"keys", "90"}}, {{"tap", timeout + ".save"}}}));
    EXPECT_EQ(label("shell.op.message"), "Saved");
    EXPECT_EQ(node("shell.op.message")->value, "success");
    EXPECT_EQ(position(ids(), "shell.op.message"), position(ids(), timeout + ".save") + 1);
    // A language toggled: said under the languages (before the next setting), and only there.
    run(R"([{"tap": "shell.op.setting.kiosk.languages.ru"}])");
    const std::vector<std::string> shown = ids();
    EXPECT_EQ(position(shown, "shell.op.message"),
              position(shown, "shell.op.setting.kiosk.idle_timeout_s") - 1);
    EXPECT_GT(position(shown, "shell.op.message"),
              position(shown, "shell.op.setting.kiosk.languages.ru"));
    EXPECT_EQ(std::count(shown.begin(), shown.end(), "shell.op.message"), 1);
    run(R"([{"tap": "shell.op.exit"}])");
    log_in_as_operator();
    expect_absent("shell.op.message");
}

}  // namespace
}  // namespace seba::kiosk

// SPDX-License-Identifier: Apache-2.0
// The loader's outcomes, each with a real plugin module built in this tree, loaded through
// the real host: the message an operator reads, and the good plugin running beside the bad.
#include <fmt/format.h>
#include <sys/stat.h>

#include <filesystem>
#include <memory>

#include "host_fixture.hpp"
#include "seba/storage.hpp"

namespace seba::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

// The build's development signing key (cmake/SebaPlugin.cmake makes it beside the .pub).
fs::path development_secret_key() {
    return fs::path(SEBA_DEV_PUBLIC_KEY).parent_path() / "seba-dev.key";
}

// Signs `folder` again as the build does, after a test changed it on purpose.
void sign_as_the_build_does(const fs::path& folder) {
    std::string command = std::string(SEBA_PLUGIN_SIGN) + " --development --key " +
                          development_secret_key().string() + " " + folder.string() + " >/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

TEST_F(HostTest, GoodPluginLoadsSignedMigratesAndRuns) {
    Host host(config_with({"good"}));
    host.start();
    PluginInfo good = info(host, "good");
    EXPECT_EQ(good.state, PluginState::Running) << good.reason;
    EXPECT_FALSE(good.unsigned_dev);
    EXPECT_EQ(schema_version(host.database(), "good"), 2);
    EXPECT_EQ(count(host, "SELECT count(*) FROM good__starts"), 1);
    EXPECT_EQ(count(host,
                    "SELECT count(*) FROM core__audit WHERE action = 'plugin.running' "
                    "AND subject = 'good'"),
              1);
}

TEST_F(HostTest, PluginThrowingInStartFailsWithItsReasonAndTheGoodOneRuns) {
    Host host(config_with({"throws_in_start", "good"}));
    host.start();
    PluginInfo bad = info(host, "throws_in_start");
    EXPECT_EQ(bad.state, PluginState::Failed);
    EXPECT_THAT(bad.reason, HasSubstr("start threw: catalog file is missing"));
    EXPECT_EQ(info(host, "good").state, PluginState::Running);
}

TEST_F(HostTest, PluginThrowingInALaterCallFailsAndIsNotCalledAgain) {
    Host host(config_with({"throws_later", "good"}));
    host.start();
    ASSERT_EQ(info(host, "throws_later").state, PluginState::Running);

    host.end_session();
    PluginInfo bad = info(host, "throws_later");
    EXPECT_EQ(bad.state, PluginState::Failed);
    EXPECT_THAT(bad.reason, HasSubstr("end_session threw: session bookkeeping is broken"));

    host.end_session();  // the failed plugin is skipped; the good one goes on
    EXPECT_EQ(info(host, "good").state, PluginState::Running);
    EXPECT_EQ(count(host, "SELECT count(*) FROM good__sessions"), 2);
    EXPECT_EQ(count(host, "SELECT count(*) FROM core__outbox WHERE type = 'good.session_ended'"),
              2);
    EXPECT_EQ(count(host,
                    "SELECT count(*) FROM core__audit WHERE action = 'plugin.failed' AND "
                    "subject = 'throws_later'"),
              1);
}

TEST_F(HostTest, PluginBuiltForNewerApiIsRefusedBeforeAnyCall) {
    Host host(config_with({"newer_api", "good"}));
    host.start();
    PluginInfo newer = info(host, "newer_api");
    EXPECT_EQ(newer.state, PluginState::Refused);
    // The test plugin is built for the minor version after this host's.
    const std::string newer_api =
        fmt::format("built for Seba API {}.{}", SEBA_API_VERSION_MAJOR, SEBA_API_VERSION_MINOR + 1);
    const std::string provided = fmt::format("this kiosk provides {}.{}.{}", SEBA_API_VERSION_MAJOR,
                                             SEBA_API_VERSION_MINOR, SEBA_API_VERSION_PATCH);
    EXPECT_THAT(newer.reason,
                AllOf(HasSubstr(newer_api), HasSubstr(provided), HasSubstr("update the kiosk")));
    EXPECT_EQ(info(host, "good").state, PluginState::Running);
}

TEST_F(HostTest, ManifestAskingForNewerApiIsRefusedWithoutLoadingTheModule) {
    std::filesystem::path plugins = dir_ / "plugins";
    std::filesystem::create_directories(plugins);
    std::filesystem::copy(std::filesystem::path(SEBA_TEST_PLUGIN_DIR) / "good", plugins / "good",
                          std::filesystem::copy_options::recursive);
    std::string manifest = read_file(plugins / "good" / "manifest.json");
    // One minor version past this host's.
    const std::string newer =
        fmt::format("{}.{}", SEBA_API_VERSION_MAJOR, SEBA_API_VERSION_MINOR + 1);
    manifest.replace(manifest.find("\"1.4\""), 5, "\"" + newer + "\"");
    write_file(plugins / "good" / "manifest.json", manifest);
    sign_as_the_build_does(plugins / "good");  // signed as it is: only the API is at stake

    Config config = config_with({"good"});
    config.plugin_dirs = {plugins};
    Host host(config);
    host.start();
    PluginInfo good = info(host, "good");
    EXPECT_EQ(good.state, PluginState::Refused);
    EXPECT_THAT(good.reason, HasSubstr("built for Seba API " + newer));
    EXPECT_EQ(count(host, "SELECT count(*) FROM sqlite_master WHERE name = 'good__starts'"), 0)
        << "no migration may run for a refused plugin";
}

TEST_F(HostTest, ModuleWithoutEntrySymbolIsRefused) {
    Host host(config_with({"no_entry", "good"}));
    host.start();
    PluginInfo p = info(host, "no_entry");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, AllOf(HasSubstr("no_entry.so"), HasSubstr("has no seba_plugin_entry"),
                                HasSubstr("SEBA_PLUGIN(ClassName)")));
    EXPECT_EQ(info(host, "good").state, PluginState::Running);
}

TEST_F(HostTest, BadManifestIsRefusedNamingTheFileAndField) {
    Host host(config_with({"bad_manifest", "good"}));
    host.start();
    PluginInfo p = info(host, "bad_manifest");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, AllOf(HasSubstr("bad_manifest/manifest.json"), HasSubstr("names"),
                                HasSubstr("\"en\"")));
    EXPECT_EQ(info(host, "good").state, PluginState::Running);
}

TEST_F(HostTest, UnsignedPluginIsRefusedSayingHowToSignIt) {
    Host host(config_with({"unsigned_plugin", "good"}));
    host.start();
    PluginInfo p = info(host, "unsigned_plugin");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, AllOf(HasSubstr("is not signed"), HasSubstr("seba-plugin-sign --key"),
                                HasSubstr("plugins.trusted_keys")));
    EXPECT_EQ(info(host, "good").state, PluginState::Running);
}

TEST_F(HostTest, DevelopmentModeLoadsUnsignedPluginAndMarksIt) {
    Config config = config_with({"unsigned_plugin"});
    config.allow_unsigned_plugins = true;
    Host host(config);
    EXPECT_TRUE(host.development_mode());
    host.start();
    PluginInfo p = info(host, "unsigned_plugin");
    EXPECT_EQ(p.state, PluginState::Running) << p.reason;
    EXPECT_TRUE(p.unsigned_dev);
}

TEST_F(HostTest, TamperedModuleIsRefusedEvenInDevelopmentMode) {
    Config config = config_with({"tampered", "good"});
    config.allow_unsigned_plugins = true;
    Host host(config);
    host.start();
    PluginInfo p = info(host, "tampered");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, AllOf(HasSubstr("signature check failed"), HasSubstr("tampered.so is"),
                                HasSubstr("bytes, but the signed list says")));
    EXPECT_EQ(info(host, "good").state, PluginState::Running);
}

TEST_F(HostTest, PluginSignedByAnUntrustedKeyIsRefused) {
    std::string command = std::string(SEBA_MINISIGN) + " -G -W -p " +
                          (dir_ / "other.pub").string() + " -s " + (dir_ / "other.key").string() +
                          " >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0);
    Config config = config_with({"good"});
    config.trusted_keys = {minisign::load_public_key(dir_ / "other.pub")};
    Host host(config);
    host.start();
    PluginInfo p = info(host, "good");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, HasSubstr("not trusted"));
}

// A country's release key, made as docs/plugin-guide.md says (without a password here).
minisign::PublicKey make_key(const std::filesystem::path& dir, const std::string& name) {
    std::string command = std::string(SEBA_MINISIGN) + " -G -W -p " +
                          (dir / (name + ".pub")).string() + " -s " +
                          (dir / (name + ".key")).string() + " >/dev/null 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0);
    return minisign::load_public_key(dir / (name + ".pub"));
}

// A copy of the good plugin, signed again by seba-plugin-sign with `key`.
std::filesystem::path resigned_good(const std::filesystem::path& dir,
                                    const std::filesystem::path& key,
                                    const std::string& flags = "") {
    std::filesystem::path plugins = dir / "plugins";
    std::filesystem::remove_all(plugins);
    std::filesystem::create_directories(plugins);
    std::filesystem::copy(std::filesystem::path(SEBA_TEST_PLUGIN_DIR) / "good", plugins / "good",
                          std::filesystem::copy_options::recursive);
    std::string command = std::string(SEBA_PLUGIN_SIGN) + " --key " + key.string() + " " + flags +
                          " " + (plugins / "good").string() + " >/dev/null";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return plugins;
}

TEST_F(HostTest, ProductionKioskRefusesThePluginsOfADevelopmentBuild) {
    // The build's plugins, signed with its development key, on a kiosk in production that
    // (wrongly) lists that key as trusted.
    Config config = config_with({"good"});
    config.development_mode = false;
    Host host(config);
    host.start();
    PluginInfo p = info(host, "good");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason,
                AllOf(HasSubstr("signed with a development key"), HasSubstr("development build"),
                      HasSubstr("kiosk.mode = \"development\"")));
}

TEST_F(HostTest, ProductionKioskLoadsAPluginSignedWithTheCountrysReleaseKey) {
    Config config = config_with({"good"});
    config.development_mode = false;
    config.trusted_keys = {make_key(dir_.path(), "country")};
    config.plugin_dirs = {resigned_good(dir_.path(), dir_ / "country.key")};
    Host host(config);
    host.start();
    PluginInfo p = info(host, "good");
    EXPECT_EQ(p.state, PluginState::Running) << p.reason;
    EXPECT_EQ(p.signed_by, config.trusted_keys[0].key_id_hex());
}

TEST_F(HostTest, ProductionKioskRefusesADevelopmentSignatureWhateverTheKey) {
    // Tried: a release key's development signature (seba-plugin-sign --development), and a
    // release-looking signature made directly with minisign by the development key.
    Config config = config_with({"good"});
    config.development_mode = false;
    config.trusted_keys = {make_key(dir_.path(), "country"),
                           minisign::load_public_key(SEBA_DEV_PUBLIC_KEY)};
    config.plugin_dirs = {resigned_good(dir_.path(), dir_ / "country.key", "--development")};
    {
        Host host(config);
        host.start();
        EXPECT_THAT(info(host, "good").reason, HasSubstr("signed with a development key"));
    }
    std::filesystem::path list = config.plugin_dirs[0] / "good" / "plugin.files";
    std::string command = std::string(SEBA_MINISIGN) + " -S -s " +
                          development_secret_key().string() + " -m " + list.string() +
                          " -t 'seba plugin good 1.0.0' >/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0);
    Host host(config);
    host.start();
    PluginInfo p = info(host, "good");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, HasSubstr("signed with a development key"));

    config.development_mode = true;  // the same plugin on a test machine
    Host test_machine(config);
    test_machine.start();
    EXPECT_EQ(info(test_machine, "good").state, PluginState::Running);
}

TEST_F(HostTest, GarbledSignatureFileIsRefusedNamingIt) {
    std::filesystem::path plugins = dir_ / "plugins";
    std::filesystem::create_directories(plugins);
    std::filesystem::copy(std::filesystem::path(SEBA_TEST_PLUGIN_DIR) / "good", plugins / "good",
                          std::filesystem::copy_options::recursive);
    write_file(plugins / "good" / "plugin.files.minisig",
               "untrusted comment: x\n%%%% not base64\n");
    Config config = config_with({"good"});
    config.plugin_dirs = {plugins};
    config.allow_unsigned_plugins = true;  // a bad signature is refused even so
    Host host(config);
    host.start();
    PluginInfo p = info(host, "good");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason,
                AllOf(HasSubstr("good/plugin.files.minisig"), HasSubstr("signature check failed"),
                      HasSubstr("Reinstall it from a trusted source")));
}

TEST_F(HostTest, ManifestIdMustMatchItsFolder) {
    std::filesystem::path plugins = dir_ / "plugins";
    std::filesystem::create_directories(plugins);
    std::filesystem::copy(std::filesystem::path(SEBA_TEST_PLUGIN_DIR) / "good", plugins / "renamed",
                          std::filesystem::copy_options::recursive);
    Config config = config_with({"renamed"});
    config.plugin_dirs = {plugins};
    Host host(config);
    host.start();
    PluginInfo p = info(host, "renamed");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, HasSubstr("id \"good\" does not match its folder name \"renamed\""));
}

TEST_F(HostTest, EnabledPluginThatIsNotInstalledIsReported) {
    Host host(config_with({"missing_one", "good"}));
    host.start();
    PluginInfo p = info(host, "missing_one");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, HasSubstr("no folder missing_one/"));
    EXPECT_EQ(info(host, "good").state, PluginState::Running);
}

TEST_F(HostTest, EveryBadPluginAtOnceLeavesTheGoodOneWorking) {
    Host host(config_with({"bad_manifest", "no_entry", "newer_api", "throws_in_start",
                           "throws_later", "unsigned_plugin", "tampered", "good"}));
    host.start();
    host.end_session();
    EXPECT_EQ(info(host, "bad_manifest").state, PluginState::Refused);
    EXPECT_EQ(info(host, "no_entry").state, PluginState::Refused);
    EXPECT_EQ(info(host, "newer_api").state, PluginState::Refused);
    EXPECT_EQ(info(host, "throws_in_start").state, PluginState::Failed);
    EXPECT_EQ(info(host, "throws_later").state, PluginState::Failed);
    EXPECT_EQ(info(host, "unsigned_plugin").state, PluginState::Refused);
    EXPECT_EQ(info(host, "tampered").state, PluginState::Refused);
    EXPECT_EQ(info(host, "good").state, PluginState::Running);
    EXPECT_EQ(count(host, "SELECT count(*) FROM good__sessions"), 1);
    host.stop();
    EXPECT_EQ(info(host, "good").state, PluginState::Stopped);
    EXPECT_TRUE(host.audit().verify().ok);
}

TEST_F(HostTest, DisabledPluginsAreListedButNoneOfTheirCodeRuns) {
    Host host(config_with({}));
    host.start();
    PluginInfo good = info(host, "good");
    EXPECT_EQ(good.state, PluginState::Disabled);
    EXPECT_FALSE(good.enabled);
    // Its migrations never ran, so its tables do not exist.
    EXPECT_EQ(count(host, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'good__%'"), 0);
}

// [SECTION] the signature covers the whole plugin folder (plugin.files)

// A plugin folder copied from the build, as an attacker with write access to the disk finds
// it: signed, then changed by `change` (nothing is signed again).
class SignedFolderTest : public HostTest {
  protected:
    fs::path copy_of(const std::string& id) {
        fs::path plugins = dir_ / "plugins";
        fs::create_directories(plugins);
        fs::copy(fs::path(SEBA_TEST_PLUGIN_DIR) / id, plugins / id, fs::copy_options::recursive);
        // The modules' RUNPATH ($ORIGIN/../../lib) finds libseba_ui from the copies too.
        if (!fs::exists(dir_ / "lib"))
            fs::create_directory_symlink(fs::path(SEBA_TEST_PLUGIN_DIR).parent_path() / "lib",
                                         dir_ / "lib");
        return plugins / id;
    }

    // Starts a host over the copies; development mode with unsigned plugins allowed, the
    // most lenient kiosk there is: a signature that does not hold is refused even there.
    PluginInfo start(const std::string& id) {
        Config config = config_with({id});
        config.plugin_dirs = {dir_ / "plugins"};
        config.allow_unsigned_plugins = true;
        host_ = std::make_unique<Host>(config);
        host_->start();
        return info(*host_, id);
    }

    std::unique_ptr<Host> host_;
};

TEST_F(SignedFolderTest, UntouchedSignedFoldersLoad) {
    copy_of("good");
    PluginInfo good = start("good");
    EXPECT_EQ(good.state, PluginState::Running) << good.reason;
    EXPECT_FALSE(good.unsigned_dev);
    EXPECT_FALSE(good.signed_by.empty());

    host_.reset();
    copy_of("greeter");  // with assets
    PluginInfo greeter = start("greeter");
    EXPECT_EQ(greeter.state, PluginState::Running) << greeter.reason;
    EXPECT_FALSE(greeter.unsigned_dev);
}

TEST_F(SignedFolderTest, ManifestEditedToAddTheFleetChannelAndEveryCapabilityIsRefused) {
    fs::path good = copy_of("good");
    std::string manifest = read_file(good / "manifest.json");
    const std::string asked = R"("capabilities": ["storage", "outbox"],)";
    ASSERT_NE(manifest.find(asked), std::string::npos);
    manifest.replace(manifest.find(asked), asked.size(),
                     R"("capabilities": ["ui", "storage", "outbox", "printer"], )"
                     R"("channels": ["fleet"],)");
    write_file(good / "manifest.json", manifest);

    PluginInfo p = start("good");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, AllOf(HasSubstr("signature check failed"), HasSubstr("manifest.json is"),
                                HasSubstr("the signed list says")));
    EXPECT_FALSE(p.manifest) << "the edited manifest must not be read";
    EXPECT_THAT(host_->channels(), ::testing::Not(::testing::Contains("good")));
    EXPECT_EQ(count(*host_, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'good__%'"), 0);
}

TEST_F(SignedFolderTest, ManifestEditedToTheSameSizeIsRefusedByItsHash) {
    fs::path good = copy_of("good");
    std::string manifest = read_file(good / "manifest.json");
    manifest.replace(manifest.find("\"storage\""), 9, "\"printer\"");  // 9 bytes for 9
    ASSERT_EQ(manifest.size(), fs::file_size(good / "manifest.json"));
    write_file(good / "manifest.json", manifest);

    PluginInfo p = start("good");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, HasSubstr("manifest.json does not match its hash in the signed list"));
}

TEST_F(SignedFolderTest, ChangedTranslationAssetIsRefused) {
    fs::path greeter = copy_of("greeter");
    fs::path po = greeter / "assets" / "locale" / "bn.po";
    std::string text = read_file(po);
    const std::size_t at = text.find("msgstr \"", text.find("msgid \"Hello"));
    ASSERT_NE(at, std::string::npos);
    text.insert(at + 8, "Send your PIN to +000: ");
    write_file(po, text);

    PluginInfo p = start("greeter");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason,
                AllOf(HasSubstr("signature check failed"), HasSubstr("assets/locale/bn.po is")));
}

TEST_F(SignedFolderTest, FileAddedAfterSigningIsRefusedNamingIt) {
    fs::path greeter = copy_of("greeter");
    write_file(greeter / "assets" / "locale" / "ru.po", "msgid \"Hello\"\nmsgstr \"Vzlom\"\n");
    PluginInfo p = start("greeter");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, HasSubstr("assets/locale/ru.po is not in the signed list"));
}

TEST_F(SignedFolderTest, ListedFileRemovedIsRefusedNamingIt) {
    fs::path greeter = copy_of("greeter");
    fs::remove(greeter / "assets" / "locale" / "bn.po");
    PluginInfo p = start("greeter");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason,
                HasSubstr("assets/locale/bn.po is in the signed list but missing from the folder"));
}

TEST_F(SignedFolderTest, SymbolicLinkIsRefusedEvenToIdenticalBytes) {
    fs::path greeter = copy_of("greeter");
    fs::path po = greeter / "assets" / "locale" / "bn.po";
    fs::copy_file(po, dir_ / "elsewhere.po");
    fs::remove(po);
    fs::create_symlink(dir_ / "elsewhere.po", po);
    PluginInfo p = start("greeter");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, AllOf(HasSubstr("assets/locale/bn.po is a symbolic link")));
}

TEST_F(SignedFolderTest, PipeInThePluginFolderIsRefusedWithoutHanging) {
    fs::path good = copy_of("good");
    ASSERT_EQ(::mkfifo((good / "fifo").c_str(), 0644), 0);
    PluginInfo p = start("good");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, HasSubstr("fifo is not a regular file or folder"));
}

TEST_F(SignedFolderTest, SignatureOverTheModuleAloneIsNoLongerEnough) {
    // The old format: <id>.so.minisig over the module, nothing over the manifest.
    fs::path good = copy_of("good");
    fs::remove(good / "plugin.files");
    fs::remove(good / "plugin.files.minisig");
    std::string command = std::string(SEBA_MINISIGN) + " -S -s " +
                          development_secret_key().string() + " -m " + (good / "good.so").string() +
                          " -t 'seba plugin good 1.0.0' >/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0);
    Config config = config_with({"good"});
    config.plugin_dirs = {dir_ / "plugins"};
    Host host(config);
    host.start();
    PluginInfo p = info(host, "good");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, AllOf(HasSubstr("is not signed"),
                                HasSubstr("good.so.minisig signs the module alone"),
                                HasSubstr("seba-plugin-sign --key")));
}

TEST_F(SignedFolderTest, SignedListNamingAPathOutsideTheFolderIsRefused) {
    // A list that is validly signed (by a trusted key) but names "../..": the kiosk reads no
    // path from the list, and refuses a list no signer makes.
    fs::path good = copy_of("good");
    std::string list = read_file(good / "plugin.files");
    list += std::string(64, '0') + " 4 ../../etc/shadow\n";
    write_file(good / "plugin.files", list);
    std::string command = std::string(SEBA_MINISIGN) + " -S -s " +
                          development_secret_key().string() + " -m " +
                          (good / "plugin.files").string() + " >/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0);
    PluginInfo p = start("good");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, AllOf(HasSubstr("plugin.files line 4"),
                                HasSubstr("\"../../etc/shadow\" is not a path inside the plugin "
                                          "folder")));
}

TEST_F(SignedFolderTest, FileWritableByEveryUserIsRefused) {
    fs::path greeter = copy_of("greeter");
    fs::permissions(greeter / "assets" / "locale" / "bn.po", fs::perms::others_write,
                    fs::perm_options::add);
    PluginInfo p = start("greeter");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, HasSubstr("assets/locale/bn.po is writable by every user"));
}

TEST_F(SignedFolderTest, FolderWithTooManyFilesIsRefusedBeforeHashingThem) {
    fs::path good = copy_of("good");
    fs::create_directories(good / "many");
    for (int i = 0; i < 4100; ++i) write_file(good / "many" / std::to_string(i), "");
    PluginInfo p = start("good");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, HasSubstr("at most 4096 files and folders"));
}

TEST_F(SignedFolderTest, UnsignedFolderInDevelopmentModeStillObeysTheFolderRules) {
    fs::path good = copy_of("good");
    fs::remove(good / "plugin.files");
    fs::remove(good / "plugin.files.minisig");
    EXPECT_EQ(start("good").state, PluginState::Running);
    EXPECT_TRUE(info(*host_, "good").unsigned_dev);

    host_.reset();
    fs::create_symlink("/etc/passwd", good / "passwd");
    PluginInfo p = start("good");
    EXPECT_EQ(p.state, PluginState::Refused);
    EXPECT_THAT(p.reason, HasSubstr("passwd is a symbolic link"));
}

TEST_F(SignedFolderTest, SebaHostRunReportsTheSameRefusal) {
    fs::path greeter = copy_of("greeter");
    write_file(greeter / "extra.txt", "x");
    write_file(dir_ / "seba.toml",
               "[kiosk]\nid = \"k\"\ncentre = \"c\"\nlanguages = [\"en\"]\nmode = "
               "\"development\"\ndata_dir = \"data\"\n[plugins]\ndirs = [\"" +
                   (dir_ / "plugins").string() +
                   "\"]\nenabled = [\"greeter\"]\ntrusted_keys = [\"" +
                   std::string(SEBA_DEV_PUBLIC_KEY) + "\"]\n");
    ProcessResult r = host("run");
    EXPECT_THAT(r.output, AllOf(HasSubstr("greeter"), HasSubstr("refused"),
                                HasSubstr("extra.txt is not in the signed list")));
}

}  // namespace
}  // namespace seba::testing

// SPDX-License-Identifier: Apache-2.0
// seba-i18n: what a translator or release engineer needs to know about a catalog directory.
//
//   seba-i18n missing DIR [DOMAIN]   per language, the strings that still show in English
//   seba-i18n check DIR              exit 1, naming file and line, if a catalog is broken
//
// Plain argc/argv: two commands and no options do not need a CLI library.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "seba/build_info.hpp"
#include "seba/error.hpp"
#include "seba/ui/i18n.hpp"
#include "seba/ui/languages.hpp"

namespace {

namespace fs = std::filesystem;

// The languages to report on: every language the kiosk knows (English, the msgid itself, left
// out) and any other a catalog in `catalog` has a .po for (a country pack's).
std::vector<std::string> languages_of(const seba::ui::Catalog& catalog) {
    std::vector<std::string> out;
    for (const seba::ui::Language& language : seba::ui::languages().all())
        if (language.tag != "en") out.push_back(language.tag);
    for (const std::string& language : catalog.languages())
        if (std::find(out.begin(), out.end(), language) == out.end()) out.push_back(language);
    return out;
}
constexpr std::string_view kDefaultDomain = "seba";
constexpr char kContextSeparator = '\x04';

constexpr int kExitOk = 0;
constexpr int kExitBadCatalog = 1;
constexpr int kExitUsage = 2;

constexpr const char* kUsage =
    "usage: seba-i18n missing DIR [DOMAIN]\n"
    "       seba-i18n check DIR\n"
    "       seba-i18n --version\n"
    "\n"
    "Reads the gettext catalogs DIR/bn.po, DIR/uz-Latn.po, DIR/uz-Cyrl.po, DIR/ru.po\n"
    "(and DIR/en.po if present). A string missing from a language shows in English.\n"
    "\n"
    "  missing  for each language, count and list the msgids it does not translate\n"
    "           (absent, empty or fuzzy). DOMAIN defaults to \"seba\". Exit 0.\n"
    "  check    load every catalog; exit 1 naming the file and line of a malformed one,\n"
    "           or a translation whose {0}-style placeholders differ from the English.\n"
    "\n"
    "Exit status: 0 ok, 1 broken catalog, 2 wrong usage.\n";

int usage_error(const char* problem) {
    std::fprintf(stderr, "seba-i18n: %s\n\n%s", problem, kUsage);
    return kExitUsage;
}

// "ctx\x04msgid" reads badly in a terminal; show the context after the msgid.
std::string readable(const std::string& key) {
    const std::size_t separator = key.find(kContextSeparator);
    if (separator == std::string::npos) return key;
    return key.substr(separator + 1) + "  [context: " + key.substr(0, separator) + "]";
}

const std::string& translation_of(const seba::ui::Catalog& catalog, std::string_view language,
                                  const std::string& key) {
    const std::size_t separator = key.find(kContextSeparator);
    if (separator == std::string::npos) return catalog.translate(language, key);
    return catalog.translate(language, std::string_view(key).substr(0, separator),
                             key.substr(separator + 1));
}

fs::path catalog_file(const fs::path& dir, std::string_view language) {
    return dir / (std::string(language) + ".po");
}

// Catalog::load treats a missing directory as "no translations"; on the command line it is
// far more likely a typo, so say so.
bool require_directory(const fs::path& dir) {
    std::error_code error;
    if (fs::is_directory(dir, error)) return true;
    std::fprintf(stderr, "seba-i18n: %s is not a directory of .po catalogs\n",
                 dir.string().c_str());
    return false;
}

int run_missing(const fs::path& dir, std::string_view domain) {
    if (!require_directory(dir)) return kExitBadCatalog;
    const seba::ui::Catalog catalog = seba::ui::Catalog::load(domain, dir);
    std::printf("domain \"%s\" in %s: %zu strings\n", catalog.domain().c_str(),
                dir.string().c_str(), catalog.msgids().size());
    for (const std::string& language : languages_of(catalog)) {
        const std::vector<std::string> missing = catalog.missing(language);
        const std::string name(seba::ui::language_endonym(language));
        std::printf("%.*s (%s): %zu missing", static_cast<int>(language.size()), language.data(),
                    name.c_str(), missing.size());
        std::error_code error;
        if (!fs::exists(catalog_file(dir, language), error)) {
            std::printf(" (no %.*s.po)", static_cast<int>(language.size()), language.data());
        }
        std::printf("\n");
        for (const std::string& key : missing) std::printf("    %s\n", readable(key).c_str());
    }
    return kExitOk;
}

int run_check(const fs::path& dir) {
    if (!require_directory(dir)) return kExitBadCatalog;
    const seba::ui::Catalog catalog = seba::ui::Catalog::load(kDefaultDomain, dir);

    // A translation that drops or invents a placeholder shows "{0}" or loses the number.
    int problems = 0;
    std::vector<std::string> present;
    for (const std::string& language : catalog.languages()) {
        present.emplace_back(language);
        for (const std::string& key : catalog.msgids()) {
            const std::string english = key.substr(key.find(kContextSeparator) + 1);
            const std::string& text = translation_of(catalog, language, key);
            if (seba::ui::placeholders(text) != seba::ui::placeholders(english)) {
                std::fprintf(stderr,
                             "seba-i18n: %s: the translation of \"%s\" has other placeholders "
                             "than the English: \"%s\"\n",
                             catalog_file(dir, language).string().c_str(), readable(key).c_str(),
                             text.c_str());
                ++problems;
            }
        }
    }
    if (problems > 0) return kExitBadCatalog;

    std::string languages;
    for (const std::string& language : present) languages += " " + language;
    std::printf("ok: %zu catalog(s) in %s (%s), %zu strings\n", present.size(),
                dir.string().c_str(), languages.empty() ? "none" : languages.c_str() + 1,
                catalog.msgids().size());
    return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.empty()) return usage_error("no command given");
    const std::string_view command = args[0];
    if (command == "-h" || command == "--help" || command == "help") {
        std::fputs(kUsage, stdout);
        return kExitOk;
    }
    if (command == "--version") {
        std::puts(seba::version_line("seba-i18n").c_str());
        return kExitOk;
    }
    try {
        if (command == "missing") {
            if (args.size() < 2 || args.size() > 3) {
                return usage_error("missing takes DIR and an optional DOMAIN");
            }
            return run_missing(fs::path(args[1]), args.size() == 3 ? args[2] : kDefaultDomain);
        }
        if (command == "check") {
            if (args.size() != 2) return usage_error("check takes exactly one DIR");
            return run_check(fs::path(args[1]));
        }
    } catch (const seba::Error& e) {
        std::fprintf(stderr, "seba-i18n: %s\n", e.what());
        return kExitBadCatalog;
    }
    const std::string problem = "unknown command \"" + std::string(command) + "\"";
    return usage_error(problem.c_str());
}

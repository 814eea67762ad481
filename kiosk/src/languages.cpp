// SPDX-License-Identifier: Apache-2.0
#include "seba/ui/languages.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "seba/catalog.hpp"
#include "seba/config.hpp"
#include "seba/error.hpp"
#include "seba/private_files.hpp"
#include "seba/utf8.hpp"

namespace seba::ui {
namespace detail {
extern const std::string_view kShippedLanguages;  // languages_data.cpp, made by CMake
}  // namespace detail

namespace {
using nlohmann::json;

bool all_of_chars(std::string_view text, std::string_view allowed_punctuation) {
    return std::all_of(text.begin(), text.end(), [&](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               allowed_punctuation.find(c) != std::string_view::npos;
    });
}
}  // namespace

Languages Languages::shipped() {
    static const Languages shipped = [] {
        Languages out;
        const json file = json::parse(detail::kShippedLanguages);
        for (const json& record : file.at("languages")) out.add(Language::from_json(record));
        return out;
    }();
    return shipped;
}

void Languages::add(Language language) {
    auto same = std::find_if(languages_.begin(), languages_.end(),
                             [&](const Language& l) { return l.tag == language.tag; });
    if (same != languages_.end()) {
        *same = std::move(language);
    } else {
        languages_.push_back(std::move(language));
    }
}

const Language* Languages::find(std::string_view tag) const {
    auto found = std::find_if(languages_.begin(), languages_.end(),
                              [&](const Language& l) { return l.tag == tag; });
    return found == languages_.end() ? nullptr : &*found;
}

Languages languages_from(Database& db, std::vector<std::string>* problems) {
    Languages out = Languages::shipped();
    catalog::for_each(db, kLanguagesChannel, [&](std::string_view key, const json& data) {
        try {
            Language language = Language::from_json(data);
            if (language.tag != key)
                throw Error("record " + std::string(key) + " defines \"" + language.tag +
                            "\"; a language's record is keyed by its tag");
            out.add(std::move(language));
        } catch (const Error& e) {
            if (problems) problems->push_back(std::string(kLanguagesChannel) + ": " + e.what());
        }
    });
    return out;
}

namespace {

// A domain is the shell's ("seba") or a plugin's id: the same characters as a plugin id.
bool is_domain(std::string_view domain) {
    return !domain.empty() && domain.size() <= 64 &&
           all_of_chars(domain, "_-.") && domain.front() != '.';
}

// Five times the largest catalog Seba ships; a channel record holds 256 KiB.
constexpr std::size_t kMaxCatalogBytes = 192 * 1024;  // under a record's 256 KiB, escaped

}  // namespace

void export_translations(Database& db, const std::filesystem::path& dir,
                         std::vector<std::string>* problems) {
    namespace fs = std::filesystem;
    auto problem = [&](std::string_view key, const std::string& why) {
        if (problems)
            problems->push_back(std::string(kTranslationsChannel) + ": record " +
                                std::string(key) + " " + why);
    };
    std::map<fs::path, std::string> wanted;
    catalog::for_each(db, kTranslationsChannel, [&](std::string_view key, const json& data) {
        const std::size_t slash = key.find('/');
        const std::string_view domain = key.substr(0, slash);
        const std::string_view tag =
            slash == std::string_view::npos ? std::string_view{} : key.substr(slash + 1);
        if (!is_domain(domain) || !is_language_tag(tag))
            return problem(key, "is not keyed <domain>/<language tag>, e.g. digital_centre/ne");
        const auto po = data.find("po");
        if (po == data.end() || !po->is_string() ||
            po->get_ref<const std::string&>().size() > kMaxCatalogBytes ||
            !utf8::is_valid(po->get_ref<const std::string&>()))
            return problem(key, "needs \"po\": the text of a .po file in UTF-8, at most 192 KiB");
        wanted[fs::path(domain) / (std::string(tag) + ".po")] = po->get<std::string>();
    });

    fs::create_directories(dir);
    // Catalogs the channel no longer holds go; folders stay (empty is "no translations").
    std::error_code error;
    for (auto it = fs::recursive_directory_iterator(dir, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        if (it->is_regular_file() && it->path().extension() == ".po" &&
            !wanted.contains(fs::relative(it->path(), dir)))
            fs::remove(it->path(), error);
    }
    for (const auto& [relative, text] : wanted) {
        const fs::path file = dir / relative;
        fs::create_directories(file.parent_path());
        // Written beside and renamed, so a reader never sees half a catalog.
        const fs::path part = file.string() + ".part";
        {
            std::ofstream out(part, std::ios::binary | std::ios::trunc);
            out.write(text.data(), static_cast<std::streamsize>(text.size()));
            if (!out) throw Error("cannot write translation catalog " + part.string());
        }
        fs::rename(part, file);
    }
    make_private(dir);
}

namespace {

// Every set the process was given stays until it exits, so that a reference to one (a
// range-for over languages().all(), a Language* kept for a frame) never dangles when another
// thread sets a new one. They are a few kilobytes each, and a set changes only when a country
// pack's languages change.
struct Registry {
    std::mutex mutex;
    std::vector<std::unique_ptr<const Languages>> kept;
    std::atomic<const Languages*> current{nullptr};

    Registry() { keep(Languages::shipped()); }
    void keep(Languages languages) {
        const std::lock_guard lock(mutex);
        kept.push_back(std::make_unique<const Languages>(std::move(languages)));
        current.store(kept.back().get());
    }
};

Registry& registry() {
    static Registry* registry = new Registry;  // never destroyed: read during exit too
    return *registry;
}

}  // namespace

const Languages& languages() {
    return *registry().current.load();
}

void set_languages(Languages languages) {
    registry().keep(std::move(languages));
}

}  // namespace seba::ui

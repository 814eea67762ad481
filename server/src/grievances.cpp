// SPDX-License-Identifier: Apache-2.0
#include "seba/server/grievances.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>

#include "seba/utf8.hpp"

namespace seba::server {

namespace {

constexpr std::string_view kChannel = "civil_service.grievances";
constexpr std::string_view kEvent = "civil_service.grievance";
constexpr std::size_t kMaxNoteChars = 500;
constexpr std::size_t kMaxNoteLanguages = 8;

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

// A BCP 47 tag as the kiosk's languages are written ("bn", "uz-Latn").
bool valid_language(std::string_view tag) {
    return !tag.empty() && tag.size() <= 16 && std::all_of(tag.begin(), tag.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    });
}

}  // namespace

PublishReport answer_grievance(Store& store, const GrievanceAnswer& answer,
                               std::string_view actor) {
    static const std::set<std::string, std::less<>> kStatuses = {"received", "in_progress",
                                                                 "resolved", "rejected"};
    if (!store.centre_exists(answer.centre))
        throw Error(fmt::format("no centre {}", utf8::replace_invalid(answer.centre)));
    if (!kStatuses.count(answer.status))
        throw Error(fmt::format("status {} is not one of received, in_progress, resolved, rejected",
                                utf8::replace_invalid(answer.status)));
    if (answer.note.size() > kMaxNoteLanguages)
        throw Error(fmt::format("a note in at most {} languages", kMaxNoteLanguages));
    for (const auto& [language, text] : answer.note) {
        if (!valid_language(language))
            throw Error(fmt::format("note language {} is not a language tag",
                                    utf8::replace_invalid(language)));
        if (utf8::invalid_at(text) != std::string_view::npos)
            throw Error(fmt::format("the {} note is not UTF-8", language));
        if (text.empty() || utf8::count(text) > kMaxNoteChars)
            throw Error(fmt::format("the {} note must be 1 to {} characters (found {})", language,
                                    kMaxNoteChars, utf8::count(text)));
    }
    // The complaint as its kiosk made the reference: an answer nobody can find helps no one.
    std::string typed = upper(answer.reference);
    typed.erase(std::remove(typed.begin(), typed.end(), ' '), typed.end());
    std::string reference;
    for (const StoredEvent& e : store.events(answer.centre)) {
        if (e.type != kEvent) continue;
        nlohmann::json payload = nlohmann::json::parse(e.payload, nullptr, false);
        if (!payload.is_object() || !payload.contains("reference") ||
            !payload["reference"].is_string())
            continue;
        const std::string made = payload["reference"].get<std::string>();
        if (upper(made) == typed) {
            reference = made;
            break;
        }
    }
    if (reference.empty())
        throw Error(fmt::format("no complaint {} has been received from centre {}",
                                utf8::replace_invalid(answer.reference), answer.centre));
    nlohmann::json data = {
        {"status", answer.status},
        {"answered_at", fmt::format("{:%FT%TZ}", std::chrono::floor<std::chrono::seconds>(
                                                     std::chrono::system_clock::now()))}};
    if (!answer.note.empty()) data["note"] = answer.note;
    PublishReport report = store.publish(kChannel, answer.centre, {{reference, data.dump()}},
                                         /*replace=*/false, /*dry_run=*/false);
    store.audit(actor, "grievance.answered",
                fmt::format("centre {} complaint {}: {}{}", answer.centre, reference, answer.status,
                            answer.note.empty() ? "" : " (with a note)"));
    return report;
}

}  // namespace seba::server

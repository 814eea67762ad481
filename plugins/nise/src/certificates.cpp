// SPDX-License-Identifier: Apache-2.0
#include "certificates.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdint>

namespace seba::nise {

namespace {

// A name as compared: NFKC with case folding (ICU: "RAHIM" and "rahim", "ИВАНОВ" and
// "иванов", a stray zero-width joiner dropped), then without spaces and punctuation.
std::string comparable(std::string_view name) {
    UErrorCode error = U_ZERO_ERROR;
    const icu::UnicodeString text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(name.data(), static_cast<std::int32_t>(name.size())));
    const icu::Normalizer2* fold = icu::Normalizer2::getNFKCCasefoldInstance(error);
    icu::UnicodeString folded = U_SUCCESS(error) ? fold->normalize(text, error) : text;
    if (U_FAILURE(error)) folded = text;
    icu::UnicodeString kept;
    for (std::int32_t at = 0; at < folded.length();) {
        const UChar32 c = folded.char32At(at);
        at += U16_LENGTH(c);
        if (!u_isUWhiteSpace(c) && !u_ispunct(c)) kept.append(c);
    }
    std::string out;
    kept.toUTF8String(out);
    return out;
}

Attach from_status(credentials::Status status) {
    switch (status) {
        case credentials::Status::Valid:
            return Attach::Attached;
        case credentials::Status::Expired:
            return Attach::Expired;
        case credentials::Status::Revoked:
            return Attach::Revoked;
        case credentials::Status::UnknownIssuer:
            return Attach::NotYetTrusted;
        case credentials::Status::Invalid:
            break;
    }
    return Attach::Invalid;
}

}  // namespace

std::string_view to_string(Attach attach) {
    switch (attach) {
        case Attach::Attached:
            return "attached";
        case Attach::NotACertificate:
            return "not_a_certificate";
        case Attach::Invalid:
            return "invalid";
        case Attach::NotYetTrusted:
            return "not_yet_trusted";
        case Attach::Revoked:
            return "revoked";
        case Attach::Expired:
            return "expired";
        case Attach::NotACourse:
            return "not_a_course";
        case Attach::OtherHolder:
            return "other_holder";
        case Attach::UnknownCourse:
            return "unknown_course";
        case Attach::AlreadyAttached:
            return "already_attached";
        case Attach::TooMany:
            return "too_many";
    }
    return "invalid";
}

Attached attach_certificate(Profile& profile, std::string_view scanned_or_typed,
                            credentials::Credentials& credentials, const Catalog& catalog) {
    Attached out;
    if (!credentials::extract_text(scanned_or_typed)) return out;  // NotACertificate
    const credentials::Verdict verdict = credentials.verify(scanned_or_typed);
    out.reason = verdict.reason;
    if (verdict.status != credentials::Status::Valid || !verdict.claims) {
        // Not a credential's text at all, or cut off while typed: say so, not "forged".
        if (verdict.reason == credentials::Reason::NotACredential ||
            verdict.reason == credentials::Reason::Truncated)
            out.result = Attach::NotACertificate;
        else
            out.result = from_status(verdict.status == credentials::Status::Valid
                                         ? credentials::Status::Invalid
                                         : verdict.status);
        return out;
    }
    const credentials::Claims& claims = *verdict.claims;
    const nlohmann::json& achievement = claims.achievement;
    auto course_id = achievement.is_object() ? achievement.find("course") : achievement.end();
    if (claims.type != "course-certificate" || course_id == achievement.end() ||
        !course_id->is_string()) {
        out.result = Attach::NotACourse;
        return out;
    }
    if (!profile.name.empty() && comparable(profile.name) != comparable(claims.subject)) {
        out.result = Attach::OtherHolder;
        return out;
    }
    const CourseSkills* course = catalog.course(course_id->get<std::string>());
    if (!course || course->skills.empty()) {
        out.result = Attach::UnknownCourse;
        return out;
    }
    const bool already = std::any_of(
        profile.certificates.begin(), profile.certificates.end(), [&](const Certificate& c) {
            return c.credential == claims.id || c.course == course->course;
        });
    if (already) {
        out.result = Attach::AlreadyAttached;
        return out;
    }
    if (profile.certificates.size() >= kMaxCertificates) {
        out.result = Attach::TooMany;
        return out;
    }
    out.certificate = {claims.id, course->course, claims.issued, course->skills};
    if (profile.name.empty()) profile.name = claims.subject;
    profile.certificates.push_back(out.certificate);
    out.result = Attach::Attached;
    return out;
}

}  // namespace seba::nise

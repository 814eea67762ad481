// SPDX-License-Identifier: Apache-2.0
#pragma once

// A MuktoPaath certificate attached to a profile: scanned or typed, checked offline by its
// signature against the trust list (seba/credentials.hpp), and turned into verified skills
// through its course's "skills" in muktopaath.courses. A certificate in another name, a
// forged, revoked or expired one, or one for a course that teaches no listed skill is refused
// with the reason, and the profile stays as it was.

#include <seba/sdk.hpp>
#include <string>
#include <string_view>

#include "catalog.hpp"
#include "profile.hpp"

namespace seba::nise {

enum class Attach {
    Attached,
    NotACertificate,  ///< not a credential text at all, or cut off
    Invalid,          ///< altered, forged, malformed (the verdict's reason says which)
    NotYetTrusted,    ///< signed by a kiosk this one has no trust entry for yet: sync, retry
    Revoked,
    Expired,
    NotACourse,       ///< a genuine credential, but not a course certificate
    OtherHolder,      ///< issued to another name than the profile's
    UnknownCourse,    ///< its course is not in muktopaath.courses, or teaches no skill
    AlreadyAttached,
    TooMany,          ///< the profile holds kMaxCertificates already
};
/// "attached", "not_a_certificate", ... for logs and tests.
std::string_view to_string(Attach attach);

struct Attached {
    Attach result = Attach::NotACertificate;
    credentials::Reason reason = credentials::Reason::None;  ///< when the verdict was not valid
    Certificate certificate;  ///< when attached
};

/// Verifies `scanned_or_typed` and, when it is a course certificate of this citizen's,
/// attaches it to `profile`. Names are compared ignoring case, spaces and punctuation; a
/// profile without a name takes the certificate's.
Attached attach_certificate(Profile& profile, std::string_view scanned_or_typed,
                            credentials::Credentials& credentials, const Catalog& catalog);

}  // namespace seba::nise

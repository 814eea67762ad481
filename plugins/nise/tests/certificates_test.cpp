// SPDX-License-Identifier: Apache-2.0
// MuktoPaath certificates attached to a profile, checked by the kiosk's own Credentials
// against the trust list it synced: a genuine one of the citizen's turns its course's skills
// into verified ones; forged, altered, another's, an unknown course's, a second copy, or not
// a course certificate at all are refused with the reason, and the profile stays as it was.
#include "certificates.hpp"

#include "books_fixture.hpp"

namespace seba::nise {
// Failures name the result ("unknown_course"), not its bytes.
inline void PrintTo(Attach attach, std::ostream* out) {
    *out << to_string(attach);
}
}  // namespace seba::nise

namespace seba::nise::books_testing {
namespace {

using NiseCertificates = WithCertificates;

Profile named(const std::string& name) {
    Profile p;
    p.name = name;
    p.skills = {"typing-bangla"};
    return p;
}

TEST_F(NiseCertificates, AGenuineCertificateOfTheCitizensVerifiesItsCoursesSkills) {
    Profile p = named(kName);
    const std::string text = certificate(kName);
    Attached a = attach_certificate(p, text, *credentials_, *catalog_);
    ASSERT_EQ(a.result, Attach::Attached)
        << to_string(a.result) << " " << credentials::to_string(a.reason);
    EXPECT_EQ(a.certificate.course, "spreadsheets-101");
    EXPECT_EQ(a.certificate.issued, "2026-12-02");
    EXPECT_EQ(a.certificate.skills, (std::vector<std::string>{"spreadsheet", "data-entry"}));
    ASSERT_EQ(p.certificates.size(), 1u);
    Seeker s = p.seeker();
    ASSERT_EQ(s.skills.size(), 3u);
    EXPECT_FALSE(s.skills[0].verified) << "typing-bangla is only said";
    EXPECT_TRUE(s.skills[1].verified);
    EXPECT_TRUE(s.skills[2].verified);

    // The same certificate again, as a verification URL: already attached.
    const std::string url = credentials::verify_url("https://seba.example.org", text);
    EXPECT_EQ(attach_certificate(p, url, *credentials_, *catalog_).result, Attach::AlreadyAttached);
    EXPECT_EQ(p.certificates.size(), 1u);
}

TEST_F(NiseCertificates, NamesAreComparedIgnoringCaseSpacesAndPunctuation) {
    Profile p = named("  md. RAHIM   uddin ");
    EXPECT_EQ(attach_certificate(p, certificate("Md Rahim Uddin"), *credentials_, *catalog_).result,
              Attach::Attached);
    Profile cyrillic = named("ИВАНОВ  Иван");
    EXPECT_EQ(
        attach_certificate(cyrillic, certificate("иванов иван"), *credentials_, *catalog_).result,
        Attach::Attached);
    Profile bangla = named("রহিম উদ্দিন");
    EXPECT_EQ(attach_certificate(bangla, certificate("রহিম উ\u200dদ্দিন"), *credentials_, *catalog_)
                  .result,
              Attach::Attached)
        << "a zero-width joiner is not a letter";
    Profile nameless;
    EXPECT_EQ(attach_certificate(nameless, certificate(kName), *credentials_, *catalog_).result,
              Attach::Attached);
    EXPECT_EQ(nameless.name, kName) << "a profile without a name takes the certificate's";
}

TEST_F(NiseCertificates, EachBadCertificateIsRefusedWithItsReasonAndTheProfileStays) {
    Profile p = named(kName);
    const json before = to_json(p);
    auto attach = [&](const std::string& text) {
        return attach_certificate(p, text, *credentials_, *catalog_);
    };

    EXPECT_EQ(attach("").result, Attach::NotACertificate);
    EXPECT_EQ(attach("hello").result, Attach::NotACertificate);
    const std::string genuine = certificate(kName);
    EXPECT_EQ(attach(genuine.substr(0, genuine.size() / 2)).result, Attach::NotACertificate)
        << "cut off while typed";

    std::string altered = genuine;
    altered[10] = altered[10] == 'A' ? 'B' : 'A';
    Attached a = attach(altered);
    EXPECT_EQ(a.result, Attach::Invalid);

    // Signed by a key no trust list vouches for: a forgery, or a kiosk not yet synced.
    const signing::KeyPair forger = signing::generate_key_pair();
    a = attach(certificate(kName, "spreadsheets-101", "course-certificate", &forger));
    EXPECT_EQ(a.result, Attach::NotYetTrusted);
    EXPECT_EQ(a.reason, credentials::Reason::UnknownKey);

    EXPECT_EQ(attach(certificate("Karim Mia")).result, Attach::OtherHolder);
    EXPECT_EQ(attach(certificate(kName, "no-such-course")).result, Attach::UnknownCourse);
    EXPECT_EQ(attach(certificate(kName, "no-skills")).result, Attach::UnknownCourse)
        << "a course that teaches no listed skill";
    EXPECT_EQ(attach(certificate(kName, "spreadsheets-101", "attendance")).result,
              Attach::NotACourse);
    EXPECT_EQ(to_json(p), before);

    // A revoked certificate.
    const std::string revoked = certificate(kName);
    const std::string id = credentials::decode(revoked).claims.id;
    a_->keep(credentials::kTrustChannel, credentials::revocation_key(id),
             credentials::sign_revocation({id, "2026-12-03T00:00:00.000Z"}, trust_));
    EXPECT_EQ(attach(revoked).result, Attach::Revoked);
    EXPECT_EQ(to_json(p), before);

    EXPECT_EQ(to_string(Attach::OtherHolder), "other_holder");
}

TEST_F(NiseCertificates, NoMoreThanTheLimit) {
    Profile p = named(kName);
    for (std::size_t i = 0; i < kMaxCertificates; ++i)
        p.certificates.push_back({std::string(15, 'a') + static_cast<char>('a' + i % 6),
                                  "course-" + std::to_string(i),
                                  "2026-12-01",
                                  {"x"}});
    EXPECT_EQ(attach_certificate(p, certificate(kName), *credentials_, *catalog_).result,
              Attach::TooMany);
}

}  // namespace
}  // namespace seba::nise::books_testing

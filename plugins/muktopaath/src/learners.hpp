// SPDX-License-Identifier: Apache-2.0
#pragma once

// Learners: enrolment (a local row and its event in one transaction), the return code a
// learner signs in with, and what they did (progress, attempts, certificates) as append-only
// rows and events. No name or phone rests readable here: a learner is found by a login
// derived from phone + return code with a slow hash, and their name travels only in a box
// that phone + code open (docs/muktopaath.md, "Sign-in and privacy").

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <seba/return_code.hpp>
#include <seba/sdk.hpp>
#include <span>
#include <string>
#include <string_view>

#include "quiz.hpp"

namespace seba::mp {

/// MuktoPaath's subkey contexts of a learner's return code (seba/return_code.hpp): a
/// learner's login and box key, byte for byte as before the code was shared.
inline constexpr return_code::Contexts kLearnerContexts{"mp_login", "mp_box__"};

/// What phone + return code give a learner: their login and the key of their box.
using LearnerKeys = return_code::Keys;
inline LearnerKeys derive_keys(std::string_view phone_e164, std::string_view code,
                               std::string_view centre) {
    return return_code::derive_keys(phone_e164, code, centre, kLearnerContexts);
}

struct LessonProgress {
    int page = 0;  ///< the furthest page reached (0-based)
    bool done = false;
};

/// A learner's course, merged from what every kiosk of the centre recorded.
struct CourseRecord {
    std::string version;
    std::map<std::string, LessonProgress, std::less<>> lessons;  ///< by lesson id
    AttemptHistory attempts;
    std::string score_band;  ///< when passed
    /// What the certificate's QR holds (the verification URL with the credential's text, or
    /// the text alone) boxed for the learner, or "".
    std::string certificate;
};

struct LearnerRecord {
    std::string learner;  ///< random id
    std::string login;
    std::string box;
    std::map<std::string, CourseRecord, std::less<>> courses;
};

/// Merges `from` into `into`: the furthest page, done once done, the most attempts, the
/// latest attempt, passed once passed. Order does not matter and twice is once.
void merge(CourseRecord& into, const CourseRecord& from);
/// A record of the channel muktopaath.learners (docs/muktopaath.md); null parts are skipped.
LearnerRecord learner_from_json(std::string_view login, const nlohmann::json& data);
nlohmann::json to_json(const LearnerRecord& record);

/// A signed-in learner, for the citizen's session only.
struct Learner {
    std::string learner, login;
    LearnerKeys keys;
    std::string name;  ///< from the box; wiped when the session ends
    void wipe();
};

class LearnerBook {
  public:
    static std::span<const Migration> migrations();

    /// `centre`: this kiosk's centre, which salts the login.
    LearnerBook(PluginStore& store, std::string centre);

    struct Enrolled {
        Learner learner;
        std::string code;  ///< "K7QP2M9X"
    };
    /// Enrols a new learner in `course`: the local row and the event "muktopaath.enrolled"
    /// (name, phone and the ID sealed to the server) in one transaction. Throws what the
    /// store throws, nothing kept then (sealing::NoServerKey before the kiosk is enrolled).
    Enrolled enrol(std::string_view name, std::string_view phone_e164, std::string_view nid,
                   const Course& course);
    /// Enrols a signed-in learner in another course (no new code).
    void enrol(const Learner& learner, const Course& course);

    /// The learner phone + code name, found in this kiosk's rows or the centre's learners
    /// channel; nullopt when neither knows them (a wrong code or phone).
    std::optional<Learner> sign_in(std::string_view phone_e164, std::string_view code);
    /// What is known of the learner: the channel's record merged with this kiosk's rows.
    LearnerRecord record(const Learner& learner);

    void record_progress(const Learner& learner, const Course& course, std::string_view lesson,
                         int page, bool done);
    void record_attempt(const Learner& learner, const Course& course, int score, bool passed,
                        int attempt);
    void record_certificate(const Learner& learner, const Course& course,
                            std::string_view credential_id, std::string_view band,
                            std::string_view credential_qr);

    /// Learners enrolled at this kiosk on `day` (YYYY-MM-DD), for the operator.
    int enrolled_on(std::string_view day);

  private:
    std::optional<LearnerRecord> local(std::string_view login);
    PluginStore& store_;
    std::string centre_;
};

}  // namespace seba::mp

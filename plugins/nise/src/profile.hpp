// SPDX-License-Identifier: Apache-2.0
#pragma once

// The citizen's skills profile (docs/nise.md, "Profiles and privacy"). It lives in the
// kiosk's memory while the citizen uses it and is wiped when the session ends. With consent it
// is saved for them: boxed under a key only their phone and a printed return code give
// (seba::return_code, as MuktoPaath's learners), sent to the server with name and phone
// sealed, and found again at any kiosk of the centre through the per-centre channel
// nise.profiles. Nothing readable rests on the kiosk. A withdrawal deletes it on the server
// and here, and a withdrawn profile can never be referred.

#include <array>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <seba/sdk.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "matching.hpp"

namespace seba::nise {

/// Education levels, lowest first; an opportunity's "education" names one of these ids.
struct EducationLevel {
    std::string_view id;  ///< "none", "primary", "secondary", "higher_secondary", "vocational",
                          ///< "tertiary"
    std::string_view icon;
    std::string_view english;  ///< the msgid its translations use
};
std::span<const EducationLevel> education_levels();
/// Its place in education_levels(), or -1 for an unknown id.
int education_rank(std::string_view id);

/// A MuktoPaath certificate attached to the profile, verified by its signature.
struct Certificate {
    std::string credential;  ///< the credential's id (16 hex digits)
    std::string course;      ///< the course id of its achievement
    std::string issued;      ///< YYYY-MM-DD
    std::vector<std::string> skills;  ///< the skills its course teaches (muktopaath.courses)
};

struct Profile {
    std::string name;   ///< as the citizen gave it; sent only sealed
    std::string phone;  ///< E.164; sent only sealed
    std::string education;  ///< an education level id, or ""
    std::vector<std::string> skills;  ///< skills the citizen says they have, each once
    std::vector<Certificate> certificates;
    std::vector<std::string> languages;  ///< language tags the citizen speaks
    std::string place;  ///< "<channel>/<key>" of the directory, or ""

    /// The skills to match: said and verified, each once, verified when any certificate
    /// teaches it.
    Seeker seeker() const;
    /// Overwrites name and phone in memory, then clears everything.
    void wipe();
};

/// The profile as its box holds it (name and phone too: only phone + code open it).
nlohmann::json to_json(const Profile& profile);
/// nullopt when `data` is not a profile (what a damaged or foreign box holds).
std::optional<Profile> profile_from_json(const nlohmann::json& data);

/// Limits on a profile: a save or referral past them is refused.
inline constexpr std::size_t kMaxProfileSkills = 40;
inline constexpr std::size_t kMaxCertificates = 20;
inline constexpr std::size_t kMaxLanguages = 8;
inline constexpr std::size_t kMaxNameChars = 128;

/// The citizen using the kiosk now: their profile, and once saved or found, its login.
struct Citizen {
    Profile profile;
    std::string login;  ///< 64 hex digits once saved or signed in; "" before
    std::array<std::uint8_t, 32> box_key{};
    bool consented = false;  ///< agreed that the profile is kept and sent with referrals
    void wipe();
    ~Citizen();
};

/// Why a profile cannot be saved, found or withdrawn (the citizen's mistake, not the kiosk's).
class ProfileRefused : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class ProfileBook {
  public:
    static std::span<const Migration> migrations();

    /// `centre`: this kiosk's centre (the salt of the login, as MuktoPaath's). `today`: the
    /// local day a save counts on, the same day the operator's page asks about (the Desk's
    /// guarded clock); without it, the UTC day.
    ProfileBook(PluginStore& store, std::string centre, std::function<std::string()> today = {});

    /// Saves the citizen's profile with their consent: boxed under phone + a new return code
    /// (the first time) or their own, the event "nise.profile_saved" (the box; name and phone
    /// sealed), and the box kept here until the channel has it, in one transaction. Returns
    /// the new return code ("K7QP2M9X"), or "" when the citizen had one. Throws
    /// ProfileRefused (no consent, no phone, over a limit, withdrawn), or what the store throws
    /// with nothing kept (sealing::NoServerKey before enrolment).
    std::string save(Citizen& citizen);

    /// The saved profile phone + code open, from this kiosk's boxes or the centre's channel
    /// nise.profiles; nullopt for a wrong phone or code, or a withdrawn profile.
    std::optional<Citizen> sign_in(std::string_view phone_e164, std::string_view code);

    /// Withdraws the citizen's saved profile: the event "nise.profile_withdrawn", its boxes
    /// here deleted and its login remembered as withdrawn, in one transaction; the citizen is
    /// wiped. The server deletes the profile when the event arrives.
    void withdraw(Citizen& citizen);

    /// Whether `login` was withdrawn (here, or gone from the channel after a withdrawal).
    bool withdrawn(std::string_view login);

    /// Profiles saved at this kiosk on `day` (YYYY-MM-DD), for the operator.
    int saved_on(std::string_view day);

  private:
    void forget_published();
    PluginStore& store_;
    std::string centre_;
    std::function<std::string()> today_;
};

}  // namespace seba::nise

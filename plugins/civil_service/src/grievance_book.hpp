// SPDX-License-Identifier: Apache-2.0
#pragma once

// Complaints filed at this kiosk: each written with its outbox event in one transaction, under
// a reference the citizen keeps (reference.hpp). The citizen's own words are never kept here:
// they go out sealed to the server with the event. The answer comes back on the per-centre
// channel "civil_service.grievances" (docs/civil-service.md, "Grievances").

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "seba/plugin_store.hpp"
#include "seba/reference.hpp"

namespace seba::civil {

/// The longest text a citizen may write, in characters (code points).
inline constexpr std::size_t kMaxTextChars = 500;

/// What the citizen chose and wrote.
struct NewGrievance {
    std::string category;              ///< an id of categories()
    std::string service;               ///< a dc.services id, or "" when not about one
    std::vector<std::string> phrases;  ///< ids of phrases(), each at most once
    std::string text;                  ///< their own words, or ""; sent sealed only
    std::string language;              ///< the citizen's language, for the answer's note
};

/// Why a grievance cannot be filed as it is (a citizen's mistake, not the kiosk's).
class GrievanceRefused : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct StoredGrievance {
    std::string reference;
    std::string category;
    std::string service;   ///< "" when not about one
    std::string filed_at;  ///< UTC ISO 8601 by the kiosk's corrected clock
};

/// The answer the centre's office sent back (channel civil_service.grievances).
struct Answer {
    std::string status;  ///< received, in_progress, resolved, rejected
    std::string answered_at;
    std::map<std::string, std::string> note;  ///< language -> text; may be empty
    /// Closed: nothing more will happen (resolved or rejected).
    bool closed() const { return status == "resolved" || status == "rejected"; }
};

/// A complaint filed here that is not closed, for the operator.
struct OpenGrievance {
    StoredGrievance grievance;
    std::string status;  ///< "received" until the office answered
};

/// The complaints filed here and not closed.
struct OpenGrievances {
    std::vector<OpenGrievance> newest;  ///< newest first, at most the limit asked for
    std::size_t total = 0;
    std::map<std::string, std::size_t, std::less<>> by_category;  ///< of all `total`
};

class GrievanceBook {
  public:
    static std::span<const Migration> migrations();

    GrievanceBook(PluginStore& store, std::string centre_code);

    /// Checks `g`: throws GrievanceRefused for a category or phrase that is not one, a
    /// phrase twice, a text over kMaxTextChars or not UTF-8, a service id that is not one.
    static void check(const NewGrievance& g);

    /// Writes the complaint and its "civil_service.grievance" event together (the text
    /// sealed), runs `also(reference)` in the same transaction (the slip's print job), and
    /// returns the reference. Throws GrievanceRefused (check()), or what the store throws,
    /// with nothing kept: sealing::NoServerKey while the kiosk cannot seal a text.
    std::string file(const NewGrievance& g, const std::function<void(const std::string&)>& also);

    std::optional<StoredGrievance> find(std::string_view reference);
    /// The office's answer to `reference`, if it sent one.
    std::optional<Answer> answer(std::string_view reference);
    /// Complaints filed here and not closed: the newest `limit` of them, and counts of all.
    OpenGrievances open(std::size_t limit);

    /// A reference as this kiosk makes them today, to show a citizen what one looks like.
    std::string example_reference();
    const std::string& centre_code() const { return centre_code_; }
    void mark_printed(std::string_view reference);

  private:
    PluginStore& store_;
    std::string centre_code_;
    reference::Numbering numbering_;  ///< this kiosk's tag and the day's sequence
};

/// Reads a record of civil_service.grievances; nullopt when it is not an answer.
std::optional<Answer> read_answer(const nlohmann::json& data);

}  // namespace seba::civil

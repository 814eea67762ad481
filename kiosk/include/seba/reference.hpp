// SPDX-License-Identifier: Apache-2.0
#pragma once

// References on slips a citizen keeps, "DHK1-G261128-A7-0003": the centre's code, a letter
// that says what it refers to (G a complaint, N a referral) and the day it was made (YYMMDD),
// this kiosk's two-letter tag, the day's sequence on this kiosk. Like the Digital Centre's
// tracking numbers ("DHK1-261128-A7-0042") but told apart by the letter, so that none is ever
// taken for another. A citizen types it back in any case, with spaces, dashes or nothing
// between the groups, and in Bangla or other native digits.

#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "seba/plugin_store.hpp"
#include "seba/ui/export.hpp"

namespace seba::reference {

/// The reference of the day's `seq`th item lettered `letter` (A-Z, not O or I) on the kiosk
/// tagged `tag` at centre `centre_code`, made on `day` (YYYY-MM-DD).
SEBA_UI_API std::string make(std::string_view centre_code, char letter, std::string_view day,
                             std::string_view tag, long long seq);

/// Reads `typed` (at most 200 bytes are looked at; more is not a reference) as a reference
/// lettered `letter`: letters in any case; spaces, dashes, dots, slashes or nothing between
/// groups; any Unicode decimal digits; O and I for 0 and 1 where digits belong. The reference
/// as it was made, `centre_code` (this kiosk's) given back as configured when what was typed
/// names it; nullopt when it is not one.
SEBA_UI_API std::optional<std::string> read(std::string_view typed, std::string_view centre_code,
                                            char letter);

/// A plugin's numbering: this kiosk's tag, made once and kept in the plugin's key-value table
/// `meta_table` (columns key, value), and the day's next sequence from the column `seq` of
/// `rows_table` (with a column `day`, YYYY-MM-DD). Both tables are the plugin's own.
class SEBA_UI_API Numbering {
  public:
    Numbering(PluginStore& store, std::string meta_table, std::string rows_table);
    /// The kiosk's tag, made (and kept) the first time; call inside the transaction that
    /// writes the first reference.
    std::string tag();
    /// The tag when one was made, else nullopt (reading writes nothing: the disk may be full).
    std::optional<std::string> known_tag();
    /// The next sequence on `day`: one past the highest of the day's rows.
    long long next(std::string_view day);

  private:
    PluginStore& store_;
    std::string meta_table_, rows_table_;
};

/// The answer an office publishes to a slip's reference on a per-centre channel (a
/// complaint's, a referral's): {"status", "answered_at", "note": {language: text}}.
struct Answer {
    std::string status;
    std::string answered_at;                               ///< UTC ISO 8601, or ""
    std::map<std::string, std::string, std::less<>> note;  ///< language -> text; may be empty
};

/// Reads a channel record as an answer whose status is one of `statuses`; nullopt when it is
/// not one. A note given as bare text counts as English; a language tag over 16 bytes, or a
/// note that is not text, is left out.
SEBA_UI_API std::optional<Answer> read_answer(const nlohmann::json& data,
                                              std::initializer_list<std::string_view> statuses);

/// The letters and digits of a tag: none that anyone misreads (no 0/O, 1/I).
inline constexpr std::string_view kTagAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

}  // namespace seba::reference

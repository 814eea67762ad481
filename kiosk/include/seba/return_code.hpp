// SPDX-License-Identifier: Apache-2.0
#pragma once

// A citizen's return code and what it opens (docs/muktopaath.md, "Sign-in and privacy"): a
// code printed on a slip, typed back with the citizen's phone at any kiosk of the centre.
// Phone + code give, through one slow hash salted by the centre, a login other kiosks find
// the citizen by and the key of a box that holds what they keep. Each plugin names its own
// two subkey contexts, so one plugin's login says nothing of another's.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "seba/ui/export.hpp"

namespace seba::return_code {

/// The code's letters: no 0/O, 1/I/L, which are read off paper and typed back.
inline constexpr std::string_view kAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A fresh code: 8 characters of kAlphabet ("K7QP2M9X"), shown grouped as "K7QP-2M9X".
SEBA_UI_API std::string make();
/// The code as it is hashed ("K7QP2M9X") from what a citizen typed: any case, spaces or a
/// dash, native digits; nullopt when it cannot be a code.
SEBA_UI_API std::optional<std::string> normalise(std::string_view typed);
/// "K7QP2M9X" -> "K7QP-2M9X".
SEBA_UI_API std::string grouped(std::string_view code);

/// The two crypto_kdf contexts (8 characters each) of a plugin's subkeys.
struct Contexts {
    std::string_view login;  ///< e.g. "mp_login"
    std::string_view box;    ///< e.g. "mp_box__"
};

/// What phone + code give: the login (64 hex digits) and the box's key. Both are subkeys of
/// one Argon2id hash of "phone|CODE" salted by the centre, so the login tells nothing of the
/// key. The key is zeroed when this goes.
struct SEBA_UI_API Keys {
    std::string login;
    std::array<std::uint8_t, 32> box_key{};
    Keys() = default;
    Keys(const Keys&) = default;
    Keys& operator=(const Keys&) = default;
    ~Keys();
};
/// Throws seba::Error when a context is not 8 characters or memory for the hash is short.
SEBA_UI_API Keys derive_keys(std::string_view phone_e164, std::string_view code,
                             std::string_view centre, Contexts contexts);

/// crypto_secretbox of `plain` under `key`, as base64 (nonce first).
SEBA_UI_API std::string seal_box(const std::array<std::uint8_t, 32>& key, std::string_view plain);
/// The box's text; nullopt when it was not made with this key, is damaged or over 64 KiB.
SEBA_UI_API std::optional<std::string> open_box(const std::array<std::uint8_t, 32>& key,
                                                std::string_view boxed);

/// Wrong phone-and-code tries at one kiosk: after `free_tries` in a row, signing in waits
/// `lock` (real time, not the wall clock) so that guessing stays slow at the screen too.
class SEBA_UI_API SignInLimit {
  public:
    explicit SignInLimit(int free_tries = 5, std::chrono::seconds lock = std::chrono::seconds(60))
        : free_tries_(free_tries), lock_(lock) {}
    /// Whether signing in waits now; `wait`, when given, says how long.
    bool locked(std::chrono::seconds* wait = nullptr) const;
    void failed();
    void succeeded() { failures_ = 0; }
    /// Forgets everything (the kiosk's session ended).
    void reset();

  private:
    int free_tries_;
    std::chrono::seconds lock_;
    int failures_ = 0;
    std::optional<std::chrono::steady_clock::time_point> locked_until_;
};

}  // namespace seba::return_code

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace seba {

/// The most arrays and objects a JSON text from outside (a server reply, a kiosk request, a
/// catalog file) may have open at once. Copying or printing nlohmann's values recurses, so
/// without a bound a small text of nested brackets overflows the stack.
inline constexpr int kMaxJsonDepth = 128;

/// Whether `text` opens more than kMaxJsonDepth arrays and objects at once. A byte scan,
/// exact for valid JSON (what is not valid fails to parse anyway); nlohmann's parser
/// callback, the other way to know, makes parsing five times slower.
inline bool json_too_deep(std::string_view text) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;  // the escaped character cannot end the string
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth) return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

/// Parses without exceptions: a discarded value for invalid JSON or JSON nested too deep
/// (refused before anything of it is built; the parser itself does not recurse).
inline nlohmann::json parse_bounded_json(std::string_view text) {
    if (json_too_deep(text)) return nlohmann::json(nlohmann::json::value_t::discarded);
    return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

/// The member `name` of object `doc` if it is a string, else null. Looked up, not copied
/// with value(): a copy of a large member costs its size.
inline const std::string* json_string_member(const nlohmann::json& doc, const char* name) {
    auto it = doc.find(name);
    return it != doc.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

}  // namespace seba

// placeholder until the fold branch lands
// SPDX-License-Identifier: Apache-2.0
// A trivial fold (ASCII lower case, anything else separates words) and loose (identity),
// enough for the index and its tests to build on.
#include "seba/search.hpp"

namespace seba::search {

std::string fold(std::string_view text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

std::string loose(std::string_view folded) {
    return std::string(folded);
}

}  // namespace seba::search

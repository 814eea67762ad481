// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "seba/credentials.hpp"

/// The public page where anyone checks a credential (GET /verify, docs/credentials.md):
/// server-rendered HTML with no script and no external assets, in the five languages Seba
/// ships. Internal to seba-server.
namespace seba::server::detail {

/// The page's language: `asked` (?lang=) when it is one of en, bn, uz-Latn, uz-Cyrl, ru; else
/// the first of those the Accept-Language header names, by its q values; else "en".
std::string page_language(std::string_view asked, std::string_view accept_language);

/// The page: a form to paste a credential's text, and, when one was checked, the verdict in
/// big words with its claims. `text` is what was pasted (shown back in the form). Everything
/// from the request or the credential is escaped.
std::string verify_page(std::string_view language, std::string_view text,
                        const std::optional<credentials::Verdict>& verdict);

/// The Content-Security-Policy the page is served with: nothing but its own inline style.
inline constexpr std::string_view kVerifyPagePolicy =
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'";

/// HTML text with & < > " ' escaped.
std::string escape_html(std::string_view text);

}  // namespace seba::server::detail

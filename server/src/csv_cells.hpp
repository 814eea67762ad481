// SPDX-License-Identifier: Apache-2.0
#pragma once

// CSV as the server's reports write it (RFC 4180, CRLF), for the evidence and NISE's
// employers' list alike.

#include <string>
#include <string_view>
#include <vector>

namespace seba::server {

// A text cell: quoted when it must be (RFC 4180), and defused when a spreadsheet would read
// it as a formula.
inline std::string csv_text(std::string_view text) {
    std::string cell(text);
    if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string::npos)
        cell.insert(cell.begin(), '\'');
    if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
    std::string quoted = "\"";
    for (char c : cell) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

// One record: cells already made with csv_text (or numbers).
inline std::string csv_line(const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) line += ',';
        line += cells[i];
    }
    return line + "\r\n";
}

}  // namespace seba::server

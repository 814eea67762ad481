// SPDX-License-Identifier: Apache-2.0
#pragma once

// A document (seba/print.hpp) drawn once with cairo + pango (HarfBuzz shaping, so Bangla
// conjuncts and vowel signs come out right) and written as a PDF, as a PNG preview, or as
// ESC/POS raster bytes for a 58 mm or 80 mm thermal printer. Text is always printed as an
// image: Bangla is in no thermal printer's code page.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "seba/error.hpp"
#include "seba/print.hpp"

namespace seba::print {

/// Thermal58 and Thermal80 are 384 and 576 dots wide at 203 dpi (48 mm and 72 mm printable);
/// A6 is a 105 x 148 mm PDF page (its PNG is one continuous A6-wide strip at 203 dpi). A5 (148
/// x 210 mm) and A4 (210 x 297 mm) are certificate pages: portrait, wide margins inside a thin
/// frame, larger type, and a QR code at least 32 mm (A5) or 44 mm (A4) wide.
enum class Paper { Thermal58, Thermal80, A6, A5, A4 };

/// Every failure to draw, encode or write a document. The message is English, names the
/// file, device or text at fault and says what to do next.
class PrintError : public Error {
  public:
    using Error::Error;
};

/// The fontconfig families documents are drawn with, first choice first: Noto Sans, then
/// those of the kiosk's languages (a Nepali receipt then prints with the Devanagari font its
/// language names, not whichever fontconfig would pick). Until called: Noto Sans and Noto
/// Sans Bengali. A document started before the call keeps the families it started with.
/// Safe from any thread. Throws PrintError for an empty list or a name with a comma.
void set_font_families(const std::vector<std::string>& families);

/// Draws the document as a PDF, block by block: the title large, headings bold, label/value
/// rows, paragraphs, dashed rules, the number large, the QR code (quiet zone of 4 modules,
/// modules of 3 to 6 dots at 203 dpi), the footer small. Thermal papers give one page as
/// long as the document; A6, A5 and A4 break across pages between blocks or between the lines of a
/// wrapped one. Text stays text (it can be searched and copied). The file appears whole or
/// not at all (a temporary file renamed over it) and is readable by its owner only (0600).
/// Throws PrintError when the file cannot be written, when text is not UTF-8, or when a
/// character has no glyph in any installed font (it names the character and the Debian font
/// package to install).
void write_pdf(const Document& document, Paper paper, const std::filesystem::path& file);

/// The same drawing as a black-and-white PNG, 1 dot = 1 pixel on a white background: the
/// exact pixels escpos() sends to the printer, so it doubles as the on-screen preview.
/// Throws PrintError as write_pdf() does.
void write_png(const Document& document, Paper paper, const std::filesystem::path& file);

/// The ESC/POS job for a thermal printer: ESC @, the document as GS v 0 raster bands (m = 0,
/// at most 256 rows each; 1 bits are black, MSB is the leftmost dot, a dot is black when
/// the ink covers at least half of it), ESC d 4 to clear the tear bar on printers without a
/// cutter, and a partial cut GS V 66 0. Throws PrintError for a page (A6, A5, A4) and as
/// write_pdf().
std::vector<std::uint8_t> escpos(const Document& document, Paper paper);

/// Writes all of `bytes` to a printer device (e.g. /dev/usb/lp0) or a file, and reports the
/// outcome whole: returns only when every byte was accepted (and, for a regular file, synced
/// to disk); otherwise throws PrintError naming the path, the OS error (ENOENT, EACCES,
/// ENOSPC, ENODEV for a printer unplugged mid-job...) and how many bytes got out, so the
/// caller can keep the job and offer to print it again. A missing path under /dev is never
/// created as a file: an unplugged printer is an error, not a new regular file in /dev.
void send_to_printer(const std::vector<std::uint8_t>& bytes, const std::filesystem::path& device);

}  // namespace seba::print

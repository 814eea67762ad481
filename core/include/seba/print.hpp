// SPDX-License-Identifier: Apache-2.0
#pragma once

/// Printing, for plugins with the "printer" capability (PluginContext::printer()). A plugin
/// describes a document with a few kinds of blocks; the kiosk draws it (shaped text, so
/// Bangla comes out right) for its one printer: a thermal printer (ESC/POS raster, 58 or
/// 80 mm) and/or PDF files, as the kiosk's [printer] configuration says. Jobs are queued in
/// the kiosk's database and printed in order on a thread of the kiosk's own; a job is never
/// silently lost (docs/plugin-guide.md, "Printing").

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "seba/export.hpp"

namespace seba::print {

/// One block of a document, top to bottom. All text is UTF-8 and already translated.
struct Block {
    enum class Kind {
        Title,      ///< large, bold, centred
        Heading,    ///< bold, starts a part of the document
        Row,        ///< a label and its value: side by side, or the value below when too long
        Paragraph,  ///< text that wraps
        Qr,         ///< a QR code of `text` (e.g. a tracking number), centred
        Rule,       ///< a dashed line across
        Number,     ///< a number the reader quotes back (a tracking number): large, centred
        Footer,     ///< small, centred
    };
    Kind kind = Kind::Paragraph;
    std::string text;   ///< the text; Row: the label (empty: the value spans the width)
    std::string value;  ///< Row: the value (long values wrap, never cut)
};

/// What to print. Holds what the paper says, never more: no field a citizen typed that the
/// paper does not show.
struct SEBA_API Document {
    /// Its language ("bn", "uz-Latn", "uz-Cyrl", "ru", "en"), for shaping the text.
    std::string language;
    /// The job's reference: what status() and retry() take, and the name of its files
    /// (<reference>.pdf). 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-', starting
    /// with a letter or digit; e.g. the tracking number.
    std::string reference;
    /// The word that marks a copy, in the document's language (e.g. "কপি"): printed under
    /// the title when the job is a copy. Empty: "COPY".
    std::string copy_mark;
    std::vector<Block> blocks;
    /// The PDF's page. Receipt: the receipt as the thermal printer prints it (the PDF on
    /// A6). A5, A4: the document laid out on that page, portrait, for a certificate; the
    /// thermal printer still prints it as a receipt. API 1.6.
    enum class Page { Receipt, A5, A4 };
    Page page = Page::Receipt;

    Document& title(std::string text);
    Document& heading(std::string text);
    Document& row(std::string label, std::string value);
    Document& paragraph(std::string text);
    Document& qr(std::string payload);
    Document& rule();
    Document& number(std::string text);
    Document& footer(std::string text);
};

/// What became of a document, as far as this run of the kiosk knows.
enum class Status {
    None,      ///< no such job queued or printed in this run
    Printing,  ///< queued or at the printer
    Failed,    ///< the last try failed; it is tried again, or set aside for the operator
    Printed,   ///< it reached the printer (and the PDF folder)
};

/// A job not printed yet, for the operator's screen.
struct UnprintedJob {
    std::string reference;
    std::string queued_at;  ///< UTC ISO 8601
    int failures = 0;
    std::string last_error;  ///< English, for the operator; empty before any failure
    bool set_aside = false;  ///< failed too often in a row; printed again only when asked
};

/// The kiosk's printer as one plugin sees it: its own jobs only. Use from the plugin's
/// calls (the host's thread); the printer itself works on a thread of the kiosk's.
class SEBA_API Printer {
  public:
    virtual ~Printer();

    /// Queues `document`. Call inside store().transaction() with the rows it prints for, so
    /// that they commit together: a request never exists without its receipt's job (and a
    /// rolled-back request prints nothing). Outside a transaction it commits on its own.
    /// Does nothing when the kiosk has no printer configured. Throws seba::Error for a bad
    /// reference, StorageError when the database refuses the job.
    virtual void queue(const Document& document) = 0;
    /// Queues `document` marked as a copy (the citizen asks for the paper again). As queue().
    virtual void print_copy(const Document& document) = 0;

    /// The status of this plugin's document `reference`.
    virtual Status status(std::string_view reference) = 0;
    /// Tries the queued job of `reference` again at once (one set aside too). False when
    /// none is queued: it was printed (print_copy() it) or never queued.
    virtual bool retry(std::string_view reference) = 0;
    /// This plugin's jobs not printed yet, oldest first (at most `limit`), and their count.
    virtual std::vector<UnprintedJob> unprinted(int limit = 20) = 0;
    virtual int unprinted_count() = 0;

    /// Called when one of this plugin's documents reached the printer, with its reference,
    /// inside the transaction that records it: what the plugin writes there (its own
    /// "printed" mark) commits together with the job's end. Called from the host's thread
    /// inside the plugin's fault boundary, and only while the plugin runs. Set it in start().
    virtual void on_printed(std::function<void(const std::string& reference)> printed) = 0;
};

}  // namespace seba::print

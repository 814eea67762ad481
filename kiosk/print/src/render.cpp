// SPDX-License-Identifier: Apache-2.0
// A document is laid out once as a column of pieces (text paragraphs, rows, rules, the QR
// code), each in dots at 203 dpi, with the places where a page may end. The raster (PNG,
// ESC/POS) and the thermal PDF stack the pieces on one long strip; the A6 PDF pages them.
#include "seba/print/render.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>

// glib, pango and cairo headers trip the project's warning set; they are not ours to fix.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wshadow"
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#pragma GCC diagnostic pop

namespace seba::print {
namespace {

namespace fs = std::filesystem;

constexpr double kDotsPerInch = 203.0;
constexpr double kPointsPerDot = 72.0 / kDotsPerInch;
// Portrait pages, width x height in mm (ISO 216).
struct PageSize {
    double width_mm;
    double height_mm;
};
constexpr PageSize kA6 = {105.0, 148.0};
constexpr PageSize kA5 = {148.0, 210.0};
constexpr PageSize kA4 = {210.0, 297.0};
constexpr int kQrQuietModules = 4;
constexpr int kQrMinModuleDots = 3;
constexpr int kQrCappedModuleDots = 4;  // 0.5 mm: the smallest a certificate's cap makes
constexpr int kBandRows = 256;     // GS v 0 rows per band: small enough for any printer's buffer
constexpr int kTearFeedLines = 4;  // ESC d n before the cut, for printers without a cutter

// The families documents are drawn with, as pango's comma-separated list.
std::mutex g_font_families_mutex;
std::string g_font_families = "Noto Sans,Noto Sans Bengali";

std::string font_families() {
    std::lock_guard lock(g_font_families_mutex);
    return g_font_families;
}

double mm_to_dots(double mm) {
    return mm / 25.4 * kDotsPerInch;
}

// [SECTION] Geometry: sizes in dots at 203 dpi (1 pt = 2.82 dots).

struct Geometry {
    int width_dots;
    int margin_x_dots;
    int margin_top_dots;
    int margin_bottom_dots;
    double body_px;
    double title_px;
    double tracking_px;
    double footer_px;
    int gap_dots;      // between sections
    int row_gap_dots;  // between rows
    int qr_module_max_dots;
    // Certificate pages (A5, A4): a QR code at least this wide (modules grow past
    // qr_module_max_dots to reach it), and a thin frame this far inside the page's edge.
    int qr_min_symbol_dots = 0;
    int border_inset_dots = 0;
    // And at most this wide while its modules can stay readable: a dense code (a credential's
    // verification URL, ~650 bytes) at qr_module_max_dots filled more than a page.
    int qr_max_symbol_dots = 0;
};

Geometry geometry_for(Paper paper) {
    switch (paper) {
        case Paper::Thermal58:
            return {384, 8, 16, 32, 24, 36, 34, 21, 14, 4, 6};
        case Paper::Thermal80:
            return {576, 12, 16, 32, 26, 42, 40, 22, 16, 5, 7};
        case Paper::A6:
            return {
                static_cast<int>(mm_to_dots(kA6.width_mm)), 40, 40, 40, 28, 44, 40, 23, 18, 6, 7};
        // Type about 1.4 (A5) and 1.7 (A4) times the receipt's; margins well inside the frame.
        case Paper::A5:
            return {static_cast<int>(mm_to_dots(kA5.width_mm)),
                    static_cast<int>(mm_to_dots(20)),
                    static_cast<int>(mm_to_dots(16)),
                    static_cast<int>(mm_to_dots(18)),
                    38,
                    64,
                    52,
                    28,
                    34,
                    10,
                    8,
                    static_cast<int>(mm_to_dots(32)),
                    static_cast<int>(mm_to_dots(7)),
                    static_cast<int>(mm_to_dots(44))};
        case Paper::A4:
            return {static_cast<int>(mm_to_dots(kA4.width_mm)),
                    static_cast<int>(mm_to_dots(27)),
                    static_cast<int>(mm_to_dots(22)),
                    static_cast<int>(mm_to_dots(24)),
                    46,
                    84,
                    64,
                    32,
                    44,
                    12,
                    10,
                    static_cast<int>(mm_to_dots(44)),
                    static_cast<int>(mm_to_dots(10)),
                    static_cast<int>(mm_to_dots(50))};
    }
    throw PrintError(fmt::format("unknown paper size {}", static_cast<int>(paper)));
}

const char* paper_name(Paper paper) {
    switch (paper) {
        case Paper::Thermal58:
            return "58 mm thermal";
        case Paper::Thermal80:
            return "80 mm thermal";
        case Paper::A6:
            return "A6";
        case Paper::A5:
            return "A5";
        case Paper::A4:
            return "A4";
    }
    return "unknown";
}

bool is_thermal(Paper paper) {
    return paper == Paper::Thermal58 || paper == Paper::Thermal80;
}

PageSize page_size(Paper paper) {
    switch (paper) {
        case Paper::A5:
            return kA5;
        case Paper::A4:
            return kA4;
        default:
            return kA6;
    }
}

// [SECTION] Owning handles for the C libraries.

struct GObjectUnref {
    void operator()(void* object) const { g_object_unref(object); }
};
template <class T>
using GPtr = std::unique_ptr<T, GObjectUnref>;
struct CairoDestroy {
    void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
struct SurfaceDestroy {
    void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDestroy>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDestroy>;

// [SECTION] Text: UTF-8 checks, pango layouts, and naming the characters no font has.

std::string excerpt(std::string_view text) {
    constexpr std::size_t kMax = 80;
    if (text.size() <= kMax) return std::string(text);
    std::size_t end = kMax;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return std::string(text.substr(0, end)) + "...";
}

void check_utf8(std::string_view text, std::string_view field) {
    if (!g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr))
        throw PrintError(
            fmt::format("the document's {} is not valid UTF-8; pass UTF-8 text", field));
}

bool is_cjk(gunichar c) {
    switch (g_unichar_get_script(c)) {
        case G_UNICODE_SCRIPT_HAN:
        case G_UNICODE_SCRIPT_HIRAGANA:
        case G_UNICODE_SCRIPT_KATAKANA:
        case G_UNICODE_SCRIPT_HANGUL:
        case G_UNICODE_SCRIPT_BOPOMOFO:
            return true;
        default:
            return false;
    }
}

[[noreturn]] void throw_missing_glyphs(PangoLayout* layout, std::string_view text,
                                       std::string_view field, int count) {
    std::vector<gunichar> missing;
    PangoLayoutIter* iter = pango_layout_get_iter(layout);
    do {
        PangoLayoutRun* run = pango_layout_iter_get_run_readonly(iter);
        if (!run) continue;
        for (int i = 0; i < run->glyphs->num_glyphs; ++i) {
            if (!(run->glyphs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG)) continue;
            auto offset =
                static_cast<std::size_t>(run->item->offset + run->glyphs->log_clusters[i]);
            if (offset >= text.size()) continue;
            gunichar c = g_utf8_get_char(text.data() + offset);
            if (std::find(missing.begin(), missing.end(), c) == missing.end()) missing.push_back(c);
        }
    } while (pango_layout_iter_next_run(iter));
    pango_layout_iter_free(iter);

    std::string names;
    bool cjk = false;
    for (gunichar c : missing) {
        if (!names.empty()) names += ", ";
        names += fmt::format("U+{:04X}", static_cast<unsigned>(c));
        if (g_unichar_isgraph(c)) {
            char utf8[8] = {};
            g_unichar_to_utf8(c, utf8);
            names += fmt::format(" '{}'", utf8);
        }
        cjk = cjk || is_cjk(c);
    }
    throw PrintError(fmt::format(
        "the document's {} \"{}\" has {} character(s) that no installed font can draw: {}. "
        "Documents draw Bangla, Latin and Cyrillic with the Noto Sans fonts of the Debian "
        "package fonts-noto-core; {}",
        field, excerpt(text), count, names,
        cjk ? "for Chinese, Japanese or Korean install fonts-noto-cjk, or remove these characters"
            : "install fonts-noto-core, or remove these characters"));
}

/// A laid-out piece of text, and the least ascent and descent its lines are spaced by.
struct Paragraph {
    std::shared_ptr<PangoLayout> layout;
    double min_ascent = 0;
    double min_descent = 0;
};

/// Makes pango layouts for one document: one language, one set of font options, metrics
/// independent of the device so the PDF and the raster place every glyph alike.
class Typesetter {
  public:
    explicit Typesetter(const std::string& language) {
        context_.reset(pango_font_map_create_context(pango_cairo_font_map_get_default()));
        cairo_font_options_t* options = cairo_font_options_create();
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_SLIGHT);
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
        pango_cairo_context_set_font_options(context_.get(), options);
        cairo_font_options_destroy(options);
        language_ = language.empty() ? pango_language_get_default()
                                     : pango_language_from_string(language.c_str());
        pango_context_set_language(context_.get(), language_);
        families_ = font_families();
    }

    /// `text` laid out at `size_px`; `width_dots` > 0 wraps at words (inside a word when one
    /// word is wider than the line). Throws when a character has no glyph.
    Paragraph layout(std::string_view text, std::string_view field, double size_px, bool bold,
                     int width_dots, PangoAlignment alignment) const {
        check_utf8(text, field);
        Paragraph paragraph;
        // Lines are spaced as if each mixed Latin and Bangla, whose fonts differ in ascent and
        // descent, so a wrapped paragraph and a column of rows have even lines.
        auto probe = make(kMixedScriptProbe, size_px, bold, -1, alignment);
        PangoRectangle logical;
        pango_layout_line_get_extents(pango_layout_get_line_readonly(probe.get(), 0), nullptr,
                                      &logical);
        paragraph.min_ascent = -pango_units_to_double(logical.y);
        paragraph.min_descent = pango_units_to_double(logical.y + logical.height);
        auto layout = make(text, size_px, bold, width_dots, alignment);
        if (int unknown = pango_layout_get_unknown_glyphs_count(layout.get()); unknown > 0)
            throw_missing_glyphs(layout.get(), text, field, unknown);
        paragraph.layout.reset(layout.release(), GObjectUnref{});
        return paragraph;
    }

  private:
    static constexpr std::string_view kMixedScriptProbe = "ÁÉgjy জ্ঞাঁকুর্ম";

    GPtr<PangoLayout> make(std::string_view text, double size_px, bool bold, int width_dots,
                           PangoAlignment alignment) const {
        GPtr<PangoLayout> layout(pango_layout_new(context_.get()));
        PangoFontDescription* font = pango_font_description_new();
        pango_font_description_set_family(font, families_.c_str());
        pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_font_description_set_absolute_size(font, size_px * PANGO_SCALE);
        pango_layout_set_font_description(layout.get(), font);
        pango_font_description_free(font);

        PangoAttrList* attributes = pango_attr_list_new();
        pango_attr_list_insert(attributes, pango_attr_language_new(language_));
        pango_layout_set_attributes(layout.get(), attributes);
        pango_attr_list_unref(attributes);

        pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
        pango_layout_set_width(layout.get(), width_dots > 0 ? width_dots * PANGO_SCALE : -1);
        pango_layout_set_alignment(layout.get(), alignment);
        pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
        return layout;
    }

    GPtr<PangoContext> context_;
    PangoLanguage* language_ = nullptr;
    std::string families_;  // one list for the whole document
};

double natural_width(const Paragraph& paragraph) {
    PangoRectangle logical;
    pango_layout_get_extents(paragraph.layout.get(), nullptr, &logical);
    return pango_units_to_double(logical.width);
}

/// Where the lines of one or more paragraphs drawn side by side sit: every line gets the
/// same whole number of dots, so lines are evenly spaced whatever fonts each one uses.
struct LinePitch {
    double ascent = 0;
    double pitch = 0;
    int lines = 0;
};

LinePitch pitch_of(std::initializer_list<const Paragraph*> paragraphs) {
    double ascent = 0, descent = 0;
    int lines = 0;
    for (const Paragraph* paragraph : paragraphs) {
        ascent = std::max(ascent, paragraph->min_ascent);
        descent = std::max(descent, paragraph->min_descent);
        lines = std::max(lines, pango_layout_get_line_count(paragraph->layout.get()));
        for (GSList* l = pango_layout_get_lines_readonly(paragraph->layout.get()); l; l = l->next) {
            PangoRectangle logical;
            pango_layout_line_get_extents(static_cast<PangoLayoutLine*>(l->data), nullptr,
                                          &logical);
            ascent = std::max(ascent, -pango_units_to_double(logical.y));
            descent = std::max(descent, pango_units_to_double(logical.y + logical.height));
        }
    }
    return {std::ceil(ascent), std::ceil(ascent) + std::ceil(descent), lines};
}

int height_of(const LinePitch& pitch) {
    return static_cast<int>(std::lround(pitch.lines * pitch.pitch));
}

void draw_paragraph(cairo_t* cr, const Paragraph& paragraph, const LinePitch& pitch,
                    double x_dots) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    PangoLayoutIter* iter = pango_layout_get_iter(paragraph.layout.get());
    int index = 0;
    do {
        PangoLayoutLine* line = pango_layout_iter_get_line_readonly(iter);
        PangoRectangle placed, own;  // in the layout (with alignment), and from the line's origin
        pango_layout_iter_get_line_extents(iter, nullptr, &placed);
        pango_layout_line_get_extents(line, nullptr, &own);
        cairo_move_to(cr, x_dots + pango_units_to_double(placed.x - own.x),
                      pitch.ascent + index * pitch.pitch);
        pango_cairo_show_layout_line(cr, line);
        ++index;
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
}

// [SECTION] Pieces: the document as a column of them, each drawn with its top at y = 0.

struct Piece {
    int height_dots = 0;
    std::vector<int> breaks;             // offsets inside the block where a page may end
    bool gap = false;                    // space only: dropped at the top of a page
    std::function<void(cairo_t*)> draw;  // x is from the paper's left edge
};

Piece gap(int dots) {
    return {dots, {}, true, {}};
}

/// A paragraph; a page may end between any two of its lines.
Piece text_block(Paragraph paragraph, int x_dots) {
    LinePitch pitch = pitch_of({&paragraph});
    Piece block;
    block.height_dots = height_of(pitch);
    for (int line = 1; line < pitch.lines; ++line)
        block.breaks.push_back(static_cast<int>(std::lround(line * pitch.pitch)));
    block.draw = [paragraph, pitch, x_dots](cairo_t* cr) {
        draw_paragraph(cr, paragraph, pitch, x_dots);
    };
    return block;
}

/// Label on the left and value on the right, on the same baselines.
Piece row_block(Paragraph label, Paragraph value, int x_dots) {
    LinePitch pitch = pitch_of({&label, &value});
    Piece block;
    block.height_dots = height_of(pitch);
    block.draw = [label, value, pitch, x_dots](cairo_t* cr) {
        draw_paragraph(cr, label, pitch, x_dots);
        draw_paragraph(cr, value, pitch, x_dots);
    };
    return block;
}

/// A dashed rule across the text column.
Piece rule_block(const Geometry& g) {
    Piece block;
    block.height_dots = 2;
    block.draw = [g](cairo_t* cr) {
        cairo_set_source_rgb(cr, 0, 0, 0);
        int right = g.width_dots - g.margin_x_dots;
        for (int x = g.margin_x_dots; x < right; x += 12)
            cairo_rectangle(cr, x, 0, std::min(6, right - x), 2);
        cairo_fill(cr);
    };
    return block;
}

/// The QR code with its quiet zone, centred, every module a whole number of dots.
Piece qr_block(const std::string& payload, const Geometry& g, Paper paper) {
    QRcode* qr =
        QRcode_encodeData(static_cast<int>(payload.size()),
                          reinterpret_cast<const unsigned char*>(payload.data()), 0, QR_ECLEVEL_M);
    if (!qr)
        throw PrintError(fmt::format(
            "cannot make the document's QR code for \"{}\" ({} bytes): {}; shorten the payload",
            excerpt(payload), payload.size(), std::strerror(errno)));
    int modules = qr->width;
    std::vector<bool> dark(static_cast<std::size_t>(modules * modules));
    for (std::size_t i = 0; i < dark.size(); ++i) dark[i] = (qr->data[i] & 1) != 0;
    QRcode_free(qr);

    int span = modules + 2 * kQrQuietModules;
    // On a certificate the code is read from the page at arm's length: big enough to find.
    int wanted = std::max(g.qr_module_max_dots, (g.qr_min_symbol_dots + modules - 1) / modules);
    if (g.qr_max_symbol_dots > 0)  // but no modules under 0.5 mm for it
        wanted = std::max(
            std::min(wanted, std::max(g.qr_max_symbol_dots / modules, kQrCappedModuleDots)),
            (g.qr_min_symbol_dots + modules - 1) / modules);
    int module_dots = std::min(wanted, (g.width_dots - 2 * g.border_inset_dots) / span);
    if (module_dots < kQrMinModuleDots)
        throw PrintError(fmt::format(
            "the document's QR payload ({} bytes, {} modules) is too large for {} paper at {} "
            "dots a module; shorten the payload",
            payload.size(), modules, paper_name(paper), kQrMinModuleDots));
    int left = (g.width_dots - span * module_dots) / 2 + kQrQuietModules * module_dots;
    int top = kQrQuietModules * module_dots;

    Piece block;
    block.height_dots = span * module_dots;
    block.draw = [dark = std::move(dark), modules, module_dots, left, top](cairo_t* cr) {
        cairo_set_source_rgb(cr, 0, 0, 0);
        for (int y = 0; y < modules; ++y) {
            for (int x = 0; x < modules;) {
                if (!dark[static_cast<std::size_t>(y * modules + x)]) {
                    ++x;
                    continue;
                }
                int run = 1;
                while (x + run < modules && dark[static_cast<std::size_t>(y * modules + x + run)])
                    ++run;
                cairo_rectangle(cr, left + x * module_dots, top + y * module_dots,
                                run * module_dots, module_dots);
                x += run;
            }
        }
        cairo_fill(cr);  // one path: no seams between modules in a PDF viewer
    };
    return block;
}

struct Layout {
    Geometry geometry;
    std::vector<Piece> pieces;
    int content_height_dots = 0;  // pieces only, without the top and bottom margins
};

/// A label and its value: side by side when both fit on one line, otherwise the label and
/// the value indented below it; a row with only one of them spans the column.
void add_row(Layout& out, const Typesetter& ts, const Block& row, int number) {
    const Geometry& g = out.geometry;
    const int column = g.width_dots - 2 * g.margin_x_dots;
    const int column_gap = static_cast<int>(g.body_px);
    const int indent = static_cast<int>(g.body_px);
    const std::string label_field = fmt::format("row {} label", number);
    const std::string value_field = fmt::format("row {} value", number);
    if (row.text.empty() || row.value.empty()) {
        const bool label_only = row.value.empty();
        out.pieces.push_back(text_block(
            ts.layout(label_only ? row.text : row.value, label_only ? label_field : value_field,
                      g.body_px, false, column, PANGO_ALIGN_LEFT),
            g.margin_x_dots));
        return;
    }
    auto label = ts.layout(row.text, label_field, g.body_px, false, -1, PANGO_ALIGN_LEFT);
    auto value = ts.layout(row.value, value_field, g.body_px, true, -1, PANGO_ALIGN_RIGHT);
    if (natural_width(label) + column_gap + natural_width(value) <= column) {
        pango_layout_set_width(value.layout.get(), column * PANGO_SCALE);
        out.pieces.push_back(row_block(std::move(label), std::move(value), g.margin_x_dots));
        return;
    }
    pango_layout_set_width(label.layout.get(), column * PANGO_SCALE);
    pango_layout_set_width(value.layout.get(), (column - indent) * PANGO_SCALE);
    pango_layout_set_alignment(value.layout.get(), PANGO_ALIGN_LEFT);
    out.pieces.push_back(text_block(std::move(label), g.margin_x_dots));
    out.pieces.push_back(text_block(std::move(value), g.margin_x_dots + indent));
}

/// The number as large as fits on one line, down to the body size; it wraps only below that.
Paragraph number_paragraph(const Typesetter& ts, const std::string& text, const std::string& field,
                           const Geometry& g) {
    const int column = g.width_dots - 2 * g.margin_x_dots;
    double size = g.tracking_px;
    while (size > g.body_px) {
        auto probe = ts.layout(text, field, size, true, -1, PANGO_ALIGN_CENTER);
        if (natural_width(probe) <= column) break;
        size -= 1;
    }
    return ts.layout(text, field, size, true, column, PANGO_ALIGN_CENTER);
}

/// Space between two blocks: a full gap around rules and between parts, a small one inside a
/// run of rows or paragraphs, under what a title or heading introduces, and under the number.
int gap_between(Block::Kind before, Block::Kind after, const Geometry& g) {
    using Kind = Block::Kind;
    if (before == Kind::Rule || after == Kind::Rule) return g.gap_dots;
    if (before == after || before == Kind::Title || before == Kind::Heading) return g.row_gap_dots;
    if (after == Kind::Qr || after == Kind::Footer) return g.row_gap_dots;
    return g.gap_dots;
}

/// How an error names a block: "row 7 value", "heading 2", "footer".
std::string field_name(std::string_view kind, int number, bool always_numbered) {
    return always_numbered || number > 1 ? fmt::format("{} {}", kind, number) : std::string(kind);
}

Layout build(const Document& document, Paper paper) {
    Layout out{geometry_for(paper), {}, 0};
    const Geometry& g = out.geometry;
    const int column = g.width_dots - 2 * g.margin_x_dots;
    check_utf8(document.language, "language");
    Typesetter ts(document.language);
    std::map<Block::Kind, int> seen;  // blocks of each kind so far, for error messages
    const Block* previous = nullptr;
    for (const Block& block : document.blocks) {
        using Kind = Block::Kind;
        if (block.kind != Kind::Rule && block.text.empty() &&
            (block.kind != Kind::Row || block.value.empty()))
            continue;  // nothing to draw, and no space for it
        if (previous) out.pieces.push_back(gap(gap_between(previous->kind, block.kind, g)));
        previous = &block;
        const int number = ++seen[block.kind];
        auto text = [&](std::string_view kind, bool numbered, double size_px, bool bold,
                        PangoAlignment alignment) {
            out.pieces.push_back(
                text_block(ts.layout(block.text, field_name(kind, number, numbered), size_px, bold,
                                     column, alignment),
                           g.margin_x_dots));
        };
        switch (block.kind) {
            case Kind::Title:
                text("title", false, g.title_px, true, PANGO_ALIGN_CENTER);
                break;
            case Kind::Heading:
                text("heading", true, g.body_px, true, PANGO_ALIGN_CENTER);
                break;
            case Kind::Row:
                add_row(out, ts, block, number);
                break;
            case Kind::Paragraph:
                text("paragraph", true, g.body_px, false, PANGO_ALIGN_LEFT);
                break;
            case Kind::Qr:
                out.pieces.push_back(qr_block(block.text, g, paper));
                break;
            case Kind::Rule:
                out.pieces.push_back(rule_block(g));
                break;
            case Kind::Number:
                out.pieces.push_back(text_block(
                    number_paragraph(ts, block.text, field_name("number", number, false), g),
                    g.margin_x_dots));
                break;
            case Kind::Footer:
                text("footer", false, g.footer_px, false, PANGO_ALIGN_CENTER);
                break;
        }
    }
    for (const Piece& piece : out.pieces) out.content_height_dots += piece.height_dots;
    return out;
}

// [SECTION] Output: one long strip, A6 pages, the 1-bit raster, and writing bytes out.

int strip_height(const Layout& doc) {
    return doc.geometry.margin_top_dots + doc.content_height_dots + doc.geometry.margin_bottom_dots;
}

void draw_strip(cairo_t* cr, const Layout& doc) {
    int y = doc.geometry.margin_top_dots;
    for (const Piece& block : doc.pieces) {
        if (block.draw) {
            cairo_save(cr);
            cairo_translate(cr, 0, y);
            block.draw(cr);
            cairo_restore(cr);
        }
        y += block.height_dots;
    }
}

/// Lays blocks on pages of `page_height_dots`; a block that does not fit moves to the next
/// page whole, unless it is taller than a page: then it ends at its last line that fits.
void draw_pages(cairo_t* cr, const Layout& doc, double page_height_dots) {
    const Geometry& g = doc.geometry;
    const int room = static_cast<int>(page_height_dots) - g.margin_top_dots - g.margin_bottom_dots;
    int y = 0;
    bool page_used = false;
    // A certificate's thin frame, on every page.
    auto frame = [&] {
        if (g.border_inset_dots <= 0) return;
        const double inset = g.border_inset_dots, line = 3;
        cairo_save(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, line);
        cairo_rectangle(cr, inset, inset, g.width_dots - 2 * inset, page_height_dots - 2 * inset);
        cairo_stroke(cr);
        cairo_restore(cr);
    };
    frame();
    auto next_page = [&] {
        cairo_show_page(cr);
        y = 0;
        page_used = false;
        frame();
    };
    for (const Piece& block : doc.pieces) {
        if (block.gap) {
            if (page_used) y = std::min(room, y + block.height_dots);
            continue;
        }
        int offset = 0;
        while (offset < block.height_dots) {
            int rest = block.height_dots - offset;
            int space = room - y;
            int end = block.height_dots;
            if (rest > space) {
                if (page_used && rest <= room) {
                    next_page();
                    continue;
                }
                end = offset;
                for (int b : block.breaks)
                    if (b > offset && b - offset <= space) end = b;
                if (end == offset) {
                    if (page_used) {
                        next_page();
                        continue;
                    }
                    end = offset + space;  // no line boundary fits on a whole page: cut
                }
            }
            cairo_save(cr);
            cairo_translate(cr, 0, g.margin_top_dots + y - offset);
            cairo_rectangle(cr, 0, offset, g.width_dots, end - offset);
            cairo_clip(cr);
            block.draw(cr);
            cairo_restore(cr);
            page_used = true;
            y += end - offset;
            offset = end;
            if (offset < block.height_dots) next_page();
        }
    }
}

struct Bitmap {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> black;  // one byte a dot, 1 = black, rows top to bottom
};

Bitmap rasterize(const Layout& doc, Paper paper) {
    Bitmap bitmap;
    bitmap.width = doc.geometry.width_dots;
    bitmap.height = strip_height(doc);
    SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, bitmap.width, bitmap.height));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        throw PrintError(fmt::format("cannot draw a {} x {} dot document for {} paper: {}",
                                     bitmap.width, bitmap.height, paper_name(paper),
                                     cairo_status_to_string(cairo_surface_status(surface.get()))));
    CairoPtr cr(cairo_create(surface.get()));
    cairo_set_source_rgb(cr.get(), 1, 1, 1);
    cairo_paint(cr.get());
    draw_strip(cr.get(), doc);
    cairo_surface_flush(surface.get());

    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    bitmap.black.resize(static_cast<std::size_t>(bitmap.width) * bitmap.height);
    for (int y = 0; y < bitmap.height; ++y) {
        for (int x = 0; x < bitmap.width; ++x) {
            std::uint32_t pixel;
            std::memcpy(&pixel, data + static_cast<std::ptrdiff_t>(y) * stride + 4 * x, 4);
            // Black ink on white: green = 255 * (1 - coverage); black from 50 % coverage.
            bitmap.black[static_cast<std::size_t>(y) * bitmap.width + x] =
                ((pixel >> 8) & 0xFF) < 128 ? 1 : 0;
        }
    }
    return bitmap;
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

std::string png_bytes(const Bitmap& bitmap) {
    SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, bitmap.width, bitmap.height));
    cairo_surface_flush(surface.get());
    unsigned char* data = cairo_image_surface_get_data(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    for (int y = 0; y < bitmap.height; ++y) {
        for (int x = 0; x < bitmap.width; ++x) {
            std::uint32_t pixel =
                bitmap.black[static_cast<std::size_t>(y) * bitmap.width + x] ? 0 : 0xFFFFFF;
            std::memcpy(data + static_cast<std::ptrdiff_t>(y) * stride + 4 * x, &pixel, 4);
        }
    }
    cairo_surface_mark_dirty(surface.get());
    std::string png;
    cairo_status_t status =
        cairo_surface_write_to_png_stream(surface.get(), append_to_string, &png);
    if (status != CAIRO_STATUS_SUCCESS)
        throw PrintError(
            fmt::format("cannot encode the document PNG: {}", cairo_status_to_string(status)));
    return png;
}

std::string os_error(int error) {
    const char* name = strerrorname_np(error);  // "ENOSPC"; null for an unknown number
    return fmt::format("{} ({})", std::strerror(error), name ? name : std::to_string(error));
}

std::string advice(int error, bool printer) {
    switch (error) {
        case ENOENT:
            return printer ? "is the printer plugged in and switched on, and the device path right?"
                           : "does the directory exist?";
        case EACCES:
        case EPERM:
            return "the kiosk's user may not write there; check the permissions";
        case ENOSPC:
            return "the disk or device is full";
        case EROFS:
            return "the file system is read-only";
        case ENODEV:
        case ENXIO:
        case EIO:
            return "the printer went away or failed: check its cable, power and paper";
        default:
            return "check the path and the device";
    }
}

bool under_dev(const fs::path& path) {
    auto normal = path.lexically_normal();
    auto it = normal.begin();
    return normal.is_absolute() && ++it != normal.end() && *it == "dev";
}

/// Writes every byte or throws; `what` names the destination in the message.
void write_all(const fs::path& path, const void* data, std::size_t size, std::string_view what,
               bool printer) {
    // Never O_CREAT under /dev: as root that would turn an unplugged printer into a file.
    int flags = O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY | (under_dev(path) ? 0 : O_CREAT);
    int fd;
    do fd = ::open(path.c_str(), flags, 0644);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        int error = errno;
        throw PrintError(fmt::format("cannot open {} {}: {}; {}", what, path.string(),
                                     os_error(error), advice(error, printer)));
    }
    auto fail = [&](int error, std::size_t written) {
        ::close(fd);
        throw PrintError(fmt::format("cannot write {} {}: {} after {} of {} bytes; {}", what,
                                     path.string(), os_error(error), written, size,
                                     advice(error, printer)));
    };
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    std::size_t written = 0;
    while (written < size) {
        ssize_t n = ::write(fd, bytes + written, std::min<std::size_t>(size - written, SSIZE_MAX));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail(errno, written);
        if (n == 0) fail(EIO, written);
        written += static_cast<std::size_t>(n);
    }
    struct stat info {};
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && ::fsync(fd) != 0) fail(errno, written);
    if (::close(fd) != 0 && errno != EINTR) {
        int error = errno;
        throw PrintError(fmt::format("cannot write {} {}: {} on close; {}", what, path.string(),
                                     os_error(error), advice(error, printer)));
    }
}

// A document's file appears whole or not at all, and is the kiosk user's alone: written to a
// temporary file (0600) beside it, synced, then renamed over the name. A crash or a full
// disk leaves at most a stray temporary file, never half a document under its real name.
void write_file_atomically(const fs::path& path, const std::string& bytes, std::string_view what) {
    std::string temp = (path.parent_path() / ("." + path.filename().string() + ".XXXXXX")).string();
    int fd = ::mkostemp(temp.data(), O_CLOEXEC);  // mode 0600 whatever the umask
    if (fd < 0) {
        int error = errno;
        throw PrintError(fmt::format("cannot open {} {}: {}; {}", what, path.string(),
                                     os_error(error), advice(error, false)));
    }
    ::close(fd);
    try {
        write_all(temp, bytes.data(), bytes.size(), what, false);  // fsyncs
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        int error = errno;
        ::unlink(temp.c_str());
        throw PrintError(fmt::format("cannot write {} {}: {} on rename; {}", what, path.string(),
                                     os_error(error), advice(error, false)));
    }
    // The rename itself survives a power cut once the folder is synced.
    int dir = ::open(path.parent_path().empty() ? "." : path.parent_path().c_str(),
                     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

}  // namespace

void set_font_families(const std::vector<std::string>& families) {
    std::string list;
    for (const std::string& family : families) {
        // pango splits the list at commas; a family with one would be two wrong ones.
        if (family.empty() || family.find(',') != std::string::npos)
            throw PrintError(fmt::format("\"{}\" is not a font family name", family));
        list += (list.empty() ? "" : ",") + family;
    }
    if (list.empty()) throw PrintError("documents need at least one font family");
    std::lock_guard lock(g_font_families_mutex);
    g_font_families = std::move(list);
}

void write_pdf(const Document& document, Paper paper, const fs::path& file) {
    Layout doc = build(document, paper);
    const bool paged = !is_thermal(paper);
    const PageSize page = page_size(paper);
    const double page_width_pt =
        paged ? mm_to_dots(page.width_mm) * kPointsPerDot : doc.geometry.width_dots * kPointsPerDot;
    const double page_height_pt =
        paged ? mm_to_dots(page.height_mm) * kPointsPerDot : strip_height(doc) * kPointsPerDot;

    std::string pdf;
    SurfacePtr surface(
        cairo_pdf_surface_create_for_stream(append_to_string, &pdf, page_width_pt, page_height_pt));
    std::string title = document.reference;
    for (const Block& block : document.blocks) {
        if (block.kind != Block::Kind::Title) continue;
        title = block.text + (document.reference.empty() ? "" : " " + document.reference);
        break;
    }
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Seba");
    {
        CairoPtr cr(cairo_create(surface.get()));
        cairo_scale(cr.get(), kPointsPerDot, kPointsPerDot);
        if (paged)
            draw_pages(cr.get(), doc, mm_to_dots(page.height_mm));
        else
            draw_strip(cr.get(), doc);
    }
    cairo_surface_finish(surface.get());
    if (cairo_status_t status = cairo_surface_status(surface.get()); status != CAIRO_STATUS_SUCCESS)
        throw PrintError(
            fmt::format("cannot make the document PDF: {}", cairo_status_to_string(status)));
    write_file_atomically(file, pdf, "the PDF");
}

void write_png(const Document& document, Paper paper, const fs::path& file) {
    std::string png = png_bytes(rasterize(build(document, paper), paper));
    write_file_atomically(file, png, "the PNG");
}

std::vector<std::uint8_t> escpos(const Document& document, Paper paper) {
    if (!is_thermal(paper))
        throw PrintError(fmt::format(
            "ESC/POS jobs need a thermal paper (58 mm or 80 mm), not {}; print {} as a PDF",
            paper_name(paper), paper_name(paper)));
    Bitmap bitmap = rasterize(build(document, paper), paper);
    const int row_bytes = (bitmap.width + 7) / 8;
    std::vector<std::uint8_t> out = {0x1B, 0x40};  // ESC @: initialise
    out.reserve(out.size() + static_cast<std::size_t>(row_bytes) * bitmap.height +
                8 * (bitmap.height / kBandRows + 1) + 8);
    for (int top = 0; top < bitmap.height; top += kBandRows) {
        const int rows = std::min(kBandRows, bitmap.height - top);
        // GS v 0 m xL xH yL yH: raster bit image, normal density.
        out.insert(out.end(),
                   {0x1D, 0x76, 0x30, 0x00, static_cast<std::uint8_t>(row_bytes & 0xFF),
                    static_cast<std::uint8_t>(row_bytes >> 8),
                    static_cast<std::uint8_t>(rows & 0xFF), static_cast<std::uint8_t>(rows >> 8)});
        for (int y = top; y < top + rows; ++y) {
            const std::uint8_t* dots = &bitmap.black[static_cast<std::size_t>(y) * bitmap.width];
            for (int byte = 0; byte < row_bytes; ++byte) {
                std::uint8_t bits = 0;
                for (int bit = 0; bit < 8; ++bit) {
                    int x = byte * 8 + bit;
                    if (x < bitmap.width && dots[x]) bits |= static_cast<std::uint8_t>(0x80 >> bit);
                }
                out.push_back(bits);
            }
        }
    }
    out.insert(out.end(), {0x1B, 0x64, kTearFeedLines});  // ESC d n: print and feed n lines
    out.insert(out.end(), {0x1D, 0x56, 0x42, 0x00});      // GS V 66 0: feed to cutter, partial cut
    return out;
}

void send_to_printer(const std::vector<std::uint8_t>& bytes, const fs::path& device) {
    write_all(device, bytes.data(), bytes.size(), "the printer", true);
}

}  // namespace seba::print

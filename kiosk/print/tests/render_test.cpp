// SPDX-License-Identifier: Apache-2.0
// A document as the citizen gets it (here, the Digital Centre's receipt, and one of every kind
// of block): the PNG preview and the ESC/POS job carry a QR code that zbarimg reads back as
// the tracking reference, the printed bits are the preview's pixels, the PDF's text can be
// searched (pdftotext) on A6 pages and thermal strips, text in Bangla, Uzbek and Russian
// draws with every glyph, and every failure to print names the file or device and the OS
// error. Set SEBA_PRINT_OUT=<dir> to keep the PNGs to look at.
#include "seba/print/render.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "process.hpp"
#include "temp_dir.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wpedantic"
#include <cairo.h>
#pragma GCC diagnostic pop

namespace seba::print {
namespace {

namespace fs = std::filesystem;
using seba::testing::read_file;
using seba::testing::run_process;
using seba::testing::TempDir;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kTracking = "DC-DHK1-20261128-0042";

/// A receipt as the Digital Centre lays it out: title, centre, rows between rules, the
/// tracking number large, its QR code, a footer.
struct Receipt {
    std::string language;
    std::string title;
    std::string centre;
    std::string tracking;
    std::vector<std::pair<std::string, std::string>> lines;
    std::string qr_payload;
    std::string footer;

    operator Document() const {  // NOLINT: a receipt is drawn as its document
        Document d;
        d.language = language;
        d.reference = tracking;
        d.title(title).heading(centre).rule();
        for (const auto& [label, value] : lines) d.row(label, value);
        d.rule().number(tracking).qr(qr_payload).footer(footer);
        return d;
    }
};

Receipt bangla_birth_registration() {
    return {.language = "bn",
            .title = "জন্ম নিবন্ধন",
            .centre = "ইউনিয়ন ডিজিটাল সেন্টার, সাভার, ঢাকা",
            .tracking = kTracking,
            .lines = {{"সেবা", "নতুন জন্ম নিবন্ধন"},
                      {"সরকারি ফি", "৫০ টাকা"},
                      {"সেবা চার্জ", "২০ টাকা"},
                      {"মোট", "৭০ টাকা"},
                      {"তারিখ", "২৮ নভেম্বর ২০২৬"},
                      {"কাগজপত্র",
                       "হাসপাতালের ছাড়পত্র, পিতা ও মাতার জাতীয় পরিচয়পত্রের "
                       "অনুলিপি, টিকা কার্ড, স্থায়ী ঠিকানার প্রমাণ"}},
            .qr_payload = kTracking,
            .footer = "অবস্থা জানতে ভিজিট করুন bdris.gov.bd অথবা কল করুন ৩৩৩"};
}

Receipt uzbek_cyrillic() {
    return {.language = "uz-Cyrl",
            .title = "Туғилганлик ҳақидаги гувоҳнома",
            .centre = "Давлат хизматлари маркази, Чилонзор тумани",
            .tracking = "DC-TAS3-20261128-0107",
            .lines = {{"Давлат божи", "34 000 сўм"},
                      {"Хизмат ҳақи", "5 000 сўм"},
                      {"Жами", "39 000 сўм"},
                      {"Ҳужжатлар", "паспорт, тиббий маълумотнома, никоҳ ҳақида гувоҳнома"}},
            .qr_payload = "DC-TAS3-20261128-0107",
            .footer = "Ҳолатни my.gov.uz сайтида текширинг"};
}

Receipt uzbek_latin() {
    Receipt receipt = uzbek_cyrillic();
    receipt.language = "uz-Latn";
    receipt.title = "Tugʻilganlik haqidagi guvohnoma";
    receipt.centre = "Davlat xizmatlari markazi, Chilonzor tumani";
    receipt.lines = {{"Davlat boji", "34 000 soʻm"},
                     {"Hujjatlar", "pasport, tibbiy maʼlumotnoma, nikoh haqida guvohnoma"}};
    receipt.footer = "Holatni my.gov.uz saytida tekshiring. Oʻzbekiston";
    return receipt;
}

Receipt russian() {
    Receipt receipt = uzbek_cyrillic();
    receipt.language = "ru";
    receipt.title = "Регистрация рождения";
    receipt.centre = "Центр государственных услуг, Чиланзарский район";
    receipt.lines = {{"Госпошлина", "34 000 сум"},
                     {"Итого", "39 000 сум"},
                     {"Документы", "паспорт, медицинская справка, свидетельство о браке"}};
    receipt.footer = "Проверьте статус на my.gov.uz — ёлка, щётка";
    return receipt;
}

/// A black-and-white image: 1 = black.
struct Image {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> black;
    bool ink_in_columns(int from, int to) const {
        for (int y = 0; y < height; ++y)
            for (int x = from; x < to; ++x)
                if (black[static_cast<std::size_t>(y) * width + x]) return true;
        return false;
    }
};

Image read_png(const fs::path& file) {
    Image image;
    cairo_surface_t* surface = cairo_image_surface_create_from_png(file.c_str());
    if (cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS) {
        image.width = cairo_image_surface_get_width(surface);
        image.height = cairo_image_surface_get_height(surface);
        const unsigned char* data = cairo_image_surface_get_data(surface);
        const int stride = cairo_image_surface_get_stride(surface);
        for (int y = 0; y < image.height; ++y) {
            for (int x = 0; x < image.width; ++x) {
                std::uint32_t pixel;
                std::memcpy(&pixel, data + static_cast<std::ptrdiff_t>(y) * stride + 4 * x, 4);
                image.black.push_back(((pixel >> 8) & 0xFF) < 128 ? 1 : 0);
            }
        }
    }
    cairo_surface_destroy(surface);
    return image;
}

void write_png(const Image& image, const fs::path& file) {
    cairo_surface_t* surface =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, image.width, image.height);
    cairo_surface_flush(surface);
    unsigned char* data = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    for (int y = 0; y < image.height; ++y) {
        for (int x = 0; x < image.width; ++x) {
            std::uint32_t pixel =
                image.black[static_cast<std::size_t>(y) * image.width + x] ? 0 : 0xFFFFFF;
            std::memcpy(data + static_cast<std::ptrdiff_t>(y) * stride + 4 * x, &pixel, 4);
        }
    }
    cairo_surface_mark_dirty(surface);
    cairo_surface_write_to_png(surface, file.c_str());
    cairo_surface_destroy(surface);
}

/// What zbarimg reads in an image, one symbol a line (its stderr, which has D-Bus noise, is
/// dropped).
std::string zbar(const fs::path& file) {
    return run_process(fmt::format("('{}' --raw -q '{}' 2>/dev/null)", SEBA_ZBARIMG, file.string()))
        .output;
}

std::string pdftotext(const fs::path& file) {
    return run_process(fmt::format("'{}' -layout '{}' -", SEBA_PDFTOTEXT, file.string())).output;
}

std::string pdffonts(const fs::path& file) {
    return run_process(fmt::format("'{}' '{}'", SEBA_PDFFONTS, file.string())).output;
}

std::string pdfinfo(const fs::path& file) {
    return run_process(fmt::format("'{}' '{}'", SEBA_PDFINFO, file.string())).output;
}

int count(const std::string& text, const std::string& word) {
    int n = 0;
    for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++n;
    return n;
}

/// Copies a picture to $SEBA_PRINT_OUT, when set, for a person to look at.
void keep(const fs::path& file) {
    if (const char* out = std::getenv("SEBA_PRINT_OUT")) {
        fs::create_directories(out);
        fs::copy_file(file, fs::path(out) / file.filename(), fs::copy_options::overwrite_existing);
    }
}

std::string error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const PrintError& e) {
        return e.what();
    }
    return "(no PrintError)";
}

struct Width {
    Paper paper;
    int dots;
    const char* name;
};
const Width kThermal[] = {{Paper::Thermal58, 384, "58"}, {Paper::Thermal80, 576, "80"}};

// [SECTION] PNG

TEST(RenderPng, BanglaQrDecodesToTheTrackingReferenceOnBothWidths) {
    TempDir dir;
    for (const Width& width : kThermal) {
        SCOPED_TRACE(width.name);
        fs::path png = dir / fmt::format("bn-{}.png", width.name);
        write_png(bangla_birth_registration(), width.paper, png);  // throws on unknown glyphs
        keep(png);
        Image image = read_png(png);
        EXPECT_EQ(image.width, width.dots);
        EXPECT_GT(image.height, 400);
        EXPECT_EQ(zbar(png), kTracking + "\n");
    }
}

TEST(RenderPng, A6PreviewIsA6WideAndItsQrDecodes) {
    TempDir dir;
    fs::path png = dir / "bn-a6.png";
    write_png(bangla_birth_registration(), Paper::A6, png);
    keep(png);
    EXPECT_EQ(read_png(png).width, 839);  // 105 mm at 203 dpi
    EXPECT_EQ(zbar(png), kTracking + "\n");
}

TEST(RenderPng, LongValuesWrapInsideTheColumn) {
    TempDir dir;
    Receipt receipt = bangla_birth_registration();
    fs::path short_png = dir / "short.png";
    write_png(receipt, Paper::Thermal58, short_png);
    // A long sentence, and a document number with no place to break at all.
    receipt.lines.push_back({"ঠিকানা",
                             "বাড়ি ১২, সড়ক ৩৪, ব্লক গ, মিরপুর ১০, ঢাকা উত্তর সিটি কর্পোরেশন, "
                             "ঢাকা ১২১৬, বাংলাদেশ"});
    receipt.lines.push_back({"নথি", "19901234567890123456789012345678901234567890123456789012345"});
    fs::path long_png = dir / "bn-58-long.png";
    write_png(receipt, Paper::Thermal58, long_png);
    keep(long_png);
    Image image = read_png(long_png);
    ASSERT_EQ(image.width, 384);
    EXPECT_GT(image.height, read_png(short_png).height + 100);  // the wrapped lines took room
    EXPECT_FALSE(image.ink_in_columns(0, 4)) << "ink in the left margin";
    EXPECT_FALSE(image.ink_in_columns(380, 384)) << "ink in the right margin: a line ran over";
}

TEST(RenderPng, UzbekAndRussianDrawEveryGlyph) {
    TempDir dir;
    const std::pair<const char*, Receipt> receipts[] = {
        {"uz-cyrl", uzbek_cyrillic()}, {"uz-latn", uzbek_latin()}, {"ru", russian()}};
    for (const auto& [name, receipt] : receipts) {
        SCOPED_TRACE(name);
        fs::path png = dir / fmt::format("{}-80.png", name);
        EXPECT_NO_THROW(write_png(receipt, Paper::Thermal80, png));
        keep(png);
        EXPECT_EQ(zbar(png), receipt.qr_payload + "\n");
    }
}

TEST(RenderPng, MissingGlyphNamesTheCharacterAndTheFontPackage) {
    Receipt receipt = bangla_birth_registration();
    receipt.lines.push_back({"মন্তব্য", "名 Chen"});
    TempDir dir;
    std::string error = error_of([&] { write_png(receipt, Paper::Thermal58, dir / "cjk.png"); });
    EXPECT_THAT(error, HasSubstr("row 7 value"));
    EXPECT_THAT(error, HasSubstr("U+540D"));
    EXPECT_THAT(error, HasSubstr("fonts-noto-core"));
    EXPECT_THAT(error, HasSubstr("fonts-noto-cjk"));
    EXPECT_FALSE(fs::exists(dir / "cjk.png"));
    EXPECT_THAT(error_of([&] { escpos(receipt, Paper::Thermal80); }), HasSubstr("U+540D"));
}

TEST(RenderPng, TextThatIsNotUtf8IsRefused) {
    Receipt receipt = bangla_birth_registration();
    receipt.footer = "caf\xe9";  // Latin-1
    EXPECT_THAT(error_of([&] { escpos(receipt, Paper::Thermal58); }),
                HasSubstr("footer is not valid UTF-8"));
}

// [SECTION] PDF

TEST(RenderPdf, A6AndThermalPagesCarrySearchableText) {
    TempDir dir;
    const std::pair<Paper, const char*> papers[] = {
        {Paper::A6, "297.6"}, {Paper::Thermal58, "136.1"}, {Paper::Thermal80, "204.2"}};
    for (const auto& [paper, width_pt] : papers) {
        SCOPED_TRACE(width_pt);
        fs::path pdf = dir / "receipt.pdf";
        write_pdf(bangla_birth_registration(), paper, pdf);
        EXPECT_EQ(read_file(pdf).substr(0, 5), "%PDF-");
        std::string info = pdfinfo(pdf);
        EXPECT_THAT(info, ContainsRegex(fmt::format("Page size: +{}", width_pt)));
        if (paper == Paper::A6) {
            EXPECT_THAT(info, HasSubstr("297.638 x 419.528 pts"));  // 105 x 148 mm
        }
        std::string text = pdftotext(pdf);
        EXPECT_THAT(text, HasSubstr(kTracking));
        EXPECT_THAT(text, HasSubstr("টাকা"));
        EXPECT_THAT(text, HasSubstr("নিবন্ধন"));
    }
}

TEST(RenderPdf, ANepaliReceiptPrintsWithTheFontItsLanguageNames) {
    // The families come from the kiosk's languages (a country pack's Nepali names its
    // Devanagari font); the one named is the one embedded, not fontconfig's own pick.
    const Receipt receipt{.language = "ne",
                          .title = "जन्म दर्ता",
                          .centre = "काठमाडौं महानगरपालिका",
                          .tracking = kTracking,
                          .lines = {{"सेवा", "क्षत्रिय नेपाली"}, {"शुल्क", "रु ५०"}},
                          .qr_payload = kTracking,
                          .footer = "धन्यवाद"};
    TempDir dir;
    const std::pair<const char*, const char*> named_and_other[] = {
        {"Noto Serif Devanagari", "NotoSansDevanagari"},
        {"Noto Sans Devanagari", "NotoSerifDevanagari"}};
    for (const auto& [family, other] : named_and_other) {
        SCOPED_TRACE(family);
        set_font_families({"Noto Sans", family});
        const fs::path pdf = dir / "ne.pdf";
        ASSERT_NO_THROW(write_pdf(receipt, Paper::Thermal80, pdf));
        std::string embedded = family;
        embedded.erase(std::remove(embedded.begin(), embedded.end(), ' '), embedded.end());
        const std::string fonts = pdffonts(pdf);
        EXPECT_THAT(fonts, HasSubstr(embedded)) << fonts;
        EXPECT_THAT(fonts, Not(HasSubstr(other))) << fonts;
        EXPECT_THAT(fonts, HasSubstr("NotoSans-")) << "Latin digits of the tracking number";
    }
    set_font_families({"Noto Sans", "Noto Sans Bengali"});
    EXPECT_THAT(error_of([] { set_font_families({}); }), HasSubstr("at least one font family"));
    EXPECT_THAT(error_of([] { set_font_families({"Noto Sans,Arial"}); }),
                HasSubstr("not a font family name"));
    // The Bangla receipt still prints with Noto Sans Bengali.
    const fs::path pdf = dir / "bn.pdf";
    ASSERT_NO_THROW(write_pdf(bangla_birth_registration(), Paper::Thermal80, pdf));
    EXPECT_THAT(pdffonts(pdf), HasSubstr("NotoSansBengali"));
}

TEST(RenderPdf, LongA6ReceiptContinuesOnNextPagesLosingNothing) {
    Receipt receipt = russian();
    receipt.lines.clear();
    for (int i = 1; i <= 40; ++i)
        receipt.lines.push_back({fmt::format("Строка {}", i), fmt::format("VALUE-{:02}", i)});
    std::string words;  // one value taller than a whole page: it continues line by line
    for (int i = 1; i <= 500; ++i) words += fmt::format("w{:03} ", i);
    receipt.lines.push_back({"Примечание", words});
    TempDir dir;
    fs::path pdf = dir / "long.pdf";
    write_pdf(receipt, Paper::A6, pdf);
    std::string info = pdfinfo(pdf);
    EXPECT_THAT(info, ContainsRegex("Pages: +[3-9]"));
    std::string text = pdftotext(pdf);
    // Once each: a line cut across a page break would be lost, or drawn on both pages.
    for (int i = 1; i <= 40; ++i) EXPECT_EQ(count(text, fmt::format("VALUE-{:02}", i)), 1) << i;
    for (int i = 1; i <= 500; ++i) EXPECT_EQ(count(text, fmt::format("w{:03}", i)), 1) << i;
    EXPECT_THAT(text, HasSubstr(receipt.tracking));
}

TEST(RenderPdf, WrittenWholeAndReadableByItsOwnerOnly) {
    TempDir dir;
    const mode_t umask_before = ::umask(022);  // the usual one: new files 0644
    fs::path pdf = dir / "DHK1-261128-A7-0001.pdf";
    write_pdf(bangla_birth_registration(), Paper::A6, pdf);
    write_png(bangla_birth_registration(), Paper::Thermal80, dir / "DHK1-261128-A7-0001.png");
    write_pdf(bangla_birth_registration(), Paper::A6, pdf);  // again: replaced whole
    ::umask(umask_before);
    std::vector<std::string> names;
    for (const fs::directory_entry& e : fs::directory_iterator(dir.path())) {
        names.push_back(e.path().filename().string());
        EXPECT_EQ(e.status().permissions(), fs::perms::owner_read | fs::perms::owner_write)
            << e.path();
    }
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names,
              (std::vector<std::string>{"DHK1-261128-A7-0001.pdf", "DHK1-261128-A7-0001.png"}))
        << "no temporary file left behind";
    EXPECT_THAT(pdftotext(pdf), HasSubstr(kTracking));
}

TEST(RenderPdf, UnwritableFileNamesThePath) {
    TempDir dir;
    fs::path pdf = dir / "no-such-dir" / "receipt.pdf";
    std::string error = error_of([&] { write_pdf(bangla_birth_registration(), Paper::A6, pdf); });
    EXPECT_THAT(error, HasSubstr(pdf.string()));
    EXPECT_THAT(error, HasSubstr("ENOENT"));
}

TEST(RenderPdf, EveryKindOfBlockIsDrawnAndItsTextCanBeFound) {
    Document d;
    d.language = "uz-Latn";
    d.reference = "CERT-2026-0007";
    d.title("Sertifikat")
        .heading("MuktoPaath")
        .paragraph("")  // nothing to draw: no space either
        .paragraph(
            "Ushbu sertifikat Kompyuter savodxonligi kursini muvaffaqiyatli tugatgani uchun "
            "berildi. Kurs oʻn ikki haftadan iborat boʻlib, yakuniy imtihon topshirildi.")
        .row("Kurs", "Kompyuter savodxonligi")
        .row("Baho", "A'lo")
        .rule()
        .number("CERT-2026-0007")
        .qr("https://muktopaath.gov.bd/verify/CERT-2026-0007")
        .footer("Tekshirish: muktopaath.gov.bd");
    TempDir dir;
    fs::path pdf = dir / "certificate.pdf";
    write_pdf(d, Paper::Thermal80, pdf);
    std::string text = pdftotext(pdf);
    for (const char* words : {"Sertifikat", "MuktoPaath", "muvaffaqiyatli", "imtihon", "Kurs",
                              "A'lo", "CERT-2026-0007", "Tekshirish"})
        EXPECT_THAT(text, HasSubstr(words));
    EXPECT_THAT(pdfinfo(pdf), ContainsRegex("Title: +Sertifikat CERT-2026-0007"));

    fs::path png = dir / "certificate.png";
    write_png(d, Paper::Thermal58, png);
    keep(png);
    Image image = read_png(png);
    ASSERT_EQ(image.width, 384);
    EXPECT_FALSE(image.ink_in_columns(0, 4)) << "ink in the left margin";
    EXPECT_FALSE(image.ink_in_columns(380, 384)) << "ink in the right margin: a line ran over";
    EXPECT_EQ(zbar(png), "https://muktopaath.gov.bd/verify/CERT-2026-0007\n");

    // Each block takes room: the paragraph wraps over lines, a rule is a line.
    Document shorter = d;
    shorter.blocks.erase(shorter.blocks.begin() + 3);  // the paragraph
    write_png(shorter, Paper::Thermal58, dir / "shorter.png");
    EXPECT_GT(image.height, read_png(dir / "shorter.png").height + 3 * 24);
}

// [SECTION] Certificates on A4 and A5

const std::string kVerifyUrl = "https://muktopaath.gov.bd/verify/MP-7Q2K-9D4X-H3PA";

/// A course certificate, as MuktoPaath prints one: title, the name, the course, rows, a
/// paragraph, the certificate number, the QR code that verifies it, a footer.
Document certificate(const std::string& language) {
    Document d;
    d.language = language;
    d.reference = "MP-7Q2K-9D4X-H3PA";
    if (language == "bn") {
        d.title("সনদপত্র")
            .heading("মুক্তপাঠ — জাতীয় ই-লার্নিং প্ল্যাটফর্ম")
            .paragraph("এই মর্মে প্রত্যয়ন করা যাচ্ছে যে")
            .number("রহিমা খাতুন")
            .paragraph(
                "ডিজিটাল সাক্ষরতা কোর্সটি সফলভাবে সম্পন্ন করেছেন এবং চূড়ান্ত মূল্যায়নে "
                "উত্তীর্ণ হয়েছেন।")
            .rule()
            .row("কোর্স", "ডিজিটাল সাক্ষরতা")
            .row("ফলাফল", "৮৫%")
            .row("তারিখ", "২৮ নভেম্বর ২০২৬")
            .row("সনদ নম্বর", "MP-7Q2K-9D4X-H3PA")
            .rule()
            .qr(kVerifyUrl)
            .footer("যাচাই করতে QR কোডটি স্ক্যান করুন অথবা muktopaath.gov.bd/verify দেখুন");
    } else {
        d.title("Certificate of Completion")
            .heading("MuktoPaath — national e-learning platform")
            .paragraph("This is to certify that")
            .number("Rahima Khatun")
            .paragraph(
                "has completed the course Digital Literacy and passed its final "
                "assessment.")
            .rule()
            .row("Course", "Digital Literacy")
            .row("Score", "85%")
            .row("Date", "28 November 2026")
            .row("Certificate number", "MP-7Q2K-9D4X-H3PA")
            .rule()
            .qr(kVerifyUrl)
            .footer("Scan the QR code or visit muktopaath.gov.bd/verify to check it");
    }
    return d;
}

/// The PDF's first page as a grey PNG at `dpi` (pdftoppm), as a phone's camera would see it.
fs::path render_page(const fs::path& pdf, int dpi) {
    fs::path png = pdf;
    png.replace_extension(".png");
    fs::path stem = png;
    stem.replace_extension();
    run_process(fmt::format("'{}' -r {} -gray -png -singlefile '{}' '{}'", SEBA_PDFTOPPM, dpi,
                            pdf.string(), stem.string()));
    return png;
}

/// The width in pixels of the QR code on a page: the top edges of its two upper finder
/// patterns are the first row with exactly two black runs of the same length (7 modules, at
/// least `min_run` pixels; the frame's lines are longer) that both read as finder patterns. From
/// the left edge of one to the right edge of the other; 0 when there is no such row.
int qr_width_px(const Image& image, int min_run) {
    for (int y = 0; y < image.height; ++y) {
        std::vector<std::pair<int, int>> runs;  // [start, end)
        const std::uint8_t* row = &image.black[static_cast<std::size_t>(y) * image.width];
        for (int x = 0; x < image.width;) {
            if (!row[x]) {
                ++x;
                continue;
            }
            int end = x;
            while (end < image.width && row[end]) ++end;
            if (end - x >= min_run && end - x < image.width / 4) runs.emplace_back(x, end);
            x = end;
        }
        if (runs.size() != 2) continue;
        const int first = runs[0].second - runs[0].first, second = runs[1].second - runs[1].first;
        if (std::abs(first - second) > 2) continue;
        // A finder pattern, read down its middle: black, white, black (3 modules), white, black.
        auto finder = [&](std::pair<int, int> run) {
            const double module = (run.second - run.first) / 7.0;
            const int x = (run.first + run.second) / 2;
            auto black = [&](double modules_down) {
                const int at = y + static_cast<int>(modules_down * module);
                return at < image.height &&
                       image.black[static_cast<std::size_t>(at) * image.width + x];
            };
            return black(0.5) && !black(1.5) && black(3.5) && !black(5.5) && black(6.5);
        };
        if (finder(runs[0]) && finder(runs[1])) return runs[1].second - runs[0].first;
    }
    return 0;
}

TEST(RenderPdf, CertificatesOnA4AndA5AreFramedPortraitPagesWithTheirTextAndABigQr) {
    TempDir dir;
    struct Page {
        Paper paper;
        const char* name;
        const char* size;
        double min_qr_mm;
    };
    const Page pages[] = {{Paper::A4, "A4", "595.276 x 841.89 pts (A4)", 40.0},
                          {Paper::A5, "A5", "419.528 x 595.276 pts", 30.0}};
    for (const std::string language : {"bn", "en"}) {
        for (const Page& page : pages) {
            SCOPED_TRACE(fmt::format("{} on {}", language, page.name));
            fs::path pdf = dir / fmt::format("certificate-{}-{}.pdf", language, page.name);
            write_pdf(certificate(language), page.paper, pdf);
            std::string info = pdfinfo(pdf);
            EXPECT_THAT(info, HasSubstr(page.size));
            EXPECT_THAT(info, ContainsRegex("Pages: +1\n")) << "a certificate is one page";
            std::string text = pdftotext(pdf);
            if (language == "bn") {
                // pdftotext splits the large bold name after its u-sign ("খাতু ন"): its first word.
                for (const char* words :
                     {"সনদপত্র", "রহিমা", "ডিজিটাল সাক্ষরতা", "উত্তীর্ণ", "৮৫%", "যাচাই"})
                    EXPECT_THAT(text, HasSubstr(words));
            } else {
                for (const char* words : {"Certificate of Completion", "Rahima Khatun",
                                          "Digital Literacy", "85%", "Certificate number"})
                    EXPECT_THAT(text, HasSubstr(words));
            }
            EXPECT_THAT(text, HasSubstr("MP-7Q2K-9D4X-H3PA"));

            constexpr int kDpi = 150;
            fs::path png = render_page(pdf, kDpi);
            keep(png);
            EXPECT_EQ(zbar(png), kVerifyUrl + "\n");
            Image image = read_png(png);
            ASSERT_GT(image.width, 0);
            const int min_run = static_cast<int>(4.0 / 25.4 * kDpi);  // 7 modules: 4 mm or more
            const double qr_mm = qr_width_px(image, min_run) * 25.4 / kDpi;
            EXPECT_GE(qr_mm, page.min_qr_mm) << "the QR code is " << qr_mm << " mm wide";

            // The thin frame: a dark line all along each side, near the page's edge.
            auto dark_column = [&](int x) {
                int dark = 0;
                for (int y = 0; y < image.height; ++y)
                    dark += image.black[static_cast<std::size_t>(y) * image.width + x];
                return dark > image.height * 9 / 10;
            };
            int left = -1, right = -1;
            for (int x = 0; x < image.width / 8 && left < 0; ++x)
                if (dark_column(x)) left = x;
            for (int x = image.width - 1; x > image.width * 7 / 8 && right < 0; --x)
                if (dark_column(x)) right = x;
            EXPECT_GT(left, 0) << "no frame on the left";
            EXPECT_GT(right, 0) << "no frame on the right";
            EXPECT_FALSE(image.ink_in_columns(0, std::max(left - 1, 0))) << "ink outside the frame";
        }
    }
    // The receipt's page is still A6, and a thermal printer still takes no page.
    write_pdf(certificate("bn"), Paper::A6, dir / "receipt.pdf");
    EXPECT_THAT(pdfinfo(dir / "receipt.pdf"), HasSubstr("297.638 x 419.528 pts"));
    EXPECT_THAT(error_of([] { escpos(certificate("en"), Paper::A4); }),
                HasSubstr("not A4; print A4 as a PDF"));
}

TEST(RenderPdf, ALongCertificateContinuesOnANewFramedPage) {
    Document d = certificate("en");
    for (int i = 0; i < 30; ++i)
        d.row(fmt::format("Lesson {}", i + 1), "completed with every quiz passed");
    TempDir dir;
    write_pdf(d, Paper::A5, dir / "long.pdf");
    EXPECT_THAT(pdfinfo(dir / "long.pdf"), ContainsRegex("Pages: +[2-9]\n"));
    std::string text = pdftotext(dir / "long.pdf");
    EXPECT_THAT(text, HasSubstr("Lesson 2"));
    EXPECT_THAT(text, HasSubstr("Lesson 30"));
}

// [SECTION] ESC/POS

/// The ESC/POS job taken apart: its raster bands put back into one image.
struct Job {
    std::string problem;  // empty when the job has the expected shape
    int row_bytes = 0;
    int rows = 0;
    std::vector<int> bands;
    Image image;
};

Job failed(std::string problem) {
    Job job;
    job.problem = std::move(problem);
    return job;
}

Job parse(const std::vector<std::uint8_t>& bytes, int width_dots) {
    Job job;
    const std::vector<std::uint8_t> tail = {0x1B, 0x64, 0x04, 0x1D, 0x56, 0x42, 0x00};
    if (bytes.size() < 2 || bytes[0] != 0x1B || bytes[1] != 0x40) return failed("no ESC @ first");
    std::size_t at = 2;
    job.image.width = width_dots;
    while (at + 8 <= bytes.size() && bytes[at] == 0x1D && bytes[at + 1] == 0x76 &&
           bytes[at + 2] == 0x30) {
        if (bytes[at + 3] != 0) return failed("GS v 0 with m != 0");
        int row_bytes = bytes[at + 4] | bytes[at + 5] << 8;
        int rows = bytes[at + 6] | bytes[at + 7] << 8;
        if (job.row_bytes && row_bytes != job.row_bytes) return failed("bands of different widths");
        job.row_bytes = row_bytes;
        at += 8;
        if (at + static_cast<std::size_t>(row_bytes) * rows > bytes.size())
            return failed("band runs past the end");
        for (int y = 0; y < rows; ++y, at += row_bytes)
            for (int x = 0; x < width_dots; ++x)
                job.image.black.push_back((bytes[at + x / 8] >> (7 - x % 8)) & 1);
        job.bands.push_back(rows);
        job.rows += rows;
    }
    job.image.height = job.rows;
    if (job.bands.empty()) return failed("no GS v 0 band");
    if (std::vector<std::uint8_t>(bytes.begin() + static_cast<std::ptrdiff_t>(at), bytes.end()) !=
        tail)
        return failed(fmt::format("after the bands: {} bytes that are not ESC d 4, GS V 66 0",
                                  bytes.size() - at));
    return job;
}

TEST(RenderEscpos, JobIsInitRasterBandsFeedAndCutAndItsQrDecodes) {
    TempDir dir;
    for (const Width& width : kThermal) {
        SCOPED_TRACE(width.name);
        fs::path preview = dir / "preview.png";
        write_png(bangla_birth_registration(), width.paper, preview);
        Image png = read_png(preview);

        Job job = parse(escpos(bangla_birth_registration(), width.paper), width.dots);
        ASSERT_EQ(job.problem, "");
        EXPECT_EQ(job.row_bytes, width.dots / 8);  // 48 and 72
        for (int rows : job.bands) EXPECT_LE(rows, 256);
        EXPECT_GE(job.bands.size(), 2u);
        EXPECT_EQ(job.rows, png.height);
        EXPECT_TRUE(job.image.black == png.black) << "the printed dots differ from the preview";

        fs::path printed = dir / fmt::format("escpos-{}.png", width.name);
        write_png(job.image, printed);
        keep(printed);
        EXPECT_EQ(zbar(printed), kTracking + "\n");
    }
}

TEST(RenderEscpos, A6IsRefused) {
    EXPECT_THAT(error_of([] { escpos(bangla_birth_registration(), Paper::A6); }),
                HasSubstr("thermal"));
}

// [SECTION] send_to_printer

TEST(SendToPrinter, WritesEveryByteToAFile) {
    TempDir dir;
    std::vector<std::uint8_t> job = escpos(bangla_birth_registration(), Paper::Thermal58);
    seba::testing::write_file(dir / "lp0", std::string(100000, 'x'));  // an older, longer job
    send_to_printer(job, dir / "lp0");
    EXPECT_EQ(read_file(dir / "lp0"), std::string(job.begin(), job.end()));
}

TEST(SendToPrinter, MissingDirectoryNamesThePath) {
    TempDir dir;
    fs::path device = dir / "usb" / "lp0";
    std::string error = error_of([&] { send_to_printer({0x1B, 0x40}, device); });
    EXPECT_THAT(error, HasSubstr(device.string()));
    EXPECT_THAT(error, HasSubstr("ENOENT"));
}

/// Root may write a read-only file, so as root the write is tried as nobody.
class AsNobody {
  public:
    AsNobody() : active_(::geteuid() == 0 && ::seteuid(65534) == 0) {}
    ~AsNobody() {
        if (active_ && ::seteuid(0) != 0) std::abort();
    }
    AsNobody(const AsNobody&) = delete;
    AsNobody& operator=(const AsNobody&) = delete;

  private:
    bool active_;
};

TEST(SendToPrinter, ReadOnlyFileNamesThePath) {
    TempDir dir;
    fs::path device = dir / "receipt.bin";
    seba::testing::write_file(device, "old");
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read |
                                    fs::perms::group_exec | fs::perms::others_read |
                                    fs::perms::others_exec);
    fs::permissions(device, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    std::string error;
    {
        AsNobody nobody;
        error = error_of([&] { send_to_printer({0x1B, 0x40}, device); });
    }
    EXPECT_THAT(error, HasSubstr(device.string()));
    EXPECT_THAT(error, HasSubstr("EACCES"));
    EXPECT_EQ(read_file(device), "old");
}

TEST(SendToPrinter, FullDeviceReportsEnospc) {
    std::vector<std::uint8_t> job = escpos(bangla_birth_registration(), Paper::Thermal80);
    std::string error = error_of([&] { send_to_printer(job, "/dev/full"); });
    EXPECT_THAT(error, HasSubstr("/dev/full"));
    EXPECT_THAT(error, HasSubstr("ENOSPC"));
    EXPECT_THAT(error, HasSubstr(fmt::format("of {} bytes", job.size())));
}

TEST(SendToPrinter, UnpluggedPrinterUnderDevIsNotCreatedAsAFile) {
    fs::path device = fmt::format("/dev/seba-test-lp-{}", ::getpid());
    std::string error = error_of([&] { send_to_printer({0x1B, 0x40}, device); });
    EXPECT_THAT(error, HasSubstr(device.string()));
    EXPECT_THAT(error, HasSubstr("ENOENT"));
    EXPECT_THAT(error, HasSubstr("plugged in"));
    EXPECT_FALSE(fs::exists(device));
    fs::remove(device);
}

}  // namespace
}  // namespace seba::print

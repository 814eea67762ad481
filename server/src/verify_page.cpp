// SPDX-License-Identifier: Apache-2.0
#include "verify_page.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <vector>

namespace seba::server::detail {

namespace {

using credentials::Reason;
using credentials::Status;

// The page's words, one column per language, in kLanguages' order. Few enough to keep here.
constexpr std::array<std::string_view, 5> kLanguages = {"en", "bn", "uz-Latn", "uz-Cyrl", "ru"};
constexpr std::array<std::string_view, 5> kLanguageNames = {"English", "বাংলা", "Oʻzbekcha",
                                                            "Ўзбекча", "Русский"};

enum Word {
    kTitle,
    kPrompt,
    kCheck,
    kValid,
    kNotValid,
    kExpired,
    kRevoked,
    kWhyValid,
    kWhyNotACredential,
    kWhyTruncated,
    kWhyMalformed,
    kWhyBadSignature,
    kWhyExpired,
    kWhyKeyRevoked,
    kWhyCredentialRevoked,
    kWhyUnknownKey,
    kName,
    kType,
    kAchievement,
    kIssued,
    kExpires,
    kNever,
    kIssuer,
    kCentre,
    kId,
    kCourse,
    kCourseCode,
    kCourseVersion,
    kResult,
    kPass,
    kMerit,
    kDistinction,
    kCourseCertificate,
    kWordCount
};

using Row = std::array<std::string_view, 5>;
constexpr std::array<Row, kWordCount> kWords = {{
    {"Check a certificate", "সনদ যাচাই করুন", "Sertifikatni tekshirish", "Сертификатни текшириш",
     "Проверка сертификата"},
    {"Paste or type the code printed under the QR code (it starts with SB1:).",
     "কিউআর কোডের নিচে ছাপা কোডটি লিখুন বা পেস্ট করুন (এটি SB1: দিয়ে শুরু হয়)।",
     "QR kod ostida bosilgan kodni kiriting yoki joylashtiring (u SB1: bilan boshlanadi).",
     "QR код остида босилган кодни киритинг ёки жойлаштиринг (у SB1: билан бошланади).",
     "Вставьте или введите код, напечатанный под QR-кодом (он начинается с SB1:)."},
    {"Check", "যাচাই করুন", "Tekshirish", "Текшириш", "Проверить"},
    {"Genuine certificate", "সনদটি আসল", "Sertifikat haqiqiy", "Сертификат ҳақиқий",
     "Сертификат подлинный"},
    {"Not valid", "সনদটি বৈধ নয়", "Sertifikat haqiqiy emas", "Сертификат ҳақиқий эмас",
     "Сертификат недействителен"},
    {"Expired", "সনদটির মেয়াদ শেষ", "Sertifikat muddati tugagan", "Сертификат муддати тугаган",
     "Срок действия истёк"},
    {"Revoked", "সনদটি বাতিল", "Sertifikat bekor qilingan", "Сертификат бекор қилинган",
     "Сертификат отозван"},
    {"Issued by a registered kiosk, and not altered since.",
     "একটি নিবন্ধিত কিয়স্ক থেকে দেওয়া, এবং তারপর থেকে অপরিবর্তিত।",
     "Roʻyxatdan oʻtgan kioskda berilgan va oʻzgartirilmagan.",
     "Рўйхатдан ўтган киоскда берилган ва ўзгартирилмаган.",
     "Выдан зарегистрированным киоском и с тех пор не изменён."},
    {"This is not a certificate code.", "এটি কোনো সনদের কোড নয়।", "Bu sertifikat kodi emas.",
     "Бу сертификат коди эмас.", "Это не код сертификата."},
    {"The code is incomplete: check that all of it was typed or scanned.",
     "কোডটি অসম্পূর্ণ: পুরো কোডটি লেখা বা স্ক্যান করা হয়েছে কিনা দেখুন।",
     "Kod toʻliq emas: u toʻliq kiritilganini tekshiring.",
     "Код тўлиқ эмас: у тўлиқ киритилганини текширинг.",
     "Код неполный: проверьте, что он введён или отсканирован целиком."},
    {"The code is damaged or was altered.", "কোডটি ক্ষতিগ্রস্ত অথবা পরিবর্তিত।",
     "Kod buzilgan yoki oʻzgartirilgan.", "Код бузилган ёки ўзгартирилган.",
     "Код повреждён или изменён."},
    {"The certificate was altered after it was issued, or it is forged.",
     "সনদটি দেওয়ার পরে পরিবর্তন করা হয়েছে, অথবা এটি জাল।",
     "Sertifikat berilgandan keyin oʻzgartirilgan yoki soxta.",
     "Сертификат берилгандан кейин ўзгартирилган ёки сохта.",
     "Сертификат изменён после выдачи или подделан."},
    {"Its validity ended on the date below.", "নিচের তারিখে এর মেয়াদ শেষ হয়েছে।",
     "Uning amal qilish muddati quyidagi sanada tugagan.",
     "Унинг амал қилиш муддати қуйидаги санада тугаган.",
     "Срок его действия истёк в указанную ниже дату."},
    {"The kiosk that issued it was withdrawn from service.",
     "যে কিয়স্ক এটি দিয়েছে, সেটি সেবা থেকে প্রত্যাহার করা হয়েছে।",
     "Uni bergan kiosk xizmatdan chiqarilgan.", "Уни берган киоск хизматдан чиқарилган.",
     "Выдавший его киоск выведен из работы."},
    {"This certificate was withdrawn.", "এই সনদটি প্রত্যাহার করা হয়েছে।",
     "Bu sertifikat qaytarib olingan.", "Бу сертификат қайтариб олинган.",
     "Этот сертификат отозван."},
    {"It was not issued by any kiosk this service knows.",
     "এটি এই সেবার পরিচিত কোনো কিয়স্ক থেকে দেওয়া হয়নি।",
     "U ushbu xizmatga maʼlum hech bir kioskda berilmagan.",
     "У ушбу хизматга маълум ҳеч бир киоскда берилмаган.",
     "Он выдан не киоском, известным этой службе."},
    {"Name", "নাম", "Ism", "Исм", "Имя"},
    {"Certificate", "সনদ", "Sertifikat", "Сертификат", "Сертификат"},
    {"Achievement", "অর্জন", "Yutuq", "Ютуқ", "Достижение"},
    {"Issued on", "দেওয়ার তারিখ", "Berilgan sana", "Берилган сана", "Дата выдачи"},
    {"Valid until", "মেয়াদ", "Amal qilish muddati", "Амал қилиш муддати", "Действителен до"},
    {"no expiry", "মেয়াদহীন", "muddatsiz", "муддатсиз", "бессрочно"},
    {"Issuing kiosk", "দেওয়া কিয়স্ক", "Bergan kiosk", "Берган киоск", "Выдавший киоск"},
    {"Centre", "কেন্দ্র", "Markaz", "Марказ", "Центр"},
    {"Certificate number", "সনদ নম্বর", "Sertifikat raqami", "Сертификат рақами",
     "Номер сертификата"},
    {"Course", "কোর্স", "Kurs", "Курс", "Курс"},
    {"Course code", "কোর্স কোড", "Kurs kodi", "Курс коди", "Код курса"},
    {"Course version", "কোর্সের সংস্করণ", "Kurs versiyasi", "Курс версияси", "Версия курса"},
    {"Result", "ফলাফল", "Natija", "Натижа", "Результат"},
    {"Pass", "উত্তীর্ণ", "Oʻtdi", "Ўтди", "Сдано"},
    {"Merit", "কৃতিত্বসহ উত্তীর্ণ", "Yaxshi natija", "Яхши натижа", "С отличием"},
    {"Distinction", "বিশেষ কৃতিত্বসহ উত্তীর্ণ", "Aʼlo natija", "Аъло натижа", "С высшим отличием"},
    {"Course certificate", "কোর্স সমাপনী সনদ", "Kurs sertifikati", "Курс сертификати",
     "Сертификат о прохождении курса"},
}};

std::size_t column(std::string_view language) {
    for (std::size_t i = 0; i < kLanguages.size(); ++i)
        if (kLanguages[i] == language) return i;
    return 0;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// One of kLanguages for a tag as a browser sends it ("bn-BD", "uz", "uz-Cyrl-UZ").
std::optional<std::string_view> supported(std::string_view tag) {
    const std::string t = lower(tag);
    auto is = [&](std::string_view base) {
        return t == base ||
               (t.starts_with(base) && t.size() > base.size() && t[base.size()] == '-');
    };
    if (is("uz-cyrl")) return kLanguages[3];
    if (is("uz")) return kLanguages[2];
    for (std::string_view language : {"en", "bn", "ru"})
        if (is(language)) return kLanguages[column(language)];
    return std::nullopt;
}

std::string_view headline(const credentials::Verdict& v, std::size_t lang) {
    switch (v.status) {
        case Status::Valid:
            return kWords[kValid][lang];
        case Status::Expired:
            return kWords[kExpired][lang];
        case Status::Revoked:
            return kWords[kRevoked][lang];
        default:
            return kWords[kNotValid][lang];
    }
}

std::string_view why(const credentials::Verdict& v, std::size_t lang) {
    switch (v.reason) {
        case Reason::None:
            return kWords[kWhyValid][lang];
        case Reason::NotACredential:
            return kWords[kWhyNotACredential][lang];
        case Reason::Truncated:
            return kWords[kWhyTruncated][lang];
        case Reason::BadSignature:
            return kWords[kWhyBadSignature][lang];
        case Reason::Expired:
            return kWords[kWhyExpired][lang];
        case Reason::KeyRevoked:
            return kWords[kWhyKeyRevoked][lang];
        case Reason::CredentialRevoked:
            return kWords[kWhyCredentialRevoked][lang];
        case Reason::UnknownKey:
        case Reason::NoTrustList:
            return kWords[kWhyUnknownKey][lang];
        case Reason::Malformed:
            break;
    }
    return kWords[kWhyMalformed][lang];
}

// The achievement as labelled rows: a course certificate's title, code, version and result
// in the page's language; any other plain field as "name: value".
std::vector<std::pair<Word, std::string>> achievement_rows(const nlohmann::json& a,
                                                           std::string_view language,
                                                           std::size_t lang) {
    std::vector<std::pair<Word, std::string>> rows;
    if (!a.is_object()) return rows;
    if (auto title = a.find("title"); title != a.end()) {
        if (title->is_string()) {
            rows.emplace_back(kCourse, title->get<std::string>());
        } else if (title->is_object() && !title->empty()) {
            auto pick = title->find(std::string(language));
            if (pick == title->end() || !pick->is_string()) pick = title->find("en");
            if (pick == title->end() || !pick->is_string()) pick = title->begin();
            if (pick->is_string()) rows.emplace_back(kCourse, pick->get<std::string>());
        }
    }
    for (const auto& [key, value] : a.items()) {
        if (key == "title") continue;
        std::string text = value.is_string()                         ? value.get<std::string>()
                           : value.is_number() || value.is_boolean() ? value.dump()
                                                                     : std::string();
        if (text.empty()) continue;
        if (key == "course") {
            rows.emplace_back(kCourseCode, text);
        } else if (key == "version") {
            rows.emplace_back(kCourseVersion, text);
        } else if (key == "score_band") {
            const Word band = text == "distinction" ? kDistinction
                              : text == "merit"     ? kMerit
                              : text == "pass"      ? kPass
                                                    : kWordCount;
            rows.emplace_back(kResult, band == kWordCount ? text : std::string(kWords[band][lang]));
        } else {
            rows.emplace_back(kAchievement, fmt::format("{}: {}", key, text));
        }
    }
    return rows;
}

constexpr std::string_view kStyle =
    "body{font-family:'Noto Sans','Noto Sans Bengali',sans-serif;margin:0 auto;max-width:46rem;"
    "padding:1rem;color:#111;background:#fafafa}"
    "h1{font-size:1.5rem}textarea{width:100%;box-sizing:border-box;font:1rem monospace;"
    "min-height:6rem}button{font-size:1.2rem;padding:.5rem 2rem;margin-top:.5rem}"
    ".verdict{border-radius:.5rem;padding:1rem;margin:1rem 0;border:3px solid}"
    ".verdict p.big{font-size:2.4rem;font-weight:bold;margin:0}"
    ".valid{border-color:#1b7f3a;background:#e6f6ea}.valid p.big{color:#1b7f3a}"
    ".invalid{border-color:#b3261e;background:#fdeceb}.invalid p.big{color:#b3261e}"
    ".warn{border-color:#8a5a00;background:#fff4e0}.warn p.big{color:#8a5a00}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:bold}"
    "dd{margin:0}nav a{margin-right:1rem}";

}  // namespace

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string page_language(std::string_view asked, std::string_view accept_language) {
    if (auto language = supported(asked); language && lower(asked).size() == language->size())
        return std::string(*language);
    // Accept-Language: "bn-BD,bn;q=0.9,en;q=0.8": the supported tag with the highest q.
    std::optional<std::string_view> best;
    double best_q = 0;
    std::size_t items = 0;
    while (!accept_language.empty() && items++ < 32) {
        const std::size_t comma = accept_language.find(',');
        std::string_view item = accept_language.substr(0, comma);
        accept_language = comma == std::string_view::npos ? std::string_view()
                                                          : accept_language.substr(comma + 1);
        const std::size_t semicolon = item.find(';');
        std::string_view tag = item.substr(0, semicolon);
        while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
        while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
        double q = 1;
        if (semicolon != std::string_view::npos) {
            std::string_view params = item.substr(semicolon + 1);
            if (std::size_t at = params.find("q="); at != std::string_view::npos)
                q = std::strtod(std::string(params.substr(at + 2, 5)).c_str(), nullptr);
        }
        if (auto language = supported(tag); language && q > best_q) {
            best = language;
            best_q = q;
        }
    }
    return std::string(best.value_or(kLanguages[0]));
}

std::string verify_page(std::string_view language, std::string_view text,
                        const std::optional<credentials::Verdict>& verdict) {
    const std::size_t lang = column(language);
    std::string html = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"{0}\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        "<meta name=\"referrer\" content=\"no-referrer\">"
        "<title>{1}</title><style>{2}</style></head><body>\n<nav>",
        kLanguages[lang], escape_html(kWords[kTitle][lang]), kStyle);
    for (std::size_t i = 0; i < kLanguages.size(); ++i)
        html += fmt::format("<a href=\"/verify?lang={}\" hreflang=\"{}\" lang=\"{}\">{}</a>",
                            kLanguages[i], kLanguages[i], kLanguages[i], kLanguageNames[i]);
    html += fmt::format("</nav>\n<h1>{}</h1>\n", escape_html(kWords[kTitle][lang]));
    if (verdict) {
        const char* kind = verdict->status == Status::Valid     ? "valid"
                           : verdict->status == Status::Expired ? "warn"
                                                                : "invalid";
        html += fmt::format(
            "<section class=\"verdict {}\" id=\"verdict\" data-status=\"{}\" "
            "data-reason=\"{}\"><p class=\"big\">{}</p><p>{}</p>",
            kind, credentials::to_string(verdict->status), credentials::to_string(verdict->reason),
            escape_html(headline(*verdict, lang)), escape_html(why(*verdict, lang)));
        if (verdict->claims) {
            const credentials::Claims& c = *verdict->claims;
            auto row = [&](Word label, std::string_view value) {
                html += fmt::format("<dt>{}</dt><dd>{}</dd>", escape_html(kWords[label][lang]),
                                    escape_html(value));
            };
            html += "<dl>";
            row(kName, c.subject);
            row(kType, c.type == "course-certificate" ? kWords[kCourseCertificate][lang]
                                                      : std::string_view(c.type));
            for (const auto& [label, value] : achievement_rows(c.achievement, language, lang))
                row(label, value);
            row(kIssued, c.issued);
            row(kExpires, c.expires.empty() ? kWords[kNever][lang] : std::string_view(c.expires));
            row(kIssuer, c.issuer);
            row(kCentre, c.centre);
            row(kId, c.id);
            html += "</dl>";
        }
        html += "</section>\n";
    }
    html += fmt::format(
        "<form method=\"get\" action=\"/verify\"><input type=\"hidden\" name=\"lang\" "
        "value=\"{}\"><p><label for=\"c\">{}</label></p><textarea id=\"c\" name=\"c\" "
        "spellcheck=\"false\" autocapitalize=\"characters\">{}</textarea><br><button "
        "type=\"submit\">{}</button></form>\n</body></html>\n",
        kLanguages[lang], escape_html(kWords[kPrompt][lang]), escape_html(text),
        escape_html(kWords[kCheck][lang]));
    return html;
}

}  // namespace seba::server::detail

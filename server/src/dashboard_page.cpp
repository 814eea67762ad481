// SPDX-License-Identifier: Apache-2.0
#include "dashboard_page.hpp"

#include <fmt/format.h>
#include <sodium.h>
#include <unicode/datefmt.h>
#include <unicode/locid.h>
#include <unicode/numberformatter.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "verify_page.hpp"

namespace seba::server::detail {

namespace {

// [SECTION] words

constexpr std::array<std::string_view, 5> kLanguages = {"en", "bn", "uz-Latn", "uz-Cyrl", "ru"};
constexpr std::array<std::string_view, 5> kLanguageNames = {"English", "বাংলা", "Oʻzbekcha",
                                                            "Ўзбекча", "Русский"};

enum Word {
    kTitle,
    kReportTitle,
    kSignInTitle,
    kUserName,
    kPassword,
    kSignIn,
    kSignOut,
    kSignedInAs,
    kWrong,
    kTooMany,
    kFormExpired,
    kLevel,
    kCountry,
    kRegion,
    kDistrict,
    kCentre,
    kService,
    kFrom,
    kTo,
    kShow,
    kPrintReport,
    kDownloadJson,
    kDownloadCsv,
    kBadFilter,
    kNoData,
    kTrend,
    kRequests,
    kCentreTime,
    kWeightedNote,
    kSavings,
    kTime,
    kCost,
    kVisits,
    kBefore,
    kNow,
    kNowNote,
    kIllustrative,
    kFewer,
    kByArea,
    kWholeCountry,
    kArea,
    kMonth,
    kAtCentre,
    kMedianMinutes,
    kP90Minutes,
    kReported,
    kSurveys,
    kSaved,
    kPaidExtra,
    kRating,
    kGrievances,
    kCategory,
    kFiled,
    kResolved,
    kNoGrievances,
    kComputedAt,
    kPeriod,
    kAllMonths,
    kSelection,
    kPrivacy,
    kMoreRows,
    kBaselineSources,
    kBack,
    kPrintHint,
    kFailed,
    kWordCount
};

using Row = std::array<std::string_view, 5>;
constexpr std::array<Row, kWordCount> kWords = {{
    {"Pilot evidence: Time, Cost and Visits", "পাইলটের প্রমাণ: সময়, খরচ ও যাতায়াত",
     "Pilot natijalari: vaqt, xarajat va tashriflar",
     "Пилот натижалари: вақт, харажат ва ташрифлар", "Результаты пилота: время, затраты и визиты"},
    {"Time, Cost and Visits: evidence report", "সময়, খরচ ও যাতায়াত: প্রমাণ প্রতিবেদন",
     "Vaqt, xarajat va tashriflar: hisobot", "Вақт, харажат ва ташрифлар: ҳисобот",
     "Время, затраты и визиты: отчёт"},
    {"Sign in to the pilot's dashboard", "পাইলটের ড্যাশবোর্ডে সাইন ইন করুন", "Pilot paneliga kirish",
     "Пилот панелига кириш", "Вход в панель пилота"},
    {"User name", "ব্যবহারকারীর নাম", "Foydalanuvchi nomi", "Фойдаланувчи номи", "Имя пользователя"},
    {"Password", "পাসওয়ার্ড", "Parol", "Парол", "Пароль"},
    {"Sign in", "সাইন ইন", "Kirish", "Кириш", "Войти"},
    {"Sign out", "সাইন আউট", "Chiqish", "Чиқиш", "Выйти"},
    {"Signed in as", "সাইন ইন করেছেন:", "Foydalanuvchi:", "Фойдаланувчи:", "Вы вошли как"},
    {"The user name or the password is wrong.", "ব্যবহারকারীর নাম অথবা পাসওয়ার্ড ভুল।",
     "Foydalanuvchi nomi yoki parol notoʻgʻri.", "Фойдаланувчи номи ёки парол нотўғри.",
     "Неверное имя пользователя или пароль."},
    {"Too many failed sign-ins. Try again in {} minutes.",
     "অনেকবার সাইন ইন ব্যর্থ হয়েছে। {} মিনিট পরে আবার চেষ্টা করুন।",
     "Juda koʻp muvaffaqiyatsiz urinish. {} daqiqadan soʻng qayta urinib koʻring.",
     "Жуда кўп муваффақиятсиз уриниш. {} дақиқадан сўнг қайта уриниб кўринг.",
     "Слишком много неудачных попыток входа. Повторите через {} мин."},
    {"This form has expired. Please sign in again.", "ফর্মটির মেয়াদ শেষ হয়েছে। আবার সাইন ইন করুন।",
     "Shakl eskirgan. Iltimos, qaytadan kiring.", "Шакл эскирган. Илтимос, қайтадан киринг.",
     "Срок действия формы истёк. Войдите снова."},
    {"Figures per", "হিসাবের স্তর", "Daraja", "Даража", "Уровень"},
    {"Country", "দেশ", "Mamlakat", "Мамлакат", "Страна"},
    {"Region", "বিভাগ", "Viloyat", "Вилоят", "Регион"},
    {"District", "জেলা", "Tuman", "Туман", "Район"},
    {"Centre", "কেন্দ্র", "Markaz", "Марказ", "Центр"},
    {"Service", "সেবা", "Xizmat", "Хизмат", "Услуга"},
    {"From month", "শুরুর মাস", "Boshlanish oyi", "Бошланиш ойи", "С месяца"},
    {"To month", "শেষ মাস", "Tugash oyi", "Тугаш ойи", "По месяц"},
    {"Show", "দেখান", "Koʻrsatish", "Кўрсатиш", "Показать"},
    {"Report for printing", "প্রিন্টের জন্য প্রতিবেদন", "Chop etish uchun hisobot",
     "Чоп этиш учун ҳисобот", "Отчёт для печати"},
    {"Download JSON", "JSON ডাউনলোড", "JSON yuklab olish", "JSON юклаб олиш", "Скачать JSON"},
    {"Download CSV", "CSV ডাউনলোড", "CSV yuklab olish", "CSV юклаб олиш", "Скачать CSV"},
    {"This filter cannot be used:", "এই ফিল্টার ব্যবহার করা যাচ্ছে না:",
     "Bu filtrdan foydalanib boʻlmaydi:", "Бу филтрдан фойдаланиб бўлмайди:",
     "Этот фильтр нельзя применить:"},
    {"No service was delivered in this selection.", "এই নির্বাচনে কোনো সেবা দেওয়া হয়নি।",
     "Bu tanlovda hech qanday xizmat koʻrsatilmagan.",
     "Бу танловда ҳеч қандай хизмат кўрсатилмаган.", "В этой выборке услуги не оказывались."},
    {"Services delivered per month", "মাসভিত্তিক প্রদত্ত সেবা",
     "Oylar boʻyicha koʻrsatilgan xizmatlar", "Ойлар бўйича кўрсатилган хизматлар",
     "Оказанные услуги по месяцам"},
    {"Services delivered", "প্রদত্ত সেবা", "Koʻrsatilgan xizmatlar", "Кўрсатилган хизматлар",
     "Оказано услуг"},
    {"Time at the centre, median minutes", "কেন্দ্রে সময়, মধ্যমা (মিনিট)",
     "Markazdagi vaqt, mediana (daqiqa)", "Марказдаги вақт, медиана (дақиқа)",
     "Время в центре, медиана (мин)"},
    {"Where a month has several services or areas, their medians are weighted by the services "
     "delivered.",
     "কোনো মাসে একাধিক সেবা বা এলাকা থাকলে, তাদের মধ্যমা প্রদত্ত সেবার সংখ্যা অনুযায়ী ভারযুক্ত।",
     "Bir oyda bir nechta xizmat yoki hudud boʻlsa, ularning medianalari koʻrsatilgan xizmatlar "
     "soni boʻyicha tortiladi.",
     "Бир ойда бир нечта хизмат ёки ҳудуд бўлса, уларнинг медианалари кўрсатилган хизматлар сони "
     "бўйича тортилади.",
     "Если в месяце несколько услуг или территорий, их медианы взвешены по числу оказанных "
     "услуг."},
    {"Before and now, per service", "সেবাভিত্তিক আগে ও এখন", "Xizmatlar boʻyicha avval va hozir",
     "Хизматлар бўйича аввал ва ҳозир", "До и сейчас по услугам"},
    {"Time, minutes", "সময় (মিনিট)", "Vaqt (daqiqa)", "Вақт (дақиқа)", "Время (мин)"},
    {"Cost", "খরচ", "Xarajat", "Харажат", "Затраты"},
    {"Visits", "যাতায়াতের সংখ্যা", "Tashriflar", "Ташрифлар", "Визиты"},
    {"Before (baseline)", "আগে (ভিত্তি)", "Avval (bazaviy)", "Аввал (базавий)",
     "До (базовый уровень)"},
    {"Now (median reported)", "এখন (জানানো মধ্যমা)", "Hozir (bildirilgan mediana)",
     "Ҳозир (билдирилган медиана)", "Сейчас (медиана ответов)"},
    {"Now: the median of what citizens reported in the exit survey; over several months or "
     "areas, the medians weighted by the surveys.",
     "এখন: সেবা শেষের জরিপে নাগরিকদের জানানো মানের মধ্যমা; একাধিক মাস বা এলাকায়, জরিপের সংখ্যা "
     "অনুযায়ী ভারযুক্ত।",
     "Hozir: fuqarolar soʻrovnomada bildirgan qiymatlar medianasi; bir nechta oy yoki hududda "
     "soʻrovnomalar soni boʻyicha tortilgan.",
     "Ҳозир: фуқаролар сўровномада билдирган қийматлар медианаси; бир нечта ой ёки ҳудудда "
     "сўровномалар сони бўйича тортилган.",
     "Сейчас: медиана ответов граждан в опросе на выходе; для нескольких месяцев или территорий "
     "— медианы, взвешенные по числу опросов."},
    {"illustrative baseline (not measured)", "দৃষ্টান্তমূলক ভিত্তি (পরিমাপ করা নয়)",
     "taxminiy bazaviy koʻrsatkich (oʻlchanmagan)", "тахминий базавий кўрсаткич (ўлчанмаган)",
     "иллюстративный базовый уровень (не измерен)"},
    {"fewer than {} answers", "{}টির কম উত্তর", "{} tadan kam javob", "{} тадан кам жавоб",
     "меньше {} ответов"},
    {"Services delivered by area", "এলাকাভিত্তিক প্রদত্ত সেবা",
     "Hududlar boʻyicha koʻrsatilgan xizmatlar", "Ҳудудлар бўйича кўрсатилган хизматлар",
     "Оказанные услуги по территориям"},
    {"Whole country", "সারা দেশ", "Butun mamlakat", "Бутун мамлакат", "Вся страна"},
    {"Area", "এলাকা", "Hudud", "Ҳудуд", "Территория"},
    {"Month", "মাস", "Oy", "Ой", "Месяц"},
    {"Services delivered and time at the centre", "প্রদত্ত সেবা ও কেন্দ্রে সময়",
     "Koʻrsatilgan xizmatlar va markazdagi vaqt", "Кўрсатилган хизматлар ва марказдаги вақт",
     "Оказанные услуги и время в центре"},
    {"Median, min", "মধ্যমা, মিনিট", "Mediana, daq.", "Медиана, дақ.", "Медиана, мин"},
    {"90th percentile, min", "৯০তম পার্সেন্টাইল, মিনিট", "90-persentil, daq.", "90-персентил, дақ.",
     "90-й перцентиль, мин"},
    {"What citizens reported", "নাগরিকেরা যা জানিয়েছেন", "Fuqarolar bildirgan maʼlumotlar",
     "Фуқаролар билдирган маълумотлар", "Что сообщили граждане"},
    {"Surveys", "জরিপ", "Soʻrovnomalar", "Сўровномалар", "Опросы"},
    {"Saved", "সাশ্রয়", "Tejaldi", "Тежалди", "Сэкономлено"},
    {"Paid extra", "অতিরিক্ত টাকা দিয়েছেন", "Ortiqcha toʻlagan", "Ортиқча тўлаган", "Платили сверх"},
    {"Rating, 1–5", "মূল্যায়ন, ১–৫", "Baho, 1–5", "Баҳо, 1–5", "Оценка, 1–5"},
    {"Grievances", "অভিযোগ", "Shikoyatlar", "Шикоятлар", "Жалобы"},
    {"Category", "ধরন", "Turkum", "Туркум", "Категория"},
    {"Filed", "দায়ের", "Berilgan", "Берилган", "Подано"},
    {"Resolved", "নিষ্পন্ন", "Hal qilingan", "Ҳал қилинган", "Решено"},
    {"No grievance was filed in this selection.", "এই নির্বাচনে কোনো অভিযোগ দায়ের হয়নি।",
     "Bu tanlovda shikoyat berilmagan.", "Бу танловда шикоят берилмаган.",
     "В этой выборке жалоб нет."},
    {"Computed at", "হিসাবের সময়", "Hisoblangan vaqt", "Ҳисобланган вақт", "Рассчитано"},
    {"Period", "সময়কাল", "Davr", "Давр", "Период"},
    {"all months", "সব মাস", "barcha oylar", "барча ойлар", "все месяцы"},
    {"Selection", "নির্বাচন", "Tanlov", "Танлов", "Выборка"},
    {"Figures from citizens' answers are shown only where at least {} citizens answered, so "
     "that no one's answers can be read.",
     "নাগরিকদের উত্তর থেকে পাওয়া সংখ্যা কেবল তখনই দেখানো হয় যখন অন্তত {} জন উত্তর দিয়েছেন, যাতে "
     "কারও উত্তর আলাদা করে পড়া না যায়।",
     "Fuqarolar javoblaridan olingan koʻrsatkichlar kamida {} kishi javob bergan joyda "
     "koʻrsatiladi, shunda hech kimning javobini alohida oʻqib boʻlmaydi.",
     "Фуқаролар жавобларидан олинган кўрсаткичлар камида {} киши жавоб берган жойда "
     "кўрсатилади, шунда ҳеч кимнинг жавобини алоҳида ўқиб бўлмайди.",
     "Показатели из ответов граждан показаны только там, где ответили не менее {} человек, "
     "чтобы ничьи ответы нельзя было прочитать."},
    {"Showing {0} of {1} rows; the CSV has them all.",
     "{1}টি সারির মধ্যে {0}টি দেখানো হচ্ছে; CSV-তে সবগুলো আছে।",
     "{1} ta qatordan {0} tasi koʻrsatilmoqda; CSV faylida hammasi bor.",
     "{1} та қатордан {0} таси кўрсатилмоқда; CSV файлида ҳаммаси бор.",
     "Показано {0} из {1} строк; в CSV есть все."},
    {"Baseline sources", "ভিত্তির উৎস", "Bazaviy koʻrsatkich manbalari",
     "Базавий кўрсаткич манбалари", "Источники базового уровня"},
    {"Back to the dashboard", "ড্যাশবোর্ডে ফিরে যান", "Panelga qaytish", "Панелга қайтиш",
     "Назад к панели"},
    {"Use the browser's Print (Save as PDF) to make the report.",
     "প্রতিবেদন তৈরি করতে ব্রাউজারের প্রিন্ট (PDF হিসেবে সংরক্ষণ) ব্যবহার করুন।",
     "Hisobot tayyorlash uchun brauzerning Chop etish (PDF sifatida saqlash) buyrugʻidan "
     "foydalaning.",
     "Ҳисобот тайёрлаш учун браузернинг Чоп этиш (PDF сифатида сақлаш) буйруғидан "
     "фойдаланинг.",
     "Чтобы получить отчёт, воспользуйтесь печатью браузера (Сохранить как PDF)."},
    {"The figures cannot be computed now:", "এই মুহূর্তে হিসাব করা যাচ্ছে না:",
     "Koʻrsatkichlarni hozir hisoblab boʻlmaydi:", "Кўрсаткичларни ҳозир ҳисоблаб бўлмайди:",
     "Показатели сейчас не удаётся рассчитать:"},
}};

std::size_t column(std::string_view language) {
    for (std::size_t i = 0; i < kLanguages.size(); ++i)
        if (kLanguages[i] == language) return i;
    return 0;
}

// [SECTION] numbers and months, by ICU

icu::Locale icu_locale(std::size_t lang) {
    switch (lang) {
        case 1:
            return icu::Locale("bn@numbers=beng");
        case 2:
            return icu::Locale("uz_Latn");
        case 3:
            return icu::Locale("uz_Cyrl");
        case 4:
            return icu::Locale("ru");
        default:
            return icu::Locale("en");
    }
}

std::string utf8(const icu::UnicodeString& text) {
    std::string out;
    text.toUTF8String(out);
    return out;
}

// [SECTION] the stylesheet: one constant, allowed by its hash

constexpr std::string_view kStyle =
    "body{font-family:'Noto Sans','Noto Sans Bengali',sans-serif;margin:0;color:#1a1a1a;"
    "background:#f4f6f8;font-size:15px}"
    "header{background:#0b5d4b;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;"
    "gap:.4rem 1.5rem;align-items:center}"
    "header h1{font-size:1.25rem;margin:0;flex:1 1 auto}header form{margin:0}"
    "main{max-width:72rem;margin:0 auto;padding:1rem}"
    "nav.lang{margin-bottom:.6rem}nav.lang a{margin-right:.9rem}"
    "section{background:#fff;border:1px solid #d8dde3;border-radius:6px;padding:.8rem 1rem;"
    "margin:0 0 1rem}"
    "h2{font-size:1.1rem;margin:.1rem 0 .6rem}h3{font-size:.95rem;margin:.4rem 0}"
    "form.filters{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:flex-end}"
    "form.filters label{display:flex;flex-direction:column;font-size:.85rem;gap:.2rem}"
    "input,select,button{font:inherit;padding:.3rem .4rem}"
    "button{background:#0b5d4b;color:#fff;border:0;border-radius:4px;padding:.4rem 1rem}"
    "header button{background:#fff;color:#0b5d4b}"
    "p.links a{margin-right:1.2rem}"
    ".problem{border-color:#b3261e;background:#fdeceb;color:#7a1a14}"
    "table{border-collapse:collapse;width:100%;font-size:.85rem}"
    "th,td{border-bottom:1px solid #e3e6ea;padding:.25rem .4rem;text-align:left;"
    "vertical-align:top}"
    "th{background:#eef1f4}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".hidden{color:#6b6f76;font-style:italic}.note{color:#555;font-size:.8rem}"
    ".mark{color:#8a5a00;font-weight:bold}"
    "svg{display:block;max-width:100%;height:auto}"
    "svg text{font-family:'Noto Sans','Noto Sans Bengali',sans-serif;font-size:12px;fill:#1a1a1a}"
    ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1rem}"
    "figure{margin:0}figcaption{font-weight:bold;margin:.2rem 0}"
    ".login{max-width:24rem;margin:3rem auto}.login label{display:block;margin:.7rem 0 .2rem}"
    ".login input{width:100%;box-sizing:border-box}.login button{margin-top:1rem}"
    ".report header{background:none;color:#111;border-bottom:3px solid #0b5d4b;display:block}"
    ".report header h1{font-size:1.5rem}.report header p{margin:.3rem 0}"
    "@page{size:A4;margin:14mm}"
    "@media print{body{background:#fff;font-size:10pt}nav,p.links,form,.noprint{display:none}"
    "main{max-width:none;padding:0}section{border:0;padding:0;margin:0 0 6mm}"
    "table,svg,figure,tr,.charts{break-inside:avoid}h2,h3{break-after:avoid}"
    "th{background:none;border-bottom:1.5px solid #333}}";

std::string hash_policy() {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(kStyle.data()),
                       kStyle.size());
    char
        base64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(base64, sizeof base64, digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
    return fmt::format(
        "default-src 'none'; style-src 'sha256-{}'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'",
        base64);
}

// [SECTION] the figures, summed for charts

using detail::escape_html;

bool survey_shown(const EvidenceRow& row) {
    return row.surveys >= kMinAnswersShown;
}

// A survey figure of a row, or none when too few answered (whatever the store sent).
std::optional<double> shown(const EvidenceRow& row, const std::optional<double>& value) {
    return survey_shown(row) ? value : std::nullopt;
}

// A weighted mean of medians: exact when there is one row, a fair summary over several.
struct Weighted {
    double sum = 0;
    double weight = 0;
    void add(const std::optional<double>& value, double w) {
        if (!value || w <= 0) return;
        sum += *value * w;
        weight += w;
    }
    std::optional<double> value() const {
        return weight > 0 ? std::optional<double>(sum / weight) : std::nullopt;
    }
};

struct MonthSum {
    std::string month;
    std::int64_t requests = 0;
    Weighted centre_minutes;
};

struct ServiceSum {
    std::string service;
    std::int64_t requests = 0;
    std::int64_t surveys = 0;
    std::optional<Baseline> baseline;
    Weighted minutes, cost, visits;
};

struct AreaSum {
    std::string area;
    std::int64_t requests = 0;
    std::int64_t surveys = 0;
    std::int64_t rated = 0;
    double rating_sum = 0;
};

constexpr std::size_t kMaxChartMonths = 36;
constexpr std::size_t kMaxChartServices = 15;
constexpr std::size_t kMaxTableRows = 400;

std::vector<MonthSum> by_month(const Evidence& e) {
    std::map<std::string, MonthSum> months;
    for (const EvidenceRow& r : e.rows) {
        MonthSum& m = months[r.month];
        m.month = r.month;
        m.requests += r.requests;
        m.centre_minutes.add(r.median_centre_minutes, static_cast<double>(r.requests));
    }
    std::vector<MonthSum> out;
    for (auto& [month, sum] : months) out.push_back(std::move(sum));
    if (out.size() > kMaxChartMonths)
        out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(kMaxChartMonths));
    return out;
}

std::vector<ServiceSum> by_service(const Evidence& e) {
    std::map<std::string, ServiceSum> services;
    for (const EvidenceRow& r : e.rows) {
        ServiceSum& s = services[r.service];
        s.service = r.service;
        s.requests += r.requests;
        s.surveys += r.surveys;
        if (!s.baseline && r.baseline) s.baseline = r.baseline;
        const auto w = static_cast<double>(r.surveys);
        s.minutes.add(shown(r, r.median_minutes), w);
        s.cost.add(shown(r, r.median_cost), w);
        s.visits.add(shown(r, r.median_visits), w);
    }
    std::vector<ServiceSum> out;
    for (auto& [service, sum] : services) out.push_back(std::move(sum));
    std::stable_sort(out.begin(), out.end(), [](const ServiceSum& a, const ServiceSum& b) {
        return a.requests > b.requests;
    });
    if (out.size() > kMaxChartServices) out.resize(kMaxChartServices);
    return out;
}

std::vector<AreaSum> by_area(const Evidence& e) {
    std::map<std::string, AreaSum> areas;
    for (const EvidenceRow& r : e.rows) {
        AreaSum& a = areas[r.area];
        a.area = r.area;
        a.requests += r.requests;
        a.surveys += r.surveys;
        if (!survey_shown(r)) continue;
        for (std::size_t i = 0; i < r.ratings.size(); ++i) {
            a.rated += r.ratings[i];
            a.rating_sum += static_cast<double>(r.ratings[i]) * static_cast<double>(i + 1);
        }
    }
    std::vector<AreaSum> out;
    for (auto& [area, sum] : areas) out.push_back(std::move(sum));
    std::stable_sort(out.begin(), out.end(),
                     [](const AreaSum& a, const AreaSum& b) { return a.requests > b.requests; });
    return out;
}

// The top of a chart's scale: 1, 2, 2.5 or 5 times a power of ten, at or above `value`.
double nice_top(double value) {
    if (value <= 0) return 1;
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (step * power >= value - 1e-9) return step * power;
    return 10 * power;
}

// [SECTION] the page's pieces

class Page {
  public:
    explicit Page(const DashboardView& view, const Evidence* evidence = nullptr)
        : view_(view), lang_(column(view.language)), evidence_(evidence) {}

    // A service as people read it: its catalog name in the page's language, else in
    // English, else its id.
    std::string service_name(const std::string& id) const {
        if (evidence_)
            if (auto names = evidence_->service_names.find(id);
                names != evidence_->service_names.end()) {
                for (const std::string& language : {view_.language, std::string("en")})
                    if (auto name = names->second.find(language); name != names->second.end())
                        return escape_html(name->second);
            }
        return escape_html(id);
    }

    std::string_view word(Word w) const { return kWords[w][lang_]; }
    std::string w(Word w) const { return escape_html(word(w)); }
    std::string number(double value, int decimals = 1) const {
        return escape_html(format_number(value, view_.language, decimals));
    }
    std::string count(std::int64_t value) const { return number(static_cast<double>(value), 0); }
    std::string month(std::string_view m) const {
        return escape_html(format_month(m, view_.language));
    }
    std::string fewer() const {
        return escape_html(fmt::format(fmt::runtime(word(kFewer)),
                                       format_number(kMinAnswersShown, view_.language, 0)));
    }
    std::string area(std::string_view a) const {
        return a.empty() ? w(kWholeCountry) : escape_html(a);
    }
    // A survey figure in a table cell: the number, or why there is none.
    std::string survey_cell(const EvidenceRow& r, const std::optional<double>& v,
                            int decimals = 1) const {
        if (!survey_shown(r)) return "<td class=\"n hidden\">" + fewer() + "</td>";
        return v ? "<td class=\"n\">" + number(*v, decimals) + "</td>" : "<td class=\"n\">–</td>";
    }
    std::string plain_cell(const std::optional<double>& v, int decimals = 1) const {
        return v ? "<td class=\"n\">" + number(*v, decimals) + "</td>" : "<td class=\"n\">–</td>";
    }

    std::string head(std::string_view title, bool report) const {
        return fmt::format(
            "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta "
            "name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta "
            "name=\"referrer\" content=\"no-referrer\"><title>{}</title><style>{}</style></head>"
            "<body{}>\n",
            kLanguages[lang_], escape_html(title), kStyle, report ? " class=\"report\"" : "");
    }

    // The filter as a query string, with another language when asked.
    std::string query(std::string_view language = {}) const {
        std::string out = "level=" + std::string(to_string(view_.level));
        auto add = [&](std::string_view name, std::string_view value) {
            if (value.empty()) return;
            out += '&';
            out += name;
            out += '=';
            for (unsigned char c : value) {
                if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
                    out += static_cast<char>(c);
                else
                    out += fmt::format("%{:02X}", c);
            }
        };
        const EvidenceFilter& f = view_.filter;
        add("from", f.from_month);
        add("to", f.to_month);
        add("region", f.region);
        add("district", f.district);
        add("centre", f.centre);
        add("service", f.service);
        add("lang", language.empty() ? view_.language : language);
        return escape_html(out);
    }

    std::string language_links(std::string_view path) const {
        std::string html = "<nav class=\"lang\">";
        for (std::size_t i = 0; i < kLanguages.size(); ++i)
            html +=
                fmt::format("<a href=\"{}?{}\" hreflang=\"{}\" lang=\"{}\">{}</a>", path,
                            query(kLanguages[i]), kLanguages[i], kLanguages[i], kLanguageNames[i]);
        return html + "</nav>\n";
    }

    std::string filter_form() const {
        const EvidenceFilter& f = view_.filter;
        std::string html =
            "<section><form class=\"filters\" method=\"get\" action=\"/dashboard\">" +
            fmt::format("<label>{}<select name=\"level\">", w(kLevel));
        const std::pair<EvidenceLevel, Word> levels[] = {{EvidenceLevel::Country, kCountry},
                                                         {EvidenceLevel::Region, kRegion},
                                                         {EvidenceLevel::District, kDistrict},
                                                         {EvidenceLevel::Centre, kCentre}};
        for (const auto& [level, name] : levels)
            html += fmt::format("<option value=\"{}\"{}>{}</option>", to_string(level),
                                level == view_.level ? " selected" : "", w(name));
        html += "</select></label>";
        auto field = [&](Word label, std::string_view name, std::string_view type,
                         std::string_view value) {
            html += fmt::format(
                "<label>{}<input type=\"{}\" name=\"{}\" value=\"{}\" maxlength=\"64\"{}></label>",
                w(label), type, name, escape_html(value),
                type == "month" ? " placeholder=\"YYYY-MM\"" : "");
        };
        field(kFrom, "from", "month", f.from_month);
        field(kTo, "to", "month", f.to_month);
        field(kRegion, "region", "text", f.region);
        field(kDistrict, "district", "text", f.district);
        field(kCentre, "centre", "text", f.centre);
        field(kService, "service", "text", f.service);
        html += fmt::format(
            "<input type=\"hidden\" name=\"lang\" value=\"{}\"><button type=\"submit\">{}</button>"
            "</form>\n",
            kLanguages[lang_], w(kShow));
        html += fmt::format(
            "<p class=\"links\"><a href=\"/dashboard/report?{0}\">{1}</a><a "
            "href=\"/dashboard/evidence.json?{0}\">{2}</a><a "
            "href=\"/dashboard/evidence.csv?{0}\">{3}</a></p></section>\n",
            query(), w(kPrintReport), w(kDownloadJson), w(kDownloadCsv));
        return html;
    }

    std::string problem() const {
        const bool failed = view_.problem.empty();
        return fmt::format(
            "<section class=\"problem\" id=\"{}\" role=\"alert\"><p>{} {}</p></section>\n",
            failed ? "failure" : "problem", w(failed ? kFailed : kBadFilter),
            escape_html(failed ? view_.failure : view_.problem));
    }

    // Bars of services delivered per month, and a line of the median time at the centre.
    std::string trend_chart(const Evidence& e) const {
        const std::vector<MonthSum> months = by_month(e);
        if (months.empty()) return {};
        constexpr double kW = 860, kH = 300, kLeft = 56, kRight = 60, kTop = 40, kBottom = 44;
        const double plot_w = kW - kLeft - kRight, plot_h = kH - kTop - kBottom;
        std::int64_t most = 0;
        double longest = 0;
        for (const MonthSum& m : months) {
            most = std::max(most, m.requests);
            if (auto v = m.centre_minutes.value()) longest = std::max(longest, *v);
        }
        const double top = nice_top(static_cast<double>(most));
        const double top_minutes = nice_top(longest);
        const double slot = plot_w / static_cast<double>(months.size());
        std::string svg = fmt::format(
            "<figure><svg viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
            "aria-label=\"{}\" id=\"trend-chart\">",
            kW, kH, kW, kH, w(kTrend));
        // Legend.
        svg += fmt::format(
            "<rect x=\"{}\" y=\"8\" width=\"14\" height=\"14\" fill=\"#2f7f6f\"/><text x=\"{}\" "
            "y=\"20\">{}</text>",
            kLeft, kLeft + 20, w(kRequests));
        svg += fmt::format(
            "<line x1=\"{0}\" y1=\"15\" x2=\"{1}\" y2=\"15\" stroke=\"#c05621\" "
            "stroke-width=\"3\"/><circle cx=\"{2}\" cy=\"15\" r=\"4\" fill=\"#c05621\"/><text "
            "x=\"{3}\" y=\"20\">{4}</text>",
            kLeft + 300, kLeft + 324, kLeft + 312, kLeft + 330, w(kCentreTime));
        // Grid and both scales.
        for (int i = 0; i <= 4; ++i) {
            const double y = kTop + plot_h - plot_h * i / 4.0;
            svg += fmt::format(
                "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#d9dde2\"/>"
                "<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>",
                kLeft, y, kLeft + plot_w, y, kLeft - 6, y + 4, number(top * i / 4.0, 0));
            if (longest > 0)
                svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" fill=\"#c05621\">{}</text>",
                                   kLeft + plot_w + 6, y + 4, number(top_minutes * i / 4.0));
        }
        const std::size_t label_every = months.size() > 12 ? (months.size() + 11) / 12 : 1;
        std::string line;
        for (std::size_t i = 0; i < months.size(); ++i) {
            const MonthSum& m = months[i];
            const double x = kLeft + slot * static_cast<double>(i);
            const double h = plot_h * static_cast<double>(m.requests) / top;
            svg += fmt::format(
                "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                "fill=\"#2f7f6f\"><title>{}: {}</title></rect>",
                x + slot * 0.2, kTop + plot_h - h, slot * 0.6, h, month(m.month),
                count(m.requests));
            if (months.size() <= 12)
                svg += fmt::format(
                    "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" "
                    "class=\"requests\">{}</text>",
                    x + slot / 2, kTop + plot_h - h - 4, count(m.requests));
            if (i % label_every == 0)
                svg +=
                    fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                                x + slot / 2, kTop + plot_h + 18, month(m.month));
            if (auto minutes = m.centre_minutes.value()) {
                const double y = kTop + plot_h - plot_h * *minutes / top_minutes;
                line += fmt::format("{:.1f},{:.1f} ", x + slot / 2, y);
                svg += fmt::format(
                    "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4\" fill=\"#c05621\"><title>{}: "
                    "{}</title></circle>",
                    x + slot / 2, y, month(m.month), number(*minutes));
            }
        }
        if (!line.empty())
            svg += fmt::format(
                "<polyline points=\"{}\" fill=\"none\" stroke=\"#c05621\" stroke-width=\"3\"/>",
                line);
        svg += fmt::format("</svg><p class=\"note\">{}</p></figure>", w(kWeightedNote));
        return svg;
    }

    // Paired bars per service: the baseline and the median reported now, for one measure.
    std::string savings_chart(const std::vector<ServiceSum>& services, Word measure,
                              std::string_view id) const {
        auto baseline_of = [&](const ServiceSum& s) -> std::optional<double> {
            if (!s.baseline) return std::nullopt;
            return measure == kTime   ? s.baseline->minutes
                   : measure == kCost ? s.baseline->cost
                                      : s.baseline->visits;
        };
        auto now_of = [&](const ServiceSum& s) {
            return measure == kTime   ? s.minutes.value()
                   : measure == kCost ? s.cost.value()
                                      : s.visits.value();
        };
        double most = 0;
        for (const ServiceSum& s : services) {
            most = std::max(most, baseline_of(s).value_or(0));
            most = std::max(most, now_of(s).value_or(0));
        }
        const double top = nice_top(most);
        constexpr double kW = 420, kLeft = 8, kRight = 70, kGroup = 58, kBar = 14;
        const double plot_w = kW - kLeft - kRight;
        const double height = 34 + kGroup * static_cast<double>(services.size());
        std::string svg = fmt::format(
            "<figure><figcaption>{}</figcaption><svg viewBox=\"0 0 {} {}\" width=\"{}\" "
            "height=\"{}\" role=\"img\" aria-label=\"{}\" id=\"{}\">",
            w(measure), kW, height, kW, height, w(measure), id);
        svg += fmt::format(
            "<rect x=\"{0}\" y=\"6\" width=\"12\" height=\"12\" fill=\"#9aa5b1\"/><text x=\"{1}\" "
            "y=\"17\">{2}</text><rect x=\"{3}\" y=\"6\" width=\"12\" height=\"12\" "
            "fill=\"#2f7f6f\"/><text x=\"{4}\" y=\"17\">{5}</text>",
            kLeft, kLeft + 16, w(kBefore), kLeft + 190, kLeft + 206, w(kNow));
        double y = 34;
        for (const ServiceSum& s : services) {
            std::string label = service_name(s.service);
            if (measure == kCost && s.baseline && !s.baseline->currency.empty())
                label += " (" + escape_html(s.baseline->currency) + ")";
            if (s.baseline && s.baseline->illustrative) label += " *";
            svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\">{}</text>", kLeft, y + 10, label);
            auto bar = [&](double at, std::optional<double> value, const char* colour, Word what) {
                if (!value) {
                    svg += fmt::format(
                        "<text x=\"{}\" y=\"{:.1f}\" class=\"hidden\" fill=\"#6b6f76\">{}</text>",
                        kLeft, at + kBar - 3, what == kNow ? fewer() : "–");
                    return;
                }
                const double width = std::max(1.0, plot_w * *value / top);
                svg += fmt::format(
                    "<rect x=\"{}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\">"
                    "<title>{}: {}</title></rect><text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>",
                    kLeft, at, width, kBar, colour, w(what), number(*value), kLeft + width + 4,
                    at + kBar - 3, number(*value));
            };
            bar(y + 15, baseline_of(s), "#9aa5b1", kBefore);
            bar(y + 15 + kBar + 2, now_of(s), "#2f7f6f", kNow);
            y += kGroup;
        }
        return svg + "</svg></figure>";
    }

    std::string savings(const Evidence& e) const {
        const std::vector<ServiceSum> services = by_service(e);
        if (services.empty()) return {};
        std::string html = fmt::format(
            "<section id=\"savings\"><h2>{}</h2><div class=\"charts\">{}{}{}</div><p "
            "class=\"note\">{}</p>",
            w(kSavings), savings_chart(services, kTime, "savings-time"),
            savings_chart(services, kCost, "savings-cost"),
            savings_chart(services, kVisits, "savings-visits"), w(kNowNote));
        // Where each baseline comes from, and which are not measured.
        std::string sources;
        for (const ServiceSum& s : services)
            if (s.baseline)
                sources += fmt::format(
                    "<li>{}{}: {}</li>", service_name(s.service),
                    s.baseline->illustrative
                        ? " <span class=\"mark illustrative\">* " + w(kIllustrative) + "</span>"
                        : std::string(),
                    escape_html(s.baseline->source));
        if (!sources.empty())
            html +=
                fmt::format("<h3>{}</h3><ul class=\"note\">{}</ul>", w(kBaselineSources), sources);
        return html + "</section>\n";
    }

    std::string areas(const Evidence& e) const {
        const std::vector<AreaSum> list = by_area(e);
        if (list.empty()) return {};
        std::int64_t most = 1;
        for (const AreaSum& a : list) most = std::max(most, a.requests);
        const Word area_word = e.level == EvidenceLevel::Region     ? kRegion
                               : e.level == EvidenceLevel::District ? kDistrict
                               : e.level == EvidenceLevel::Centre   ? kCentre
                                                                    : kArea;
        std::string html = fmt::format(
            "<section id=\"areas\"><h2>{}</h2><table><thead><tr><th>{}</th><th "
            "class=\"n\">{}</th><th></th><th class=\"n\">{}</th><th "
            "class=\"n\">{}</th></tr></thead><tbody>",
            w(kByArea), w(area_word), w(kRequests), w(kSurveys), w(kRating));
        for (const AreaSum& a : list) {
            const double width =
                200.0 * static_cast<double>(a.requests) / static_cast<double>(most);
            std::string rating = a.rated >= kMinAnswersShown
                                     ? "<td class=\"n\">" +
                                           number(a.rating_sum / static_cast<double>(a.rated)) +
                                           "</td>"
                                     : "<td class=\"n hidden\">" + fewer() + "</td>";
            html += fmt::format(
                "<tr><td>{}</td><td class=\"n\">{}</td><td><svg viewBox=\"0 0 200 14\" "
                "width=\"200\" height=\"14\" aria-hidden=\"true\"><rect x=\"0\" y=\"1\" "
                "width=\"{:.1f}\" height=\"12\" fill=\"#2f7f6f\"/></svg></td><td "
                "class=\"n\">{}</td>{}</tr>",
                area(a.area), count(a.requests), std::max(1.0, width), count(a.surveys), rating);
        }
        return html + "</tbody></table></section>\n";
    }

    std::string more_rows(std::size_t shown_rows, std::size_t all) const {
        if (shown_rows >= all) return {};
        return "<p class=\"note\">" +
               escape_html(
                   fmt::format(fmt::runtime(word(kMoreRows)),
                               format_number(static_cast<double>(shown_rows), view_.language, 0),
                               format_number(static_cast<double>(all), view_.language, 0))) +
               "</p>";
    }

    std::string row_start(const Evidence& e, const EvidenceRow& r) const {
        std::string html = "<tr><td>" + month(r.month) + "</td>";
        if (e.level != EvidenceLevel::Country) html += "<td>" + area(r.area) + "</td>";
        html += "<td>" + service_name(r.service);
        if (r.baseline && r.baseline->illustrative)
            html += " <span class=\"mark\" title=\"" + w(kIllustrative) + "\">*</span>";
        return html + "</td>";
    }
    std::string head_start(const Evidence& e) const {
        std::string html = "<thead><tr><th>" + w(kMonth) + "</th>";
        if (e.level != EvidenceLevel::Country) html += "<th>" + w(kArea) + "</th>";
        return html + "<th>" + w(kService) + "</th>";
    }

    std::string tables(const Evidence& e) const {
        const std::size_t n = std::min(e.rows.size(), kMaxTableRows);
        std::string html = fmt::format(
            "<section id=\"centre-table\"><h2>{}</h2><table>{}<th class=\"n\">{}</th><th "
            "class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead><tbody>",
            w(kAtCentre), head_start(e), w(kRequests), w(kMedianMinutes), w(kP90Minutes));
        for (std::size_t i = 0; i < n; ++i) {
            const EvidenceRow& r = e.rows[i];
            html += row_start(e, r) + "<td class=\"n\">" + count(r.requests) + "</td>" +
                    plain_cell(r.median_centre_minutes) + plain_cell(r.p90_centre_minutes) +
                    "</tr>";
        }
        html += "</tbody></table>" + more_rows(n, e.rows.size()) + "</section>\n";

        const std::string saved = w(kSaved) + ": ";
        html += fmt::format(
            "<section id=\"survey-table\"><h2>{}</h2><table>{}<th class=\"n\">{}</th><th "
            "class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th "
            "class=\"n\">{}{}</th><th class=\"n\">{}{}</th><th class=\"n\">{}{}</th><th "
            "class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead><tbody>",
            w(kReported), head_start(e), w(kSurveys), w(kTime), w(kCost), w(kVisits), saved,
            w(kTime), saved, w(kCost), saved, w(kVisits), w(kPaidExtra), w(kRating));
        for (std::size_t i = 0; i < n; ++i) {
            const EvidenceRow& r = e.rows[i];
            html += row_start(e, r) + "<td class=\"n\">" + count(r.surveys) + "</td>" +
                    survey_cell(r, r.median_minutes) + survey_cell(r, r.median_cost) +
                    survey_cell(r, r.median_visits) + survey_cell(r, r.saved_minutes) +
                    survey_cell(r, r.saved_cost) + survey_cell(r, r.saved_visits) +
                    survey_cell(r, std::optional<double>(static_cast<double>(r.paid_extra)), 0) +
                    survey_cell(r, r.mean_rating) + "</tr>";
        }
        html += "</tbody></table>" + more_rows(n, e.rows.size()) + "<p class=\"note\">" +
                escape_html(fmt::format(fmt::runtime(word(kPrivacy)),
                                        format_number(kMinAnswersShown, view_.language, 0))) +
                "</p></section>\n";
        return html;
    }

    std::string grievances(const Evidence& e) const {
        std::string html = "<section id=\"grievances\"><h2>" + w(kGrievances) + "</h2>";
        if (e.grievances.empty()) return html + "<p>" + w(kNoGrievances) + "</p></section>\n";
        html += "<table><thead><tr><th>" + w(kMonth) + "</th>";
        if (e.level != EvidenceLevel::Country) html += "<th>" + w(kArea) + "</th>";
        html += fmt::format(
            "<th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead><tbody>",
            w(kCategory), w(kFiled), w(kResolved));
        const std::size_t n = std::min(e.grievances.size(), kMaxTableRows);
        for (std::size_t i = 0; i < n; ++i) {
            const GrievanceRow& g = e.grievances[i];
            html += "<tr><td>" + month(g.month) + "</td>";
            if (e.level != EvidenceLevel::Country) html += "<td>" + area(g.area) + "</td>";
            html += fmt::format("<td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                                escape_html(g.category), count(g.filed), count(g.resolved));
        }
        return html + "</tbody></table>" + more_rows(n, e.grievances.size()) + "</section>\n";
    }

    std::string figures(const Evidence& e) const {
        if (e.rows.empty())
            return "<section id=\"no-data\"><p>" + w(kNoData) + "</p></section>\n" + grievances(e);
        return "<section id=\"trend\"><h2>" + w(kTrend) + "</h2>" + trend_chart(e) +
               "</section>\n" + savings(e) + areas(e) + tables(e) + grievances(e) +
               fmt::format("<p class=\"note\">{} {}</p>\n", w(kComputedAt),
                           escape_html(e.computed_at));
    }

    // "Nov 2026 – Dec 2026": the filter's months, else those of the figures.
    std::string period(const Evidence& e) const {
        std::string from = view_.filter.from_month, to = view_.filter.to_month;
        for (const EvidenceRow& r : e.rows) {
            if (view_.filter.from_month.empty() && (from.empty() || r.month < from)) from = r.month;
            if (view_.filter.to_month.empty() && (to.empty() || r.month > to)) to = r.month;
        }
        if (from.empty() && to.empty()) return w(kAllMonths);
        if (from == to) return month(from);
        return month(from) + " – " + month(to);
    }

    std::string selection() const {
        const Word level = view_.level == EvidenceLevel::Region     ? kRegion
                           : view_.level == EvidenceLevel::District ? kDistrict
                           : view_.level == EvidenceLevel::Centre   ? kCentre
                                                                    : kCountry;
        std::string out = w(kLevel) + ": " + w(level);
        const EvidenceFilter& f = view_.filter;
        for (const auto& [name, value] : {std::pair{kRegion, &f.region},
                                          {kDistrict, &f.district},
                                          {kCentre, &f.centre},
                                          {kService, &f.service}})
            if (!value->empty()) out += "; " + w(name) + ": " + escape_html(*value);
        return out;
    }

    const DashboardView& view() const { return view_; }
    std::size_t lang() const { return lang_; }

  private:
    const DashboardView& view_;
    std::size_t lang_;
    const Evidence* evidence_;  // for the services' names; none on pages without figures
};

}  // namespace

std::string format_number(double value, std::string_view language, int max_fraction_digits) {
    // One formatter per language and precision, made once; formatting with them is
    // thread-safe (ICU's LocalizedNumberFormatter is immutable).
    static const auto formatters = [] {
        std::array<std::array<icu::number::LocalizedNumberFormatter, 3>, 5> out;
        for (std::size_t lang = 0; lang < kLanguages.size(); ++lang)
            for (int digits = 0; digits < 3; ++digits)
                out[lang][static_cast<std::size_t>(digits)] =
                    icu::number::NumberFormatter::withLocale(icu_locale(lang))
                        .precision(icu::number::Precision::maxFraction(digits));
        return out;
    }();
    if (!std::isfinite(value)) return "–";
    const std::size_t digits = static_cast<std::size_t>(std::clamp(max_fraction_digits, 0, 2));
    UErrorCode status = U_ZERO_ERROR;
    icu::number::FormattedNumber formatted =
        formatters[column(language)][digits].formatDouble(value, status);
    icu::UnicodeString text = formatted.toString(status);
    if (U_FAILURE(status)) return fmt::format("{:.{}f}", value, digits);
    return utf8(text);
}

std::string format_month(std::string_view month, std::string_view language) {
    int year = 0;
    unsigned number = 0;
    if (month.size() != 7 || month[4] != '-' ||
        std::sscanf(std::string(month).c_str(), "%4d-%2u", &year, &number) != 2 || number < 1 ||
        number > 12)
        return std::string(month);
    // ICU's date formats are not safe to share between threads: one at a time.
    static std::mutex mutex;
    static std::array<std::unique_ptr<icu::DateFormat>, 5> formats;
    const std::size_t lang = column(language);
    const auto day = std::chrono::sys_days(std::chrono::year(year) / std::chrono::month(number) /
                                           std::chrono::day(15));
    const double ms = static_cast<double>(
        std::chrono::duration_cast<std::chrono::milliseconds>(day.time_since_epoch()).count());
    std::lock_guard lock(mutex);
    if (!formats[lang]) {
        UErrorCode status = U_ZERO_ERROR;
        formats[lang].reset(icu::DateFormat::createInstanceForSkeleton(icu::UnicodeString("yMMM"),
                                                                       icu_locale(lang), status));
        if (U_FAILURE(status) || !formats[lang]) {
            formats[lang].reset();
            return std::string(month);
        }
        formats[lang]->adoptTimeZone(icu::TimeZone::createTimeZone("UTC"));
    }
    icu::UnicodeString text;
    formats[lang]->format(ms, text);
    return utf8(text);
}

std::string_view dashboard_style() {
    return kStyle;
}

const std::string& dashboard_policy() {
    static const std::string policy = hash_policy();
    return policy;
}

std::string login_message(std::string_view language, LoginMessage message, long wait_minutes) {
    const std::size_t lang = column(language);
    switch (message) {
        case LoginMessage::Wrong:
            return std::string(kWords[kWrong][lang]);
        case LoginMessage::FormExpired:
            return std::string(kWords[kFormExpired][lang]);
        case LoginMessage::TooMany:
            break;
    }
    return fmt::format(fmt::runtime(kWords[kTooMany][lang]),
                       format_number(static_cast<double>(wait_minutes), language, 0));
}

std::string login_page(std::string_view language, std::string_view csrf, std::string_view message) {
    DashboardView view;
    view.language = std::string(kLanguages[column(language)]);
    Page page(view);
    std::string html = page.head(page.word(kSignInTitle), false);
    html += "<main class=\"login\"><nav class=\"lang\">";
    for (std::size_t i = 0; i < kLanguages.size(); ++i)
        html += fmt::format(
            "<a href=\"/dashboard/login?lang={0}\" hreflang=\"{0}\" lang=\"{0}\">{1}</a>",
            kLanguages[i], kLanguageNames[i]);
    html += "</nav><section><h1>" + page.w(kSignInTitle) + "</h1>";
    if (!message.empty())
        html +=
            "<p class=\"problem\" id=\"message\" role=\"alert\">" + escape_html(message) + "</p>";
    html += fmt::format(
        "<form method=\"post\" action=\"/dashboard/login\"><input type=\"hidden\" "
        "name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"lang\" value=\"{}\">"
        "<label for=\"user\">{}</label><input id=\"user\" name=\"user\" autocomplete=\"username\" "
        "maxlength=\"64\" required><label for=\"password\">{}</label><input id=\"password\" "
        "name=\"password\" type=\"password\" autocomplete=\"current-password\" "
        "maxlength=\"1024\" required><button type=\"submit\">{}</button></form></section>"
        "</main>\n</body></html>\n",
        escape_html(csrf), view.language, page.w(kUserName), page.w(kPassword), page.w(kSignIn));
    return html;
}

std::string dashboard_page(const DashboardView& view, const std::optional<Evidence>& evidence) {
    Page page(view, evidence ? &*evidence : nullptr);
    std::string html = page.head(page.word(kTitle), false);
    html += fmt::format(
        "<header><h1>{}</h1><span>{} <b>{}</b></span><form method=\"post\" "
        "action=\"/dashboard/logout\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><button "
        "type=\"submit\">{}</button></form></header>\n<main>",
        page.w(kTitle), page.w(kSignedInAs), escape_html(view.user), escape_html(view.csrf),
        page.w(kSignOut));
    html += page.language_links("/dashboard") + page.filter_form();
    if (!view.problem.empty() || !view.failure.empty()) html += page.problem();
    if (evidence) html += page.figures(*evidence);
    return html + "</main>\n</body></html>\n";
}

std::string report_page(const DashboardView& view, const Evidence& evidence) {
    Page page(view, &evidence);
    std::string html = page.head(page.word(kReportTitle), true);
    html += fmt::format(
        "<main><header><h1>{}</h1><p id=\"period\"><b>{}:</b> {}</p><p>{}</p><p "
        "class=\"noprint\"><a href=\"/dashboard?{}\">{}</a> · {}</p></header>\n",
        page.w(kReportTitle), page.w(kPeriod), page.period(evidence), page.selection(),
        page.query(), page.w(kBack), page.w(kPrintHint));
    html += page.figures(evidence);
    return html + "</main>\n</body></html>\n";
}

}  // namespace seba::server::detail

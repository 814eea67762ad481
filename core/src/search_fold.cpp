// SPDX-License-Identifier: Apache-2.0
// search::fold and search::loose: the one normalisation of index names and queries.
//
// fold reads the text once, code point by code point, into words (letters, marks and digits;
// everything else separates), lower-cased, with digits made ASCII, Uzbek letter marks and
// Bangla spelling variants folded. Each word is then brought to Latin by its script (Cyrillic
// by Uzbek Latin rules, Bangla by ICU's Bengali-Latin, any other script by Any-Latin) and to
// ASCII (NFKD, marks dropped, Latin-ASCII). ASCII words take none of the ICU steps.
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "seba/search.hpp"
#include "seba/utf8.hpp"

namespace seba::search {

namespace {

constexpr std::size_t kMaxInputBytes = 4096;
constexpr std::size_t kMaxOutputBytes = 1024;

// Uzbek Cyrillic (and Russian, read by the same rules so Ташкент meets Тошкент) to Uzbek
// Latin, on lower-case text, one word at a time. A rule's left context reads the Latin
// already written (hence Latin vowels in $vowel, and ъе/ье as pairs, ъ and ь writing nothing).
// Only left context is used, so a word's prefix transliterates to a prefix of the word's
// transliteration (search as one types).
// ц is s: the shipped data spells it so (Центоб = Sentob, Цангардак = Sangardak). The letter
// marks of oʻ and gʻ are left out, as fold drops them anyway. е is ye at a word's start and
// after a vowel or a hard/soft sign (Елтепа, Қуйеш, подъезд), e elsewhere. Letters of
// neighbouring Cyrillic alphabets (Karakalpak, Kazakh, Ukrainian) are given their usual Latin
// so a name in them is still found.
constexpr char16_t kCyrillicRules[] =
    uR"(
$vowel = [aeiouаеёиоуўэюяыәөүұіїє] ;
[ъь] е > ye ;
$vowel { е > ye ;
^ е > ye ;
е > e ;
а > a ; б > b ; в > v ; г > g ; д > d ; ё > yo ; ж > j ; з > z ; и > i ; й > y ;
к > k ; л > l ; м > m ; н > n ; о > o ; п > p ; р > r ; с > s ; т > t ; у > u ;
ф > f ; х > x ; ц > s ; ч > ch ; ш > sh ; щ > sh ; ъ > ; ы > i ; ь > ; э > e ;
ю > yu ; я > ya ; ў > o ; қ > q ; ғ > g ; ҳ > h ;
ә > a ; ө > o ; ү > u ; ұ > u ; ң > ng ; һ > h ; і > i ; ї > yi ; є > ye ; ґ > g ;
)";

enum class Step { Cyrillic, Bengali, LatinAscii, AnyLatin };
constexpr std::size_t kSteps = 4;

// A step ICU cannot make (its data missing) is left out: fold then keeps those letters as
// they are, rather than failing every search.
icu::Transliterator* make(Step step) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> made;
    auto instance = [&](const char* id) {
        made.reset(icu::Transliterator::createInstance(icu::UnicodeString(id, -1, US_INV),
                                                       UTRANS_FORWARD, status));
    };
    switch (step) {
        case Step::Cyrillic: {
            UParseError where{};
            made.reset(icu::Transliterator::createFromRules(u"seba-Cyrillic-UzbekLatin",
                                                            icu::UnicodeString(kCyrillicRules),
                                                            UTRANS_FORWARD, where, status));
            break;
        }
        // Bengali-Latin less its NFD and NFC, which take half its time: fold gives it the
        // letters decomposed where it needs them (ড+়), and NFKD follows.
        case Step::Bengali:
            instance("Bengali-InterIndic; InterIndic-Latin");
            break;
        case Step::LatinAscii:
            instance("Latin-ASCII");
            break;
        case Step::AnyLatin:
            instance("Any-Latin");
            break;
    }
    return U_SUCCESS(status) ? made.release() : nullptr;
}

// Each step is made once per process, on first use (Any-Latin takes milliseconds to make,
// so a kiosk whose names are Bangla, Uzbek and Russian never makes it). transliterate() is
// not safe on one instance from two threads, so each thread clones the steps it uses: about
// 0.1 ms once per thread. A lock per word measured the same on one thread, but would make two
// threads' searches wait on each other.
template <Step which>
const icu::Transliterator* shared_step() {
    static const std::unique_ptr<icu::Transliterator> made(make(which));
    return made.get();
}

const icu::Transliterator* shared(Step which) {
    switch (which) {
        case Step::Cyrillic:
            return shared_step<Step::Cyrillic>();
        case Step::Bengali:
            return shared_step<Step::Bengali>();
        case Step::LatinAscii:
            return shared_step<Step::LatinAscii>();
        case Step::AnyLatin:
            return shared_step<Step::AnyLatin>();
    }
    return nullptr;
}

icu::Transliterator* step(Step which) {
    thread_local std::array<std::unique_ptr<icu::Transliterator>, kSteps> mine;
    thread_local std::array<bool, kSteps> cloned{};
    const auto at = static_cast<std::size_t>(which);
    if (!cloned[at]) {
        cloned[at] = true;
        if (const icu::Transliterator* original = shared(which)) mine[at].reset(original->clone());
    }
    return mine[at].get();
}

// ʻ ' ’ ` ʼ ‘: the marks of Uzbek oʻ and gʻ and of the tutuq belgisi, typed in any of these
// forms. They are part of a word, so dropped rather than separating.
bool is_letter_mark(char32_t code) {
    return code == U'\u02BB' || code == U'\'' || code == U'\u2019' || code == U'`' ||
           code == U'\u02BC' || code == U'\u2018';
}

bool is_bengali(char32_t code) {
    return code >= 0x0980 && code <= 0x09FF;
}

// A consonant, or the nukta that ends ড় and ঢ়: what ICU writes an inherent vowel after.
bool is_bengali_consonant(char32_t code) {
    return (code >= 0x0995 && code <= 0x09B9) || code == 0x09BC;
}

bool is_cyrillic(char32_t code) {
    return code >= 0x0400 && code <= 0x052F;
}

// One word as read: its letters (lower case, Bangla variants folded), and what it holds.
struct Word {
    icu::UnicodeString text;
    bool non_ascii = false;
    bool bengali = false;
    bool cyrillic = false;
    bool other_script = false;  // neither Latin, Bengali nor Cyrillic: Any-Latin's

    void clear() { *this = Word{}; }
    bool empty() const { return text.isEmpty(); }
    UChar32 last() const { return text.isEmpty() ? U_SENTINEL : text.char32At(text.length() - 1); }
    void replace_last(UChar32 code) {
        text.truncate(text.moveIndex32(text.length(), -1));
        text.append(code);
    }
};

// Bangla letters that are spelled either way, written one way so both spellings meet:
// ণ/ন, ী/ি, ূ/ু, ঈ/ই, ঊ/উ, য়/য, chandrabindu and visarga (dropped). ং becomes ঙ্ and ৎ
// becomes ত্ (what they are), so ICU gives them one Latin whatever follows (it writes ং by
// the next letter). ড় and ঢ় stay themselves (as ড+় and ঢ+়, the form ICU reads): ICU
// writes them r, as it writes র, so they meet র in Latin anyway, and Latin-typed names write
// them r (বড়শালঘর, Boroshalghor; mapping them to ড matched fewer of the shipped English
// names). ে+া is ো and ে+ৗ is ৌ.
void append_bengali(Word& word, char32_t code) {
    switch (code) {
        case 0x09A3:
            code = 0x09A8;
            break;  // ণ -> ন
        case 0x09C0:
            code = 0x09BF;
            break;  // ী -> ি
        case 0x09C2:
            code = 0x09C1;
            break;  // ূ -> ু
        case 0x0988:
            code = 0x0987;
            break;  // ঈ -> ই
        case 0x098A:
            code = 0x0989;
            break;  // ঊ -> উ
        case 0x09DF:
            code = 0x09AF;
            break;    // য় -> য
        case 0x0981:  // chandrabindu
        case 0x0983:
            return;   // visarga
        case 0x0982:  // anusvara -> ঙ্
            word.text.append(static_cast<UChar32>(0x0999)).append(static_cast<UChar32>(0x09CD));
            return;
        case 0x09CE:  // khanda ta -> ত্
            word.text.append(static_cast<UChar32>(0x09A4)).append(static_cast<UChar32>(0x09CD));
            return;
        case 0x09DC:  // ড় as ড+় (what ICU's Bengali-InterIndic reads)
            word.text.append(static_cast<UChar32>(0x09A1)).append(static_cast<UChar32>(0x09BC));
            return;
        case 0x09DD:  // ঢ় as ঢ+়
            word.text.append(static_cast<UChar32>(0x09A2)).append(static_cast<UChar32>(0x09BC));
            return;
        case 0x09BC:                            // nukta
            if (word.last() == 0x09AF) return;  // য় is য
            break;
        case 0x09BE:  // া after ে is ো
            if (word.last() == 0x09C7) return word.replace_last(0x09CB);
            break;
        case 0x09D7:  // ৗ after ে is ৌ
            if (word.last() == 0x09C7) return word.replace_last(0x09CC);
            break;
        default:
            break;
    }
    word.text.append(static_cast<UChar32>(code));
}

// The Latin the ICU steps give for a word that is not ASCII.
void transliterate(Word& word) {
    icu::Transliterator* cyrillic = word.cyrillic ? step(Step::Cyrillic) : nullptr;
    if (cyrillic) cyrillic->transliterate(word.text);
    icu::Transliterator* bengali = word.bengali ? step(Step::Bengali) : nullptr;
    if (bengali) {
        // ICU writes a consonant's inherent vowel after it, also at a word's end, where it is
        // not said: "দক্ষিণ" is dakṣiṇa. Dropped there, so the word meets its other spellings
        // and the Latin of what a citizen has typed so far is a prefix of the whole word's
        // (দক্ষ is dakṣa, but dakṣ of dakṣiṇ).
        const bool inherent_vowel_last = is_bengali_consonant(word.last());
        bengali->transliterate(word.text);
        if (inherent_vowel_last && word.last() == u'a') word.text.truncate(word.text.length() - 1);
    }
    icu::Transliterator* any_latin = word.other_script ? step(Step::AnyLatin) : nullptr;
    if (any_latin) any_latin->transliterate(word.text);

    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
    if (U_SUCCESS(status)) {
        icu::UnicodeString decomposed = nfkd->normalize(word.text, status);
        if (U_SUCCESS(status)) word.text = std::move(decomposed);
    }
    // Diacritics dropped (ā, ṣ, é), and ASCII for what has no decomposition (ß, ø, ł).
    icu::UnicodeString bare;
    bool ascii = true;
    for (int32_t at = 0; at < word.text.length();) {
        const UChar32 code = word.text.char32At(at);
        at = word.text.moveIndex32(at, 1);
        if (U_GET_GC_MASK(code) & U_GC_M_MASK) continue;
        if (code >= 0x80) ascii = false;
        bare.append(code);
    }
    icu::Transliterator* latin_ascii = ascii ? nullptr : step(Step::LatinAscii);
    if (latin_ascii) latin_ascii->transliterate(bare);
    word.text = std::move(bare);
}

// Appends a transliterated word's letters and digits to `out`, each run of anything else
// (a mark a step wrote, punctuation) a word break. Returns false when `out` is full.
bool append_word(std::string& out, const icu::UnicodeString& text) {
    bool in_word = false;
    for (int32_t at = 0; at < text.length();) {
        UChar32 code = text.char32At(at);
        at = text.moveIndex32(at, 1);
        const uint32_t category = U_GET_GC_MASK(code);
        if (category & (U_GC_M_MASK | U_GC_LM_MASK | U_GC_CF_MASK) || is_letter_mark(code)) {
            continue;
        }
        const bool kept = category & (U_GC_L_MASK | U_GC_ND_MASK);
        if (!kept) {
            in_word = false;
            continue;
        }
        if (category & U_GC_ND_MASK) code = U'0' + u_charDigitValue(code);
        code = u_tolower(code);
        const std::size_t space = !in_word && !out.empty() ? 1 : 0;
        if (out.size() + space + U8_LENGTH(code) > kMaxOutputBytes) return false;
        if (space) out += ' ';
        utf8::append(out, static_cast<char32_t>(code));
        in_word = true;
    }
    return true;
}

bool is_ascii_alnum(char32_t code) {
    return (code >= U'a' && code <= U'z') || (code >= U'0' && code <= U'9');
}

}  // namespace

std::string fold(std::string_view text) {
    text = utf8::truncated(text, kMaxInputBytes);
    std::string out;
    out.reserve(text.size() < kMaxOutputBytes ? text.size() : kMaxOutputBytes);
    Word word;
    // Ends the word read so far: ASCII words straight to `out`, others through the steps.
    auto end_word = [&]() -> bool {
        if (word.empty()) return true;
        if (word.non_ascii) transliterate(word);
        const bool room = append_word(out, word.text);
        word.clear();
        return room;
    };
    for (std::size_t at = 0; at < text.size();) {
        const utf8::CodePoint read = utf8::decode(text, at);  // malformed: U+FFFD, a separator
        at += read.length;
        char32_t code = read.code;
        if (code < 0x80) {
            if (code >= U'A' && code <= U'Z') code += U'a' - U'A';
            if (is_ascii_alnum(code)) {
                word.text.append(static_cast<UChar32>(code));
            } else if (code != U'\'' && code != U'`' && !end_word()) {
                break;
            }
            continue;
        }
        if (is_letter_mark(code)) continue;
        const uint32_t category = U_GET_GC_MASK(static_cast<UChar32>(code));
        if (category & U_GC_CF_MASK && code != U'\u200B') continue;  // ZWJ, ZWNJ, BOM, RLM
        if (category & U_GC_ND_MASK) {  // any script's digits: ০১২ is 012
            word.text.append(static_cast<UChar32>(U'0' + u_charDigitValue(code)));
            continue;
        }
        if (!(category & (U_GC_L_MASK | U_GC_M_MASK | U_GC_NL_MASK | U_GC_NO_MASK))) {
            if (!end_word()) break;
            continue;
        }
        word.non_ascii = true;
        if (is_bengali(code)) {
            word.bengali = true;
            append_bengali(word, code);
            continue;
        }
        code = static_cast<char32_t>(u_tolower(static_cast<UChar32>(code)));
        if (is_cyrillic(code)) {
            word.cyrillic = true;
        } else if (category & U_GC_L_MASK) {
            UErrorCode status = U_ZERO_ERROR;
            const UScriptCode script = uscript_getScript(static_cast<UChar32>(code), &status);
            if (script != USCRIPT_LATIN && script != USCRIPT_COMMON) word.other_script = true;
        }
        word.text.append(static_cast<UChar32>(code));
    }
    end_word();
    return out;
}

// Each rule, in this order, says what two spellings of one name it lets meet. fold's output
// is ASCII for every script fold transliterates, so the rules read ASCII letters.
std::string loose(std::string_view folded) {
    auto is_vowel = [](char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; };
    std::string out;
    out.reserve(folded.size());
    std::size_t start = 0;
    while (start <= folded.size()) {
        std::size_t end = folded.find(' ', start);
        if (end == std::string_view::npos) end = folded.size();
        const std::string_view word = folded.substr(start, end - start);
        start = end + 1;
        if (word.empty()) continue;

        std::string step;
        for (std::size_t k = 0; k < word.size(); ++k) {
            const char c = word[k];
            // Aspirates lose their h: ICU writes খ kh but typists write k, kh or kk; Uzbek sh
            // and ch meet s and c, which is where Bangla শ/স and চ/ছ meet too.
            if (c == 'h' && !step.empty() &&
                std::string_view("kgcjtdpbs").find(step.back()) != std::string_view::npos) {
                continue;
            }
            // ng is n: ICU writes ঙ and ং ṅ (n); Latin-typed Bangla writes ng (Bangla).
            if (c == 'g' && !step.empty() && step.back() == 'n') continue;
            // dj is j: Russian дж is Uzbek ж (Джизак, Жиззах).
            if (c == 'j' && !step.empty() && step.back() == 'd') step.pop_back();
            // o and u are a: Bangla's inherent vowel is typed o (Boroshalghor) where ICU
            // writes a, and o and u swap in Latin-typed Bangla (Comilla, Cumilla); Uzbek o is
            // Russian a (Toshkent, Ташкент) and Uzbek oʻ is Russian у (Дўстлик, Дустлик).
            if (c == 'o' || c == 'u') {
                step += 'a';
            } else if (c == 'x') {
                // x is h: Russian х writes both Uzbek x and ҳ (Шаҳрисабз, Шахрисабз).
                step += 'h';
            } else if (c == 'w' || c == 'v') {
                // w and v are b: ব is b, v and w in Latin-typed Bangla (দেবিদ্বার, Debidwar).
                step += 'b';
            } else if (c == 'q') {
                // q is k: Uzbek қ is Russian к (Қарши, Карши).
                step += 'k';
            } else {
                step += c;
            }
        }
        std::string word_out;
        for (std::size_t k = 0; k < step.size(); ++k) {
            const char c = step[k];
            // y between vowels goes: ICU writes য় ya where typists leave it out (Noakhali).
            if (c == 'y' && k > 0 && k + 1 < step.size() && is_vowel(step[k - 1]) &&
                is_vowel(step[k + 1])) {
                continue;
            }
            // Doubled letters are single: typed Latin doubles freely (Cumilla, Comila).
            if (!word_out.empty() && word_out.back() == c) continue;
            word_out += c;
        }
        // A final a goes from longer words: Latin-typed Bangla writes it (Chandina) where
        // fold drops ICU's inherent vowel, and Russian endings (Бухара) meet Uzbek (Buxoro).
        if (word_out.size() > 3 && word_out.back() == 'a') word_out.pop_back();
        if (!out.empty()) out += ' ';
        out += word_out;
    }
    return out;
}

}  // namespace seba::search

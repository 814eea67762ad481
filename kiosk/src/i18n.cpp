// SPDX-License-Identifier: Apache-2.0
#include "seba/ui/i18n.hpp"

#include <gettext-po.h>
#include <unicode/numsys.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "seba/config.hpp"
#include "seba/error.hpp"
#include "seba/ui/languages.hpp"
#include "seba/ui/locale.hpp"
#include "seba/utf8.hpp"

namespace seba::ui {
namespace {

namespace fs = std::filesystem;

using Translations = std::map<std::string, std::string, std::less<>>;

// English is the msgid itself, so en.po only exists to correct English wording without
// touching code.
constexpr std::string_view kEnglish = "en";
// gettext's separator between msgctxt and msgid in a lookup key.
constexpr char kContextSeparator = '\x04';
// The domain libgettextpo files entries under when there is no `domain` directive.
constexpr std::string_view kDefaultPoDomain = "messages";

// --- libgettextpo error handling ------------------------------------------------------------

// One problem libgettextpo reported while reading a file.
struct PoProblem {
    std::size_t line = 0;  // 0 when libgettextpo gave no line
    std::string text;
};

// libgettextpo keeps its error handler, lexer position and parser state in globals, so only
// one file is read at a time in the whole process.
std::mutex& po_read_mutex() {
    static std::mutex mutex;
    return mutex;
}

// Where the handler puts what it is told; only touched while po_read_mutex() is held. The
// handler has no user-data argument, hence the global.
std::vector<PoProblem>* g_po_problems = nullptr;

// Thrown out of the handler for PO_SEVERITY_FATAL_ERROR, which must not return. libgettextpo
// is built with unwind tables, so it crosses the C frames; their FILE* and buffers leak and
// libgettextpo keeps pointing at this handler, which is acceptable for a read error (EIO) on a
// broken disk. Catalog::load reads only regular files, which keeps ordinary mistakes (a
// directory named bn.po) off this path.
struct PoFatalError {};

void record_po_problem(int severity, const char* filename, std::size_t lineno, const char* text) {
    // Warnings (e.g. an unusual charset name) leave a usable catalog.
    if (severity == PO_SEVERITY_WARNING || g_po_problems == nullptr) return;
    PoProblem problem;
    if (filename != nullptr && lineno != static_cast<std::size_t>(-1)) problem.line = lineno;
    problem.text = text != nullptr ? text : "unknown problem";
    while (!problem.text.empty() && problem.text.back() == '\n') problem.text.pop_back();
    g_po_problems->push_back(std::move(problem));
}

// Errors are only recorded and the handler returns, so libgettextpo finishes the file, closes
// it and reports every problem; read_po turns them into one seba::Error afterwards. With a
// handler of its own, libgettextpo 0.21 sends syntax problems as PO_SEVERITY_ERROR and does not
// follow them with its closing "found N fatal errors" (checked against the installed library).
void on_po_error(int severity, po_message_t /*message*/, const char* filename, std::size_t lineno,
                 std::size_t /*column*/, int /*multiline*/, const char* text) {
    record_po_problem(severity, filename, lineno, text);
    if (severity == PO_SEVERITY_FATAL_ERROR) throw PoFatalError{};
}

void on_po_error2(int severity, po_message_t /*message1*/, const char* filename1,
                  std::size_t lineno1, std::size_t /*column1*/, int /*multiline1*/,
                  const char* text1, po_message_t /*message2*/, const char* filename2,
                  std::size_t lineno2, std::size_t /*column2*/, int /*multiline2*/,
                  const char* text2) {
    // E.g. "duplicate message definition" + "this is the location of the first definition".
    std::string text = text1 != nullptr ? text1 : "unknown problem";
    if (text2 != nullptr && filename2 != nullptr && lineno2 != static_cast<std::size_t>(-1) &&
        lineno2 != 0) {
        text += " (" + std::string(text2) + ": line " + std::to_string(lineno2) + ")";
    }
    record_po_problem(severity, filename1, lineno1, text.c_str());
    if (severity == PO_SEVERITY_FATAL_ERROR) throw PoFatalError{};
}

constexpr po_xerror_handler kPoHandler = {on_po_error, on_po_error2};

// Points g_po_problems at `sink` for one read and always clears it again.
class PoProblemSink {
  public:
    explicit PoProblemSink(std::vector<PoProblem>& sink) { g_po_problems = &sink; }
    ~PoProblemSink() { g_po_problems = nullptr; }
    PoProblemSink(const PoProblemSink&) = delete;
    PoProblemSink& operator=(const PoProblemSink&) = delete;
};

struct PoFileFree {
    void operator()(po_file_t file) const { po_file_free(file); }
};
using PoFile = std::unique_ptr<std::remove_pointer_t<po_file_t>, PoFileFree>;

struct PoIteratorFree {
    void operator()(po_message_iterator_t iterator) const { po_message_iterator_free(iterator); }
};
using PoIterator = std::unique_ptr<std::remove_pointer_t<po_message_iterator_t>, PoIteratorFree>;

struct CFree {
    void operator()(char* text) const { std::free(text); }
};

[[noreturn]] void throw_malformed(const fs::path& file, const std::vector<PoProblem>& problems) {
    const PoProblem& first = problems.front();
    std::string message = "translation catalog " + file.string();
    if (first.line != 0) message += ":" + std::to_string(first.line);
    message += ": " + first.text;
    if (problems.size() > 1) {
        message += " (and " + std::to_string(problems.size() - 1) + " more problem" +
                   (problems.size() > 2 ? "s" : "") + ")";
    }
    message += "; fix the file (`msgfmt --check " + file.string() +
               "` lists every problem) or remove it to show English instead";
    throw Error(message);
}

std::string lowercase_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// --- reading one .po file -------------------------------------------------------------------

struct PoCatalog {
    std::vector<std::string> keys;  // every live msgid (with context), translated or not
    Catalog::Messages translated;   // only real translations: not fuzzy, not empty
    bool has_plural_forms = false;  // its header names the language's plural rule
};

std::string make_key(std::string_view context, std::string_view msgid) {
    std::string key;
    key.reserve(context.size() + 1 + msgid.size());
    key.append(context);
    key.push_back(kContextSeparator);
    key.append(msgid);
    return key;
}

// Seba shows catalog text as UTF-8, so a catalog declaring another charset would show
// mojibake; say how to convert it instead.
void check_header_charset(const fs::path& file, const char* header) {
    std::unique_ptr<char, CFree> content_type(po_header_field(header, "Content-Type"));
    if (!content_type) return;
    const std::string value = lowercase_ascii(content_type.get());
    const std::size_t at = value.find("charset=");
    if (at == std::string::npos) return;
    std::string charset = value.substr(at + 8);
    charset = charset.substr(0, charset.find_first_of("; \t"));
    // "charset" is the untouched template value; the UTF-8 check on every string still runs.
    if (charset == "utf-8" || charset == "utf8" || charset == "charset" || charset == "ascii" ||
        charset == "us-ascii") {
        return;
    }
    throw Error("translation catalog " + file.string() + ": charset \"" + charset +
                "\" is not UTF-8; convert it with `msgconv -t UTF-8` and set "
                "\"Content-Type: text/plain; charset=UTF-8\" in the header");
}

// The header's Plural-Forms into `rule`; without one, the English rule stays. A header a
// translator broke is an error, like any other malformed part of the catalog: showing the
// wrong form of every counted message would be worse than showing none.
bool read_plural_forms(const fs::path& file, const char* header, PluralRule& rule) {
    std::unique_ptr<char, CFree> value(po_header_field(header, "Plural-Forms"));
    if (!value) return false;
    std::optional<PluralRule> parsed = PluralRule::parse(value.get());
    if (!parsed) {
        throw Error("translation catalog " + file.string() + ": the header's Plural-Forms \"" +
                    utf8::replace_invalid(value.get()) +
                    "\" cannot be read; write it as gettext does, e.g. \"nplurals=2; "
                    "plural=(n != 1);\"");
    }
    rule = *parsed;
    return true;
}

void read_messages(const fs::path& file, po_file_t po, const char* po_domain, PoCatalog& out) {
    PoIterator iterator(po_message_iterator(po, po_domain));
    while (po_message_t message = po_next_message(iterator.get())) {
        if (po_message_is_obsolete(message)) continue;
        const char* context = po_message_msgctxt(message);
        const std::string_view msgid = po_message_msgid(message);
        if (msgid.empty()) {
            if (context == nullptr) {
                check_header_charset(file, po_message_msgstr(message));
                out.has_plural_forms =
                    read_plural_forms(file, po_message_msgstr(message), out.translated.rule);
            }
            continue;
        }
        std::string key = context != nullptr ? make_key(context, msgid) : std::string(msgid);
        if (!utf8::is_valid(key)) {
            throw Error("translation catalog " + file.string() +
                        ": a msgid or msgctxt is not valid UTF-8; save the file as UTF-8");
        }
        // gettext() on a plural entry returns its first form; do the same.
        const char* msgstr = po_message_msgid_plural(message) != nullptr
                                 ? po_message_msgstr_plural(message, 0)
                                 : po_message_msgstr(message);
        const bool translated =
            msgstr != nullptr && *msgstr != '\0' && !po_message_is_fuzzy(message);
        if (translated && !utf8::is_valid(msgstr)) {
            throw Error("translation catalog " + file.string() + ": the translation of \"" +
                        std::string(msgid) + "\" is not valid UTF-8; save the file as UTF-8");
        }
        if (translated && po_message_msgid_plural(message) != nullptr) {
            // Every form must be there; one left empty makes the whole entry English, as
            // msgfmt treats it.
            std::vector<std::string> forms;
            for (int i = 0; const char* form = po_message_msgstr_plural(message, i); ++i) {
                if (*form == '\0' || !utf8::is_valid(form)) {
                    forms.clear();
                    break;
                }
                forms.emplace_back(form);
            }
            if (!forms.empty()) out.translated.plurals.insert_or_assign(key, std::move(forms));
        }
        out.keys.push_back(key);
        if (translated) out.translated.texts.insert_or_assign(std::move(key), msgstr);
    }
}

PoCatalog read_po(const fs::path& file, std::string_view domain) {
    const std::string name = file.string();
    std::vector<PoProblem> problems;
    PoFile po;
    {
        const std::lock_guard lock(po_read_mutex());
        const PoProblemSink sink(problems);
        errno = 0;
        try {
            po.reset(po_file_read(name.c_str(), &kPoHandler));
        } catch (const PoFatalError&) {
            if (problems.empty()) problems.push_back({0, "libgettextpo gave up reading it"});
        }
    }
    if (!problems.empty()) throw_malformed(file, problems);
    if (!po) {
        const int error = errno;
        throw Error("cannot open translation catalog " + name + ": " +
                    (error != 0 ? std::strerror(error) : "unknown error") +
                    "; check that the kiosk user may read it");
    }

    PoCatalog catalog;
    // A file may use `domain "..."` directives; read the default domain and the catalog's own.
    const char* const* po_domains = po_file_domains(po.get());
    for (std::size_t i = 0; po_domains != nullptr && po_domains[i] != nullptr; ++i) {
        const std::string_view po_domain = po_domains[i];
        if (po_domain == kDefaultPoDomain || po_domain == domain) {
            read_messages(file, po.get(), po_domains[i], catalog);
        }
    }
    return catalog;
}

// --- lookups --------------------------------------------------------------------------------

// English text that no catalog knows still needs a home that outlives the call, because
// translate() returns a reference and the Catalog itself is immutable after load. The pool only
// grows by distinct msgids, which are finite (string literals and manifest strings). Never
// destroyed, so a reference stays valid even during static destruction.
const std::string& intern_english(const std::string& english) {
    static std::mutex mutex;
    static auto* pool = new std::set<std::string, std::less<>>;
    const std::lock_guard lock(mutex);
    return *pool->insert(english).first;
}

using MessagesByLanguage = std::map<std::string, Catalog::Messages, std::less<>>;

const std::string& lookup(const MessagesByLanguage& strings, std::string_view language, std::string_view key,
                          const std::string& english) {
    if (const auto lang = strings.find(language); lang != strings.end()) {
        const Translations& texts = lang->second.texts;
        if (const auto it = texts.find(key); it != texts.end()) return it->second;
    }
    // "en" holds every known msgid (corrected by en.po where there is one).
    if (const auto en = strings.find(kEnglish); en != strings.end()) {
        const Translations& texts = en->second.texts;
        if (const auto it = texts.find(key); it != texts.end()) return it->second;
    }
    return intern_english(english);
}

// The form of plural message `singular` that `language`'s rule picks for `n`; nullptr when
// the language does not translate it.
const std::string* lookup_plural(const MessagesByLanguage& strings, std::string_view language,
                                 std::string_view singular, unsigned long n) {
    const auto lang = strings.find(language);
    if (lang == strings.end()) return nullptr;
    const auto it = lang->second.plurals.find(singular);
    if (it == lang->second.plurals.end()) return nullptr;
    const auto form = static_cast<std::size_t>(lang->second.rule.index(n));
    // msgfmt --check refuses fewer msgstr[i] than nplurals; a catalog that has them anyway
    // shows English rather than a form meant for another count.
    return form < it->second.size() ? &it->second[form] : nullptr;
}

// --- digits ---------------------------------------------------------------------------------

}  // namespace

// --- Catalog --------------------------------------------------------------------------------

Catalog Catalog::load(std::string_view domain, const fs::path& dir) {
    return load(domain, std::vector<fs::path>{dir});
}

Catalog Catalog::load(std::string_view domain, const std::vector<fs::path>& dirs) {
    Catalog catalog;
    catalog.domain_ = std::string(domain);
    std::set<std::string, std::less<>> all_keys;
    for (const fs::path& dir : dirs) {
        std::error_code error;
        const fs::file_status dir_status = fs::status(dir, error);
        // A plugin without translations simply has no locale directory: everything is English.
        if (dir_status.type() == fs::file_type::not_found) continue;
        if (error) {
            throw Error("cannot read translation directory " + dir.string() + ": " +
                        error.message());
        }
        if (!fs::is_directory(dir_status)) {
            throw Error("translation directory " + dir.string() +
                        " is not a directory; it should hold one <language>.po per language, "
                        "e.g. bn.po, uz-Latn.po");
        }
        // Every <BCP 47 tag>.po: a language is data (seba/ui/languages.hpp), so a catalog may
        // hold one no build of the kiosk has heard of. Sorted, so the outcome never depends
        // on the order the file system lists them in.
        std::vector<fs::path> files;
        for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
            const fs::path& file = entry.path();
            if (file.extension() == ".po" && is_language_tag(file.stem().string()))
                files.push_back(file);
        }
        if (error) {
            throw Error("cannot read translation directory " + dir.string() + ": " +
                        error.message());
        }
        std::sort(files.begin(), files.end());
        for (const fs::path& file : files) {
            const fs::file_status status = fs::status(file, error);
            if (error) {
                throw Error("cannot read translation catalog " + file.string() + ": " +
                            error.message());
            }
            // po_file_read on a directory or FIFO fails fatally or blocks; refuse it up front.
            if (!fs::is_regular_file(status)) {
                throw Error("translation catalog " + file.string() +
                            " is not a regular file; replace it with a .po file or remove it");
            }
            PoCatalog po = read_po(file, domain);
            all_keys.insert(po.keys.begin(), po.keys.end());
            // A later folder (a country pack's) corrects or completes an earlier one's, and
            // its header's plural rule is the language's.
            const bool first = !catalog.strings_.contains(file.stem().string());
            Catalog::Messages& messages = catalog.strings_[file.stem().string()];
            for (auto& [key, text] : po.translated.texts)
                messages.texts.insert_or_assign(key, std::move(text));
            for (auto& [key, forms] : po.translated.plurals)
                messages.plurals.insert_or_assign(key, std::move(forms));
            // A later catalog without the header leaves the language's rule as it was.
            if (first || po.has_plural_forms) messages.rule = po.translated.rule;
        }
    }

    // Store English for every known msgid, so translate() can return a reference to it and
    // missing("en") is always empty.
    if (!all_keys.empty()) {
        Translations& english = catalog.strings_[std::string(kEnglish)].texts;
        for (const std::string& key : all_keys) {
            const std::size_t separator = key.find(kContextSeparator);
            english.try_emplace(key,
                                separator == std::string::npos ? key : key.substr(separator + 1));
        }
    }
    catalog.all_ids_.assign(all_keys.begin(), all_keys.end());
    return catalog;
}

std::vector<std::string> Catalog::languages() const {
    std::vector<std::string> out;
    for (const auto& [language, strings] : strings_)
        if (language != kEnglish) out.push_back(language);
    return out;
}

const std::string& Catalog::translate(std::string_view language, const std::string& english) const {
    return lookup(strings_, language, english, english);
}

const std::string& Catalog::translate(std::string_view language, std::string_view context,
                                      const std::string& english) const {
    return lookup(strings_, language, make_key(context, english), english);
}

const std::string& Catalog::translate_plural(std::string_view language, const std::string& singular,
                                             const std::string& plural, unsigned long n) const {
    if (const std::string* form = lookup_plural(strings_, language, singular, n)) return *form;
    // en.po may correct the English wording; otherwise the code's own.
    if (const std::string* form = lookup_plural(strings_, kEnglish, singular, n)) return *form;
    return intern_english(n == 1 ? singular : plural);
}

std::vector<std::string> Catalog::missing(std::string_view language) const {
    std::vector<std::string> result;
    const auto lang = strings_.find(language);
    for (const std::string& key : all_ids_) {
        if (lang == strings_.end() || !lang->second.texts.contains(key)) result.push_back(key);
    }
    return result;
}

std::vector<std::string> Catalog::msgids() const {
    return all_ids_;
}

// --- digits and names -----------------------------------------------------------------------

std::string localize_digits(std::string_view text, std::string_view language) {
    const Languages& known = languages();
    const Language* found = known.find(language);
    return found != nullptr ? native_digits(text, found->digits) : std::string(text);
}

std::string ascii_digits(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        const std::optional<utf8::CodePoint> c = utf8::decode_strict(text, at);
        if (!c) {  // a malformed byte stays as it was
            out.push_back(text[at]);
            ++at;
            continue;
        }
        const auto code = static_cast<UChar32>(c->code);
        if (u_charType(code) == U_DECIMAL_DIGIT_NUMBER && u_charDigitValue(code) >= 0)
            out.push_back(static_cast<char>('0' + u_charDigitValue(code)));
        else
            out.append(text.substr(at, c->length));
        at += c->length;
    }
    return out;
}

std::string language_endonym(std::string_view language) {
    const Languages& known = languages();
    const Language* found = known.find(language);
    return found != nullptr ? found->name : std::string(language);
}

std::string language_voice(std::string_view language) {
    const Languages& known = languages();
    const Language* found = known.find(language);
    return found != nullptr ? found->voice : std::string{};
}

std::set<std::string> placeholders(std::string_view text) {
    std::set<std::string> found;
    for (std::size_t open = text.find('{'); open != std::string_view::npos;
         open = text.find('{', open + 1)) {
        const std::size_t close = text.find('}', open);
        if (close == std::string_view::npos) break;
        found.emplace(text.substr(open, close - open + 1));
    }
    return found;
}

}  // namespace seba::ui

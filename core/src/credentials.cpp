// SPDX-License-Identifier: Apache-2.0
// The credential's encoding (docs/credentials.md): claims in CBOR, signed as a COSE_Sign1
// (RFC 9052, EdDSA), deflated (zlib) and written in base45 (RFC 9285) behind "SB1:".
#include <cbor.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sodium.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "seba/credential_keys.hpp"
#include "seba/error.hpp"
#include "seba/utf8.hpp"

namespace seba::credentials {

namespace {

using nlohmann::json;
using Bytes = std::vector<std::uint8_t>;

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
constexpr std::uint64_t kCoseSign1Tag = 18;
constexpr std::uint8_t kCoseSign1TagByte = 0xD2;  // major type 6, value 18
constexpr std::int64_t kEdDsa = -8;
constexpr std::size_t kKidBytes = 8;
constexpr std::size_t kIdBytes = 8;

// Claim keys: CWT's where it has one (RFC 8392), small private ones for the rest.
constexpr std::int64_t kIss = 1;           // issuer: the kiosk's device id
constexpr std::int64_t kSub = 2;           // subject: the holder's name
constexpr std::int64_t kExp = 4;           // expires: NumericDate of the day, 00:00 UTC
constexpr std::int64_t kIat = 6;           // issued: NumericDate of the day, 00:00 UTC
constexpr std::int64_t kCti = 7;           // id: 8 bytes
constexpr std::int64_t kType = -1;         // type: text
constexpr std::int64_t kAchievement = -2;  // achievement: a map
constexpr std::int64_t kCentre = -3;       // centre: text

// [SECTION] libcbor, owned

struct Unref {
    void operator()(cbor_item_t* item) const {
        if (item) cbor_decref(&item);
    }
};
using Item = std::unique_ptr<cbor_item_t, Unref>;

cbor_item_t* must(cbor_item_t* item) {
    if (!item) throw std::bad_alloc();
    return item;
}

// Integers in their shortest form, as deterministic CBOR asks.
cbor_item_t* build_int(std::int64_t value) {
    const std::uint64_t magnitude =
        value >= 0 ? static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(-(value + 1));
    cbor_item_t* item;
    if (magnitude <= 0xFF)
        item = value >= 0 ? cbor_build_uint8(static_cast<std::uint8_t>(magnitude))
                          : cbor_build_negint8(static_cast<std::uint8_t>(magnitude));
    else if (magnitude <= 0xFFFF)
        item = value >= 0 ? cbor_build_uint16(static_cast<std::uint16_t>(magnitude))
                          : cbor_build_negint16(static_cast<std::uint16_t>(magnitude));
    else if (magnitude <= 0xFFFFFFFF)
        item = value >= 0 ? cbor_build_uint32(static_cast<std::uint32_t>(magnitude))
                          : cbor_build_negint32(static_cast<std::uint32_t>(magnitude));
    else
        item = value >= 0 ? cbor_build_uint64(magnitude) : cbor_build_negint64(magnitude);
    return must(item);
}

cbor_item_t* build_uint(std::uint64_t value) {
    if (value <= static_cast<std::uint64_t>(INT64_MAX))
        return build_int(static_cast<std::int64_t>(value));
    return must(cbor_build_uint64(value));
}

cbor_item_t* build_text(std::string_view text) {
    return must(cbor_build_stringn(text.data(), text.size()));
}

cbor_item_t* build_bytes(std::span<const std::uint8_t> bytes) {
    return must(cbor_build_bytestring(bytes.data(), bytes.size()));
}

void add(cbor_item_t* map, cbor_item_t* key, cbor_item_t* value) {
    Item k(key), v(value);
    if (!cbor_map_add(map, cbor_pair{k.get(), v.get()})) throw std::bad_alloc();
}

void push(cbor_item_t* array, cbor_item_t* value) {
    Item v(value);
    if (!cbor_array_push(array, v.get())) throw std::bad_alloc();
}

Bytes serialize(const cbor_item_t* item) {
    unsigned char* buffer = nullptr;
    std::size_t capacity = 0;
    const std::size_t size = cbor_serialize_alloc(item, &buffer, &capacity);
    if (size == 0 || !buffer) {
        std::free(buffer);
        throw std::bad_alloc();
    }
    Bytes out(buffer, buffer + size);
    std::free(buffer);
    return out;
}

std::size_t json_depth(const json& value) {
    std::size_t deepest = 0;
    if (value.is_structured())
        for (const json& child : value) deepest = std::max(deepest, json_depth(child));
    return value.is_structured() ? deepest + 1 : 0;
}

cbor_item_t* from_json(const json& value) {
    switch (value.type()) {
        case json::value_t::object: {
            Item map(must(cbor_new_definite_map(value.size())));
            for (const auto& [key, member] : value.items())
                add(map.get(), build_text(key), from_json(member));
            return map.release();
        }
        case json::value_t::array: {
            Item array(must(cbor_new_definite_array(value.size())));
            for (const json& member : value) push(array.get(), from_json(member));
            return array.release();
        }
        case json::value_t::string:
            return build_text(value.get_ref<const std::string&>());
        case json::value_t::boolean:
            return must(cbor_build_bool(value.get<bool>()));
        case json::value_t::number_integer:
            return build_int(value.get<std::int64_t>());
        case json::value_t::number_unsigned:
            return build_uint(value.get<std::uint64_t>());
        case json::value_t::number_float:
            return must(cbor_build_float8(value.get<double>()));
        default:
            return must(cbor_new_null());
    }
}

// [SECTION] reading CBOR that may be anything

// Walks the item headers of `data` before libcbor builds anything: definite lengths only,
// one item with nothing after it, at most kMaxCborDepth deep and kMaxCborItems items.
struct Scan {
    enum class Kind { Leaf, Container, Indefinite } kind = Kind::Leaf;
    std::uint64_t count = 0;
};

void on_leaf(void* scan) {
    static_cast<Scan*>(scan)->kind = Scan::Kind::Leaf;
}
void on_indefinite(void* scan) {
    static_cast<Scan*>(scan)->kind = Scan::Kind::Indefinite;
}
template <typename T>
void on_value(void* scan, T) {
    on_leaf(scan);
}
void on_string(void* scan, cbor_data, uint64_t) {
    on_leaf(scan);
}
void on_array(void* scan, uint64_t size) {
    auto* s = static_cast<Scan*>(scan);
    s->kind = Scan::Kind::Container;
    s->count = size;
}
void on_map(void* scan, uint64_t size) {
    auto* s = static_cast<Scan*>(scan);
    s->kind = Scan::Kind::Container;
    s->count = size > UINT64_MAX / 2 ? UINT64_MAX : size * 2;
}
void on_tag(void* scan, uint64_t) {
    auto* s = static_cast<Scan*>(scan);
    s->kind = Scan::Kind::Container;
    s->count = 1;
}

// Reason::None when `data` is one well-bounded item.
Reason scan_cbor(std::span<const std::uint8_t> data) {
    cbor_callbacks callbacks = cbor_empty_callbacks;
    callbacks.uint8 = on_value<uint8_t>;
    callbacks.uint16 = on_value<uint16_t>;
    callbacks.uint32 = on_value<uint32_t>;
    callbacks.uint64 = on_value<uint64_t>;
    callbacks.negint8 = on_value<uint8_t>;
    callbacks.negint16 = on_value<uint16_t>;
    callbacks.negint32 = on_value<uint32_t>;
    callbacks.negint64 = on_value<uint64_t>;
    callbacks.byte_string = on_string;
    callbacks.string = on_string;
    callbacks.byte_string_start = on_indefinite;
    callbacks.string_start = on_indefinite;
    callbacks.indef_array_start = on_indefinite;
    callbacks.indef_map_start = on_indefinite;
    callbacks.indef_break = on_indefinite;
    callbacks.array_start = on_array;
    callbacks.map_start = on_map;
    callbacks.tag = on_tag;
    callbacks.float2 = on_value<float>;
    callbacks.float4 = on_value<float>;
    callbacks.float8 = on_value<double>;
    callbacks.undefined = on_leaf;
    callbacks.null = on_leaf;
    callbacks.boolean = on_value<bool>;

    std::vector<std::uint64_t> open;  // items still to come in each open container
    std::size_t at = 0, items = 0;
    do {
        if (at >= data.size()) return Reason::Truncated;
        Scan scan;
        cbor_decoder_result r =
            cbor_stream_decode(data.data() + at, data.size() - at, &callbacks, &scan);
        if (r.status == CBOR_DECODER_NEDATA) return Reason::Truncated;
        if (r.status != CBOR_DECODER_FINISHED || r.read == 0) return Reason::Malformed;
        at += r.read;
        if (++items > kMaxCborItems || scan.kind == Scan::Kind::Indefinite)
            return Reason::Malformed;
        if (!open.empty()) --open.back();
        if (scan.kind == Scan::Kind::Container && scan.count > 0) {
            if (scan.count > kMaxCborItems || open.size() + 1 > kMaxCborDepth)
                return Reason::Malformed;
            open.push_back(scan.count);
        }
        while (!open.empty() && open.back() == 0) open.pop_back();
    } while (!open.empty());
    return at == data.size() ? Reason::None : Reason::Malformed;
}

Item load(std::span<const std::uint8_t> data, Reason& reason) {
    reason = scan_cbor(data);
    if (reason != Reason::None) return nullptr;
    cbor_load_result result{};
    Item item(cbor_load(data.data(), data.size(), &result));
    if (!item || result.error.code != CBOR_ERR_NONE || result.read != data.size()) {
        reason = Reason::Malformed;
        return nullptr;
    }
    return item;
}

std::optional<std::int64_t> read_int(const cbor_item_t* item) {
    if (!cbor_isa_uint(item) && !cbor_isa_negint(item)) return std::nullopt;
    const std::uint64_t raw = cbor_get_int(item);
    if (raw > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    const auto value = static_cast<std::int64_t>(raw);
    return cbor_isa_uint(item) ? value : -1 - value;
}

std::optional<std::string> read_text(const cbor_item_t* item, std::size_t max_bytes) {
    if (!cbor_isa_string(item) || !cbor_string_is_definite(item)) return std::nullopt;
    std::string text(reinterpret_cast<const char*>(cbor_string_handle(item)),
                     cbor_string_length(item));
    if (text.size() > max_bytes || !utf8::is_valid(text)) return std::nullopt;
    return text;
}

std::optional<Bytes> read_bytes(const cbor_item_t* item) {
    if (!cbor_isa_bytestring(item) || !cbor_bytestring_is_definite(item)) return std::nullopt;
    const unsigned char* data = cbor_bytestring_handle(item);
    return Bytes(data, data + cbor_bytestring_length(item));
}

std::optional<json> to_json(const cbor_item_t* item) {
    switch (cbor_typeof(item)) {
        case CBOR_TYPE_UINT:
            return json(cbor_get_int(item));
        case CBOR_TYPE_NEGINT:
            if (auto v = read_int(item)) return json(*v);
            return std::nullopt;
        case CBOR_TYPE_STRING:
            if (auto text = read_text(item, kMaxAchievementBytes)) return json(*text);
            return std::nullopt;
        case CBOR_TYPE_ARRAY: {
            json out = json::array();
            cbor_item_t** members = cbor_array_handle(item);
            for (std::size_t i = 0; i < cbor_array_size(item); ++i) {
                std::optional<json> member = to_json(members[i]);
                if (!member) return std::nullopt;
                out.push_back(std::move(*member));
            }
            return out;
        }
        case CBOR_TYPE_MAP: {
            json out = json::object();
            cbor_pair* pairs = cbor_map_handle(item);
            for (std::size_t i = 0; i < cbor_map_size(item); ++i) {
                std::optional<std::string> key = read_text(pairs[i].key, kMaxAchievementBytes);
                std::optional<json> value = to_json(pairs[i].value);
                if (!key || !value || out.contains(*key)) return std::nullopt;
                out[*key] = std::move(*value);
            }
            return out;
        }
        case CBOR_TYPE_FLOAT_CTRL:
            if (cbor_float_ctrl_is_ctrl(item)) {
                if (cbor_is_bool(item)) return json(cbor_get_bool(item));
                if (cbor_is_null(item)) return json(nullptr);
                return std::nullopt;
            }
            return json(cbor_float_get_float(item));
        default:
            return std::nullopt;
    }
}

// [SECTION] dates

std::optional<std::chrono::sys_days> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto number = [&](std::size_t at, std::size_t length) -> std::optional<int> {
        int value = 0;
        for (std::size_t i = at; i < at + length; ++i) {
            if (text[i] < '0' || text[i] > '9') return std::nullopt;
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
    if (!y || !m || !d) return std::nullopt;
    std::chrono::year_month_day date{std::chrono::year(*y),
                                     std::chrono::month(static_cast<unsigned>(*m)),
                                     std::chrono::day(static_cast<unsigned>(*d))};
    if (!date.ok()) return std::nullopt;
    return std::chrono::sys_days(date);
}

std::int64_t to_numeric_date(std::chrono::sys_days day) {
    return std::chrono::duration_cast<std::chrono::seconds>(day.time_since_epoch()).count();
}

std::optional<std::string> from_numeric_date(std::int64_t seconds) {
    // Years 1970 to 9999: a date that prints as YYYY-MM-DD.
    if (seconds < 0 || seconds > 253402300799) return std::nullopt;
    return utc_date(std::chrono::system_clock::time_point(std::chrono::seconds(seconds)));
}

bool is_hex(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string hex(std::span<const std::uint8_t> bytes) {
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
    out.pop_back();
    return out;
}

Bytes unhex(std::string_view text) {
    Bytes out(text.size() / 2);
    std::size_t size = 0;
    sodium_hex2bin(out.data(), out.size(), text.data(), text.size(), nullptr, &size, nullptr);
    out.resize(size);
    return out;
}

// [SECTION] deflate

Bytes deflate(std::span<const std::uint8_t> data) {
    uLongf size = compressBound(static_cast<uLong>(data.size()));
    Bytes out(size);
    if (compress2(out.data(), &size, data.data(), static_cast<uLong>(data.size()),
                  Z_BEST_COMPRESSION) != Z_OK)
        throw Error("credentials: compressing failed");
    out.resize(size);
    return out;
}

// The inflated bytes, at most kMaxPayloadBytes; the reason when the stream ends too soon, is
// damaged, is too large or has bytes after its end.
std::optional<Bytes> inflate_bounded(std::span<const std::uint8_t> data, Reason& reason) {
    z_stream stream{};
    if (inflateInit(&stream) != Z_OK) {
        reason = Reason::Malformed;
        return std::nullopt;
    }
    Bytes out(kMaxPayloadBytes + 1);
    stream.next_in = const_cast<Bytef*>(data.data());
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = out.data();
    stream.avail_out = static_cast<uInt>(out.size());
    // Block by block, so that the bits after the last block's end can be seen: inflate
    // ignores them, and a text whose padding bits were changed would be a second spelling of
    // the same credential. They must be zero, as deflate writes them.
    int rc = Z_OK;
    bool padding_zero = true;
    while (rc == Z_OK) {
        rc = ::inflate(&stream, Z_BLOCK);
        if (rc == Z_OK && (stream.data_type & 192) == 192) {  // just past the last block
            const int unused = stream.data_type & 7;
            if (unused > 0 && (stream.next_in[-1] >> (8 - unused)) != 0) padding_zero = false;
            rc = ::inflate(&stream, Z_FINISH);  // the Adler-32 check
        }
        if (rc == Z_OK && stream.avail_in == 0) rc = ::inflate(&stream, Z_FINISH);
    }
    const std::size_t produced = out.size() - stream.avail_out;
    const std::size_t left = stream.avail_in;
    inflateEnd(&stream);
    if (rc == Z_STREAM_END && left == 0 && padding_zero && produced <= kMaxPayloadBytes) {
        out.resize(produced);
        return out;
    }
    // Out of input before the end (Z_BUF_ERROR with room to spare): cut off.
    reason = rc == Z_BUF_ERROR && stream.avail_out > 0 ? Reason::Truncated : Reason::Malformed;
    return std::nullopt;
}

Verdict verdict(Status status, Reason reason, std::string detail) {
    Verdict v;
    v.status = status;
    v.reason = reason;
    v.detail = std::move(detail);
    return v;
}

}  // namespace

// [SECTION] words

std::string_view to_string(Status status) {
    switch (status) {
        case Status::Valid:
            return "valid";
        case Status::Invalid:
            return "invalid";
        case Status::Expired:
            return "expired";
        case Status::Revoked:
            return "revoked";
        case Status::UnknownIssuer:
            return "unknown_issuer";
    }
    return "invalid";
}

std::string_view to_string(Reason reason) {
    switch (reason) {
        case Reason::None:
            return "none";
        case Reason::NotACredential:
            return "not_a_credential";
        case Reason::Truncated:
            return "truncated";
        case Reason::Malformed:
            return "malformed";
        case Reason::BadSignature:
            return "bad_signature";
        case Reason::Expired:
            return "expired";
        case Reason::KeyRevoked:
            return "key_revoked";
        case Reason::CredentialRevoked:
            return "credential_revoked";
        case Reason::UnknownKey:
            return "unknown_key";
        case Reason::NoTrustList:
            return "no_trust_list";
    }
    return "malformed";
}

// [SECTION] base45

std::string base45_encode(std::span<const std::uint8_t> bytes) {
    std::string out;
    out.reserve((bytes.size() + 1) / 2 * 3);
    std::size_t i = 0;
    for (; i + 1 < bytes.size(); i += 2) {
        unsigned n = bytes[i] * 256u + bytes[i + 1];
        out += kAlphabet[n % 45];
        out += kAlphabet[n / 45 % 45];
        out += kAlphabet[n / 2025];
    }
    if (i < bytes.size()) {
        out += kAlphabet[bytes[i] % 45];
        out += kAlphabet[bytes[i] / 45];
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> base45_decode(std::string_view text, Base45Error* error) {
    auto fail = [&](Base45Error why) -> std::optional<std::vector<std::uint8_t>> {
        if (error) *error = why;
        return std::nullopt;
    };
    std::vector<unsigned> values;
    values.reserve(text.size());
    for (char c : text) {
        std::size_t at = kAlphabet.find(c);
        if (at == std::string_view::npos) return fail(Base45Error::BadCharacter);
        values.push_back(static_cast<unsigned>(at));
    }
    if (values.size() % 3 == 1) return fail(Base45Error::CutOff);
    std::vector<std::uint8_t> out;
    out.reserve(values.size() / 3 * 2 + 1);
    std::size_t i = 0;
    for (; i + 2 < values.size(); i += 3) {
        unsigned n = values[i] + values[i + 1] * 45 + values[i + 2] * 2025;
        if (n > 0xFFFF) return fail(Base45Error::BadCharacter);
        out.push_back(static_cast<std::uint8_t>(n >> 8));
        out.push_back(static_cast<std::uint8_t>(n & 0xFF));
    }
    if (i < values.size()) {
        unsigned n = values[i] + values[i + 1] * 45;
        // A last group of two is a whole one only when it holds a byte; else the text was cut
        // in the middle of a group of three.
        if (n > 0xFF) return fail(Base45Error::CutOff);
        out.push_back(static_cast<std::uint8_t>(n));
    }
    if (error) *error = Base45Error::None;
    return out;
}

// [SECTION] the text from what was scanned

std::optional<std::string> extract_text(std::string_view input) {
    if (input.size() > kMaxScannedChars) return std::nullopt;
    auto trim = [](std::string_view s) {
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
            s.remove_prefix(1);
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
        return s;
    };
    auto as_credential = [](std::string_view s) -> std::optional<std::string> {
        if (s.size() < kPrefix.size()) return std::nullopt;
        std::string text(s);
        for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (!text.starts_with(kPrefix)) return std::nullopt;
        return text;
    };
    input = trim(input);
    if (auto text = as_credential(input)) return text;
    // A URL: its query's "c", percent-encoded ('+' is a space, as a form sends it).
    const std::size_t query = input.find('?');
    if (query == std::string_view::npos) return std::nullopt;
    std::string_view rest = input.substr(query + 1);
    if (std::size_t hash = rest.find('#'); hash != std::string_view::npos)
        rest = rest.substr(0, hash);
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if (!pair.starts_with("c=")) continue;
        std::string value;
        for (std::size_t i = 2; i < pair.size(); ++i) {
            const char c = pair[i];
            if (c == '+') {
                value += ' ';
            } else if (c == '%' && i + 2 < pair.size() &&
                       std::isxdigit(static_cast<unsigned char>(pair[i + 1])) &&
                       std::isxdigit(static_cast<unsigned char>(pair[i + 2]))) {
                value +=
                    static_cast<char>(std::stoi(std::string(pair.substr(i + 1, 2)), nullptr, 16));
                i += 2;
            } else {
                value += c;
            }
        }
        return as_credential(trim(value));
    }
    return std::nullopt;
}

// [SECTION] signing and reading

std::string utc_date(std::chrono::system_clock::time_point when) {
    return fmt::format("{:%Y-%m-%d}", std::chrono::floor<std::chrono::days>(when));
}

void check_claims(const Claims& c) {
    auto field = [](std::string_view name, std::string_view value, std::size_t max) {
        if (value.empty()) throw Error(fmt::format("credential: {} is empty", name));
        if (value.size() > max || !utf8::is_valid(value))
            throw Error(
                fmt::format("credential: {} is not UTF-8 text of at most {} bytes", name, max));
    };
    field("type", c.type, kMaxFieldBytes);
    field("issuer", c.issuer, kMaxFieldBytes);
    field("centre", c.centre, kMaxFieldBytes);
    field("subject", c.subject, kMaxSubjectChars * 4);
    if (utf8::count(c.subject) > kMaxSubjectChars)
        throw Error(
            fmt::format("credential: the subject is longer than {} characters", kMaxSubjectChars));
    if (c.id.size() != kIdBytes * 2 || !is_hex(c.id))
        throw Error("credential: the id is not 16 hex digits");
    if (!parse_date(c.issued)) throw Error("credential: issued is not a date YYYY-MM-DD");
    if (!c.expires.empty() && !parse_date(c.expires))
        throw Error("credential: expires is not a date YYYY-MM-DD");
    if (!c.achievement.is_object()) throw Error("credential: the achievement is not an object");
    if (c.achievement.dump().size() > kMaxAchievementBytes)
        throw Error(fmt::format("credential: the achievement is larger than {} bytes",
                                kMaxAchievementBytes));
    // The claims map and the COSE payload hold it: it must decode within kMaxCborDepth.
    if (json_depth(c.achievement) + 1 > kMaxCborDepth)
        throw Error("credential: the achievement is nested too deeply");
}

std::string encode(const Claims& c, const signing::KeyPair& key) {
    check_claims(c);
    if (sodium_init() < 0) throw Error("libsodium failed to initialise");
    const Bytes kid = unhex(key_id(key.public_key));

    Item protected_map(must(cbor_new_definite_map(2)));
    add(protected_map.get(), build_int(1), build_int(kEdDsa));
    add(protected_map.get(), build_int(4), build_bytes(kid));
    const Bytes protected_bytes = serialize(protected_map.get());

    Item claims(must(cbor_new_definite_map(c.expires.empty() ? 7 : 8)));
    add(claims.get(), build_int(kIss), build_text(c.issuer));
    add(claims.get(), build_int(kSub), build_text(c.subject));
    if (!c.expires.empty())
        add(claims.get(), build_int(kExp), build_int(to_numeric_date(*parse_date(c.expires))));
    add(claims.get(), build_int(kIat), build_int(to_numeric_date(*parse_date(c.issued))));
    add(claims.get(), build_int(kCti), build_bytes(unhex(c.id)));
    add(claims.get(), build_int(kType), build_text(c.type));
    add(claims.get(), build_int(kAchievement), from_json(c.achievement));
    add(claims.get(), build_int(kCentre), build_text(c.centre));
    const Bytes payload = serialize(claims.get());

    Item to_sign(must(cbor_new_definite_array(4)));
    push(to_sign.get(), build_text("Signature1"));
    push(to_sign.get(), build_bytes(protected_bytes));
    push(to_sign.get(), build_bytes({}));
    push(to_sign.get(), build_bytes(payload));
    const Bytes signed_bytes = serialize(to_sign.get());
    std::array<std::uint8_t, 64> signature{};
    crypto_sign_detached(signature.data(), nullptr, signed_bytes.data(), signed_bytes.size(),
                         key.secret_key.data());

    Item sign1(must(cbor_new_definite_array(4)));
    push(sign1.get(), build_bytes(protected_bytes));
    push(sign1.get(), must(cbor_new_definite_map(0)));
    push(sign1.get(), build_bytes(payload));
    push(sign1.get(), build_bytes(signature));
    Item tagged(must(cbor_new_tag(kCoseSign1Tag)));
    cbor_tag_set_item(tagged.get(), sign1.get());

    std::string text(kPrefix);
    text += base45_encode(deflate(serialize(tagged.get())));
    if (text.size() > kMaxTextChars)
        throw Error(
            fmt::format("credential: its text would be {} characters, more than {}; "
                        "shorten the achievement",
                        text.size(), kMaxTextChars));
    return text;
}

Decoded decode(std::string_view text) {
    Decoded d;
    auto fail = [&](Reason reason, std::string detail) {
        d.reason = reason;
        d.detail = std::move(detail);
        return std::move(d);
    };
    try {
        if (text.size() > kMaxTextChars)
            return fail(Reason::Malformed, fmt::format("longer than {} characters", kMaxTextChars));
        if (!text.starts_with(kPrefix)) return fail(Reason::NotACredential, "no SB1: prefix");
        text.remove_prefix(kPrefix.size());
        if (text.empty()) return fail(Reason::Truncated, "nothing after the prefix");
        Base45Error why = Base45Error::None;
        std::optional<Bytes> packed = base45_decode(text, &why);
        if (!packed)
            return why == Base45Error::CutOff
                       ? fail(Reason::Truncated, "the base45 text ends mid-group")
                       : fail(Reason::NotACredential, "not base45");
        Reason reason = Reason::None;
        std::optional<Bytes> cose = inflate_bounded(*packed, reason);
        if (!cose) return fail(reason, "the compressed data does not inflate");

        // Tag 18 is one byte, 0xD2. Read here: Debian's libcbor 0.8 refuses tags 6 to 20 in
        // its decoder ("unassigned"), though it writes them.
        if (cose->empty() || cose->front() != kCoseSign1TagByte)
            return fail(Reason::Malformed, "not a tagged COSE_Sign1");
        Item sign1 = load(std::span(*cose).subspan(1), reason);
        if (!sign1) return fail(reason == Reason::None ? Reason::Malformed : reason, "not CBOR");
        if (!cbor_isa_array(sign1.get()) || !cbor_array_is_definite(sign1.get()) ||
            cbor_array_size(sign1.get()) != 4)
            return fail(Reason::Malformed, "a COSE_Sign1 is an array of four");
        cbor_item_t** parts = cbor_array_handle(sign1.get());
        std::optional<Bytes> protected_bytes = read_bytes(parts[0]);
        std::optional<Bytes> payload = read_bytes(parts[2]);
        std::optional<Bytes> signature = read_bytes(parts[3]);
        if (!protected_bytes || !payload || !signature || signature->size() != 64 ||
            !cbor_isa_map(parts[1]) || cbor_map_size(parts[1]) != 0)
            return fail(Reason::Malformed,
                        "the COSE_Sign1's parts are not as this format has them");

        // Protected header: exactly {1: -8, 4: kid}.
        Item header = load(*protected_bytes, reason);
        if (!header || !cbor_isa_map(header.get()) || cbor_map_size(header.get()) != 2)
            return fail(Reason::Malformed, "the protected header is not {alg, kid}");
        std::optional<std::int64_t> alg;
        std::optional<Bytes> kid;
        cbor_pair* pairs = cbor_map_handle(header.get());
        for (std::size_t i = 0; i < 2; ++i) {
            std::optional<std::int64_t> label = read_int(pairs[i].key);
            if (label == 1 && !alg)
                alg = read_int(pairs[i].value);
            else if (label == 4 && !kid)
                kid = read_bytes(pairs[i].value);
            else
                return fail(Reason::Malformed, "the protected header is not {alg, kid}");
        }
        if (alg != kEdDsa) return fail(Reason::Malformed, "the algorithm is not EdDSA");
        if (!kid || kid->size() != kKidBytes)
            return fail(Reason::Malformed, "the kid is not 8 bytes");
        d.kid = hex(*kid);

        // The claims.
        Item claims = load(*payload, reason);
        if (!claims || !cbor_isa_map(claims.get()))
            return fail(Reason::Malformed, "the payload is not a claims map");
        bool seen_iss = false, seen_sub = false, seen_iat = false, seen_cti = false,
             seen_type = false, seen_achievement = false, seen_centre = false, seen_exp = false;
        cbor_pair* claim = cbor_map_handle(claims.get());
        for (std::size_t i = 0; i < cbor_map_size(claims.get()); ++i) {
            std::optional<std::int64_t> label = read_int(claim[i].key);
            const cbor_item_t* value = claim[i].value;
            auto text_claim = [&](bool& seen, std::string& out, std::size_t max) {
                std::optional<std::string> t = read_text(value, max);
                if (seen || !t || t->empty()) return false;
                seen = true;
                out = std::move(*t);
                return true;
            };
            auto date_claim = [&](bool& seen, std::string& out) {
                std::optional<std::int64_t> seconds = read_int(value);
                std::optional<std::string> day =
                    seconds ? from_numeric_date(*seconds) : std::nullopt;
                if (seen || !day) return false;
                seen = true;
                out = std::move(*day);
                return true;
            };
            bool ok = false;
            if (label == kIss)
                ok = text_claim(seen_iss, d.claims.issuer, kMaxFieldBytes);
            else if (label == kSub)
                ok = text_claim(seen_sub, d.claims.subject, kMaxSubjectChars * 4) &&
                     utf8::count(d.claims.subject) <= kMaxSubjectChars;
            else if (label == kType)
                ok = text_claim(seen_type, d.claims.type, kMaxFieldBytes);
            else if (label == kCentre)
                ok = text_claim(seen_centre, d.claims.centre, kMaxFieldBytes);
            else if (label == kIat)
                ok = date_claim(seen_iat, d.claims.issued);
            else if (label == kExp)
                ok = date_claim(seen_exp, d.claims.expires);
            else if (label == kCti) {
                std::optional<Bytes> id = read_bytes(value);
                ok = !seen_cti && id && id->size() == kIdBytes;
                if (ok) d.claims.id = hex(*id);
                seen_cti = true;
            } else if (label == kAchievement) {
                std::optional<json> a = cbor_isa_map(value) ? to_json(value) : std::nullopt;
                ok = !seen_achievement && a && a->dump().size() <= kMaxAchievementBytes;
                if (ok) d.claims.achievement = std::move(*a);
                seen_achievement = true;
            }
            if (!ok)
                return fail(Reason::Malformed,
                            fmt::format("claim {} is unknown, repeated or malformed",
                                        label ? std::to_string(*label) : std::string("?")));
        }
        if (!seen_iss || !seen_sub || !seen_iat || !seen_cti || !seen_type || !seen_achievement ||
            !seen_centre)
            return fail(Reason::Malformed, "a claim this format requires is missing");

        Item to_sign(must(cbor_new_definite_array(4)));
        push(to_sign.get(), build_text("Signature1"));
        push(to_sign.get(), build_bytes(*protected_bytes));
        push(to_sign.get(), build_bytes({}));
        push(to_sign.get(), build_bytes(*payload));
        d.signed_bytes = serialize(to_sign.get());
        std::copy(signature->begin(), signature->end(), d.signature.begin());
        return d;
    } catch (const std::exception& e) {
        return fail(Reason::Malformed, e.what());
    }
}

bool signature_valid(const Decoded& d, const std::array<std::uint8_t, 32>& key) {
    if (d.reason != Reason::None || sodium_init() < 0) return false;
    return crypto_sign_verify_detached(d.signature.data(), d.signed_bytes.data(),
                                       d.signed_bytes.size(), key.data()) == 0;
}

Verdict check(std::string_view scanned, const TrustSource& trust, std::string_view today) {
    try {
        std::optional<std::string> text = extract_text(scanned);
        if (!text)
            return verdict(Status::Invalid, Reason::NotACredential, "no SB1: credential text");
        Decoded d = decode(*text);
        if (d.reason != Reason::None) return verdict(Status::Invalid, d.reason, d.detail);
        if (!trust.has_list)
            return verdict(Status::UnknownIssuer, Reason::NoTrustList,
                           "no trust list has been received yet");
        std::optional<TrustEntry> entry = trust.entry ? trust.entry(d.kid) : std::nullopt;
        if (!entry)
            return verdict(Status::UnknownIssuer, Reason::UnknownKey,
                           fmt::format("key {} is not in the trust list", d.kid));
        if (!signature_valid(d, entry->public_key))
            return verdict(Status::Invalid, Reason::BadSignature,
                           "the signature does not match the content");
        if (d.claims.issuer != entry->device || d.claims.centre != entry->centre)
            return verdict(Status::Invalid, Reason::Malformed,
                           fmt::format("signed by key {} of device {}, but names another issuer",
                                       d.kid, entry->device));
        Verdict v;
        v.claims = d.claims;
        if (!entry->revoked_at.empty()) {
            v.status = Status::Revoked;
            v.reason = Reason::KeyRevoked;
            v.detail = fmt::format("device {} was revoked at {}", entry->device, entry->revoked_at);
        } else if (trust.revoked && trust.revoked(d.claims.id)) {
            v.status = Status::Revoked;
            v.reason = Reason::CredentialRevoked;
            v.detail = fmt::format("credential {} was revoked", d.claims.id);
        } else if (!d.claims.expires.empty() && today > std::string_view(d.claims.expires)) {
            v.status = Status::Expired;
            v.reason = Reason::Expired;
            v.detail = fmt::format("expired after {}", d.claims.expires);
        } else {
            v.status = Status::Valid;
        }
        return v;
    } catch (const std::exception& e) {
        return verdict(Status::Invalid, Reason::Malformed, e.what());
    }
}

}  // namespace seba::credentials

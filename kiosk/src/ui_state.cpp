// SPDX-License-Identifier: Apache-2.0
#include "seba/ui/ui_state.hpp"

#include <sodium.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "seba/ui/i18n.hpp"
#include "seba/ui/text_breaks.hpp"
#include "seba/utf8.hpp"

namespace seba::ui {

namespace {

constexpr std::size_t kInitialCapacity = 256;
constexpr std::size_t kTreeCapacity = 2048;

void zero(std::string& s) {
    sodium_memzero(s.data(), s.size());
}

}  // namespace

// [SECTION] SecretText

SecretText::SecretText() : bytes_(kInitialCapacity, '\0') {
}

SecretText::~SecretText() {
    wipe();
}

SecretText::SecretText(SecretText&& other) noexcept
    : bytes_(std::move(other.bytes_)), size_(std::exchange(other.size_, 0)) {
}

SecretText& SecretText::operator=(SecretText&& other) noexcept {
    if (this != &other) {
        wipe();
        bytes_ = std::move(other.bytes_);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

std::size_t SecretText::chars() const {
    return utf8::count(view());
}

void SecretText::append(std::string_view utf8) {
    insert(size_, utf8);
}

void SecretText::insert(std::size_t at, std::string_view utf8) {
    at = std::min(at, size_);
    if (size_ + utf8.size() > bytes_.size()) {
        // Grow by copying, then zero the old buffer before it is freed.
        std::vector<char> bigger(std::max(bytes_.size() * 2, size_ + utf8.size()), '\0');
        std::copy_n(bytes_.begin(), size_, bigger.begin());
        sodium_memzero(bytes_.data(), bytes_.size());
        bytes_.swap(bigger);
    }
    auto begin = bytes_.begin();
    auto offset = [](std::size_t n) { return static_cast<std::ptrdiff_t>(n); };
    std::copy_backward(begin + offset(at), begin + offset(size_),
                       begin + offset(size_ + utf8.size()));
    std::copy(utf8.begin(), utf8.end(), begin + offset(at));
    size_ += utf8.size();
}

void SecretText::erase(std::size_t begin, std::size_t end) {
    end = std::min(end, size_);
    begin = std::min(begin, end);
    auto first = bytes_.begin();
    auto offset = [](std::size_t n) { return static_cast<std::ptrdiff_t>(n); };
    std::copy(first + offset(end), first + offset(size_), first + offset(begin));
    const std::size_t removed = end - begin;
    sodium_memzero(bytes_.data() + (size_ - removed), removed);
    size_ -= removed;
}

void SecretText::pop_back() {
    erase(utf8::previous_boundary(view(), size_), size_);
}

void SecretText::wipe() {
    if (!bytes_.empty()) sodium_memzero(bytes_.data(), bytes_.size());
    size_ = 0;
}

// [SECTION] UiState

UiState::UiState() = default;

UiState::~UiState() {
    wipe();
}

SecretText& UiState::field(std::string_view id) {
    auto it = fields_.find(id);
    if (it == fields_.end()) it = fields_.emplace(std::string(id), SecretText()).first;
    return it->second;
}

const SecretText* UiState::find_field(std::string_view id) const {
    auto it = fields_.find(id);
    return it == fields_.end() ? nullptr : &it->second;
}

void UiState::focus(std::string_view id, const FieldSpec& spec) {
    if (focused_ != id) {
        if (!focused_.empty()) left_.insert(focused_);
        focused_ = id;
        const SecretText* text = find_field(id);
        cursor_ = text ? text->view().size() : 0;
    }
    focused_spec_ = spec;
}

void UiState::blur() {
    if (!focused_.empty()) left_.insert(focused_);
    focused_.clear();
    cursor_ = 0;
}

std::size_t UiState::cursor() const {
    const SecretText* text = focused_.empty() ? nullptr : find_field(focused_);
    if (!text) return 0;
    std::string_view typed = text->view();
    return utf8::floor_boundary(typed, cursor_);
}

bool UiState::move_cursor(int graphemes) {
    if (focused_.empty()) return false;
    std::string_view typed = field(focused_).view();
    const std::size_t from = cursor();
    std::size_t at = from;
    for (int i = 0; i < graphemes && at < typed.size(); ++i) at = next_grapheme(typed, at);
    for (int i = 0; i > graphemes && at > 0; --i) at = previous_grapheme(typed, at);
    cursor_ = at;
    return at != from;
}

void UiState::cursor_to_end() {
    const SecretText* text = focused_.empty() ? nullptr : find_field(focused_);
    cursor_ = text ? text->view().size() : 0;
}

bool UiState::insert(std::string_view utf8) {
    if (focused_.empty()) return false;
    SecretText& text = field(focused_);
    std::string typed(utf8);
    switch (focused_spec_.kind) {
        case FieldKind::Number:
        case FieldKind::Pin:
        case FieldKind::Phone:
        case FieldKind::Date: {
            std::string ascii = ascii_digits(typed);
            std::string kept;
            kept.reserve(ascii.size());  // no reallocation leaves a copy behind
            for (char c : ascii) {
                bool digit = c >= '0' && c <= '9';
                bool allowed = digit ||
                               (focused_spec_.kind == FieldKind::Phone && c == '+' &&
                                text.empty() && kept.empty()) ||
                               (focused_spec_.kind == FieldKind::Date && (c == '-' || c == '.'));
                if (allowed) kept.push_back(c);
            }
            zero(ascii);
            zero(typed);
            typed = std::move(kept);
            break;
        }
        default:
            break;
    }
    // As many whole code points as max_chars leaves room for.
    const std::size_t chars = text.chars();
    const std::size_t room = focused_spec_.max_chars > chars ? focused_spec_.max_chars - chars : 0;
    const std::size_t length = utf8::first_code_points(typed, room).size();
    const std::size_t at = cursor();
    text.insert(at, std::string_view(typed).substr(0, length));
    cursor_ = at + length;
    zero(typed);
    return true;
}

bool UiState::backspace() {
    if (focused_.empty()) return false;
    SecretText& text = field(focused_);
    const std::size_t at = cursor();
    const std::size_t begin = previous_grapheme(text.view(), at);
    text.erase(begin, at);
    cursor_ = begin;
    return true;
}

void UiState::begin_frame() {
    for (Node& n : tree_) {
        zero(n.value);
        zero(n.label);
    }
    tree_.clear();
    // Reserved up front: a reallocation would free the old nodes' short strings (field text
    // included) without zeroing them.
    tree_.reserve(kTreeCapacity);
}

void UiState::truncate_tree(std::size_t size) {
    for (std::size_t i = size; i < tree_.size(); ++i) {
        zero(tree_[i].value);
        zero(tree_[i].label);
    }
    if (size < tree_.size())
        tree_.erase(tree_.begin() + static_cast<std::ptrdiff_t>(size), tree_.end());
}

const Node* UiState::node(std::string_view id) const {
    for (const Node& n : tree_)
        if (n.id == id) return &n;
    return nullptr;
}

std::vector<std::string> UiState::ids() const {
    std::vector<std::string> out;
    for (const Node& n : tree_)
        if (!n.id.empty()) out.push_back(n.id);
    return out;
}

nlohmann::json UiState::tree_json() const {
    nlohmann::json out = nlohmann::json::array();
    for (const Node& n : tree_) {
        nlohmann::json j = {{"role", to_string(n.role)},
                            {"id", n.id},
                            {"label", n.label},
                            {"enabled", n.enabled},
                            {"depth", n.depth}};
        if (!n.value.empty()) j["value"] = n.value;
        if (!n.error.empty()) j["error"] = n.error;
        if (n.focused) j["focused"] = true;
        if (!n.icon.empty()) j["icon"] = n.icon;
        if (n.role == Role::Button) j["style"] = to_string(n.style);
        if (n.elided) j["elided"] = true;
        if (!n.box.empty()) j["box"] = {n.box.x, n.box.y, n.box.width, n.box.height};
        out.push_back(std::move(j));
    }
    return out;
}

void UiState::turn_page() {
    ++page_;
    scroll_target_.clear();
    forms_.clear();
    left_.clear();
    said_.clear();
}

UiState::Form& UiState::form(std::string_view id) {
    auto it = forms_.find(id);
    if (it == forms_.end()) it = forms_.emplace(std::string(id), Form{}).first;
    return it->second;
}

void UiState::say(std::string_view text) {
    if (read_aloud && !text.empty()) speech_.emplace_back(text);
}

void UiState::say_asked(std::string_view text) {
    if (!text.empty()) speech_.emplace_back(text);
}

void UiState::say_once(std::string_view text) {
    if (!read_aloud || text.empty() || said_.count(text)) return;
    said_.emplace(text);
    speech_.emplace_back(text);
}

std::vector<std::string> UiState::take_speech() {
    return std::exchange(speech_, {});
}

void UiState::wipe() {
    // Error messages and what was to be said may quote what the citizen typed.
    for (auto& [id, f] : forms_)
        for (Problem& p : f.problems) zero(p.error);
    for (std::string& s : speech_) zero(s);
    speech_.clear();
    turn_page();
    requested_focus_.clear();
    read_aloud = false;
    for (auto& [id, text] : fields_) text.wipe();
    fields_.clear();  // each SecretText zeroes again as it is destroyed
    focused_.clear();
    cursor_ = 0;
    pending_tap_.clear();
    begin_frame();
    ++sessions_wiped_;
}

bool UiState::has_typed_text() const {
    for (const auto& [id, text] : fields_)
        if (!text.empty()) return true;
    return false;
}

bool UiState::all_fields_zeroed() const {
    for (const auto& [id, text] : fields_)
        for (char c : text.buffer())
            if (c != '\0') return false;
    return true;
}

}  // namespace seba::ui

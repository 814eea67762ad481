#include "seba/ui/ui_state.hpp"

#include <sodium.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "seba/ui/i18n.hpp"

namespace seba::ui {

namespace {

constexpr std::size_t kInitialCapacity = 256;
constexpr std::size_t kTreeCapacity = 2048;

bool is_continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

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
    return static_cast<std::size_t>(
        std::count_if(bytes_.begin(), bytes_.begin() + static_cast<std::ptrdiff_t>(size_),
                      [](char c) { return !is_continuation(c); }));
}

void SecretText::append(std::string_view utf8) {
    if (size_ + utf8.size() > bytes_.size()) {
        // Grow by copying, then zero the old buffer before it is freed.
        std::vector<char> bigger(std::max(bytes_.size() * 2, size_ + utf8.size()), '\0');
        std::copy_n(bytes_.begin(), size_, bigger.begin());
        sodium_memzero(bytes_.data(), bytes_.size());
        bytes_.swap(bigger);
    }
    std::copy(utf8.begin(), utf8.end(), bytes_.begin() + static_cast<std::ptrdiff_t>(size_));
    size_ += utf8.size();
}

void SecretText::pop_back() {
    while (size_ > 0) {
        char c = bytes_[--size_];
        bytes_[size_] = '\0';
        if (!is_continuation(c)) break;
    }
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
    focused_ = id;
    focused_spec_ = spec;
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
    // Append one code point at a time so max_chars is honoured exactly.
    for (std::size_t i = 0; i < typed.size() && text.chars() < focused_spec_.max_chars;) {
        std::size_t n = 1;
        while (i + n < typed.size() && is_continuation(typed[i + n])) ++n;
        text.append(std::string_view(typed).substr(i, n));
        i += n;
    }
    zero(typed);
    return true;
}

bool UiState::backspace() {
    if (focused_.empty()) return false;
    field(focused_).pop_back();
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
        out.push_back(std::move(j));
    }
    return out;
}

void UiState::wipe() {
    for (auto& [id, text] : fields_) text.wipe();
    fields_.clear();  // each SecretText zeroes again as it is destroyed
    focused_.clear();
    pending_tap_.clear();
    begin_frame();
}

bool UiState::all_fields_zeroed() const {
    for (const auto& [id, text] : fields_)
        for (char c : text.buffer())
            if (c != '\0') return false;
    return true;
}

}  // namespace seba::ui

// SPDX-License-Identifier: Apache-2.0
#include "event_payload.hpp"

#include <algorithm>

namespace seba::server::payload {

bool is_lower_hex(std::string_view s, std::size_t length) {
    return s.size() == length && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

bool is_id(std::string_view s, std::string_view punctuation) {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [&](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               punctuation.find(c) != std::string_view::npos;
    });
}

const std::string& text(const nlohmann::json& p, const char* key) {
    auto f = p.find(key);
    if (f == p.end() || !f->is_string()) throw Unreadable{std::string(key) + " is missing"};
    return f->get_ref<const std::string&>();
}

std::string text(const nlohmann::json& p, const char* key, std::size_t max_bytes) {
    auto f = p.find(key);
    if (f == p.end() || !f->is_string() || f->get_ref<const std::string&>().size() > max_bytes)
        throw Unreadable{std::string(key) + " is missing or too long"};
    return f->get<std::string>();
}

std::int64_t integer(const nlohmann::json& p, const char* key, std::int64_t low,
                     std::int64_t high) {
    auto f = p.find(key);
    if (f == p.end() || !f->is_number_integer() || f->get<std::int64_t>() < low ||
        f->get<std::int64_t>() > high)
        throw Unreadable{std::string(key) + " is missing or out of range"};
    return f->get<std::int64_t>();
}

bool flag(const nlohmann::json& p, const char* key) {
    auto f = p.find(key);
    if (f == p.end() || !f->is_boolean()) throw Unreadable{std::string(key) + " is not true/false"};
    return f->get<bool>();
}

}  // namespace seba::server::payload

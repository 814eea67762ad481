// SPDX-License-Identifier: Apache-2.0
#pragma once

/// What a plugin's SQL goes through: prepared statements and schema steps. The connection
/// itself (seba/storage.hpp) is the host's.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "seba/export.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace seba {

/// A prepared statement. Move-only; bind indexes start at 1, column indexes at 0.
/// Must not outlive its Database.
class SEBA_API Statement {
  public:
    Statement() = default;
    Statement(sqlite3_stmt* stmt, sqlite3* db);
    /// A statement lent from a connection's cache: reset and handed back when destroyed.
    Statement(sqlite3_stmt* stmt, sqlite3* db, bool* lent);
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, std::span<const std::uint8_t> blob);
    Statement& bind(int index, std::nullptr_t);

    /// Binds every argument in order, from index 1.
    template <typename... Args>
    Statement& bind_all(const Args&... args) {
        int index = 0;
        (bind(++index, args), ...);
        return *this;
    }

    /// Advances; true while a row is available.
    bool step();
    /// Steps to completion (for statements that return no rows).
    void run();
    void reset();

    bool is_null(int column) const;
    std::int64_t integer(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::vector<std::uint8_t> blob(int column) const;

  private:
    void release() noexcept;
    sqlite3_stmt* stmt_ = nullptr;
    sqlite3* db_ = nullptr;
    bool* lent_ = nullptr;  // set while lent from a cache: cleared when handed back
};

/// One schema step. Versions of a namespace start at 1 and go up by one.
struct Migration {
    int version;
    const char* name;
    const char* sql;
};

}  // namespace seba

// SPDX-License-Identifier: Apache-2.0
#pragma once
// The store the server tests run on: SQLite (a file in the test's folder), or, with
// SEBA_TEST_STORE=postgresql, PostgreSQL (a database of its own on one real PostgreSQL 15 that
// this test process starts when it first needs it and stops at exit). The protocol suite runs
// on both (server/CMakeLists.txt, the server_tests.pg.* entries).
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "seba/server/store.hpp"

namespace seba::testing {

using seba::server::Store;

/// True when SEBA_TEST_STORE=postgresql.
bool on_postgres();

/// The store under test for `dir`: opening it again for the same folder reopens the same data
/// (the SQLite file dir/"server.db", or the same PostgreSQL database), as a restarted server.
std::unique_ptr<Store> open_test_store(const std::filesystem::path& dir);

/// seba-server.toml's lines that open the test store for `dir` (a `[server]` table naming the
/// SQLite file, or `[store]` and `[postgresql]` with a password file written beside): for
/// tests that run the real seba-server binary on the store they filled.
std::string test_store_config(const std::filesystem::path& dir);

/// Rows of a query of `columns` columns on the test store's database, each value as text (""
/// for NULL; flags as "1"/"0" on both stores): for tests that look at what the store keeps,
/// below the interface.
std::vector<std::vector<std::string>> query_test_store(const std::filesystem::path& dir,
                                                       const std::string& sql, int columns);

/// Runs SQL on the test store's database (to make a state the interface cannot reach).
void exec_test_store(const std::filesystem::path& dir, const std::string& sql);

/// Holds the test store's writers off until release() (SQLite: BEGIN IMMEDIATE on its file;
/// PostgreSQL: the nonces' table, which every push writes, locked against writes): to keep
/// pushes in flight.
class StoreWriteLock {
  public:
    explicit StoreWriteLock(const std::filesystem::path& dir);
    ~StoreWriteLock();
    StoreWriteLock(const StoreWriteLock&) = delete;
    StoreWriteLock& operator=(const StoreWriteLock&) = delete;
    void release();

  private:
    struct Held;
    std::unique_ptr<Held> held_;
};

}  // namespace seba::testing

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <stdexcept>
#include <string>

#include "seba/export.hpp"

namespace seba {

/// Every error Seba raises on purpose. The message is whole: it names the file or key
/// involved, what is wrong, and what to do next, so callers can show it as it is.
class SEBA_API Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// A configuration file or value is invalid. Names the file and the key.
class SEBA_API ConfigError : public Error {
  public:
    using Error::Error;
};

/// The database could not be opened, migrated or written. Names the file.
class SEBA_API StorageError : public Error {
  public:
    explicit StorageError(const std::string& what, int sqlite_code = 0, int system_errno = 0)
        : Error(what), sqlite_code_(sqlite_code), system_errno_(system_errno) {}

    /// SQLite's extended result code (SQLITE_FULL, SQLITE_IOERR_WRITE...); 0 when the error
    /// is Seba's own (a migration edited after it was applied...).
    int sqlite_code() const { return sqlite_code_; }
    /// The system's errno behind it (ENOSPC, EFBIG, EIO...); 0 when there was none.
    int system_errno() const { return system_errno_; }
    /// The disk or the file refused to take a write, or to be read: no space, a file size
    /// limit, an I/O error, a read-only or damaged file. Not the caller's SQL.
    bool disk_trouble() const;
    /// No room to write: SQLITE_FULL, or ENOSPC, EDQUOT or EFBIG from the system.
    bool out_of_space() const;

  private:
    int sqlite_code_ = 0;
    int system_errno_ = 0;
};

namespace sealing {
/// The kiosk has no server key yet (never enrolled): nothing that must be sealed can be
/// stored. The message says what to do, for the operator.
class SEBA_API NoServerKey : public Error {
  public:
    using Error::Error;
};

}  // namespace sealing

}  // namespace seba

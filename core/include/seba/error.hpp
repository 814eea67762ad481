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
    using Error::Error;
};

}  // namespace seba

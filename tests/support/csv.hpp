// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace seba::testing {

/// The rows of an RFC 4180 CSV file as the shipped datasets write them (one record a line):
/// quoted fields may hold commas ("জি,এম, হাট") and doubled quotes; a UTF-8 byte-order mark and
/// CR line ends are dropped. Fails the test when the file cannot be read.
std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& file);

}  // namespace seba::testing

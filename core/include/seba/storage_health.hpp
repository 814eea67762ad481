// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "seba/export.hpp"

/// Resources running out: a full disk, a database whose writes fail or that cannot be opened.
/// The kiosk starts and runs on with them, tells the citizen it cannot take requests, tells
/// the operator why, and takes requests again when the cause is gone (docs/operator-guide.md,
/// "When the disk is full").
namespace seba {

/// Room to write on the filesystem that holds `dir` (or its nearest existing parent): what
/// statvfs says an unprivileged user may still write, capped by this process's file size
/// limit (RLIMIT_FSIZE, systemd's LimitFSIZE=) when it has one. Two system calls and no
/// write, so it is cheap to ask often. nullopt when the filesystem cannot be asked.
struct DiskRoom {
    std::uint64_t free_bytes = 0;    ///< the smaller of the two
    bool limited_by_rlimit = false;  ///< the file size limit, not the disk, is the smaller
};
SEBA_API std::optional<DiskRoom> disk_room(const std::filesystem::path& dir);

/// Why the kiosk cannot take requests now. Empty (kind None) while it can.
struct StorageTrouble {
    enum class Kind {
        None,
        DiskFull,     ///< less room than `needed_bytes` (kiosk.min_free_mb)
        CannotWrite,  ///< a write failed for another reason (an I/O error, a read-only file)
        CannotOpen,   ///< the database cannot be opened (missing folder, damaged file...)
    };
    Kind kind = Kind::None;
    std::filesystem::path data_dir;
    std::uint64_t free_bytes = 0;    ///< DiskFull: the room there is
    std::uint64_t needed_bytes = 0;  ///< DiskFull: the least the kiosk needs
    bool limited_by_rlimit = false;  ///< DiskFull: the room is the process's file size limit
    std::string reason;              ///< CannotWrite, CannotOpen: SQLite's or the system's words

    explicit operator bool() const { return kind != Kind::None; }
    bool operator==(const StorageTrouble&) const = default;

    /// One line in plain words for standard error and the journal, e.g. "the disk holding
    /// /var/lib/seba-kiosk is full (0 bytes free; needs at least 100 MiB): the kiosk cannot
    /// take requests until space is freed"; for None, the room: "2.1 GiB free in /var/...".
    SEBA_API std::string describe() const;
};

/// A size as people say it: "0 bytes", "12 KiB", "100 MiB", "1.5 GiB".
SEBA_API std::string human_size(std::uint64_t bytes);

/// A write (or read) that the disk or the file refused (StorageError::disk_trouble), as every
/// connection in this process records it: the host learns of a plugin's or the sync's failed
/// writes without each caller having to tell it.
struct WriteFailure {
    std::uint64_t serial = 0;  ///< goes up with each failure in the process; 0: none yet
    int sqlite_code = 0;
    int system_errno = 0;
    std::string message;
    bool out_of_space = false;  ///< no room (SQLITE_FULL, ENOSPC, EDQUOT, EFBIG)
};

/// The last failure on the database `file`, if any. `file` as std::filesystem::
/// weakly_canonical gives it (absolute, links resolved): the lookup itself makes no system call.
SEBA_API std::optional<WriteFailure> last_write_failure(const std::filesystem::path& file);

}  // namespace seba

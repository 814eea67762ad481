#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seba/error.hpp"

/// What seba-server keeps: centres, enrollment codes, devices, seen nonces and the events
/// kiosks pushed. An interface, so that a PostgreSQL store can join the SQLite one.
namespace seba::server {

using Clock = std::chrono::system_clock;

struct Device {
    std::string id;      ///< assigned by the server at enrollment ("dev-" + 16 hex)
    std::string centre;  ///< the centre it acts for
    std::array<std::uint8_t, 32> public_key{};
    bool revoked = false;
};

struct StoredEvent {
    std::string device;
    std::string centre;
    std::string uuid;
    std::string type;
    std::string payload;  ///< JSON text as the kiosk sent it
    std::string received_at;
};

/// Why an enrollment was refused; the message says it to the person enrolling.
class EnrollError : public Error {
  public:
    using Error::Error;
};

enum class PushOutcome {
    Accepted,   ///< new: stored
    Duplicate,  ///< (device, uuid) seen before with the same content: success, not stored again
    Conflict,   ///< (device, uuid) seen before with different content: refused
};

class Store {
  public:
    virtual ~Store() = default;

    /// Throws seba::Error if the id exists or is not [A-Za-z0-9._-]{1,64}.
    virtual void create_centre(std::string_view id, std::string_view name) = 0;
    virtual bool centre_exists(std::string_view id) = 0;
    /// A single-use code (10 characters from an alphabet without look-alikes, e.g.
    /// "K7QP-2M9XW" shown with a dash), valid for `valid_for` from `now`. Only its hash is
    /// stored. Throws seba::Error for an unknown centre.
    virtual std::string create_enrollment_code(std::string_view centre,
                                               std::chrono::seconds valid_for,
                                               Clock::time_point now) = 0;
    /// Binds a new device with `public_key` to the code's centre and uses the code up.
    /// Throws EnrollError: unknown code, already used, expired, or a key already enrolled.
    virtual Device enroll(std::string_view code, const std::array<std::uint8_t, 32>& public_key,
                          Clock::time_point now) = 0;
    virtual std::optional<Device> device(std::string_view id) = 0;
    /// Throws seba::Error for an unknown device.
    virtual void revoke(std::string_view device_id) = 0;
    /// Records a request nonce; false when this device used it before (a replay). Nonces
    /// older than `keep_since` may be forgotten.
    virtual bool remember_nonce(std::string_view device_id, std::string_view nonce,
                                Clock::time_point now, Clock::time_point keep_since) = 0;
    /// Stores an event once per (device, uuid), forever.
    virtual PushOutcome push_event(const StoredEvent& event) = 0;
    /// The same for a request's whole batch, committed together; outcomes in order.
    virtual std::vector<PushOutcome> push_events(const std::vector<StoredEvent>& events) = 0;
    virtual std::vector<StoredEvent> events(std::string_view centre) = 0;
    virtual std::int64_t event_count() = 0;
};

/// The SQLite store (WAL, synchronous=FULL). Throws seba::StorageError naming the file.
std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& file);

}  // namespace seba::server

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace seba::testing {

/// A TCP proxy on loopback that sits between a client and a server and, per request,
/// passes traffic or injures it: drops the reply after the server got the request (a lost
/// reply), resets the connection at once, stalls the reply, or garbles its bytes. Faults
/// are drawn from a seeded generator, so a failing run can be replayed.
class FaultProxy {
  public:
    /// Hold: the server gets the request, and its reply is held back until the server goes
    /// away (a test kills it), then the client's connection is reset: a server that died with
    /// a request in flight.
    enum class Fault { None, LoseReply, Reset, Stall, Garble, Hold };

    FaultProxy(int upstream_port, std::uint32_t seed, double fault_rate);
    /// The same fault for every request that starts with `request_start` (e.g. every reply
    /// to "POST /v1/events" lost), or for the first `times` of them; other requests pass.
    FaultProxy(int upstream_port, Fault every, std::string request_start = {}, int times = -1);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    int port() const { return port_; }
    /// How many connections got each fault so far (index: Fault).
    std::vector<int> faults_seen() const;

  private:
    void accept_loop();
    void serve(int client);
    Fault draw(std::string_view request);

    int upstream_port_;
    int listener_ = -1;
    int port_ = 0;
    double fault_rate_;
    Fault every_ = Fault::None;  // when set, no draw: this fault for requests starting with
    std::string request_start_;  // this
    int times_ = -1;             // at most this many times (-1: always)
    std::mt19937 random_;
    mutable std::mutex mutex_;
    std::vector<int> counts_ = std::vector<int>(6, 0);
    std::atomic<bool> stopping_{false};
    std::thread acceptor_;
    std::vector<std::thread> connections_;
};

}  // namespace seba::testing

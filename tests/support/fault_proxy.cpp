// SPDX-License-Identifier: Apache-2.0
#include "fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace seba::testing {

namespace {

int connect_loopback(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

void reset(int fd) {
    linger hard{1, 0};  // close with RST, as a crashed middlebox would
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    ::close(fd);
}

}  // namespace

FaultProxy::FaultProxy(int upstream_port, std::uint32_t seed, double fault_rate)
    : upstream_port_(upstream_port), fault_rate_(fault_rate), random_(seed) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int on = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 64) != 0)
        throw std::runtime_error("fault proxy: cannot listen");
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

FaultProxy::FaultProxy(int upstream_port, Fault every, std::string request_start, int times)
    : FaultProxy(upstream_port, 0, 1.0) {
    std::lock_guard lock(mutex_);  // the acceptor runs already
    every_ = every;
    request_start_ = std::move(request_start);
    times_ = times;
}

FaultProxy::~FaultProxy() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    acceptor_.join();
    for (std::thread& t : connections_) t.join();
}

std::vector<int> FaultProxy::faults_seen() const {
    std::lock_guard lock(mutex_);
    return counts_;
}

FaultProxy::Fault FaultProxy::draw(std::string_view request) {
    std::lock_guard lock(mutex_);
    std::uniform_real_distribution<double> chance(0.0, 1.0);
    Fault fault = Fault::None;
    if (every_ != Fault::None) {
        if (request.starts_with(request_start_) && times_ != 0) {
            fault = every_;
            if (times_ > 0) --times_;
        }
    } else if (chance(random_) < fault_rate_)
        fault = static_cast<Fault>(1 + std::uniform_int_distribution<int>(0, 3)(random_));
    ++counts_[static_cast<std::size_t>(fault)];
    return fault;
}

void FaultProxy::accept_loop() {
    while (!stopping_) {
        int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) return;
        connections_.emplace_back([this, client] { serve(client); });
    }
}

// Faults are drawn per request, not per connection: the client reuses its connection.
void FaultProxy::serve(int client) {
    int server = connect_loopback(upstream_port_);
    if (server < 0) return reset(client);
    char buffer[16384];
    Fault fault = Fault::None;
    bool replying = true;  // a new request starts a new exchange
    for (;;) {
        pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
        if (::poll(fds, 2, 200) < 0 || stopping_) break;
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = ::read(client, buffer, sizeof buffer);
            if (n <= 0) break;
            if (replying) {
                fault = draw(std::string_view(buffer, static_cast<std::size_t>(n)));
                replying = false;
                if (fault == Fault::Reset) break;
            }
            if (::write(server, buffer, static_cast<std::size_t>(n)) != n) break;
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = ::read(server, buffer, sizeof buffer);
            if (n <= 0) break;
            replying = true;
            // The server has the request and answered; the client never hears it.
            if (fault == Fault::LoseReply) break;
            if (fault == Fault::Hold) continue;  // until the server's end: then a reset

            if (fault == Fault::Stall)
                for (int i = 0; i < 40 && !stopping_; ++i)
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
            if (fault == Fault::Garble)
                for (ssize_t i = 0; i < n; i += 7) buffer[i] = static_cast<char>(buffer[i] ^ 0x5A);
            if (::write(client, buffer, static_cast<std::size_t>(n)) != n) break;
        }
    }
    reset(client);
    ::close(server);
}

}  // namespace seba::testing

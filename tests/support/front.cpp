// SPDX-License-Identifier: Apache-2.0
#include "front.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "process.hpp"

namespace seba::testing {

namespace {

bool accepts(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
        text.replace(at, from.size(), to);
}

// The template's upstream line, once per backend, with its parameters (and a shorter
// fail_timeout when asked).
std::string upstream_lines(std::string config, const std::vector<int>& backend_ports,
                           int fail_timeout_s) {
    const std::size_t at = config.find("@BACKEND@");
    if (at == std::string::npos) throw std::runtime_error("the front's template has no @BACKEND@");
    const std::size_t start = config.rfind('\n', at) + 1;
    const std::size_t end = config.find('\n', at) + 1;
    std::string line = config.substr(start, end - start);
    if (fail_timeout_s > 0) {
        const std::size_t parameter = line.find("fail_timeout=");
        if (parameter == std::string::npos)
            throw std::runtime_error("the front's upstream line has no fail_timeout");
        const std::size_t value_end = line.find_first_of(" ;", parameter);
        line.replace(parameter, value_end - parameter,
                     "fail_timeout=" + std::to_string(fail_timeout_s) + "s");
    }
    std::string lines;
    for (int port : backend_ports) {
        std::string one = line;
        replace_all(one, "@BACKEND@", "127.0.0.1:" + std::to_string(port));
        lines += one;
    }
    config.replace(start, end - start, lines);
    return config;
}

}  // namespace

Front::Front(const std::filesystem::path& dir, int backend_port)
    : Front(dir, std::vector<int>{backend_port}) {
}

Front::Front(const std::filesystem::path& dir, const std::vector<int>& backend_ports,
             int fail_timeout_s)
    : dir_(dir) {
    if (backend_ports.empty()) throw std::runtime_error("a front needs at least one backend");
    std::filesystem::create_directories(dir);
    certificate_ = dir / "server.crt";
    ProcessResult cert = run_process(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=seba-test -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " +
        (dir / "server.key").string() + " -out " + certificate_.string());
    if (cert.exit_code != 0)
        throw std::runtime_error("openssl could not make a certificate: " + cert.output);

    std::ifstream in(SEBA_FRONT_TEMPLATE);
    std::stringstream text;
    text << in.rdbuf();
    std::string config = upstream_lines(text.str(), backend_ports, fail_timeout_s);
    port_ = free_loopback_port();
    replace_all(config, "@FRONT_LISTEN@", "127.0.0.1:" + std::to_string(port_));
    replace_all(config, "@CERT@", certificate_.string());
    replace_all(config, "@KEY@", (dir / "server.key").string());
    replace_all(config, "@STATE_DIR@", dir.string());
    replace_all(config, "@USER@", ::geteuid() == 0 ? "user root root;" : "");
    std::ofstream(dir / "nginx.conf") << config;

    const std::string conf = (dir / "nginx.conf").string();
    const std::string prefix = dir.string() + "/";
    const std::string log = (dir / "nginx.log").string();
    pid_ = ::fork();
    if (pid_ == 0) {
        int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        ::dup2(out, STDOUT_FILENO);
        ::dup2(out, STDERR_FILENO);
        ::execl(SEBA_NGINX, SEBA_NGINX, "-p", prefix.c_str(), "-c", conf.c_str(), "-e", "stderr",
                "-g", "daemon off;", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    for (int i = 0; i < 100 && !accepts(port_); ++i) {
        if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
            pid_ = -1;
            std::ifstream failure(log);
            std::stringstream why;
            why << failure.rdbuf();
            throw std::runtime_error("nginx did not start: " + why.str());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

std::string Front::log() const {
    std::ifstream in(dir_ / "nginx.log");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

Front::~Front() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
}

}  // namespace seba::testing

// seba-server: serves kiosks (`serve`) and is administered from the same binary
// (`admin ...`). One config file says where it listens and keeps its data.
#include <fmt/format.h>
#include <toml++/toml.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "seba/error.hpp"
#include "seba/logging.hpp"
#include "seba/server/http_server.hpp"
#include "seba/server/store.hpp"

namespace {

struct ServerConfig {
    seba::server::ServerOptions http;
    std::filesystem::path database;
    std::filesystem::path log_dir;
};

// [server] listen, port, database, threads, log_dir; relative paths from the file's folder.
ServerConfig load(const std::filesystem::path& file) {
    ServerConfig config;
    toml::table root;
    try {
        root = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw seba::ConfigError(fmt::format("{}:{}:{}: {}", file.string(), e.source().begin.line,
                                            e.source().begin.column, e.description()));
    }
    std::filesystem::path base = file.parent_path().empty() ? "." : file.parent_path();
    const toml::table* server = root["server"].as_table();
    if (!server) throw seba::ConfigError(file.string() + ": missing table [server]");
    for (const auto& [key, value] : *server) {
        std::string name(key.str());
        if (name == "listen" && value.is_string())
            config.http.host = value.as_string()->get();
        else if (name == "port" && value.is_integer() && value.as_integer()->get() >= 0 &&
                 value.as_integer()->get() <= 65535)
            config.http.port = static_cast<int>(value.as_integer()->get());
        else if (name == "threads" && value.is_integer() && value.as_integer()->get() >= 2 &&
                 value.as_integer()->get() <= 1024)
            config.http.threads = static_cast<int>(value.as_integer()->get());
        else if (name == "database" && value.is_string())
            config.database = base / value.as_string()->get();
        else if (name == "log_dir" && value.is_string())
            config.log_dir = base / value.as_string()->get();
        else
            throw seba::ConfigError(fmt::format(
                "{}: server.{} is unknown or has the wrong type (known: listen = \"host\", "
                "port = 0-65535, threads = 2-1024, database = \"file\", log_dir = \"dir\")",
                file.string(), name));
    }
    if (config.database.empty())
        throw seba::ConfigError(file.string() + ": missing key server.database");
    if (config.log_dir.empty()) config.log_dir = base / "logs";
    return config;
}

seba::server::HttpServer* g_server = nullptr;

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"seba-server: the central sync server for Seba kiosks"};
    std::string config_path = "seba-server.toml";
    app.add_option("-c,--config", config_path, "server configuration file")->capture_default_str();
    app.require_subcommand(1);
    auto* serve = app.add_subcommand("serve", "serve kiosks until stopped (SIGINT/SIGTERM)");
    auto* admin = app.add_subcommand("admin", "administer centres, codes, devices, events");
    admin->require_subcommand(1);
    std::string centre, name, device;
    int valid_hours = 24;
    auto* create_centre = admin->add_subcommand("create-centre", "add a centre");
    create_centre->add_option("centre", centre)->required();
    create_centre->add_option("name", name)->required();
    bool exist_ok = false;
    create_centre->add_flag("--exist-ok", exist_ok, "succeed if the centre is already there");
    auto* code = admin->add_subcommand("enroll-code", "make a single-use enrollment code");
    code->add_option("centre", centre)->required();
    code->add_option("--valid-hours", valid_hours)->capture_default_str();
    auto* revoke = admin->add_subcommand("revoke", "revoke a device");
    revoke->add_option("device", device)->required();
    auto* events = admin->add_subcommand("events", "list the events received for a centre");
    events->add_option("centre", centre)->required();
    CLI11_PARSE(app, argc, argv);

    try {
        ServerConfig config = load(config_path);
        seba::logging::init(config.log_dir, "info", /*to_stderr=*/static_cast<bool>(*serve));
        std::unique_ptr<seba::server::Store> store =
            seba::server::open_sqlite_store(config.database);
        if (*serve) {
            seba::server::HttpServer server(*store, config.http);
            int port = server.bind();
            g_server = &server;
            std::signal(SIGINT, [](int) { g_server->stop(); });
            std::signal(SIGTERM, [](int) { g_server->stop(); });
            std::cout << fmt::format("seba-server listening on http://{}:{}", config.http.host,
                                     port)
                      << std::endl;
            server.run();
            g_server = nullptr;
            return 0;
        }
        auto now = seba::server::Clock::now();
        if (*create_centre) {
            if (exist_ok && store->centre_exists(centre)) {
                fmt::print("centre {} is already there\n", centre);
                return 0;
            }
            store->create_centre(centre, name);
            fmt::print("centre {} created\n", centre);
        } else if (*code) {
            fmt::print("{}\n",
                       store->create_enrollment_code(centre, std::chrono::hours(valid_hours), now));
        } else if (*revoke) {
            store->revoke(device);
            fmt::print("device {} revoked\n", device);
        } else if (*events) {
            for (const seba::server::StoredEvent& e : store->events(centre))
                fmt::print("{}  {}  {}  {}  {}\n", e.received_at, e.device, e.uuid, e.type,
                           e.payload);
        }
        return 0;
    } catch (const seba::Error& e) {
        std::cerr << "seba-server: " << e.what() << "\n";
        return 2;
    }
}

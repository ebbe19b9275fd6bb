#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <volumes/client.hpp>

namespace volumectl {

// The global options.
struct GlobalOptions {
    std::string address;  // "" for the system bus
    bool json = false;
    bool no_ask_password = false;
    bool no_progress = false;
};

// What a command prints: `json` with --json, `text` otherwise.
struct Output {
    nlohmann::json json = nlohmann::json::object();
    std::string text;
    int exit_code = 0;
};

// The connection (made on first use, so that input errors are found before any bus
// traffic), the options every call carries, and lookups of what the user named.
class Session {
public:
    explicit Session(GlobalOptions options) : options_(std::move(options)) {}

    const GlobalOptions& options() const { return options_; }
    volumes::client::Client& client();
    // auth.no_user_interaction with --no-ask-password, nothing else.
    volumes::client::Options call_options() const;

    // "POOL/VOLUME" or a volume's object path; throws NotFound.
    volumes::client::VolumeInfo volume(const std::string& target);
    // "POOL" or a pool's object path; throws NotFound.
    volumes::client::PoolInfo pool(const std::string& target);
    // A job's object path or its number ("3"); throws NotFound.
    std::string job_path(const std::string& target);

    // Waits for the job with a progress bar; the job's final state. Interrupted by
    // SIGINT/SIGTERM (WaitInterrupted).
    volumes::client::JobResult wait(const std::string& job);

private:
    GlobalOptions options_;
    std::optional<volumes::client::Client> client_;
};

// Splits "POOL/VOLUME"; throws UsageError unless both parts are there and non-empty.
std::pair<std::string, std::string> split_volume_target(const std::string& target);

// Rejects malformed targets before the bus is contacted.
void check_volume_target(const std::string& target);
void check_pool_target(const std::string& target);

// Set by SIGINT/SIGTERM while a command waits.
bool interrupted();
void install_interrupt_handlers();

}  // namespace volumectl

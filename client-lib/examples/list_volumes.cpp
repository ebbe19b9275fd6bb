// Lists volumesd's pools and volumes, then follows one job if given its object path:
//   volumes-client-example [--address ADDRESS] [JOB]
#include <cstdio>
#include <string>

#include <volumes/client.hpp>

namespace vc = volumes::client;

int main(int argc, char** argv)
{
    std::string address;
    std::string job;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--address" && i + 1 < argc)
            address = argv[++i];
        else
            job = arg;
    }
    try {
        auto client = address.empty() ? vc::Client::system() : vc::Client::at_address(address);
        std::printf("volumesd %s\n", client.version().c_str());
        for (const auto& pool : client.pools())
            std::printf("pool %s: %llu of %llu bytes free\n", pool.name.c_str(),
                        static_cast<unsigned long long>(pool.free), static_cast<unsigned long long>(pool.size));
        for (const auto& volume : client.volumes())
            std::printf("volume %s/%s: %s, %llu bytes%s\n", volume.pool_name.c_str(), volume.name.c_str(),
                        volume.kind.c_str(), static_cast<unsigned long long>(volume.size),
                        volume.active ? ", active" : "");
        if (!job.empty()) {
            vc::WaitOptions options;
            options.on_progress = [](const vc::JobInfo& state) {
                if (state.progress_valid)
                    std::printf("%s: %.1f%%\n", state.operation.c_str(), state.progress * 100.0);
            };
            const auto result = client.wait_for_job(job, options);
            std::printf("job %s: %s\n", result.success ? "succeeded" : "failed", result.message.c_str());
            return result.success ? 0 : 1;
        }
        return 0;
    } catch (const vc::NotAuthorized& error) {
        std::fprintf(stderr, "not allowed: %s\n", error.message().c_str());
        return 3;
    } catch (const vc::Error& error) {
        std::fprintf(stderr, "%s: %s\n", std::string(vc::error_code_name(error.code())).c_str(), error.what());
        return 1;
    }
}

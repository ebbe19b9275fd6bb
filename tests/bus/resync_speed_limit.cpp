#include "resync_speed_limit.hpp"

#include <fstream>
#include <stdexcept>

#include <fmt/core.h>

namespace volumes::test {

namespace {

constexpr const char* limit_path = "/proc/sys/dev/raid/speed_limit_max";

int read_limit()
{
    std::ifstream in(limit_path);
    int value = 0;
    if (!(in >> value))
        throw std::runtime_error(fmt::format("cannot read {}", limit_path));
    return value;
}

void write_limit(int value)
{
    std::ofstream out(limit_path);
    out << value << "\n";
    out.flush();
    if (!out)
        throw std::runtime_error(fmt::format("cannot write {}", limit_path));
}

}  // namespace

ResyncSpeedLimit::ResyncSpeedLimit(int kib_per_second) : previous_(read_limit())
{
    write_limit(kib_per_second);
}

ResyncSpeedLimit::~ResyncSpeedLimit()
{
    try {
        restore();
    } catch (...) {
        // A destructor cannot report it; the next test's own limit still applies.
    }
}

void ResyncSpeedLimit::restore()
{
    if (previous_ > 0)
        write_limit(previous_);
    previous_ = 0;
}

}  // namespace volumes::test

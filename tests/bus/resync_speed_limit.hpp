#pragma once

namespace volumes::test {

// md's resync speed limit (KiB/s, /proc/sys/dev/raid/speed_limit_max) for every array,
// restored on destruction or by restore().
class ResyncSpeedLimit {
public:
    explicit ResyncSpeedLimit(int kib_per_second);
    ResyncSpeedLimit(const ResyncSpeedLimit&) = delete;
    ResyncSpeedLimit& operator=(const ResyncSpeedLimit&) = delete;
    ~ResyncSpeedLimit();

    void restore();

private:
    int previous_;
};

}  // namespace volumes::test

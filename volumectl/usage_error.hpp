#pragma once

#include <stdexcept>

namespace volumectl {

// Input volumectl rejects before calling volumesd (exit status 2).
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace volumectl

#pragma once

#include <gtest/gtest.h>

#include "service/metadata/metadata_error.hpp"

namespace volumes::metadata::testing {

// Passes when `result` is an error with `code` and a message saying what was wrong.
template <class T>
::testing::AssertionResult fails_with(const Result<T>& result, ErrorCode code)
{
    if (result.has_value())
        return ::testing::AssertionFailure() << "succeeded, expected " << to_string(code);
    if (result.error().code != code)
        return ::testing::AssertionFailure() << "failed with " << to_string(result.error().code) << " ("
                                             << result.error().message << "), expected " << to_string(code);
    if (result.error().message.empty())
        return ::testing::AssertionFailure() << "failed with " << to_string(code) << " but no message";
    return ::testing::AssertionSuccess();
}

// Passes when `result` holds a value; otherwise shows the error.
template <class T>
::testing::AssertionResult succeeded(const Result<T>& result)
{
    if (result.has_value())
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "failed with " << to_string(result.error().code) << ": "
                                         << result.error().message;
}

}  // namespace volumes::metadata::testing

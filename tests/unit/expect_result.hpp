#pragma once

#include <expected>

#include <gtest/gtest.h>

// Assertions on the project's Result<T> types. Works for any error type with a `code` and a
// `message`, whose code has a to_string() found next to it (kmod::Error, metadata::Error).
namespace volumes::testing {

// Passes when `result` is an error with `code` and a message saying what was wrong.
template <class T, class E, class Code>
::testing::AssertionResult fails_with(const std::expected<T, E>& result, Code code)
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
template <class T, class E>
::testing::AssertionResult succeeded(const std::expected<T, E>& result)
{
    if (result.has_value())
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "failed with " << to_string(result.error().code) << ": "
                                         << result.error().message;
}

}  // namespace volumes::testing

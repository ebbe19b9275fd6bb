#include "service/metadata/uuid.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/core.h>
#include <sys/random.h>

namespace volumes::metadata {

namespace {

constexpr std::size_t kTextLength = 36;

bool is_dash_position(std::size_t i)
{
    return i == 8 || i == 13 || i == 18 || i == 23;
}

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

}  // namespace

Result<Uuid> Uuid::generate()
{
    Uuid uuid;
    std::size_t filled = 0;
    while (filled < uuid.bytes.size()) {
        const auto got = ::getrandom(uuid.bytes.data() + filled, uuid.bytes.size() - filled, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return fail(ErrorCode::Io, fmt::format("cannot read random bytes for a uuid: {}", std::strerror(errno)),
                        errno);
        }
        filled += static_cast<std::size_t>(got);
    }
    uuid.bytes[6] = static_cast<std::uint8_t>((uuid.bytes[6] & 0x0f) | 0x40);  // version 4
    uuid.bytes[8] = static_cast<std::uint8_t>((uuid.bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
    return uuid;
}

Result<Uuid> Uuid::parse(std::string_view text)
{
    const auto invalid = [&] {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("'{}' is not a uuid (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", text));
    };
    if (text.size() != kTextLength)
        return invalid();
    Uuid uuid;
    std::size_t nibble = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (is_dash_position(i)) {
            if (text[i] != '-')
                return invalid();
            continue;
        }
        const int value = hex_value(text[i]);
        if (value < 0)
            return invalid();
        auto& byte = uuid.bytes[nibble / 2];
        byte = static_cast<std::uint8_t>(nibble % 2 == 0 ? value << 4 : byte | value);
        ++nibble;
    }
    return uuid;
}

std::string Uuid::to_string() const
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    text.reserve(kTextLength);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            text.push_back('-');
        text.push_back(digits[bytes[i] >> 4]);
        text.push_back(digits[bytes[i] & 0x0f]);
    }
    return text;
}

bool Uuid::is_nil() const
{
    for (const auto byte : bytes)
        if (byte != 0)
            return false;
    return true;
}

}  // namespace volumes::metadata

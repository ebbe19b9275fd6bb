#include "call_arguments.hpp"

#include <charconv>
#include <stdexcept>
#include <string_view>

#include <fmt/core.h>
#include <sdbus-c++/sdbus-c++.h>

namespace volumes::test {

CallArguments& CallArguments::s(std::string value)
{
    signature_ += "s";
    values_.push_back(std::move(value));
    return *this;
}

CallArguments& CallArguments::t(std::uint64_t value)
{
    signature_ += "t";
    values_.push_back(std::to_string(value));
    return *this;
}

CallArguments& CallArguments::u(std::uint32_t value)
{
    signature_ += "u";
    values_.push_back(std::to_string(value));
    return *this;
}

CallArguments& CallArguments::as(const std::vector<std::string>& values)
{
    signature_ += "as";
    values_.push_back(std::to_string(values.size()));
    values_.insert(values_.end(), values.begin(), values.end());
    return *this;
}

CallArguments& CallArguments::options(const std::vector<Option>& options)
{
    signature_ += "a{sv}";
    values_.push_back(std::to_string(options.size()));
    for (const auto& option : options)
        values_.insert(values_.end(), {option.key, option.type, option.value});
    return *this;
}

std::vector<std::string> CallArguments::words() const
{
    if (signature_.empty())
        return {};
    std::vector<std::string> words{signature_};
    words.insert(words.end(), values_.begin(), values_.end());
    return words;
}

namespace {

std::size_t complete_type_length(std::string_view signature)
{
    if (signature.empty())
        throw std::invalid_argument("incomplete signature");
    if (signature[0] == 'a')
        return 1 + complete_type_length(signature.substr(1));
    if (signature[0] != '(' && signature[0] != '{')
        return 1;
    int depth = 0;
    for (std::size_t i = 0; i < signature.size(); ++i) {
        if (signature[i] == '(' || signature[i] == '{')
            ++depth;
        else if ((signature[i] == ')' || signature[i] == '}') && --depth == 0)
            return i + 1;
    }
    throw std::invalid_argument(fmt::format("unbalanced signature '{}'", signature));
}

template <class Number>
Number parse_number(const std::string& word)
{
    Number value{};
    const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (error != std::errc{} || end != word.data() + word.size())
        throw std::invalid_argument(fmt::format("'{}' is not a number of the argument's type", word));
    return value;
}

bool parse_boolean(const std::string& word)
{
    if (word == "true" || word == "yes" || word == "1")
        return true;
    if (word == "false" || word == "no" || word == "0")
        return false;
    throw std::invalid_argument(fmt::format("'{}' is not a boolean", word));
}

class Appender {
public:
    Appender(sdbus::Message& message, const std::vector<std::string>& words) : message_(message), words_(words) {}

    void append_all(std::string_view signature)
    {
        while (!signature.empty()) {
            const auto length = complete_type_length(signature);
            append(signature.substr(0, length));
            signature.remove_prefix(length);
        }
    }

    void expect_all_used() const
    {
        if (next_ != words_.size())
            throw std::invalid_argument(fmt::format("{} word(s) left over after the signature's values",
                                                    words_.size() - next_));
    }

private:
    const std::string& take()
    {
        if (next_ >= words_.size())
            throw std::invalid_argument("fewer words than the signature needs");
        return words_[next_++];
    }

    void append(std::string_view type)
    {
        const std::string inner(type.size() > 2 ? type.substr(1, type.size() - 2) : std::string_view{});
        switch (type[0]) {
        case 'a': {
            const std::string element(type.substr(1));
            const auto count = parse_number<std::uint64_t>(take());
            message_.openContainer(element);
            for (std::uint64_t i = 0; i < count; ++i)
                append(element);
            message_.closeContainer();
            return;
        }
        case '{':
            message_.openDictEntry(inner);
            append_all(inner);
            message_.closeDictEntry();
            return;
        case '(':
            message_.openStruct(inner);
            append_all(inner);
            message_.closeStruct();
            return;
        case 'v': {
            const std::string contents = take();
            message_.openVariant(contents);
            append(contents);
            message_.closeVariant();
            return;
        }
        case 's': message_ << take(); return;
        case 'o': message_ << sdbus::ObjectPath(take()); return;
        case 'g': message_ << sdbus::Signature(take()); return;
        case 'b': message_ << parse_boolean(take()); return;
        case 'y': message_ << parse_number<std::uint8_t>(take()); return;
        case 'n': message_ << parse_number<std::int16_t>(take()); return;
        case 'q': message_ << parse_number<std::uint16_t>(take()); return;
        case 'i': message_ << parse_number<std::int32_t>(take()); return;
        case 'u': message_ << parse_number<std::uint32_t>(take()); return;
        case 'x': message_ << parse_number<std::int64_t>(take()); return;
        case 't': message_ << parse_number<std::uint64_t>(take()); return;
        case 'd': message_ << std::stod(take()); return;
        default: throw std::invalid_argument(fmt::format("type '{}' is not supported here", type));
        }
    }

    sdbus::Message& message_;
    const std::vector<std::string>& words_;
    std::size_t next_ = 1;
};

}  // namespace

void append_arguments(sdbus::Message& message, const std::vector<std::string>& words)
{
    if (words.empty())
        return;
    Appender appender(message, words);
    appender.append_all(words[0]);
    appender.expect_all_used();
}

std::string first_text_value(sdbus::Message& reply)
{
    std::string type;
    std::string contents;
    reply.peekType(type, contents);
    if (type == "o") {
        sdbus::ObjectPath path;
        reply >> path;
        return path;
    }
    if (type == "s") {
        std::string text;
        reply >> text;
        return text;
    }
    return {};
}

}  // namespace volumes::test

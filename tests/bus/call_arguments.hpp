#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sdbus {
class Message;
}

namespace volumes::test {

// Method arguments written the way busctl takes them on its command line: the signature,
// then one word per basic value; an array is its element count followed by its elements,
// a variant its type signature followed by its value ("a{sv} 1 force b true").
// The words travel unchanged to the unprivileged caller (volumes-bus-call) and show up
// in failure messages as a busctl command line.
class CallArguments {
public:
    struct Option {
        std::string key;
        std::string type;  // a basic type: "b", "s", "t", "u", ...
        std::string value;
    };

    CallArguments& s(std::string value);
    CallArguments& t(std::uint64_t value);
    CallArguments& u(std::uint32_t value);
    CallArguments& as(const std::vector<std::string>& values);
    CallArguments& options(const std::vector<Option>& options = {});

    // The signature first, then the values; empty when there are no arguments.
    std::vector<std::string> words() const;

private:
    std::string signature_;
    std::vector<std::string> values_;
};

// Appends busctl-style words (signature first) to a message. Throws std::invalid_argument
// when the words do not match the signature.
void append_arguments(sdbus::Message& message, const std::vector<std::string>& words);

// The first value of a reply as text, when it is a string or an object path; "" otherwise.
std::string first_text_value(sdbus::Message& reply);

}  // namespace volumes::test

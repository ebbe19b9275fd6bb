#include "introspection.hpp"

#include <expat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <fmt/core.h>
#include <fmt/ranges.h>

namespace volumes::test {

namespace {

struct Arg {
    std::string name;
    std::string type;
    std::string direction;
};

std::string join_args(const std::vector<Arg>& args, const std::string& direction)
{
    std::vector<std::string> parts;
    for (const auto& arg : args)
        if (arg.direction == direction)
            parts.push_back(arg.name + ":" + arg.type);
    return fmt::format("({})", fmt::join(parts, ", "));
}

class Parser {
public:
    Introspection result;

    void start(const std::string& element, const std::map<std::string, std::string>& attributes)
    {
        auto attribute = [&](const char* name) {
            auto found = attributes.find(name);
            return found == attributes.end() ? std::string{} : found->second;
        };
        if (element == "interface") {
            interface_ = attribute("name");
            result[interface_];
        } else if (element == "method" || element == "signal") {
            member_kind_ = element;
            member_ = attribute("name");
            args_.clear();
        } else if (element == "property") {
            result[interface_].properties[attribute("name")] = attribute("type") + " " + attribute("access");
        } else if (element == "arg") {
            // A method arg without direction is "in"; a signal's args have none.
            std::string direction = attribute("direction");
            if (direction.empty())
                direction = member_kind_ == "method" ? "in" : "out";
            args_.push_back({attribute("name"), attribute("type"), direction});
        }
    }

    void end(const std::string& element)
    {
        if (element == "method")
            result[interface_].methods[member_] = "in" + join_args(args_, "in") + " out" + join_args(args_, "out");
        else if (element == "signal")
            result[interface_].signals[member_] = join_args(args_, "out");
    }

private:
    std::string interface_;
    std::string member_kind_;
    std::string member_;
    std::vector<Arg> args_;
};

void on_start(void* data, const XML_Char* element, const XML_Char** attributes)
{
    std::map<std::string, std::string> map;
    for (int i = 0; attributes[i] != nullptr; i += 2)
        map[attributes[i]] = attributes[i + 1];
    static_cast<Parser*>(data)->start(element, map);
}

void on_end(void* data, const XML_Char* element)
{
    static_cast<Parser*>(data)->end(element);
}

template <class Map>
void compare(const std::string& interface, const char* kind, const Map& contract, const Map& actual,
             std::vector<std::string>& out)
{
    for (const auto& [name, description] : contract) {
        auto found = actual.find(name);
        if (found == actual.end())
            out.push_back(fmt::format("{} {}.{} is missing (contract: {})", kind, interface, name, description));
        else if (found->second != description)
            out.push_back(fmt::format("{} {}.{} is {} but the contract says {}", kind, interface, name, found->second,
                                      description));
    }
    for (const auto& [name, description] : actual)
        if (!contract.contains(name))
            out.push_back(fmt::format("{} {}.{} ({}) is not in the contract", kind, interface, name, description));
}

}  // namespace

Introspection parse_introspection(const std::string& xml)
{
    std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(XML_ParserCreate(nullptr), &XML_ParserFree);
    if (!parser)
        throw std::runtime_error("XML_ParserCreate failed");
    Parser state;
    XML_SetUserData(parser.get(), &state);
    XML_SetElementHandler(parser.get(), on_start, on_end);
    if (XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE) != XML_STATUS_OK)
        throw std::runtime_error(fmt::format("malformed introspection XML at line {}: {}\n{}",
                                             XML_GetCurrentLineNumber(parser.get()),
                                             XML_ErrorString(XML_GetErrorCode(parser.get())), xml));
    return state.result;
}

Introspection contract_interfaces()
{
    Introspection contract;
    for (const auto& entry : std::filesystem::directory_iterator(VOLUMES_INTERFACES_DIR)) {
        const auto name = entry.path().filename().string();
        if (!name.starts_with("org.example.Volumes.") || !name.ends_with(".xml"))
            continue;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        contract.merge(parse_introspection(text.str()));
    }
    if (contract.empty())
        throw std::runtime_error(fmt::format("no interface XML in {}", VOLUMES_INTERFACES_DIR));
    return contract;
}

std::vector<std::string> differences(const std::string& interface, const InterfaceDescription& contract,
                                     const InterfaceDescription& actual)
{
    std::vector<std::string> out;
    compare(interface, "method", contract.methods, actual.methods, out);
    compare(interface, "property", contract.properties, actual.properties, out);
    compare(interface, "signal", contract.signals, actual.signals, out);
    return out;
}

}  // namespace volumes::test

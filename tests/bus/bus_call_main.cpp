// volumes-bus-call <destination> <path> <interface> <method> [<signature> <value>...]
//
// Makes one method call on the system bus, as whoever runs it (the tests run it with an
// unprivileged uid), with the arguments written as busctl takes them. Unlike busctl it
// reports the error's D-Bus name: stdout gets "reply <first string or object path>", or
// "error <name>" and then the error message. Exit status 0 when the call got an answer,
// 2 on bad usage, 3 when there was no answer (no bus, timeout).
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "call_arguments.hpp"

int main(int argc, char** argv)
{
    if (argc < 5) {
        std::fprintf(stderr, "usage: %s <destination> <path> <interface> <method> [<signature> <value>...]\n", argv[0]);
        return 2;
    }
    const std::vector<std::string> words(argv + 5, argv + argc);
    std::unique_ptr<sdbus::IConnection> bus;
    std::unique_ptr<sdbus::IProxy> proxy;
    try {
        bus = sdbus::createSystemBusConnection();
        proxy = sdbus::createProxy(*bus, argv[1], argv[2]);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "cannot connect to the system bus: %s\n", error.what());
        return 3;
    }
    auto message = proxy->createMethodCall(argv[3], argv[4]);
    try {
        volumes::test::append_arguments(message, words);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "bad arguments: %s\n", error.what());
        return 2;
    }
    try {
        auto reply = proxy->callMethod(message, 120'000'000);
        std::printf("reply %s\n", volumes::test::first_text_value(reply).c_str());
    } catch (const sdbus::Error& error) {
        if (error.getName() == "org.freedesktop.DBus.Error.NoReply" || error.getName() == "org.freedesktop.DBus.Error.Timeout") {
            std::fprintf(stderr, "no answer: %s\n", error.what());
            return 3;
        }
        std::printf("error %s\n%s\n", error.getName().c_str(), error.getMessage().c_str());
    }
    return 0;
}

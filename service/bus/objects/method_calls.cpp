#include "service/bus/objects/method_calls.hpp"

namespace volumes::bus {

CallContext current_call(const sdbus::IObject& object, Options options)
{
    const auto* message = object.getCurrentlyProcessedMessage();
    return CallContext{message ? message->getSender() : std::string(), std::move(options)};
}

}  // namespace volumes::bus

#pragma once

#include "service/devices/device_error.hpp"
#include "service/engine/engine_error.hpp"
#include "service/executor/executor_error.hpp"
#include "service/metadata/metadata_error.hpp"
#include "service/model/model_error.hpp"
#include "kmod/error.hpp"

// Each layer's error as the engine reports it; the message is kept, the code mapped.
namespace volumes::engine {

Error from_model(const model::Error& error);
Error from_devices(const devices::Error& error);
Error from_metadata(const metadata::Error& error);
Error from_executor(const executor::Error& error);
Error from_kmod(const kmod::Error& error);

}  // namespace volumes::engine

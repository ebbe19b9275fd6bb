#include "service/engine/error_translation.hpp"

namespace volumes::engine {

Error from_model(const model::Error& error)
{
    switch (error.code) {
    case model::ErrorCode::InvalidArgument: return {ErrorCode::InvalidArgument, error.message};
    case model::ErrorCode::NotFound: return {ErrorCode::NotFound, error.message};
    case model::ErrorCode::AlreadyExists: return {ErrorCode::AlreadyExists, error.message};
    case model::ErrorCode::NoSpace: return {ErrorCode::NoSpace, error.message};
    case model::ErrorCode::Unsupported: return {ErrorCode::NotSupported, error.message};
    case model::ErrorCode::Corrupt: return {ErrorCode::Failed, error.message};
    }
    return {ErrorCode::Failed, error.message};
}

Error from_devices(const devices::Error& error)
{
    switch (error.code) {
    case devices::ErrorCode::InvalidArgument: return {ErrorCode::InvalidArgument, error.message};
    case devices::ErrorCode::NotFound: return {ErrorCode::NotFound, error.message};
    case devices::ErrorCode::InUse: return {ErrorCode::InUse, error.message};
    case devices::ErrorCode::HasSignature: return {ErrorCode::InUse, error.message};
    case devices::ErrorCode::Io: return {ErrorCode::Failed, error.message};
    }
    return {ErrorCode::Failed, error.message};
}

Error from_metadata(const metadata::Error& error)
{
    switch (error.code) {
    case metadata::ErrorCode::InvalidArgument: return {ErrorCode::InvalidArgument, error.message};
    case metadata::ErrorCode::NotFound: return {ErrorCode::NotFound, error.message};
    case metadata::ErrorCode::NoSpace: return {ErrorCode::NoSpace, error.message};
    case metadata::ErrorCode::Unsupported: return {ErrorCode::NotSupported, error.message};
    case metadata::ErrorCode::Corrupt:
    case metadata::ErrorCode::Io: return {ErrorCode::Failed, error.message};
    }
    return {ErrorCode::Failed, error.message};
}

Error from_executor(const executor::Error& error)
{
    switch (error.code) {
    case executor::ErrorCode::Busy: return {ErrorCode::InUse, error.message};
    case executor::ErrorCode::Refused:
    case executor::ErrorCode::Kernel:
    case executor::ErrorCode::Metadata:
    case executor::ErrorCode::Fault: return {ErrorCode::Failed, error.message};
    }
    return {ErrorCode::Failed, error.message};
}

Error from_kmod(const kmod::Error& error)
{
    switch (error.code) {
    case kmod::ErrorCode::InvalidArgument: return {ErrorCode::InvalidArgument, error.message};
    case kmod::ErrorCode::NotFound: return {ErrorCode::NotFound, error.message};
    case kmod::ErrorCode::AlreadyExists: return {ErrorCode::AlreadyExists, error.message};
    case kmod::ErrorCode::Busy: return {ErrorCode::Busy, error.message};
    case kmod::ErrorCode::KernelTooOld: return {ErrorCode::KernelTooOld, error.message};
    case kmod::ErrorCode::ModuleUnavailable: return {ErrorCode::NotSupported, error.message};
    case kmod::ErrorCode::Kernel:
    case kmod::ErrorCode::Parse: return {ErrorCode::Failed, error.message};
    }
    return {ErrorCode::Failed, error.message};
}

}  // namespace volumes::engine

#pragma once

#include <memory>
#include <string_view>

#include "kmod/error.hpp"

struct kmod_ctx;

namespace volumes::kmod {

// Loads kernel modules with libkmod, dependencies first, as modprobe would.
class ModuleLoader {
public:
    static Result<ModuleLoader> open();

    // Loads the module (a name or alias such as "dm_raid" or "dm-raid"); loaded or
    // built-in modules are fine. The error names the module and the kernel release.
    Result<void> load(std::string_view module);

private:
    struct Unref {
        void operator()(kmod_ctx* context) const;
    };
    explicit ModuleLoader(kmod_ctx* context) : context_(context) {}
    std::unique_ptr<kmod_ctx, Unref> context_;
};

}  // namespace volumes::kmod

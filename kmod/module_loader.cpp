#include "kmod/module_loader.hpp"

#include <cstring>
#include <string>

#include <fmt/core.h>
#include <libkmod.h>
#include <sys/utsname.h>

namespace volumes::kmod {
namespace {

std::string kernel_release()
{
    utsname names{};
    return ::uname(&names) == 0 ? names.release : "unknown";
}

struct ModuleListUnref {
    void operator()(kmod_list* list) const { kmod_module_unref_list(list); }
};

}  // namespace

void ModuleLoader::Unref::operator()(kmod_ctx* context) const
{
    kmod_unref(context);
}

Result<ModuleLoader> ModuleLoader::open()
{
    kmod_ctx* context = kmod_new(nullptr, nullptr);
    if (!context)
        return fail(ErrorCode::ModuleUnavailable, "cannot initialise libkmod");
    ModuleLoader loader(context);
    if (const int error = kmod_load_resources(context); error < 0)
        return fail(ErrorCode::ModuleUnavailable,
                    fmt::format("cannot read the module index of kernel {}: {}", kernel_release(), std::strerror(-error)),
                    -error);
    return loader;
}

Result<void> ModuleLoader::load(std::string_view module)
{
    const std::string name(module);
    kmod_list* raw_list = nullptr;
    if (const int error = kmod_module_new_from_lookup(context_.get(), name.c_str(), &raw_list); error < 0)
        return fail(ErrorCode::ModuleUnavailable,
                    fmt::format("cannot look up kernel module {}: {}", name, std::strerror(-error)), -error);
    std::unique_ptr<kmod_list, ModuleListUnref> list(raw_list);
    if (!list)
        return fail(ErrorCode::ModuleUnavailable,
                    fmt::format("kernel module {} is not available for kernel {} (is the kernel's module package "
                                "installed?)",
                                name, kernel_release()));

    kmod_list* entry = nullptr;
    kmod_list_foreach(entry, list.get())
    {
        kmod_module* found = kmod_module_get_module(entry);
        const int error = kmod_module_probe_insert_module(found, 0, nullptr, nullptr, nullptr, nullptr);
        kmod_module_unref(found);
        if (error < 0)
            return fail(ErrorCode::ModuleUnavailable,
                        fmt::format("cannot load kernel module {} into kernel {}: {}", name, kernel_release(),
                                    std::strerror(-error)),
                        -error);
    }
    return {};
}

}  // namespace volumes::kmod

#include "service/devices/volumesd_claim.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/core.h>

#include "service/metadata/label.hpp"

namespace volumes::devices {
namespace {

// A one-line sysfs attribute without its newline; std::nullopt when the file is not there.
std::optional<std::string> read_attribute(const std::filesystem::path& file)
{
    std::ifstream in(file);
    if (!in)
        return std::nullopt;
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

}  // namespace

Result<std::optional<std::string>> volumesd_claim(int fd, kmod::DeviceNumber number, const std::string& path)
{
    const auto dm = std::filesystem::path("/sys/dev/block") / number.to_string() / "dm";
    if (const auto uuid = read_attribute(dm / "uuid"); uuid && uuid->starts_with(kVolumesdDmUuidPrefix))
        return fmt::format("{} is volumesd's own device {} (dm uuid {}); a volume or its parts cannot be a pool "
                           "member, with or without force",
                           path, read_attribute(dm / "name").value_or("?"), *uuid);

    const auto label = metadata::read_label(fd);
    if (label)
        return fmt::format("{} is a member of the volumesd pool {}; destroy or import that pool first, force does not "
                           "override this",
                           path, label->pool_uuid.to_string());
    switch (label.error().code) {
    case metadata::ErrorCode::NotFound: return std::nullopt;
    // Magic without a valid label names no pool we could check: it is a signature like any
    // other (probe_signatures reports it), refused without force and erased with it.
    case metadata::ErrorCode::Corrupt: return std::nullopt;
    case metadata::ErrorCode::Unsupported:
        return fmt::format("{} carries a volumesd member label of a newer format ({}); it belongs to a pool of a "
                           "newer volumesd, force does not override this",
                           path, label.error().message);
    default:
        return fail(ErrorCode::Io, fmt::format("{}: {}", path, label.error().message), label.error().errnum);
    }
}

}  // namespace volumes::devices

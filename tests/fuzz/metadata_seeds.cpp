// Writes the metadata fuzzer's seed corpus with the project's own encoder: member images in
// the states start-up meets (formatted, committed, precommitted, both slots used), cut from the
// label's sector on as the fuzzer lays its input, and one bare document.
//
//   volumes-metadata-seeds <output directory>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <sys/mman.h>
#include <unistd.h>

#include "service/metadata/document.hpp"
#include "service/metadata/format.hpp"
#include "service/metadata/label.hpp"
#include "service/metadata/metadata_area.hpp"

namespace md = volumes::metadata;

namespace {

// As the fuzzer's device; the smallest area keeps the seeds at 20 KiB.
constexpr std::uint64_t kDeviceSize = 16 * md::kMiB;
constexpr std::uint64_t kMetadataSize = md::kMinMetadataSize;

template <class T>
T checked(md::Result<T> result, const char* what)
{
    if (!result) {
        fmt::print(stderr, "volumes-metadata-seeds: {}: {}\n", what, result.error().message);
        std::exit(1);
    }
    if constexpr (!std::is_void_v<T>)
        return std::move(*result);
}

const md::Uuid kPool = checked(md::Uuid::parse("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"), "pool uuid");
const md::Uuid kMember = checked(md::Uuid::parse("a1a1a1a1-a1a1-4a1a-8a1a-a1a1a1a1a1a1"), "member uuid");

std::string document(std::uint64_t seq)
{
    md::Document doc;
    doc.seq = seq;
    doc.pool_uuid = kPool;
    const auto run = [](std::uint64_t start, std::uint64_t count) {
        return nlohmann::json{{"member", kMember.to_string()}, {"start", start}, {"count", count}};
    };
    doc.pool = {
        {"uuid", kPool.to_string()},
        {"name", "tank"},
        {"extent_size", md::kMiB},
        {"members", {{{"uuid", kMember.to_string()}, {"extent_count", 15}}}},
        {"volumes",
         {{{"uuid", "01010101-0101-0101-0101-010101010101"}, {"name", "home"}, {"active", true}, {"kind", "linear"},
           {"data", {run(0, 2), run(4, static_cast<std::uint64_t>(seq))}}},
          {{"uuid", "02020202-0202-0202-0202-020202020202"}, {"name", "mirror"}, {"active", false}, {"kind", "raid1"},
           {"region_size", 524288},
           {"legs", {{{"meta", {run(8, 1)}}, {"data", {run(9, 2)}}}}}}}},
    };
    return checked(md::encode_document(doc), "encode_document");
}

class Image {
public:
    Image() : fd_(::memfd_create("metadata-seed", MFD_CLOEXEC))
    {
        if (fd_ < 0 || ::ftruncate(fd_, static_cast<off_t>(kDeviceSize)) != 0)
            std::exit(1);
        label_ = checked(md::plan_label(kPool, kMember, kDeviceSize, md::kMiB, kMetadataSize), "plan_label");
        checked(md::write_label(fd_, label_), "write_label");
    }
    ~Image() { ::close(fd_); }

    md::MetadataArea format() { return checked(md::MetadataArea::format(fd_, label_), "format"); }

    // The bytes from the label's sector to the end of the metadata area.
    std::string bytes() const
    {
        std::string out(label_.metadata_offset + label_.metadata_size - md::kLabelOffset, '\0');
        if (::pread(fd_, out.data(), out.size(), static_cast<off_t>(md::kLabelOffset)) != static_cast<ssize_t>(out.size()))
            std::exit(1);
        return out;
    }

private:
    int fd_;
    md::Label label_;
};

void write_seed(const std::filesystem::path& dir, const char* name, const std::string& bytes)
{
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
        fmt::print(stderr, "volumes-metadata-seeds: cannot write {}\n", (dir / name).string());
        std::exit(1);
    }
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        fmt::print(stderr, "usage: volumes-metadata-seeds <output directory>\n");
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);

    write_seed(dir, "document", document(7));

    Image image;
    auto area = image.format();
    write_seed(dir, "member-formatted", image.bytes());
    checked(area.write_precommitted(document(1), 1), "write_precommitted");
    write_seed(dir, "member-precommitted", image.bytes());
    checked(area.commit(), "commit");
    write_seed(dir, "member-committed", image.bytes());
    checked(area.write_precommitted(document(2), 2), "write_precommitted");
    checked(area.commit(), "commit");
    checked(area.write_precommitted(document(3), 3), "write_precommitted");
    write_seed(dir, "member-both-slots", image.bytes());
    return 0;
}

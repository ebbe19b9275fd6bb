#include "service/allocator/used_extents.hpp"

#include <variant>

namespace volumes::allocator {

namespace {

void append(model::ExtentMap& to, const model::ExtentMap& runs)
{
    to.insert(to.end(), runs.begin(), runs.end());
}

struct Collect {
    model::ExtentMap& used;

    void operator()(const model::LinearLayout& layout) const { append(used, layout.data); }
    void operator()(const model::Raid1Layout& layout) const
    {
        for (const auto& leg : layout.legs) {
            append(used, leg.meta);
            append(used, leg.data);
        }
    }
    void operator()(const model::TrackedImageLayout&) const {}
    void operator()(const model::SnapshotLayout& layout) const { append(used, layout.cow); }
    void operator()(const model::ThinPoolLayout& layout) const
    {
        append(used, layout.meta);
        append(used, layout.data);
    }
    void operator()(const model::ThinLayout&) const {}
};

}  // namespace

model::ExtentMap used_extents(const model::Pool& pool)
{
    model::ExtentMap used;
    for (const auto& volume : pool.volumes)
        std::visit(Collect{used}, volume.layout);
    // A move's destinations are taken from its start, so nothing else is put there meanwhile.
    if (pool.extent_move)
        for (const auto& moved : pool.extent_move->runs)
            append(used, moved.to);
    return used;
}

}  // namespace volumes::allocator

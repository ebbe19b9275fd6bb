#include "service/bus/objects/object_tree.hpp"

#include <algorithm>
#include <cassert>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "service/bus/object_paths.hpp"

namespace volumes::bus {

ObjectTree::ObjectTree(sdbus::IConnection& connection, BusLoop& loop, MethodCalls& calls)
    : connection_(connection), loop_(loop), calls_(calls)
{
}

void ObjectTree::watch_volumes(VolumeWatcher watcher)
{
    watcher_ = std::move(watcher);
}

template <class Object>
void ObjectTree::retire(std::string path, std::unique_ptr<Object> object)
{
    object->withdraw();
    retiring_.emplace(std::move(path), std::shared_ptr<Object>(std::move(object)));
    if (retiring_flush_posted_)
        return;
    retiring_flush_posted_ = true;
    loop_.post([this] {
        retiring_flush_posted_ = false;
        retiring_.clear();
    });
}

template <class Gone>
void ObjectTree::retire_volumes(const std::string& pool, Gone gone)
{
    for (auto entry = volumes_.lower_bound({pool, {}}); entry != volumes_.end() && entry->first.first == pool;) {
        if (gone(entry->first.second)) {
            retire(volume_path(pool, entry->first.second), std::move(entry->second));
            entry = volumes_.erase(entry);
        } else {
            ++entry;
        }
    }
}

void ObjectTree::free_path(const std::string& path)
{
    retiring_.erase(path);
}

void ObjectTree::apply(const PoolSnapshot& snapshot)
{
    assert(loop_.on_bus_thread());
    const auto& name = snapshot.pool.name;
    if (auto pool = pools_.find(name); pool != pools_.end())
        pool->second->update(snapshot.pool);
    else {
        free_path(pool_path(name));
        pools_.emplace(name, std::make_unique<PoolObject>(connection_, snapshot.pool, calls_));
    }

    std::set<std::string> present(snapshot.unchanged.begin(), snapshot.unchanged.end());
    for (const auto& volume : snapshot.volumes)
        present.insert(volume.name);
    retire_volumes(name, [&](const std::string& volume) { return !present.contains(volume); });

    std::vector<std::string> failures;
    for (const auto& volume : snapshot.volumes) {
        const std::pair key{name, volume.name};
        auto found = volumes_.find(key);
        if (watcher_)
            watcher_(found != volumes_.end() ? &found->second->state() : nullptr, volume);
        if (found != volumes_.end() && found->second->exports_same_interfaces(volume)) {
            found->second->update(volume);
            continue;
        }
        if (found != volumes_.end())
            volumes_.erase(found);
        free_path(volume_path(name, volume.name));
        // The object is made whole (exported, announced) before the tree holds it, so a
        // failure leaves no entry behind; the next apply tries again.
        try {
            volumes_.emplace(key, std::make_unique<VolumeObject>(connection_, volume, calls_));
        } catch (const sdbus::Error& e) {
            failures.push_back(fmt::format("cannot export volume '{}': {} ({})", volume.name, e.getMessage(), e.getName()));
        }
    }
    if (!failures.empty())
        throw std::runtime_error(fmt::format("{}", fmt::join(failures, "; ")));
}

void ObjectTree::remove_pool(const std::string& pool)
{
    assert(loop_.on_bus_thread());
    retire_volumes(pool, [](const std::string&) { return true; });
    if (auto found = pools_.find(pool); found != pools_.end()) {
        retire(pool_path(pool), std::move(found->second));
        pools_.erase(found);
    }
}

void ObjectTree::keep_only(const std::vector<std::string>& pools)
{
    std::vector<std::string> gone;
    for (const auto& [name, object] : pools_)
        if (std::find(pools.begin(), pools.end(), name) == pools.end())
            gone.push_back(name);
    for (const auto& name : gone)
        remove_pool(name);
}

const VolumeState* ObjectTree::volume(const std::string& pool, const std::string& volume) const
{
    auto found = volumes_.find({pool, volume});
    return found == volumes_.end() ? nullptr : &found->second->state();
}

void ObjectTree::emit_merge_completed(const std::string& pool, const std::string& snapshot, bool success,
                                      const std::string& message)
{
    auto found = volumes_.find({pool, snapshot});
    if (found != volumes_.end())
        found->second->emit_merge_completed(found->second->state().origin, success, message);
}

void ObjectTree::emit_space_warning(const std::string& pool, const std::string& volume, const std::string& what,
                                    const std::string& message)
{
    auto found = pools_.find(pool);
    if (found != pools_.end())
        found->second->emit_space_warning(volume, what, message);
}

std::vector<std::string> ObjectTree::volume_names(const std::string& pool) const
{
    std::vector<std::string> names;
    for (auto found = volumes_.lower_bound({pool, {}}); found != volumes_.end() && found->first.first == pool; ++found)
        names.push_back(found->first.second);
    return names;
}

bool ObjectTree::has_pool(const std::string& pool) const
{
    return pools_.contains(pool);
}

std::vector<std::string> ObjectTree::member_paths(const std::string& pool) const
{
    std::vector<std::string> paths;
    if (const auto found = pools_.find(pool); found != pools_.end())
        for (const auto& member : found->second->state().members)
            if (member.present)
                paths.push_back(member.path);
    return paths;
}

}  // namespace volumes::bus

#include "service/bus/objects/object_tree.hpp"

#include <algorithm>
#include <set>

namespace volumes::bus {

ObjectTree::ObjectTree(sdbus::IConnection& connection, BusLoop& loop, MethodCalls& calls)
    : connection_(connection), loop_(loop), calls_(calls)
{
}

template <class Object>
void ObjectTree::retire(std::unique_ptr<Object> object)
{
    object->withdraw();
    loop_.post([object = std::move(object)]() mutable { object.reset(); });
}

void ObjectTree::apply(const PoolSnapshot& snapshot)
{
    const auto& name = snapshot.pool.name;
    auto& pool = pools_[name];
    if (pool)
        pool->update(snapshot.pool);
    else
        pool = std::make_unique<PoolObject>(connection_, snapshot.pool, calls_);

    std::set<std::string> present;
    for (const auto& volume : snapshot.volumes)
        present.insert(volume.name);
    for (auto entry = volumes_.begin(); entry != volumes_.end();) {
        if (entry->first.first == name && !present.contains(entry->first.second)) {
            retire(std::move(entry->second));
            entry = volumes_.erase(entry);
        } else {
            ++entry;
        }
    }

    for (const auto& volume : snapshot.volumes) {
        auto& object = volumes_[{name, volume.name}];
        if (object && !object->exports_same_interfaces(volume))
            object.reset();
        if (object)
            object->update(volume);
        else
            object = std::make_unique<VolumeObject>(connection_, volume, calls_);
    }
}

void ObjectTree::remove_pool(const std::string& pool)
{
    for (auto entry = volumes_.begin(); entry != volumes_.end();) {
        if (entry->first.first == pool) {
            retire(std::move(entry->second));
            entry = volumes_.erase(entry);
        } else {
            ++entry;
        }
    }
    if (auto found = pools_.find(pool); found != pools_.end()) {
        retire(std::move(found->second));
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

#pragma once

#include <chrono>
#include <set>
#include <string>

#include "service/bus/bus_loop.hpp"
#include "service/bus/objects/object_tree.hpp"
#include "service/bus/work_queues.hpp"
#include "service/engine/engine.hpp"

// Heals a pool whose devices differ from its committed metadata (Engine::needs_healing: a
// change failed after its commit, a revert left something behind, start-up could not
// reconcile): Engine::heal on the pool's worker, again after 1 s, 2 s, 4 s ... up to a minute
// while it fails, until the kernel agrees. Meanwhile the pool's Problems say why; the objects
// follow each attempt.
namespace volumes::bus {

class Healer {
public:
    Healer(engine::Engine& engine, BusLoop& loop, WorkQueues& queues) : engine_(engine), loop_(loop), queues_(queues) {}
    void attach(ObjectTree& tree) { tree_ = &tree; }

    // Bus thread: heals the pool, unless that is under way already.
    void heal(const std::string& pool);

    static constexpr std::chrono::milliseconds kFirstDelay{1000};
    static constexpr std::chrono::milliseconds kLongestDelay{60000};

private:
    void attempt(const std::string& pool, std::chrono::milliseconds delay, unsigned number);

    engine::Engine& engine_;
    BusLoop& loop_;
    WorkQueues& queues_;
    ObjectTree* tree_ = nullptr;
    std::set<std::string> healing_;
};

}  // namespace volumes::bus

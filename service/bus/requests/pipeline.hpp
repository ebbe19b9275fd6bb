#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <set>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <sdbus-c++/sdbus-c++.h>

#include "service/bus/authorization/authority.hpp"
#include "service/bus/bus_errors.hpp"
#include "service/bus/bus_loop.hpp"
#include "service/bus/objects/manager_object.hpp"
#include "service/bus/objects/method_calls.hpp"
#include "service/bus/objects/object_tree.hpp"
#include "service/bus/requests/healer.hpp"
#include "service/bus/requests/reply_guard.hpp"
#include "service/bus/state/service_state.hpp"
#include "service/bus/work_queues.hpp"
#include "service/engine/engine.hpp"

// Every method call, end to end (architecture.md "A mutating call"), written once: on the bus
// thread the caller is authorized (asynchronously) and the arguments parsed; the engine call
// runs on the pool's worker; its outcome and the pool's new state come back to the bus thread,
// where the objects are updated before the reply goes out. A method only declares its parts
// (Method); the engine decides everything else. Whatever goes wrong on the way, the call is
// answered (ReplyGuard).
namespace volumes::bus {

// Answers an sdbus::Result: on the bus thread at once, from any other thread (a guard dropped
// on a worker) by posting the answer to the bus thread, the only one that may send.
template <class... Results>
class BusReplier {
public:
    BusReplier(sdbus::Result<Results...>&& result, BusLoop& loop)
        : result_(std::make_shared<sdbus::Result<Results...>>(std::move(result))), loop_(&loop)
    {
    }
    void returnResults(const Results&... values) const { result_->returnResults(values...); }
    void returnError(const sdbus::Error& error) const
    {
        if (loop_->on_bus_thread())
            return result_->returnError(error);
        loop_->post([result = result_, error] { result->returnError(error); });
    }

private:
    std::shared_ptr<sdbus::Result<Results...>> result_;
    BusLoop* loop_;
};

template <class... Results>
using Reply = ReplyGuard<BusReplier<Results...>>;
template <class... Results>
using SharedReply = std::shared_ptr<Reply<Results...>>;

// The outcome of an engine call that returns only success or an error.
struct Done {};
engine::Result<Done> done(engine::Result<void> result);

// What a call is about, as polkit's details and the log show it.
struct Target {
    std::string pool;  // also the worker queue, unless the method names another
    std::string volume;
    std::string operation;  // the method's name
    std::map<std::string, std::string> details{};  // more polkit details
};

// One method, declared: its polkit action and target, its parser, its engine call and how a
// success is answered. Errors from any part are answered as the engine named them.
template <class Request, class Outcome, class... Results>
struct Method {
    const char* action;
    Target target;
    // Bus thread, after authorization: the engine request from the call's arguments.
    std::function<engine::Result<Request>()> parse;
    // The worker: the engine call.
    std::function<engine::Result<Outcome>(engine::Engine&, const Request&)> run;
    // Bus thread, the objects already updated: the reply to a success (and jobs it starts).
    std::function<void(Reply<Results...>&, const Outcome&, uid_t)> answer;
    // Instead of `answer`, when set: given the reply itself, to answer later (when a job it
    // starts ends: Pool.RemoveMember with "move"); dropped unanswered, it answers Failed.
    std::function<void(const SharedReply<Results...>&, const Outcome&, uid_t)> answer_later{};
    // The worker queue; empty: the target pool's.
    std::string queue{};
    // The pool whose objects are read again after the call (nullopt: none); unset: the target pool.
    std::function<std::optional<std::string>(const engine::Result<Outcome>&)> shows{};
    bool shows_problems = false;  // Manager.Problems is read again too
};

class Pipeline {
public:
    Pipeline(engine::Engine& engine, BusLoop& loop, WorkQueues& queues, Authority& authority);
    // The objects the pipeline updates; set once, before the first call.
    void attach(ManagerObject& manager, ObjectTree& tree);

    template <class Request, class Outcome, class... Results>
    void run(const CallContext& call, sdbus::Result<Results...>&& result, Method<Request, Outcome, Results...> method);

    // The guard that answers the call if it is dropped.
    template <class... Results>
    SharedReply<Results...> guard(sdbus::Result<Results...>&& result, const Target& target)
    {
        return std::make_shared<Reply<Results...>>(BusReplier<Results...>(std::move(result), loop_),
                                                   CallName{target.pool, target.volume, target.operation});
    }

    // Runs `then` on the bus thread once the caller may do `action`; answers NotAuthorized (or
    // InvalidArgument for a malformed auth option) otherwise.
    template <class... Results>
    void authorize(const CallContext& call, const char* action, const Target& target,
                   const SharedReply<Results...>& reply, std::function<void(uid_t)> then)
    {
        reply->step("waiting for authorization");
        check(
            call, action, target, [reply](const sdbus::Error& error) { reply->fail(error); },
            [reply, then = std::move(then)](uid_t uid) { guarded(*reply, [&] { then(uid); }); });
    }

    // The caller's uid, for decisions that depend on who calls (Job.Cancel).
    Authority& authority() { return authority_; }

    // Bus thread: heals the pool (Healer), as after a call that left it unlike its metadata.
    void heal(const std::string& pool) { healer_.heal(pool); }

private:
    // What the bus shows after a call, read on the worker.
    struct Shown {
        std::optional<engine::Result<PoolSnapshot>> pool;
        std::optional<std::map<std::string, std::string>> kernel_targets;
        std::optional<std::vector<std::string>> problems;
    };

    void check(const CallContext& call, const char* action, const Target& target,
               std::function<void(const sdbus::Error&)> refuse, std::function<void(uid_t)> then);
    // Worker: the pool's new state (when `pool` is set; of the `touched` volumes only, when
    // set), the kernel targets (a change may have loaded a target module) and, when asked, the
    // engine's problems.
    Shown read_shown(const std::optional<std::string>& pool, bool problems,
                     const std::set<std::string>* touched = nullptr) const;
    // Bus thread: the objects become `shown`.
    void show(const std::optional<std::string>& pool, Shown shown);
    static void log_outcome(const Target& target, const engine::Error* error);

    engine::Engine& engine_;
    BusLoop& loop_;
    WorkQueues& queues_;
    Authority& authority_;
    ManagerObject* manager_ = nullptr;
    ObjectTree* tree_ = nullptr;
    Healer healer_;
};

template <class Request, class Outcome, class... Results>
void Pipeline::run(const CallContext& call, sdbus::Result<Results...>&& result,
                   Method<Request, Outcome, Results...> declared)
{
    using Declared = Method<Request, Outcome, Results...>;
    auto reply = guard(std::move(result), declared.target);
    auto method = std::make_shared<const Declared>(std::move(declared));
    authorize(call, method->action, method->target, reply, [this, reply, method](uid_t uid) {
        reply->step("checking the arguments");
        auto request = method->parse();
        if (!request)
            return reply->fail(to_bus_error(request.error()));
        reply->step("waiting for the pool's worker");
        const auto& queue = method->queue.empty() ? method->target.pool : method->queue;
        queues_.submit(queue, [this, reply, method, request = std::move(*request), uid]() mutable {
            reply->step("running on the pool's worker");
            engine::Result<Outcome> outcome = engine::fail(engine::ErrorCode::Failed, "the engine call did not run");
            const auto seq_before = engine_.committed_seq(method->target.pool);
            try {
                outcome = method->run(engine_, request);
            } catch (const std::exception& e) {
                outcome = engine::fail(engine::ErrorCode::Failed, fmt::format("unexpected failure: {}", e.what()));
            }
            auto pool = method->shows ? method->shows(outcome) : std::optional<std::string>(method->target.pool);
            const bool heal = !outcome && !method->target.pool.empty() && engine_.needs_healing(method->target.pool);
            std::optional<std::set<std::string>> touched;
            if (seq_before && pool == method->target.pool)
                touched = engine_.touched_since(*pool, *seq_before);
            auto shown = read_shown(pool, method->shows_problems, touched ? &*touched : nullptr);
            reply->step("waiting for the bus thread");
            loop_.post([this, reply, method, outcome = std::move(outcome), pool = std::move(pool),
                        shown = std::move(shown), uid, heal]() mutable {
                guarded(*reply, [&] {
                    reply->step("updating the objects");
                    show(pool, std::move(shown));
                    if (heal)
                        healer_.heal(method->target.pool);
                    log_outcome(method->target, outcome ? nullptr : &outcome.error());
                    if (!outcome)
                        return reply->fail(to_bus_error(outcome.error()));
                    reply->step("answering");
                    if (method->answer_later)
                        return method->answer_later(reply, *outcome, uid);
                    method->answer(*reply, *outcome, uid);
                });
            });
        });
    });
}

}  // namespace volumes::bus

#pragma once

#include <exception>
#include <string>
#include <utility>

#include <sdbus-c++/Error.h>

#include "service/bus/bus_errors.hpp"
#include "service/logging/log.hpp"

// A method call is answered exactly once, whatever happens to it on the way. sd-bus sends
// nothing for a call whose sdbus::Result is destroyed unanswered, and its caller would wait
// out its timeout; the guard answers instead.
namespace volumes::bus {

// Whom a call is about, for the log and for the answer to a dropped call.
struct CallName {
    std::string pool;
    std::string volume;
    std::string operation;  // the method's name
};

// `Replier` answers the caller: returnResults(values...) and returnError(const sdbus::Error&),
// as sdbus::Result has them (the pipeline's BusReplier), or a test's recorder. If the guard is
// destroyed unanswered (a step threw, a continuation was dropped), it answers
// org.example.Volumes.Error.Failed with the step the call was in, and logs it. Answers after
// the first are ignored. Not thread-safe: one step at a time owns the call.
template <class Replier>
class ReplyGuard {
public:
    ReplyGuard(Replier replier, CallName call) : replier_(std::move(replier)), call_(std::move(call)) {}
    ~ReplyGuard()
    {
        if (answered_)
            return;
        try {
            fail_unexpectedly(fmt::format("the call was dropped unanswered while {}", step_));
        } catch (...) {
            // Out of memory for the message: nothing better is left to do.
        }
    }
    ReplyGuard(const ReplyGuard&) = delete;
    ReplyGuard& operator=(const ReplyGuard&) = delete;

    const CallName& call() const { return call_; }
    bool answered() const { return answered_; }
    // What the call is doing now ("running on the pool's worker"): the reason given if it is dropped.
    void step(std::string what) { step_ = std::move(what); }

    // A reply that cannot be sent throws and leaves the call unanswered, for the guard to
    // answer Failed (sd-bus refuses a reply whose signature does not match the method's).
    template <class... Values>
    void reply(const Values&... values)
    {
        if (answered_)
            return;
        replier_.returnResults(values...);
        answered_ = true;
    }
    void fail(const sdbus::Error& error)
    {
        if (claim())
            answer_error(error);
    }
    // Failed with `reason`, logged as an error: for what no step meant to happen (an exception).
    void fail_unexpectedly(const std::string& reason) noexcept
    {
        if (!claim())
            return;
        try {
            logging::error({call_.pool, call_.volume, call_.operation}, "{} failed unexpectedly: {}", call_.operation,
                           reason);
            answer_error(sdbus::Error(error_name(engine::ErrorCode::Failed),
                                      fmt::format("{} failed unexpectedly: {}", call_.operation, reason)));
        } catch (...) {
            // Nothing is left to tell the caller with: the log or the connection is gone.
        }
    }

private:
    bool claim()
    {
        if (answered_)
            return false;
        answered_ = true;
        return true;
    }
    void answer_error(const sdbus::Error& error)
    {
        try {
            replier_.returnError(error);
        } catch (const std::exception& e) {
            logging::error({call_.pool, call_.volume, call_.operation}, "cannot answer {}: {}", call_.operation,
                           e.what());
        }
    }

    Replier replier_;
    CallName call_;
    std::string step_ = "starting";
    bool answered_ = false;
};

// Runs `body`; an exception it throws answers the call Failed (ReplyGuard::fail_unexpectedly)
// instead of escaping, so no step of a call ends without an answer or a next step.
template <class Guard, class Body>
void guarded(Guard& reply, Body&& body)
{
    try {
        body();
    } catch (const sdbus::Error& e) {
        reply.fail_unexpectedly(fmt::format("{}: {}", e.getName(), e.getMessage()));
    } catch (const std::exception& e) {
        reply.fail_unexpectedly(e.what());
    } catch (...) {
        reply.fail_unexpectedly("an unknown exception");
    }
}

}  // namespace volumes::bus

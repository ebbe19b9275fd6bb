// The pipeline's reply guard: a call whose reply is dropped unanswered is answered Failed,
// with the step it was in; a call is answered once.
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "service/bus/requests/reply_guard.hpp"
#include "service/bus/work_queues.hpp"

namespace volumes::bus {
namespace {

// What a caller got back: one entry per answer sent.
struct Answers {
    std::vector<std::string> errors;  // "<name>: <message>"
    std::vector<std::string> results;
};

// A replier like sdbus::Result<std::string>, recording instead of sending.
class Recorder {
public:
    explicit Recorder(std::shared_ptr<Answers> answers, bool refuse_results = false)
        : answers_(std::move(answers)), refuse_results_(refuse_results)
    {
    }
    // As sdbus::Result does when sd-bus refuses the reply (a signature the method does not have).
    void returnResults(const std::string& value) const
    {
        if (refuse_results_)
            throw sdbus::Error("org.freedesktop.DBus.Error.NoMessage", "Failed to send reply");
        answers_->results.push_back(value);
    }
    void returnError(const sdbus::Error& error) const
    {
        answers_->errors.push_back(error.getName() + ": " + error.getMessage());
    }

private:
    std::shared_ptr<Answers> answers_;
    bool refuse_results_;
};

using Guard = ReplyGuard<Recorder>;
const CallName remove_call{"tank", "data", "Remove"};

TEST(ReplyGuard, AnswersADroppedReplyFailedWithTheStep)
{
    auto answers = std::make_shared<Answers>();
    {
        Guard reply(Recorder(answers), remove_call);
        reply.step("running on the pool's worker");
    }
    ASSERT_EQ(answers->errors.size(), 1u);
    EXPECT_TRUE(answers->results.empty());
    EXPECT_TRUE(answers->errors[0].starts_with("org.example.Volumes.Error.Failed: Remove failed unexpectedly"))
        << answers->errors[0];
    EXPECT_NE(answers->errors[0].find("dropped unanswered while running on the pool's worker"), std::string::npos)
        << answers->errors[0];
}

TEST(ReplyGuard, AnswersADroppedContinuation)
{
    // A continuation holding the reply is destroyed without running: here a task submitted to
    // work queues that are shut down.
    auto answers = std::make_shared<Answers>();
    auto reply = std::make_shared<Guard>(Recorder(answers), remove_call);
    reply->step("waiting for the pool's worker");
    WorkQueues queues;
    queues.shutdown();
    queues.submit("tank", [reply] { reply->reply("never"); });
    EXPECT_TRUE(answers->errors.empty()) << "answered while a continuation still holds the reply";
    reply.reset();
    ASSERT_EQ(answers->errors.size(), 1u);
    EXPECT_NE(answers->errors[0].find("while waiting for the pool's worker"), std::string::npos) << answers->errors[0];
    EXPECT_TRUE(answers->results.empty());
}

TEST(ReplyGuard, AnExceptionInAStepAnswersFailedWithItsReason)
{
    auto answers = std::make_shared<Answers>();
    {
        Guard reply(Recorder(answers), remove_call);
        guarded(reply, [] { throw std::runtime_error("cannot export volume 'data': File exists"); });
        EXPECT_TRUE(reply.answered());
    }
    ASSERT_EQ(answers->errors.size(), 1u);
    EXPECT_NE(answers->errors[0].find("org.example.Volumes.Error.Failed: Remove failed unexpectedly: cannot export "
                                      "volume 'data': File exists"),
              std::string::npos)
        << answers->errors[0];
}

TEST(ReplyGuard, AReplyThatCannotBeSentIsAnsweredFailed)
{
    auto answers = std::make_shared<Answers>();
    {
        Guard reply(Recorder(answers, true), remove_call);
        guarded(reply, [&] { reply.reply("/org/example/Volumes/volumes/tank/data"); });
    }
    ASSERT_EQ(answers->errors.size(), 1u);
    EXPECT_NE(answers->errors[0].find("Remove failed unexpectedly: org.freedesktop.DBus.Error.NoMessage: Failed to send "
                                      "reply"),
              std::string::npos)
        << answers->errors[0];
}

TEST(ReplyGuard, AnswersOnlyOnce)
{
    auto answers = std::make_shared<Answers>();
    {
        Guard reply(Recorder(answers), remove_call);
        reply.reply("/org/example/Volumes/volumes/tank/data");
        reply.fail(sdbus::Error("org.example.Volumes.Error.Busy", "too late"));
        reply.fail_unexpectedly("too late as well");
        reply.reply("again");
    }
    EXPECT_EQ(answers->results, std::vector<std::string>{"/org/example/Volumes/volumes/tank/data"});
    EXPECT_TRUE(answers->errors.empty());

    auto refused = std::make_shared<Answers>();
    {
        Guard reply(Recorder(refused), remove_call);
        reply.fail(sdbus::Error("org.example.Volumes.Error.NotFound", "no volume 'data'"));
    }
    EXPECT_EQ(refused->errors, std::vector<std::string>{"org.example.Volumes.Error.NotFound: no volume 'data'"});
}

}  // namespace
}  // namespace volumes::bus

#include "service/executor/step_phase.hpp"

#include <type_traits>

#include <fmt/core.h>

namespace volumes::executor {

Phase phase_of(const planner::Step& step)
{
    return std::visit(
        [](const auto& s) {
            using S = std::decay_t<decltype(s)>;
            if constexpr (std::is_same_v<S, planner::Create>)
                return Phase::Create;
            else if constexpr (std::is_same_v<S, planner::Load> || std::is_same_v<S, planner::LoadError> ||
                               std::is_same_v<S, planner::ResumeNewChild>)
                return Phase::Preload;
            else if constexpr (std::is_same_v<S, planner::Suspend>)
                return Phase::Suspend;
            else if constexpr (std::is_same_v<S, planner::CommitMetadata>)
                return Phase::Commit;
            else if constexpr (std::is_same_v<S, planner::Resume>)
                return Phase::Resume;
            else if constexpr (std::is_same_v<S, planner::Rename>)
                return Phase::Rename;
            else if constexpr (std::is_same_v<S, planner::Remove>)
                return Phase::Remove;
            else
                return Phase::WaitForUdev;
        },
        step);
}

std::optional<std::string_view> fault_point_after(Phase phase)
{
    switch (phase) {
    case Phase::Create: return "created";
    case Phase::Preload: return "preloaded";
    case Phase::Suspend: return "suspended";
    case Phase::Commit: return "committed";
    case Phase::Resume: return "resumed";
    case Phase::Rename: return "renamed";
    case Phase::Remove: return "removed";
    case Phase::WaitForUdev: return std::nullopt;
    }
    return std::nullopt;
}

Result<void> check_phase_order(const planner::Plan& plan)
{
    int commits = 0;
    Phase reached = Phase::Preload;
    for (const auto& step : plan.steps) {
        const auto phase = phase_of(step);
        if (phase == Phase::Create)
            return fail(ErrorCode::Refused,
                        fmt::format("the plan still creates a device once every new one exists: {}",
                                    planner::to_string(step)));
        if (phase < reached)
            return fail(ErrorCode::Refused,
                        fmt::format("the plan runs '{}' after a later kind of step", planner::to_string(step)));
        reached = phase;
        commits += phase == Phase::Commit ? 1 : 0;
    }
    if (commits != 1)
        return fail(ErrorCode::Refused, fmt::format("the plan commits the metadata {} times, not once", commits));
    return {};
}

}  // namespace volumes::executor

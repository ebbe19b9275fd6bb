#include "service/model/extent_move_codec.hpp"

#include <fmt/core.h>

namespace volumes::model {

namespace {

using nlohmann::json;

json encode_run(const ExtentRun& run)
{
    return {{"member", run.member.to_string()}, {"start", run.start}, {"count", run.count}};
}

Result<ExtentRun> decode_run(const json& value, std::string path)
{
    auto fields = JsonFields::open(value, std::move(path));
    if (!fields)
        return std::unexpected(fields.error());
    const auto member = fields->uuid("member");
    if (!member)
        return std::unexpected(member.error());
    const auto start = fields->u64("start");
    if (!start)
        return std::unexpected(start.error());
    const auto count = fields->u64("count");
    if (!count)
        return std::unexpected(count.error());
    if (const auto other = fields->no_other_keys(); !other)
        return std::unexpected(other.error());
    return ExtentRun{*member, *start, *count};
}

Result<MovedRun> decode_moved_run(const json& value, std::string path)
{
    auto fields = JsonFields::open(value, path);
    if (!fields)
        return std::unexpected(fields.error());
    MovedRun moved;
    const auto volume = fields->uuid("volume");
    if (!volume)
        return std::unexpected(volume.error());
    moved.volume = *volume;
    const auto from = fields->object("from");
    if (!from)
        return std::unexpected(from.error());
    auto from_run = decode_run(**from, path + ".from");
    if (!from_run)
        return std::unexpected(from_run.error());
    moved.from = *from_run;
    const auto to = fields->array("to");
    if (!to)
        return std::unexpected(to.error());
    for (std::size_t i = 0; i < (*to)->size(); ++i) {
        auto run = decode_run((**to)[i], fmt::format("{}.to[{}]", path, i));
        if (!run)
            return std::unexpected(run.error());
        moved.to.push_back(*run);
    }
    if (const auto other = fields->no_other_keys(); !other)
        return std::unexpected(other.error());
    return moved;
}

}  // namespace

json encode_extent_move(const ExtentMove& move)
{
    json runs = json::array();
    for (const auto& moved : move.runs) {
        json to = json::array();
        for (const auto& run : moved.to)
            to.push_back(encode_run(run));
        runs.push_back({{"volume", moved.volume.to_string()}, {"from", encode_run(moved.from)}, {"to", std::move(to)}});
    }
    json encoded = {{"member", move.member.to_string()},
                    {"remove_member", move.remove_member},
                    {"copying", move.copying},
                    {"runs", std::move(runs)}};
    if (move.max_rate_kibs)
        encoded["max_rate_kibs"] = *move.max_rate_kibs;
    return encoded;
}

Result<ExtentMove> decode_extent_move(const json& value, std::string path)
{
    auto fields = JsonFields::open(value, path);
    if (!fields)
        return std::unexpected(fields.error());
    ExtentMove move;
    const auto member = fields->uuid("member");
    if (!member)
        return std::unexpected(member.error());
    move.member = *member;
    const auto remove = fields->boolean("remove_member");
    if (!remove)
        return std::unexpected(remove.error());
    move.remove_member = *remove;
    const auto copying = fields->boolean("copying");
    if (!copying)
        return std::unexpected(copying.error());
    move.copying = *copying;
    if (fields->has("max_rate_kibs")) {
        const auto rate = fields->u32("max_rate_kibs");
        if (!rate)
            return std::unexpected(rate.error());
        move.max_rate_kibs = *rate;
    }
    const auto runs = fields->array("runs");
    if (!runs)
        return std::unexpected(runs.error());
    for (std::size_t i = 0; i < (*runs)->size(); ++i) {
        auto moved = decode_moved_run((**runs)[i], fmt::format("{}.runs[{}]", path, i));
        if (!moved)
            return std::unexpected(moved.error());
        move.runs.push_back(std::move(*moved));
    }
    if (const auto other = fields->no_other_keys(); !other)
        return std::unexpected(other.error());
    return move;
}

}  // namespace volumes::model

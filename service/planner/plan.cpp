#include "service/planner/plan.hpp"

#include <fmt/core.h>

namespace volumes::planner {

namespace {

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

const char* read_only_word(bool read_only)
{
    return read_only ? " read-only" : "";
}

// Visible, the common case, is not spelled out.
std::string identity_words(kmod::UdevIdentity identity)
{
    if (identity == kmod::UdevIdentity::Visible)
        return {};
    return fmt::format(" as {}", kmod::to_string(identity));
}

const char* awaited_word(bool awaited)
{
    return awaited ? " awaited" : "";
}

std::string table_text(const kmod::Table& table)
{
    std::string text;
    for (const auto& line : table) {
        if (!text.empty())
            text += " | ";
        text += line.to_string();
    }
    return text;
}

}  // namespace

std::string to_string(const Step& step)
{
    return std::visit(
        overloaded{
            [](const Create& s) { return fmt::format("create {} {}{}", s.name, s.uuid, read_only_word(s.read_only)); },
            [](const Load& s) {
                return fmt::format("load {}{}: {}", s.uuid, read_only_word(s.read_only), table_text(s.table));
            },
            [](const LoadError& s) { return fmt::format("load-error {} {}", s.uuid, s.length); },
            [](const ResumeNewChild& s) {
                return fmt::format("resume-new-child {}{}{}{}", s.uuid, identity_words(s.udev_identity),
                                   awaited_word(s.awaited), s.grown_from ? " grown" : "");
            },
            [](const Suspend& s) {
                return fmt::format("suspend {} {} {}{}", s.uuid, s.no_flush ? "no-flush" : "flush",
                                   s.skip_lockfs ? "skip-lockfs" : "lockfs",
                                   s.udev_identity ? identity_words(*s.udev_identity) : " as udev knows it");
            },
            [](const CommitMetadata&) { return std::string("commit-metadata"); },
            [](const Resume& s) {
                return fmt::format("resume {}{}{}", s.uuid, identity_words(s.udev_identity), awaited_word(s.awaited));
            },
            [](const Rename& s) {
                return fmt::format("rename {} {} to {}{}", s.uuid, s.old_name, s.name, identity_words(s.udev_identity));
            },
            [](const Remove& s) { return fmt::format("remove {}", s.uuid); },
            [](const WaitForUdev&) { return std::string("wait-for-udev"); },
        },
        step);
}

std::string to_string(const Plan& plan)
{
    std::string text;
    for (const auto& step : plan.steps) {
        text += to_string(step);
        text += '\n';
    }
    return text;
}

}  // namespace volumes::planner

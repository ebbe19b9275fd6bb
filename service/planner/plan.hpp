#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kmod/table_line.hpp"
#include "kmod/udev_identity.hpp"

namespace volumes::planner {

// The steps of one transaction. Every step but Create names its device by dm uuid.

// Resume, ResumeNewChild and Suspend carry the device's udev identity: the resume (or, for
// Suspend, a revert's resume) announces it on the uevent udev's rules act on. A device leaving
// the graph is Internal on its last resume, to its error table; a revert resumes it as udev
// already knows it (no identity).

// A new device with no table yet.
struct Create {
    std::string name;
    std::string uuid;
    bool read_only = false;
    bool operator==(const Create&) const = default;
};

// Load `table` as the device's inactive table; it goes live on the next Resume.
struct Load {
    std::string uuid;
    kmod::Table table;
    bool read_only = false;
    bool operator==(const Load&) const = default;
};

// Load "0 <length> error" as the inactive table of a device that leaves the graph.
struct LoadError {
    std::string uuid;
    std::uint64_t length = 0;
    bool operator==(const LoadError&) const = default;
};

// Resume a new device during the preload, before its parents' tables are loaded: a device
// has size 0 until its first table is live, and targets such as raid check their
// components' sizes when their table is loaded (lvm resumes a child that grew the same way).
// It maps only extents the committed metadata leaves free, and nothing uses it until its
// parents resume after the commit.
// Also a live device under a raid whose new table maps what its live one maps, unchanged, and
// more at its end (a raid1 image that grew): it goes live larger without suspending the raid,
// whose table, loaded next, checks the images' sizes. `grown_from` is its live table then,
// which a revert loads back.
struct ResumeNewChild {
    std::string uuid;
    kmod::UdevIdentity udev_identity = kmod::UdevIdentity::Visible;
    bool awaited = false;  // see Resume
    std::optional<kmod::Table> grown_from;
    bool operator==(const ResumeNewChild&) const = default;
};

struct Suspend {
    std::string uuid;
    bool no_flush = false;
    bool skip_lockfs = true;
    std::optional<kmod::UdevIdentity> udev_identity = kmod::UdevIdentity::Visible;  // for a revert
    bool operator==(const Suspend&) const = default;
};

// Make the precommitted metadata the committed one. Every plan has exactly one.
struct CommitMetadata {
    bool operator==(const CommitMetadata&) const = default;
};

struct Resume {
    std::string uuid;
    kmod::UdevIdentity udev_identity = kmod::UdevIdentity::Visible;
    // The caller waits for udev to finish with this resume's events: the device is new to
    // udev and not internal, so its /dev node and links are part of what the caller asked
    // for. Other resumes (internal layers, a table changed under an existing node) udev
    // finishes after the reply.
    bool awaited = false;
    bool operator==(const Resume&) const = default;
};

// Give a device that stays its new name (its volume was renamed); after the commit, since the
// committed metadata is what names it.
struct Rename {
    std::string uuid;
    std::string old_name;  // the kernel finds the device to rename by its name only
    std::string name;
    kmod::UdevIdentity udev_identity = kmod::UdevIdentity::Visible;
    bool operator==(const Rename&) const = default;
};

struct Remove {
    std::string uuid;
    bool operator==(const Remove&) const = default;
};

// Wait once for udev to finish with every awaited resume and every remove before it (a
// removed device's node is gone when the caller is answered).
struct WaitForUdev {
    bool operator==(const WaitForUdev&) const = default;
};

using Step =
    std::variant<Create, Load, LoadError, ResumeNewChild, Suspend, CommitMetadata, Resume, Rename, Remove, WaitForUdev>;

// The steps in the order they must run.
struct Plan {
    std::vector<Step> steps;
    bool operator==(const Plan&) const = default;
};

// One line, e.g. "suspend VOLUMES-x no-flush skip-lockfs", "resume VOLUMES-x-cow as internal" or
// "load VOLUMES-x read-only: 0 100 linear 8:16 0 | 100 50 linear 8:32 0".
std::string to_string(const Step& step);
// One step per line, each ending in '\n'.
std::string to_string(const Plan& plan);

}  // namespace volumes::planner

#include "pool_fixture.hpp"

#include <stdexcept>
#include <string>

namespace volumes::model::testing {

Pool valid_pool()
{
    Pool pool;
    pool.uuid = uuid_of(0xf0);
    pool.name = "tank";
    pool.extent_size = 4 * MiB;
    pool.members = {{member_a, 100}, {member_b, 100}, {member_c, 100}};

    const Uuid lin = uuid_of(0x01);
    const Uuid mirror = uuid_of(0x02);
    const Uuid split = uuid_of(0x03);
    const Uuid tpool = uuid_of(0x06);

    pool.volumes.push_back({lin, "lin", true, LinearLayout{{{member_a, 0, 10}, {member_b, 0, 5}}}});
    pool.volumes.push_back({mirror, "mirror", true,
                            Raid1Layout{512 * KiB,
                                        {
                                            {{{member_a, 10, 1}}, {{member_a, 11, 20}}, std::nullopt},
                                            {{{member_b, 5, 1}}, {{member_b, 6, 20}}, std::nullopt},
                                            {{{member_c, 0, 1}}, {{member_c, 1, 20}}, split},
                                        }}});
    pool.volumes.push_back({split, "split", true, TrackedImageLayout{mirror, 2}});
    pool.volumes.push_back(
        {uuid_of(0x04), "snap", true, SnapshotLayout{lin, {{member_a, 31, 4}}, 64 * KiB, SnapshotMergeState::None}});
    pool.volumes.push_back({uuid_of(0x05), "msnap", true,
                            SnapshotLayout{mirror, {{member_c, 21, 2}}, 4 * KiB, SnapshotMergeState::Pending}});
    pool.volumes.push_back({tpool, "tpool", true,
                            ThinPoolLayout{{{member_b, 26, 1}},
                                           {{member_b, 27, 40}},
                                           64 * KiB,
                                           10,
                                           true,
                                           3,
                                           std::nullopt,
                                           3}});
    pool.volumes.push_back({uuid_of(0x07), "thin1", true, ThinLayout{tpool, 1, std::nullopt, GiB}});
    pool.volumes.push_back({uuid_of(0x08), "thin2", true, ThinLayout{tpool, 2, 1, GiB}});
    pool.volumes.push_back({uuid_of(0x09), "idle", false, LinearLayout{{{member_c, 30, 3}}}});
    return pool;
}

Volume& volume_named(Pool& pool, std::string_view name)
{
    for (auto& volume : pool.volumes)
        if (volume.name == name)
            return volume;
    throw std::out_of_range("the test pool has no volume named " + std::string(name));
}

}  // namespace volumes::model::testing

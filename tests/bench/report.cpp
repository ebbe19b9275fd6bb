#include "report.hpp"

#include <fmt/core.h>

namespace volumes::bench {

namespace {

double median_of(const std::vector<CycleTimes>& runs, double CycleTimes::*field)
{
    std::vector<double> values;
    for (const auto& run : runs)
        values.push_back(run.*field);
    return bench::median_of(std::move(values));
}

void print_row(const std::string& label, const CycleTimes& times)
{
    fmt::print("  {:<16} {:>10.3f} {:>12.3f} {:>14.3f} {:>10.3f}\n", label, times.split, times.merge_call,
               times.until_synced, times.total);
}

void print_header()
{
    fmt::print("  {:<16} {:>10} {:>12} {:>14} {:>10}\n", "", "split (s)", "merge call", "merge->synced",
               "total (s)");
}

}  // namespace

CycleTimes median(const std::vector<CycleTimes>& runs)
{
    return {median_of(runs, &CycleTimes::split), median_of(runs, &CycleTimes::merge_call),
            median_of(runs, &CycleTimes::until_synced), median_of(runs, &CycleTimes::total)};
}

void print_report(const BenchSettings& settings, const std::vector<CycleTimes>& volumesd,
                  const std::vector<CycleTimes>& lvm)
{
    fmt::print("\nraid1 split-track + merge: volumesd (D-Bus) vs lvm2 (lvconvert)\n");
    fmt::print("kernel {}, raid1 of 2 legs, {} MiB array, region {} KiB, {} MiB written while split, {} runs\n\n",
               settings.kernel, settings.array_mib, settings.region_kib, settings.write_mib, settings.repeats);
    print_header();
    for (std::size_t i = 0; i < volumesd.size(); ++i)
        print_row(fmt::format("volumesd run {}", i + 1), volumesd[i]);
    for (std::size_t i = 0; i < lvm.size(); ++i)
        print_row(fmt::format("lvm2 run {}", i + 1), lvm[i]);

    const CycleTimes ours = median(volumesd);
    const CycleTimes theirs = median(lvm);
    fmt::print("\nmedians\n");
    print_header();
    print_row("volumesd", ours);
    print_row("lvm2", theirs);
    fmt::print("  {:<16} {:>10} {:>12} {:>14} {:>10}\n", "volumesd/lvm2", ratio(ours.split, theirs.split),
               ratio(ours.merge_call, theirs.merge_call), ratio(ours.until_synced, theirs.until_synced),
               ratio(ours.total, theirs.total));
}

}  // namespace volumes::bench

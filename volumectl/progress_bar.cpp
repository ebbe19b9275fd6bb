#include "progress_bar.hpp"

#include <chrono>
#include <cstdio>

#include <fmt/core.h>
#include <unistd.h>

#include "sizes.hpp"

namespace volumectl {

std::string render_progress(const volumes::client::JobInfo& job, int width)
{
    const double ratio = job.progress_valid ? std::min(1.0, std::max(0.0, job.progress)) : 0.0;
    const int filled = static_cast<int>(ratio * width);
    std::string bar = "[" + std::string(static_cast<std::size_t>(filled), '#') +
                      std::string(static_cast<std::size_t>(width - filled), '-') + "]";
    std::string out = fmt::format("{} {} {}", job.operation, bar,
                                  job.progress_valid ? fmt::format("{:5.1f}%", ratio * 100.0) : "    ?");
    if (job.rate > 0)
        out += fmt::format("  {}/s", format_size(job.rate));
    if (job.expected_end_time > 0) {
        const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        const long long left = (static_cast<long long>(job.expected_end_time) - now) / 1000000;
        if (left >= 0)
            out += fmt::format("  {}:{:02} left", left / 60, left % 60);
    }
    return out;
}

ProgressBar::ProgressBar(bool wanted) : shown_(wanted && ::isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar()
{
    finish();
}

void ProgressBar::update(const volumes::client::JobInfo& job)
{
    if (!shown_)
        return;
    std::fprintf(stderr, "\r\033[K%s", render_progress(job, 30).c_str());
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressBar::finish()
{
    if (drawn_) {
        std::fputc('\n', stderr);
        std::fflush(stderr);
    }
    drawn_ = false;
}

}  // namespace volumectl

#pragma once

#include <string>

#include <volumes/client/objects.hpp>

namespace volumectl {

// A one-line progress bar redrawn in place on stderr, shown only when stderr is a
// terminal (and not turned off).
class ProgressBar {
public:
    explicit ProgressBar(bool wanted);
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;
    ~ProgressBar();

    void update(const volumes::client::JobInfo& job);
    // Ends the line the bar was drawn on.
    void finish();

private:
    bool shown_ = false;
    bool drawn_ = false;
};

// "[#########-----------]  45.0%  1.2 MiB/s  0:12 left" (without the rate or time when
// the job does not know them).
std::string render_progress(const volumes::client::JobInfo& job, int width);

}  // namespace volumectl

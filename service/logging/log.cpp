#include "service/logging/log.hpp"

#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <vector>

#include <systemd/sd-journal.h>

#include "service/logging/bounded_text.hpp"
#include "service/logging/journal_fields.hpp"
#include "service/logging/stderr_line.hpp"

namespace volumes::logging {
namespace {

// Until configure() runs, messages go to stderr.
std::atomic<Sink> chosen_sink{Sink::Stderr};
std::atomic<Level> chosen_threshold{Level::Info};

bool journal_socket_present()
{
    struct stat status {};
    return ::stat("/run/systemd/journal/socket", &status) == 0 && S_ISSOCK(status.st_mode);
}

Sink resolve(Sink sink)
{
    if (sink != Sink::Automatic)
        return sink;
    if (::isatty(STDERR_FILENO) == 1 || !journal_socket_present())
        return Sink::Stderr;
    return Sink::Journal;
}

void write_stderr(Level level, const Fields& fields, std::string_view message)
{
    auto line = stderr_line(level, fields, message);
    line += '\n';
    // One fwrite per line: stdio locks the stream for the call, so lines logged by different
    // threads never interleave.
    std::fwrite(line.data(), 1, line.size(), stderr);
}

bool write_journal(Level level, const Fields& fields, std::string_view message)
{
    auto entry = journal_fields(level, fields, message);
    std::vector<iovec> vectors;
    vectors.reserve(entry.size());
    for (auto& field : entry)
        vectors.push_back(iovec{.iov_base = field.data(), .iov_len = field.size()});
    return ::sd_journal_sendv(vectors.data(), static_cast<int>(vectors.size())) >= 0;
}

}  // namespace

void configure(Sink sink, Level threshold)
{
    chosen_sink.store(resolve(sink));
    chosen_threshold.store(threshold);
}

void write(Level level, const Fields& fields, std::string_view message)
{
    if (level < chosen_threshold.load())
        return;
    const auto pool = bounded_text(fields.pool, max_field_bytes);
    const auto volume = bounded_text(fields.volume, max_field_bytes);
    const auto operation = bounded_text(fields.operation, max_field_bytes);
    const Fields bounded_fields{pool, volume, operation};
    const auto bounded_message = bounded_text(message, max_message_bytes);
    if (chosen_sink.load() == Sink::Journal && write_journal(level, bounded_fields, bounded_message))
        return;
    write_stderr(level, bounded_fields, bounded_message);
}

}  // namespace volumes::logging

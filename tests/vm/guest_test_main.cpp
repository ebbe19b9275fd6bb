// main() for test binaries that run inside the qemu guest.
//
// When VOLUMES_GUEST_RESULTS is set (guest-main.sh sets it), every test leaves
//   $VOLUMES_GUEST_RESULTS/results/<Suite.Test>.status  "passed", "failed" or "skipped"
//   $VOLUMES_GUEST_RESULTS/results/<Suite.Test>.log     its failure messages and duration
// for guest-result.sh to report on the host, one ctest entry per test. A '/' in a
// test name (parameterized tests) is written as "%2F". Without the variable this is
// a plain gtest main, which is what test discovery (--gtest_list_tests) runs.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>

namespace {

namespace fs = std::filesystem;

std::string file_name_for(const testing::TestInfo& info) {
  std::string name = std::string(info.test_suite_name()) + "." + info.name();
  std::string encoded;
  for (char c : name) {
    if (c == '/') {
      encoded += "%2F";
    } else {
      encoded += c;
    }
  }
  return encoded;
}

// Written under a temporary name and renamed, so a reader never sees half a file.
void write_file(const fs::path& path, std::string_view content) {
  fs::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) {
      std::fprintf(stderr, "guest-test-main: cannot write %s\n", temporary.c_str());
      std::abort();
    }
  }
  fs::rename(temporary, path);
}

class ResultFileWriter : public testing::EmptyTestEventListener {
 public:
  explicit ResultFileWriter(fs::path directory) : directory_(std::move(directory)) {}

  void OnTestStart(const testing::TestInfo& info) override {
    messages_.str({});
    started_ = std::chrono::steady_clock::now();
    // Replaced in OnTestEnd; left in place it tells the host the test never finished.
    write_file(directory_ / (file_name_for(info) + ".log"),
               "started in the guest but never finished: the binary crashed, aborted or was "
               "killed during this test (see the binary's log)\n");
  }

  void OnTestPartResult(const testing::TestPartResult& result) override {
    const char* kind = result.skipped() ? "skip" : result.fatally_failed() ? "fatal failure" : result.failed() ? "failure" : "success";
    messages_ << (result.file_name() ? result.file_name() : "unknown file") << ":" << result.line_number()
              << ": " << kind << "\n"
              << result.message() << "\n";
  }

  void OnTestEnd(const testing::TestInfo& info) override {
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_);
    const testing::TestResult& result = *info.result();
    const char* status = result.Skipped() ? "skipped" : result.Failed() ? "failed" : "passed";
    std::ostringstream log;
    log << info.test_suite_name() << "." << info.name() << ": " << status << " in the guest after " << elapsed.count()
        << " ms\n"
        << messages_.str();
    const std::string base = file_name_for(info);
    write_file(directory_ / (base + ".log"), log.str());
    write_file(directory_ / (base + ".status"), status);
  }

 private:
  fs::path directory_;
  std::ostringstream messages_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  if (const char* results = std::getenv("VOLUMES_GUEST_RESULTS"); results != nullptr && *results != '\0') {
    fs::path directory = fs::path(results) / "results";
    std::error_code error;
    fs::create_directories(directory, error);
    if (error) {
      std::fprintf(stderr, "guest-test-main: cannot create %s: %s\n", directory.c_str(), error.message().c_str());
      return 2;
    }
    testing::UnitTest::GetInstance()->listeners().Append(new ResultFileWriter(std::move(directory)));
  }
  return RUN_ALL_TESTS();
}

// Issue 13: an Executor task may return void (the Process(target=...) idiom). Its effect here is a
// file, so the root can see that the task ran on whichever rank ran it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <unistd.h>

#include <taskfarm/executor.hpp>

namespace {

void touch(std::string const& path) {
    if (path.ends_with("/bad")) throw std::runtime_error("bad path");
    std::ofstream(path) << "ran\n";
}
TASKFARM_TASK(touch);

TEST(ExecutorVoid, VoidTasksRunAndReportFailures) {
    taskfarm::Executor ex;
    if (!ex.is_root()) return;
    auto const dir = std::filesystem::temp_directory_path() / ("taskfarm_void_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto one = ex.submit(touch, (dir / "one").string());
    static_assert(std::is_same_v<decltype(one), taskfarm::Future<void>>);
    one.get();
    EXPECT_TRUE(std::filesystem::exists(dir / "one"));

    std::vector<std::string> paths;
    for (int i = 0; i < 8; ++i) paths.push_back((dir / std::to_string(i)).string());
    static_assert(std::is_void_v<decltype(ex.map(touch, paths))>);
    ex.map(touch, paths);
    for (auto const& p : paths) EXPECT_TRUE(std::filesystem::exists(p)) << p;

    auto bad = ex.submit(touch, (dir / "bad").string());
    try {
        bad.get();
        FAIL() << "no TaskError";
    } catch (taskfarm::TaskError const& e) {
        EXPECT_NE(std::string(e.what()).find("bad path"), std::string::npos);
    }
    std::filesystem::remove_all(dir);
}

}  // namespace

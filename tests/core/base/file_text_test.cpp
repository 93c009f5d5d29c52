#include "core/base/atomic_file.h"
#include "core/base/file_text.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>

using namespace timeslice;

namespace {

const std::size_t kPage = std::size_t(sysconf(_SC_PAGESIZE));

std::string filled(std::size_t n, char c = 'x')
{
    std::string s(n, c);
    for (std::size_t i = 0; i < n; i += 97)
        s[i] = char('a' + i % 26);
    return s;
}

// Every byte of [from, to) read, through volatile so no read is left out.
std::string read_bytes(const char* from, std::size_t n)
{
    std::string out(n, '\0');
    const volatile char* p = from;
    for (std::size_t i = 0; i < n; ++i)
        out[i] = p[i];
    return out;
}

} // namespace

// A regular file is mapped, not copied: its text is the file byte for byte, followed by the
// padding asked for, all zeros, whether the file ends inside a page or exactly at one.
TEST(FileText, ARegularFileIsMappedWholeWithZerosPastItsEnd)
{
    for (const std::size_t size : { std::size_t(300'001), 2 * kPage, std::size_t(1) }) {
        const std::string content = filled(size);
        const std::string path = test::temp_path("timeslice-file-text.txt");
        ASSERT_EQ(write_file_atomically(path, content), "");
        FileText file;
        std::string error;
        ASSERT_TRUE(file.open(path, error, 1 << 20, 64)) << error;
        EXPECT_TRUE(file.mapped()) << size;
        EXPECT_FALSE(file.truncated());
        EXPECT_EQ(file.text(), content) << size;
        ASSERT_GE(file.capacity(), file.size() + 64) << size;
        EXPECT_EQ(read_bytes(file.data() + size, 64), std::string(64, '\0')) << size;
        std::remove(path.c_str());
    }
}

// What cannot be mapped is read into memory: a pipe, an empty file, a /proc file (whose size
// says 0); each with its padding.
TEST(FileText, APipeAnEmptyFileAndAProcFileAreReadIntoMemory)
{
    const std::string content = filled(200'000);
    FileText piped;
    std::string error;
    {
        const test::FilledPipe pipe(content);
        ASSERT_TRUE(piped.open(pipe.path(), error, 1 << 20, 64)) << error;
    }
    EXPECT_FALSE(piped.mapped());
    EXPECT_EQ(piped.text(), content);
    EXPECT_GE(piped.capacity(), piped.size() + 64);

    const std::string path = test::temp_path("timeslice-file-text-empty.txt");
    ASSERT_EQ(write_file_atomically(path, ""), "");
    FileText empty;
    ASSERT_TRUE(empty.open(path, error, 1 << 20, 64)) << error;
    EXPECT_FALSE(empty.mapped());
    EXPECT_EQ(empty.size(), 0u);
    EXPECT_GE(empty.capacity(), 64u);
    std::remove(path.c_str());

    FileText status;
    ASSERT_TRUE(status.open("/proc/self/status", error, 1 << 20, 64)) << error;
    EXPECT_FALSE(status.mapped());
    EXPECT_NE(status.text().find("VmRSS:"), std::string_view::npos);
}

TEST(FileText, AMissingFileADirectoryAndAFileOverTheLimitSayWhy)
{
    FileText file;
    std::string error;
    EXPECT_FALSE(file.open("/nonexistent/timeslice.json", error, 1 << 20, 64));
    EXPECT_NE(error.find("cannot open '/nonexistent/timeslice.json'"), std::string::npos) << error;
    EXPECT_FALSE(file.open("/tmp", error, 1 << 20, 64));
    EXPECT_NE(error.find("it is a directory"), std::string::npos) << error;

    const std::string path = test::temp_path("timeslice-file-text-big.txt");
    ASSERT_EQ(write_file_atomically(path, filled(3 << 20)), "");
    EXPECT_FALSE(file.open(path, error, 1 << 20, 64));
    EXPECT_EQ(error, "'" + path + "' is larger than 1 MiB");
    std::remove(path.c_str());
}

// Another program shortens the file while it is read: the pages past its new end would kill
// the reader with SIGBUS. They read as zeros instead and the file says it was cut short; a
// file read at the same time is not marked, and the next open sees the new size.
TEST(FileText, AFileCutShortWhileReadReadsAsZerosPastItsNewEndAndSaysSo)
{
    const std::string content = filled(4 * kPage + 100);
    const std::string path = test::temp_path("timeslice-file-text-cut.txt");
    const std::string other_path = test::temp_path("timeslice-file-text-other.txt");
    ASSERT_EQ(write_file_atomically(path, content), "");
    ASSERT_EQ(write_file_atomically(other_path, content), "");
    FileText file, other;
    std::string error;
    ASSERT_TRUE(file.open(path, error, 1 << 20, 64)) << error;
    ASSERT_TRUE(other.open(other_path, error, 1 << 20, 64)) << error;
    ASSERT_TRUE(file.mapped());

    ASSERT_EQ(truncate(path.c_str(), off_t(kPage)), 0);
    const std::string seen = read_bytes(file.data(), file.size());
    EXPECT_EQ(seen.substr(0, kPage), content.substr(0, kPage));
    EXPECT_EQ(seen.substr(kPage), std::string(content.size() - kPage, '\0'));
    EXPECT_TRUE(file.truncated());
    EXPECT_EQ(other.text(), content);
    EXPECT_FALSE(other.truncated());

    FileText again;
    ASSERT_TRUE(again.open(path, error, 1 << 20, 64)) << error;
    EXPECT_EQ(again.text(), content.substr(0, kPage));
    EXPECT_FALSE(again.truncated());
    std::remove(path.c_str());
    std::remove(other_path.c_str());
}

// The guard only mends the files it mapped: a SIGBUS anywhere else still ends the program, as
// it would without it (here a mapping of our own, read past a file's new end, in a child).
TEST(FileText, ASigbusOutsideAFileItMappedStillEndsTheProgram)
{
    const std::string path = test::temp_path("timeslice-file-text-raw.txt");
    ASSERT_EQ(write_file_atomically(path, filled(4 * kPage)), "");
    FileText guarded; // installs the guard
    std::string error;
    ASSERT_TRUE(guarded.open(path, error, 1 << 20, 64)) << error;
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    void* raw = mmap(nullptr, 4 * kPage, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    ASSERT_NE(raw, MAP_FAILED);
    ASSERT_EQ(truncate(path.c_str(), off_t(kPage)), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        const volatile char* p = static_cast<const char*>(raw);
        (void)p[3 * kPage];
        _exit(0); // survived: the guard swallowed a fault that was not its own
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the child read past the file's end and lived";
    munmap(raw, 4 * kPage);
    std::remove(path.c_str());
}

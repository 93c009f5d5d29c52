#include "core/base/file_text.h"

#include "core/base/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>

namespace timeslice {

namespace {

// The mappings being read, for the SIGBUS handler. A fixed table of atomics: the handler may
// run at any moment on any thread, so it takes no lock and allocates nothing.
struct GuardSlot {
    std::atomic<bool> taken { false };
    std::atomic<std::uintptr_t> begin { 0 };
    std::atomic<std::uintptr_t> end { 0 };
    std::atomic<bool> hit { false };
};
constexpr int kGuardSlots = 64;
GuardSlot g_slots[kGuardSlots];
struct sigaction g_previous {};
std::uintptr_t g_page = 4096;
std::once_flag g_installed;

// A page of a guarded mapping past the file's new end: an anonymous zero page is put in its
// place (mmap is a plain system call, safe in a handler) and the read goes on. Any other
// SIGBUS goes where it went before the guard was installed.
void on_sigbus(int sig, siginfo_t* info, void* context)
{
    const auto at = reinterpret_cast<std::uintptr_t>(info->si_addr);
    for (GuardSlot& slot : g_slots) {
        if (!slot.taken.load(std::memory_order_acquire))
            continue;
        if (at < slot.begin.load(std::memory_order_acquire) || at >= slot.end.load(std::memory_order_acquire))
            continue;
        void* page = reinterpret_cast<void*>(at & ~(g_page - 1));
        if (::mmap(page, g_page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
            slot.hit.store(true, std::memory_order_release);
            return;
        }
    }
    if ((g_previous.sa_flags & SA_SIGINFO) && g_previous.sa_sigaction) {
        g_previous.sa_sigaction(sig, info, context);
        return;
    }
    if (!(g_previous.sa_flags & SA_SIGINFO) && g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
        g_previous.sa_handler(sig);
        return;
    }
    // The default action: returning runs the faulting access again, which now ends the program
    // as it would have without the guard.
    struct sigaction fallback {};
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    ::sigaction(SIGBUS, &fallback, nullptr);
}

void install_guard()
{
    g_page = std::uintptr_t(sysconf(_SC_PAGESIZE));
    struct sigaction action {};
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGBUS, &action, &g_previous);
}

int take_slot(const void* begin, std::size_t bytes)
{
    std::call_once(g_installed, install_guard);
    for (int i = 0; i < kGuardSlots; ++i) {
        bool taken = false;
        if (!g_slots[i].taken.compare_exchange_strong(taken, true, std::memory_order_acq_rel))
            continue;
        g_slots[i].hit.store(false, std::memory_order_relaxed);
        g_slots[i].begin.store(reinterpret_cast<std::uintptr_t>(begin), std::memory_order_release);
        g_slots[i].end.store(reinterpret_cast<std::uintptr_t>(begin) + bytes, std::memory_order_release);
        return i;
    }
    return -1;
}

} // namespace

FileText::~FileText() { close(); }

void FileText::close() noexcept
{
    if (m_guard >= 0) {
        g_slots[m_guard].begin.store(0, std::memory_order_release);
        g_slots[m_guard].end.store(0, std::memory_order_release);
        g_slots[m_guard].taken.store(false, std::memory_order_release);
        m_guard = -1;
    }
    if (m_map)
        ::munmap(m_map, m_map_bytes);
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_map = nullptr;
    m_map_bytes = 0;
    m_copy.clear();
    m_data = nullptr;
    m_size = m_capacity = 0;
}

bool FileText::truncated() const noexcept
{
    if (m_guard >= 0 && g_slots[m_guard].hit.load(std::memory_order_acquire))
        return true;
    // Cut inside its last page, a file raises no SIGBUS: the bytes past its end read as zeros.
    struct stat st {};
    return m_fd >= 0 && ::fstat(m_fd, &st) == 0 && std::uint64_t(st.st_size) < m_size;
}

bool FileText::open(const std::string& path, std::string& error, std::size_t max_bytes, std::size_t padding)
{
    close();
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    const bool regular = fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
    if (regular && std::uint64_t(st.st_size) > max_bytes) {
        ::close(fd);
        error = "'" + path + "' is larger than " + std::to_string(max_bytes >> 20) + " MiB";
        return false;
    }
    if (regular) {
        const std::size_t page = std::size_t(sysconf(_SC_PAGESIZE));
        const auto size = std::size_t(st.st_size);
        const std::size_t file_pages = (size + page - 1) / page * page;
        const std::size_t bytes = (size + padding + page - 1) / page * page;
        // Room for the file and its padding first (anonymous: zeros), then the file over its
        // start, read in from the page cache at once.
        void* room = ::mmap(nullptr, bytes, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (room != MAP_FAILED) {
            m_map = room;
            m_map_bytes = bytes;
            m_guard = take_slot(room, file_pages);
            if (m_guard < 0
                || ::mmap(room, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0) == MAP_FAILED) {
                close(); // a mapping that cannot be guarded or made: read the file instead
            } else {
                m_fd = fd; // kept, to tell later whether the file was shortened
                m_data = static_cast<const char*>(room);
                m_size = size;
                m_capacity = bytes;
                return true;
            }
        }
    }
    if (fd >= 0)
        ::close(fd);
    if (!read_file(path, m_copy, error, max_bytes, padding))
        return false;
    m_data = m_copy.data();
    m_size = m_copy.size();
    m_capacity = m_copy.capacity();
    return true;
}

} // namespace timeslice

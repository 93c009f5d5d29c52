#pragma once

#include <cstdint>
#include <cstring>
#include <new>
#include <ostream>
#include <string>
#include <string_view>

namespace timeslice {

// Text in 16 bytes: up to 15 bytes kept inline (a task's result such as "1" or "14.5", an
// address such as "tcp://10.0.0.7:39" cut at 15, "stopped"), longer text on the heap. A
// std::string takes 32 bytes; a run of 1,000,000 async tasks keeps three of these per task
// (TaskOutcome), where most are empty or short.
class ShortText {
public:
    ShortText() noexcept { clear_bytes(); }
    ShortText(std::string_view s) { assign(s); }
    ShortText(const std::string& s) { assign(s); }
    ShortText(const char* s) { assign(std::string_view(s)); }
    ShortText(const ShortText& other) { assign(other.view()); }
    ShortText(ShortText&& other) noexcept
    {
        std::memcpy(m_bytes, other.m_bytes, sizeof m_bytes);
        other.clear_bytes();
    }
    ShortText& operator=(const ShortText& other)
    {
        if (this != &other)
            set(other.view());
        return *this;
    }
    ShortText& operator=(ShortText&& other) noexcept
    {
        if (this != &other) {
            release();
            std::memcpy(m_bytes, other.m_bytes, sizeof m_bytes);
            other.clear_bytes();
        }
        return *this;
    }
    ShortText& operator=(std::string_view s)
    {
        set(s);
        return *this;
    }
    ShortText& operator=(const std::string& s) { return *this = std::string_view(s); }
    ShortText& operator=(const char* s) { return *this = std::string_view(s); }
    ~ShortText() { release(); }

    std::string_view view() const noexcept
    {
        if (on_heap())
            return { heap_data(), heap_size() };
        return { reinterpret_cast<const char*>(m_bytes), m_bytes[kTag] };
    }
    operator std::string_view() const noexcept { return view(); }
    std::string str() const { return std::string(view()); }
    bool empty() const noexcept { return !on_heap() && m_bytes[kTag] == 0; }
    std::size_t size() const noexcept { return view().size(); }

    friend bool operator==(const ShortText& a, const ShortText& b) noexcept { return a.view() == b.view(); }
    friend bool operator==(const ShortText& a, std::string_view b) noexcept { return a.view() == b; }
    friend bool operator==(const ShortText& a, const std::string& b) noexcept { return a.view() == b; }
    friend bool operator==(const ShortText& a, const char* b) noexcept { return a.view() == b; }
    friend std::ostream& operator<<(std::ostream& out, const ShortText& t) { return out << t.view(); }

private:
    static constexpr std::size_t kInline = 15;
    static constexpr std::size_t kTag = 15; // inline: the length; kHeap: on the heap
    static constexpr unsigned char kHeap = 0xFF;

    bool on_heap() const noexcept { return m_bytes[kTag] == kHeap; }
    const char* heap_data() const noexcept
    {
        const char* p;
        std::memcpy(&p, m_bytes, sizeof p);
        return p;
    }
    std::uint32_t heap_size() const noexcept
    {
        std::uint32_t n;
        std::memcpy(&n, m_bytes + sizeof(char*), sizeof n);
        return n;
    }
    void clear_bytes() noexcept { std::memset(m_bytes, 0, sizeof m_bytes); }
    void release() noexcept
    {
        if (on_heap())
            delete[] heap_data();
        clear_bytes();
    }
    // `s` may lie in this text's own bytes: the new text is made before the old one goes.
    void set(std::string_view s) { *this = ShortText(s); }
    // Into cleared or fresh bytes.
    void assign(std::string_view s)
    {
        clear_bytes();
        if (s.size() <= kInline) {
            if (!s.empty())
                std::memcpy(m_bytes, s.data(), s.size());
            m_bytes[kTag] = static_cast<unsigned char>(s.size());
            return;
        }
        if (s.size() > UINT32_MAX)
            throw std::bad_alloc();
        char* p = new char[s.size()];
        std::memcpy(p, s.data(), s.size());
        const auto n = static_cast<std::uint32_t>(s.size());
        std::memcpy(m_bytes, &p, sizeof p);
        std::memcpy(m_bytes + sizeof p, &n, sizeof n);
        m_bytes[kTag] = kHeap;
    }

    alignas(8) unsigned char m_bytes[16];
};
static_assert(sizeof(ShortText) == 16);

} // namespace timeslice

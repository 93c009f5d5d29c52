#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <new>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace timeslice {

// A task's steps, in order: the first kept inline, more on the heap. Most tasks are one wait, and
// a run may hold a million of them: a std::vector would take 24 bytes and a 32-byte heap block
// each, this 32 bytes in all (issue 24).
template <typename T> class StepList {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

public:
    using value_type = T;
    using iterator = T*;
    using const_iterator = const T*;

    StepList() noexcept { }
    StepList(std::initializer_list<T> steps) { assign(steps.begin(), steps.size()); }
    StepList(const std::vector<T>& steps) { assign(steps.data(), steps.size()); }
    StepList(std::span<const T> steps) { assign(steps.data(), steps.size()); }
    StepList(const StepList& other) { assign(other.data(), other.size()); }
    StepList(StepList&& other) noexcept { take(other); }
    StepList& operator=(const StepList& other)
    {
        if (this != &other) {
            StepList copy(other);
            release();
            take(copy);
        }
        return *this;
    }
    StepList& operator=(StepList&& other) noexcept
    {
        if (this != &other) {
            release();
            take(other);
        }
        return *this;
    }
    ~StepList() { release(); }

    std::size_t size() const noexcept { return m_size; }
    bool empty() const noexcept { return m_size == 0; }
    T* data() noexcept { return m_capacity == 1 ? &m_store.one : m_store.heap; }
    const T* data() const noexcept { return m_capacity == 1 ? &m_store.one : m_store.heap; }
    T* begin() noexcept { return data(); }
    T* end() noexcept { return data() + m_size; }
    const T* begin() const noexcept { return data(); }
    const T* end() const noexcept { return data() + m_size; }
    T& operator[](std::size_t i) noexcept { return data()[i]; }
    const T& operator[](std::size_t i) const noexcept { return data()[i]; }
    const T& at(std::size_t i) const
    {
        if (i >= m_size)
            throw std::out_of_range("step index out of range");
        return data()[i];
    }
    T& back() noexcept { return data()[m_size - 1]; }
    const T& back() const noexcept { return data()[m_size - 1]; }
    operator std::span<const T>() const noexcept { return { data(), m_size }; }

    void reserve(std::size_t n)
    {
        if (n <= m_capacity)
            return;
        if (n > UINT32_MAX)
            throw std::length_error("too many steps");
        T* grown = std::allocator<T>().allocate(n);
        std::memcpy(static_cast<void*>(grown), data(), m_size * sizeof(T));
        release_heap();
        m_store.heap = grown;
        m_capacity = std::uint32_t(n);
    }
    void push_back(const T& step)
    {
        if (m_size == m_capacity)
            reserve(std::size_t(m_capacity) * 2);
        std::construct_at(data() + m_size, step);
        ++m_size;
    }
    void clear() noexcept { m_size = 0; }

private:
    void assign(const T* from, std::size_t n)
    {
        reserve(n);
        if (n)
            std::memcpy(static_cast<void*>(data()), from, n * sizeof(T));
        m_size = std::uint32_t(n);
    }
    // Takes other's steps; other is left empty.
    void take(StepList& other) noexcept
    {
        m_size = other.m_size;
        m_capacity = other.m_capacity;
        if (m_capacity == 1)
            std::memcpy(static_cast<void*>(&m_store.one), &other.m_store.one, sizeof(T));
        else
            m_store.heap = other.m_store.heap;
        other.m_size = 0;
        other.m_capacity = 1;
    }
    void release_heap() noexcept
    {
        if (m_capacity > 1)
            std::allocator<T>().deallocate(m_store.heap, m_capacity);
    }
    void release() noexcept
    {
        release_heap();
        m_size = 0;
        m_capacity = 1;
    }

    std::uint32_t m_size = 0;
    std::uint32_t m_capacity = 1; // 1: the step inline
    union Store {
        Store() noexcept { }
        T one;
        T* heap;
    } m_store;
};

} // namespace timeslice

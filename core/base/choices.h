#pragma once

#include <string>

namespace timeslice {

// "a, b or c" from the names of a table's rows, for messages.
template <typename Table, typename Name> std::string choices(const Table& table, Name name)
{
    std::string out;
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (i)
            out += i + 1 == table.size() ? " or " : ", ";
        out += name(table[i]);
    }
    return out;
}

} // namespace timeslice

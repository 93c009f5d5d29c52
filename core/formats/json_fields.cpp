// Responsible for the checks every field of a Timeslice trace is read with: present, of its
// JSON type, in its range, each failure naming the field.
#include "core/formats/json_fields.h"

#include "core/workload/workload.h"

namespace timeslice {

const json& member(const json& object, const char* key, const std::string& where)
{
    const auto it = object.find(key);
    if (it == object.end())
        fail(where, std::string("missing field '") + key + "'");
    return *it;
}

std::string get_string(const json& object, const char* key, const std::string& where)
{
    const json& v = member(object, key, where);
    if (!v.is_string())
        fail(where + "." + key, "must be a string");
    return v.get<std::string>();
}

double get_number(const json& object, const char* key, const std::string& where, double lo, double hi)
{
    const json& v = member(object, key, where);
    if (!v.is_number())
        fail(where + "." + key, "must be a number");
    const double d = v.get<double>();
    if (!std::isfinite(d) || d < lo || d > hi)
        fail(where + "." + key,
            "must be between " + format_seconds(lo) + " and " + format_seconds(hi) + ", not " + format_seconds(d));
    return d;
}

long long get_integer(const json& object, const char* key, const std::string& where, long long lo, long long hi)
{
    const json& v = member(object, key, where);
    if (!v.is_number_integer())
        fail(where + "." + key, "must be an integer");
    const long long n = v.get<long long>();
    if (n < lo || n > hi)
        fail(where + "." + key,
            "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", not " + std::to_string(n));
    return n;
}

bool get_bool(const json& object, const char* key, const std::string& where)
{
    const json& v = member(object, key, where);
    if (!v.is_boolean())
        fail(where + "." + key, "must be true or false");
    return v.get<bool>();
}

const json* nested(const json& object, const char* key, const std::string& where)
{
    const auto it = object.find(key);
    if (it == object.end())
        return nullptr;
    if (!it->is_object())
        fail(where + "." + key, "must be an object");
    return &*it;
}

} // namespace timeslice

#pragma once

// Responsible for writing and reading a JSON object by a table of its fields: each row says a
// field's key, how it is written from a record and how it is read back and checked, so the two
// directions are spelled once (STYLE.md, practice 18). A check that fails names the field
// ("otherData.timeslice.workers: must be an integer").

#include "core/formats/json_writer.h"
#include "core/formats/read_error.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace timeslice {

using json = nlohmann::json;

const json& member(const json& object, const char* key, const std::string& where);
std::string get_string(const json& object, const char* key, const std::string& where);
double get_number(const json& object, const char* key, const std::string& where, double lo, double hi);
long long get_integer(const json& object, const char* key, const std::string& where, long long lo, long long hi);
bool get_bool(const json& object, const char* key, const std::string& where);
// The object at `key`, or null where there is none; anything else there fails.
const json* nested(const json& object, const char* key, const std::string& where);

template <typename Record> struct Field {
    const char* key;
    std::function<void(JsonWriter&, const Record&)> write;
    // Reads and checks the field of `object`, found at `where`, into the record; empty: the
    // field is written for people and other tools, not read back.
    std::function<void(const json& object, const char* key, const std::string& where, Record&)> read = {};
    std::function<bool(const Record&)> written = {}; // empty: always written
    const char* read_with = nullptr; // read only where the object has this field too
};

template <typename Record> using Fields = std::vector<Field<Record>>;

// The fields in the table's order: "key":value,"key":value
template <typename Record> void write_fields(JsonWriter& w, const Fields<Record>& fields, const Record& record)
{
    bool first = true;
    for (const Field<Record>& f : fields) {
        if (f.written && !f.written(record))
            continue;
        w.raw(first ? "\"" : ",\"");
        w.raw(f.key);
        w.raw("\":");
        f.write(w, record);
        first = false;
    }
}

template <typename Record>
void read_fields(const json& object, const std::string& where, const Fields<Record>& fields, Record& record)
{
    for (const Field<Record>& f : fields) {
        if (f.read && (!f.read_with || object.contains(f.read_with)))
            f.read(object, f.key, where, record);
    }
}

template <typename Record> Field<Record> written_if(bool (*when)(const Record&), Field<Record> field)
{
    field.written = when;
    return field;
}

template <typename Record> Field<Record> read_with(const char* other, Field<Record> field)
{
    field.read_with = other;
    return field;
}

enum class Presence { Required, Optional };

// A field's value as its C++ type says: true/false, a number, an integer or a string.
template <typename Value> void write_value(JsonWriter& w, const Value& v)
{
    if constexpr (std::is_same_v<Value, bool>)
        w.raw(v ? "true" : "false");
    else if constexpr (std::is_floating_point_v<Value>)
        w.number(v);
    else if constexpr (std::is_integral_v<Value>)
        w.integer((long long)v);
    else
        w.string(v);
}

// Rows for the usual kinds of field. `get` gives the field of a record: a pointer to a data
// member, or a function taking the record (const or not) and returning a reference.
template <typename Record> struct FieldOf {
    // Written for people and other tools, not read back.
    template <typename Get> static Field<Record> shown(const char* key, Get get)
    {
        return { key, [get](JsonWriter& w, const Record& r) { write_value(w, std::invoke(get, r)); } };
    }
    template <typename Get>
    static Field<Record> string(const char* key, Get get, Presence presence = Presence::Required)
    {
        return read_as(key, get, presence,
            [](const json& o, const char* k, const std::string& where) { return get_string(o, k, where); });
    }
    template <typename Get>
    static Field<Record> boolean(const char* key, Get get, Presence presence = Presence::Required)
    {
        return read_as(key, get, presence,
            [](const json& o, const char* k, const std::string& where) { return get_bool(o, k, where); });
    }
    template <typename Get> static Field<Record> number(const char* key, Get get, double lo, double hi)
    {
        return read_as(key, get, Presence::Required, [lo, hi](const json& o, const char* k, const std::string& where) {
            return get_number(o, k, where, lo, hi);
        });
    }
    template <typename Get>
    static Field<Record> integer(
        const char* key, Get get, long long lo, long long hi, Presence presence = Presence::Required)
    {
        return read_as(key, get, presence, [lo, hi](const json& o, const char* k, const std::string& where) {
            return get_integer(o, k, where, lo, hi);
        });
    }
    // Nanoseconds written as seconds for people, beside the exact nanoseconds that are read back.
    template <typename Get> static Field<Record> seconds(const char* key, Get get)
    {
        return { key, [get](JsonWriter& w, const Record& r) { w.number(to_seconds(std::invoke(get, r))); } };
    }
    // A nested object of its own fields, read (where the file has it) into the record's member.
    template <typename Sub, typename Get>
    static Field<Record> object(const char* key, Get get, const Fields<Sub>& fields)
    {
        return { key,
            [get, &fields](JsonWriter& w, const Record& r) {
                w.raw("{");
                write_fields(w, fields, std::invoke(get, r));
                w.raw("}");
            },
            [get, &fields](const json& o, const char* k, const std::string& where, Record& r) {
                if (const json* found = nested(o, k, where))
                    read_fields(*found, where + "." + k, fields, std::invoke(get, r));
            } };
    }
    // A nested object that only some records have (a std::optional): written when there.
    template <typename Sub, typename Get>
    static Field<Record> optional_object(const char* key, Get get, const Fields<Sub>& fields)
    {
        Field<Record> field { key,
            [get, &fields](JsonWriter& w, const Record& r) {
                w.raw("{");
                write_fields(w, fields, *std::invoke(get, r));
                w.raw("}");
            },
            [get, &fields](const json& o, const char* k, const std::string& where, Record& r) {
                if (const json* found = nested(o, k, where)) {
                    Sub value;
                    read_fields(*found, where + "." + k, fields, value);
                    std::invoke(get, r) = value;
                }
            } };
        field.written = [get](const Record& r) { return std::invoke(get, r).has_value(); };
        return field;
    }

private:
    // Written as its type says; read with `check`, converted to the field's type.
    template <typename Get, typename Check>
    static Field<Record> read_as(const char* key, Get get, Presence presence, Check check)
    {
        Field<Record> field = shown(key, get);
        field.read = [get, presence, check](const json& o, const char* k, const std::string& where, Record& r) {
            using Value = std::remove_cvref_t<decltype(std::invoke(get, r))>;
            if (presence == Presence::Required || o.contains(k))
                std::invoke(get, r) = Value(check(o, k, where));
        };
        return field;
    }
};

} // namespace timeslice

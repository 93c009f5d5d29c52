#pragma once

// Responsible for the checks a field of otherData is read with: present, of its JSON type, in
// its range, each failure naming the field ("otherData.timeslice.workers: must be an integer").

#include "core/formats/read_error.h"

#include <nlohmann/json.hpp>

#include <string>

namespace timeslice {

using json = nlohmann::json;

const json& member(const json& object, const char* key, const std::string& where);
std::string get_string(const json& object, const char* key, const std::string& where);
double get_number(const json& object, const char* key, const std::string& where, double lo, double hi);
long long get_integer(const json& object, const char* key, const std::string& where, long long lo, long long hi);

} // namespace timeslice

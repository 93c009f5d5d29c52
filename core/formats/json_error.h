#pragma once

#include <string>
#include <string_view>

namespace timeslice {

// Says where and why `text`, which a JSON reader refused, is not JSON, for a person: "not valid
// JSON at line 3, column 7: syntax error while parsing object - unexpected ','". A text that ends
// inside a value is said to be cut short, and binary data (an image, an archive) is called that,
// rather than quoting its bytes. `reader_said` is what the refusing reader said, used where this
// finds nothing wrong (the two readers differ on a detail).
std::string describe_bad_json(std::string_view text, const std::string& reader_said);

} // namespace timeslice

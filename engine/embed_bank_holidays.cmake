# Compiles the shipped bank holidays into the engine, so the calendar needs no file at run
# time: writes a C++ source defining casereview::BuiltInBankHolidaysJson() (calendar.hpp)
# with the bytes of engine/data/bank-holidays.json. Run as a build step (engine/CMakeLists.txt):
#
#   cmake -DINPUT=<engine/data/bank-holidays.json> -DOUTPUT=<bank_holidays_data.cpp> -P embed_bank_holidays.cmake
#
# Every byte is written as a \x escape, so the file's quotes, backslashes and UTF-8 (the U+2019 in
# "New Year's Day") need no care and no raw-string delimiter can clash with the text.
if(NOT DEFINED INPUT OR NOT DEFINED OUTPUT)
  message(FATAL_ERROR
    "usage: cmake -DINPUT=bank-holidays.json -DOUTPUT=bank_holidays_data.cpp -P embed_bank_holidays.cmake")
endif()
if(NOT EXISTS "${INPUT}")
  message(FATAL_ERROR "embed_bank_holidays: ${INPUT} does not exist")
endif()

file(READ "${INPUT}" hex HEX)
if(hex STREQUAL "")
  message(FATAL_ERROR "embed_bank_holidays: ${INPUT} is empty")
endif()

# "7b0a20" -> "\x7b\x0a\x20", then 16 bytes to a line of adjacent string literals.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
string(REPEAT "\\\\x[0-9a-f][0-9a-f]" 16 line_of_bytes)
string(REGEX REPLACE "(${line_of_bytes})" "\\1\"\n    \"" escaped "${escaped}")

get_filename_component(input_name "${INPUT}" NAME)
set(source "// Generated from ${input_name} by engine/embed_bank_holidays.cmake. Do not edit.
#include <string_view>

namespace casereview {
namespace {

constexpr char kBankHolidaysJson[] =
    \"${escaped}\";

}  // namespace

std::string_view BuiltInBankHolidaysJson() {
  return {kBankHolidaysJson, sizeof(kBankHolidaysJson) - 1};
}

}  // namespace casereview
")

file(WRITE "${OUTPUT}" "${source}")

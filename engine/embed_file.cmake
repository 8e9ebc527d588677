# Compiles a shipped data file (bank holidays, policy profiles) into the engine, so nothing
# needs a file at run time: writes a C++ source defining `std::string_view
# casereview::FUNCTION()` that returns the file's bytes. Run as a build step
# (engine/CMakeLists.txt, casereview_embed()):
#
#   cmake -DINPUT=<file> -DOUTPUT=<file.cpp> -DFUNCTION=<name> -P embed_file.cmake
#
# Every byte is written as a \x escape, so the file's quotes, backslashes and UTF-8 (the U+2019 in
# "New Year's Day") need no care and no raw-string delimiter can clash with the text.
if(NOT DEFINED INPUT OR NOT DEFINED OUTPUT OR NOT DEFINED FUNCTION)
  message(FATAL_ERROR "usage: cmake -DINPUT=file -DOUTPUT=file.cpp -DFUNCTION=name -P embed_file.cmake")
endif()
if(NOT EXISTS "${INPUT}")
  message(FATAL_ERROR "embed_file: ${INPUT} does not exist")
endif()

file(READ "${INPUT}" hex HEX)
if(hex STREQUAL "")
  message(FATAL_ERROR "embed_file: ${INPUT} is empty")
endif()

# "7b0a20" -> "\x7b\x0a\x20", then 16 bytes to a line of adjacent string literals.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
string(REPEAT "\\\\x[0-9a-f][0-9a-f]" 16 line_of_bytes)
string(REGEX REPLACE "(${line_of_bytes})" "\\1\"\n    \"" escaped "${escaped}")

get_filename_component(input_name "${INPUT}" NAME)
set(source "// Generated from ${input_name} by engine/embed_file.cmake. Do not edit.
#include <string_view>

namespace casereview {
namespace {

constexpr char kBytes[] =
    \"${escaped}\";

}  // namespace

std::string_view ${FUNCTION}() {
  return {kBytes, sizeof(kBytes) - 1};
}

}  // namespace casereview
")

file(WRITE "${OUTPUT}" "${source}")

# Compiles the shipped notice templates (notifier/templates/*) into the notifier, so the
# binary needs no file at run time; a deployment overrides any of them from a folder
# (NoticeTemplates::Load). Writes a C++ source defining
# `const std::map<std::string_view, std::string_view>& casereview::BuiltInNoticeTemplates()`
# (file name -> bytes). Run as a build step (notifier/CMakeLists.txt):
#
#   cmake -DDIR=<templates dir> -DOUTPUT=<file.cpp> [-DFUNCTION=<name>] -P embed_templates.cmake
#
# FUNCTION names the function defined (default BuiltInNoticeTemplates; the web pages'
# templates, app/web/templates, use BuiltInWebTemplates).
#
# Bytes are written as \x escapes (as engine/embed_file.cmake does), so no template text can
# clash with C++ quoting.
if(NOT DEFINED DIR OR NOT DEFINED OUTPUT)
  message(FATAL_ERROR "usage: cmake -DDIR=templates -DOUTPUT=file.cpp [-DFUNCTION=name] -P embed_templates.cmake")
endif()
if(NOT DEFINED FUNCTION)
  set(FUNCTION BuiltInNoticeTemplates)
endif()
file(GLOB names RELATIVE "${DIR}" "${DIR}/*")
list(SORT names)
set(entries "")
foreach(name IN LISTS names)
  file(READ "${DIR}/${name}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
  string(REPEAT "\\\\x[0-9a-f][0-9a-f]" 16 line_of_bytes)
  string(REGEX REPLACE "(${line_of_bytes})" "\\1\"\n       \"" escaped "${escaped}")
  string(LENGTH "${hex}" hex_length)
  math(EXPR length "${hex_length} / 2")
  string(APPEND entries "      {\"${name}\", std::string_view(\"${escaped}\", ${length})},\n")
endforeach()

file(WRITE "${OUTPUT}" "// Generated from ${DIR} by notifier/embed_templates.cmake. Do not edit.
#include <map>
#include <string_view>

namespace casereview {

const std::map<std::string_view, std::string_view>& ${FUNCTION}() {
  static const std::map<std::string_view, std::string_view> kFiles = {
${entries}  };
  return kFiles;
}

}  // namespace casereview
")

#include "casereview/json_input.hpp"

#include <string>

namespace casereview {

bool JsonNestsDeeperThan(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (in_string) {
      if (ch == '\\') ++i;  // the escaped character cannot end the string
      else if (ch == '"') in_string = false;
      continue;
    }
    if (ch == '"') in_string = true;
    else if (ch == '[' || ch == '{') {
      if (++depth > max_depth) return true;
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
  return false;
}

Result<nlohmann::json> ParseJsonInput(std::string_view text, std::string_view what, std::string_view not_json) {
  if (JsonNestsDeeperThan(text, kMaxJsonDepth))
    return Status::InvalidArgument(std::string(what) + " nests lists or objects more than " +
                                   std::to_string(kMaxJsonDepth) + " deep");
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded())
    return Status::InvalidArgument(not_json.empty() ? std::string(what) + " is not JSON" : std::string(not_json));
  return j;
}

}  // namespace casereview

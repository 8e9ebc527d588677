#include "common/interned_text.hpp"

#include <mutex>
#include <string>
#include <unordered_set>

namespace casereview {
namespace {

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

std::string_view InternedText(std::string_view text) {
  static std::mutex mu;
  // A node-based set: an element never moves, so a view of it stays valid as the set grows.
  static std::unordered_set<std::string, TextHash, std::equal_to<>> texts;
  std::lock_guard lock(mu);
  auto it = texts.find(text);
  if (it == texts.end()) it = texts.emplace(text).first;
  return *it;
}

}  // namespace casereview

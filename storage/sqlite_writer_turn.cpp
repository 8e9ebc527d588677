#include "sqlite_writer_turn.hpp"

#include <filesystem>
#include <map>

namespace casereview::storage {

std::shared_ptr<std::timed_mutex> WriterTurnFor(const std::string& path) {
  std::error_code ec;
  std::filesystem::path file = path.empty() || path == ":memory:" ? std::filesystem::path()
                                                                  : std::filesystem::weakly_canonical(path, ec);
  if (file.empty() || ec) return std::make_shared<std::timed_mutex>();
  static std::mutex registry_mu;
  static std::map<std::string, std::weak_ptr<std::timed_mutex>> registry;  // entries die with their stores
  std::lock_guard lock(registry_mu);
  std::weak_ptr<std::timed_mutex>& entry = registry[file.string()];
  std::shared_ptr<std::timed_mutex> turn = entry.lock();
  if (!turn) {
    turn = std::make_shared<std::timed_mutex>();
    entry = turn;
  }
  std::erase_if(registry, [](const auto& e) { return e.second.expired(); });
  return turn;
}

}  // namespace casereview::storage

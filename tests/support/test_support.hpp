// Shared test fixtures: temp files, file bytes, resolved people, the example files.
#pragma once

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace casereview::testing {

// A fresh directory under the system temp dir, removed when the object goes.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("casereview-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A person as the engine stores them in an event.
inline nlohmann::json Resolved(const std::string& id, const std::string& agency,
                               const std::string& sector, std::vector<std::string> roles = {}) {
  return {{"id", id}, {"agency", agency}, {"sector", sector}, {"roles", roles}};
}

inline std::string ExamplePath(const std::string& name) {
  return std::string(CASEREVIEW_EXAMPLES_DIR) + "/" + name;
}

}  // namespace casereview::testing

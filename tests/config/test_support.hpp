// Helpers for config tests: an injected environment and a scratch folder for files.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "config/loader.hpp"

namespace autoglm::config::testing {

// An EnvLookup over a fixed map; the real environment is never read.
inline EnvLookup env_from(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

inline EnvLookup empty_env() { return env_from({}); }

// A fresh folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "autoglm-config-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `text` to `name` inside the folder and returns the file's path.
  std::string write(const std::string& name, const std::string& text) const {
    const std::filesystem::path file = path_ / name;
    std::ofstream(file) << text;
    return file.string();
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Options for `path` with an injected environment and no profile or --set.
inline LoadOptions options_for(const std::string& path, EnvLookup env = empty_env()) {
  LoadOptions options;
  options.path = path;
  options.env = std::move(env);
  return options;
}

// The error message of a failed load ("" if it succeeded, which fails the test).
inline std::string error_of(const core::Result<Config>& result) {
  EXPECT_FALSE(result.is_ok()) << "expected the load to fail";
  return result.is_ok() ? std::string() : result.status().message();
}

}  // namespace autoglm::config::testing

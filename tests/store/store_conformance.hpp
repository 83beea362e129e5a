// The Store conformance suite's fixture: every Store implementation runs the same TEST_Ps
// (store_conformance_test.cpp) by instantiating StoreConformance with its own factory.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "store/store.hpp"

namespace autoglm::store::testing {

using namespace std::chrono_literals;

// Builds an empty store. `scratch_dir` is a fresh directory removed after the test.
struct StoreFactory {
  std::string name;
  std::function<std::unique_ptr<Store>(const std::string& scratch_dir)> make;
  // Why this store cannot be tested here ("" when it can), e.g. no database server.
  std::function<std::string()> unavailable = [] { return std::string(); };
};

// Test names print the factory's name, not its bytes.
inline void PrintTo(const StoreFactory& factory, std::ostream* os) { *os << factory.name; }

inline std::string factory_name(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

class StoreConformance : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    if (const std::string why = GetParam().unavailable(); !why.empty()) GTEST_SKIP() << why;
    std::string tmpl = (std::filesystem::temp_directory_path() / "autoglm-store-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    store_ = GetParam().make(dir_);
    ASSERT_NE(store_, nullptr);
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // A fixed wall-clock origin: 2025-01-01T00:00:00Z.
  static Time t(std::chrono::seconds offset = 0s) {
    return Time{std::chrono::seconds(1'735'689'600) + offset};
  }
  static TaskInput task(std::string model = "m", int priority = 3) {
    TaskInput in;
    in.model = std::move(model);
    in.priority = priority;
    in.payload = R"({"messages":[{"role":"user","content":"hi"}]})";
    return in;
  }
  static ClaimRequest claim_req(std::string owner, Time now, std::size_t n = 1) {
    ClaimRequest r;
    r.owner = std::move(owner);
    r.now = now;
    r.lease = 30s;
    r.max_tasks = n;
    return r;
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace autoglm::store::testing

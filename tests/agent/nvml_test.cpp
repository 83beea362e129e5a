#include "agent/nvml.hpp"

#include <gtest/gtest.h>

namespace autoglm::agent {
namespace {

TEST(GpuReader, NoLibraryMeansNoGpuNumbers) {
  GpuReader reader("libnvidia-ml-does-not-exist.so.1");
  EXPECT_EQ(reader.status(), "no_library");
  auto reading = reader.read();
  EXPECT_EQ(reading.status, "no_library");
  EXPECT_TRUE(reading.gpus.empty());
}

TEST(GpuReader, ALibraryWithoutNvmlIsAnErrorNotNumbers) {
  GpuReader reader("libm.so.6");  // loads, but has no nvml* symbols
  EXPECT_EQ(reader.status().rfind("error: ", 0), 0u) << reader.status();
  EXPECT_TRUE(reader.read().gpus.empty());
}

}  // namespace
}  // namespace autoglm::agent

#include "sim/node_speed.hpp"

#include <gtest/gtest.h>

#include "sim/latency_model.hpp"

namespace autoglm::sim {
namespace {

TEST(NodeSpeed, FasterGpuHasSmallerConstants) {
  auto h100 = node_speed(*find_profile("h100-80gb-8b"));
  auto l4 = node_speed(*find_profile("l4-24gb-8b"));
  EXPECT_TRUE(h100.known);
  EXPECT_LT(h100.prefill_ms_per_token, l4.prefill_ms_per_token);
  EXPECT_LT(h100.decode_step_ms, l4.decode_step_ms);
}

TEST(NodeSpeed, DecodeStepAgreesWithTheLatencyModel) {
  auto profile = *find_profile("a100-80gb-8b");
  auto speed = node_speed(profile);
  LatencyModel model(profile);
  // One sequence at 1k context: the step the scorer predicts is the model's TPOT.
  EXPECT_NEAR(speed.decode_step_ms, model.tpot_ms(1, 1024), 0.1 * model.tpot_ms(1, 1024));
  const double per_seq = (model.tpot_ms(65, 1024) - model.tpot_ms(1, 1024)) / 64;
  EXPECT_NEAR(speed.decode_ms_per_sequence, per_seq, 0.25 * per_seq);
}

}  // namespace
}  // namespace autoglm::sim

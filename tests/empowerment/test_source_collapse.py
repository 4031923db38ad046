"""A learned source that has dropped an action to w = 0 in float32 (a logit ~100 below the
others) still trains to finite variables: the ascent dE/dw stays finite there."""
from absl.testing import absltest
from absl.testing import parameterized
import numpy as np
import tensorflow as tf

from tf_empowerment.empowerment import mine
from tf_empowerment.empowerment import variational
from tf_empowerment.networks import forward_model
from tf_empowerment.networks import policy_heads
from tf_empowerment.networks import statistics

NUM_ACTIONS, DIM, BATCH = 3, 4, 8


def _estimator(name, jit_compile):
  networks = dict(
      jit_compile=jit_compile,
      forward_model=lambda num_actions: forward_model.ForwardModel(num_actions, hidden_units=(8,)),
      source_network=lambda num_actions: policy_heads.SourceNetwork(num_actions, hidden_units=(8,)))
  if name == "variational":
    return variational.VariationalEmpowerment(
        NUM_ACTIONS, planning_network=lambda num_actions: policy_heads.PlanningNetwork(
            num_actions, hidden_units=(8,)), **networks)
  return mine.MineEmpowerment(
      NUM_ACTIONS, statistics_network=lambda num_actions: statistics.StatisticsNetwork(
          num_actions, hidden_units=(8,)), **networks)


class SourceCollapseTest(parameterized.TestCase):

  @parameterized.product(name=("mine", "variational"), jit_compile=(False, True))
  def test_an_action_of_source_weight_zero_trains_to_finite_variables(self, name, jit_compile):
    tf.random.set_seed(0)
    empowerment = _estimator(name, jit_compile)
    empowerment.create_variables(DIM)
    bias = empowerment.source_network.trainable_variables[-1]
    bias.assign([0.0, 0.0, -200.0])  # exp(-200) is 0 in float32
    rng = np.random.default_rng(0)
    states = rng.normal(size=[BATCH, DIM]).astype(np.float32)
    self.assertEqual(np.exp(empowerment.log_source(states).numpy())[:, 2].max(), 0.0)
    for _ in range(3):
      empowerment.train_step(states, rng.integers(0, 2, BATCH),
                             rng.normal(size=[BATCH, DIM]).astype(np.float32))
    for variable in empowerment.trainable_variables:
      self.assertTrue(np.isfinite(variable.numpy()).all(), variable.name)
    self.assertTrue(np.isfinite(empowerment.empowerment(states).numpy()).all())


if __name__ == "__main__":
  absltest.main()

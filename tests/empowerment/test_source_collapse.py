"""A learned source that has dropped an action to w = 0 in float32 (a logit ~100 below the
others) still trains to finite variables: the ascent dE/dw stays finite there."""
from absl.testing import absltest
from absl.testing import parameterized
import numpy as np
import tensorflow as tf

from tests.empowerment import small_estimators

NUM_ACTIONS, DIM, BATCH = 3, 4, 8


class SourceCollapseTest(parameterized.TestCase):

  @parameterized.product(name=("mine_jsd", "variational"), jit_compile=(False, True))
  def test_an_action_of_source_weight_zero_trains_to_finite_variables(self, name, jit_compile):
    tf.random.set_seed(0)
    empowerment = small_estimators.build(name, NUM_ACTIONS, jit_compile=jit_compile)
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

"""Statistics, source and planning networks: shapes, state input, normalisation."""
from absl.testing import absltest
import numpy as np
import tensorflow as tf

from tf_empowerment.networks import policy_heads
from tf_empowerment.networks import statistics

STATES = np.random.default_rng(0).normal(size=(2, 3)).astype(np.float32)
NEXT_STATES = np.random.default_rng(1).normal(size=(2, 4, 3)).astype(np.float32)


class CriticsTest(absltest.TestCase):

  def test_statistics_network_scores_every_action(self):
    critic = statistics.StatisticsNetwork(num_actions=5, hidden_units=(8,))
    self.assertEqual(critic(STATES, NEXT_STATES).shape, (2, 4, 5))

  def test_statistics_network_sees_the_state_unless_told_not_to(self):
    tf.random.set_seed(0)
    with_state = statistics.StatisticsNetwork(num_actions=5, hidden_units=(8,))
    without = statistics.StatisticsNetwork(num_actions=5, hidden_units=(8,), use_state=False)
    self.assertGreater(np.abs(with_state(STATES, NEXT_STATES)
                              - with_state(STATES + 1.0, NEXT_STATES)).max(), 1e-4)
    np.testing.assert_array_equal(without(STATES, NEXT_STATES), without(STATES + 1, NEXT_STATES))

  def test_heads_are_normalised_over_actions(self):
    log_source = policy_heads.SourceNetwork(num_actions=5, hidden_units=(8,))(STATES)
    log_planning = policy_heads.PlanningNetwork(num_actions=5, hidden_units=(8,))(
        STATES, NEXT_STATES)
    self.assertEqual(log_source.shape, (2, 5))
    self.assertEqual(log_planning.shape, (2, 4, 5))
    np.testing.assert_allclose(tf.reduce_sum(tf.exp(log_source), -1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(tf.reduce_sum(tf.exp(log_planning), -1), 1.0, rtol=1e-5)


if __name__ == "__main__":
  absltest.main()

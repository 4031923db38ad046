"""Statistics, source and planning networks: shapes, state input, normalisation."""
import itertools

from absl.testing import absltest
import numpy as np
import tensorflow as tf

from tf_empowerment.networks import policy_heads
from tf_empowerment.networks import statistics

STATES = np.random.default_rng(0).normal(size=(2, 3)).astype(np.float32)
NEXT_STATES = np.random.default_rng(1).normal(size=(2, 4, 3)).astype(np.float32)
SEQUENCES = np.random.default_rng(2).integers(5, size=(2, 6, 3)).astype(np.int32)


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


class SequenceNetworksTest(absltest.TestCase):
  """The sampled mode's networks, which take action sequences [B, ..., n] as inputs."""

  def test_partwise_dense_is_dense_on_the_concatenation(self):
    layer = statistics.PartwiseDense(7, num_parts=2)
    features = np.random.default_rng(3).normal(size=(2, 1, 6, 5)).astype(np.float32)
    outputs = layer(STATES, [NEXT_STATES[:, :, None], features])  # [2, 4, 6, 7]
    inputs = np.concatenate([np.broadcast_to(STATES[:, None, None], (2, 4, 6, 3)),
                             np.broadcast_to(NEXT_STATES[:, :, None], (2, 4, 6, 3)),
                             np.broadcast_to(features, (2, 4, 6, 5))], axis=-1)
    kernel = np.concatenate([dense.kernel.numpy() for dense in layer._projections])
    expected = np.maximum(inputs @ kernel + layer._projections[0].bias.numpy(), 0.0)
    np.testing.assert_allclose(outputs, expected, rtol=1e-5, atol=1e-6)

  def test_sequence_critic_scores_every_pair_as_each_pair_alone(self):
    critic = statistics.SequenceStatisticsNetwork(num_actions=5, hidden_units=(8, 8))
    every_pair = critic(STATES, SEQUENCES[:, None], NEXT_STATES[:, :, None])
    self.assertEqual(every_pair.shape, (2, 4, 6))
    pairs = critic(STATES, np.tile(SEQUENCES, (1, 4, 1)), np.repeat(NEXT_STATES, 6, axis=1))
    np.testing.assert_allclose(every_pair, np.reshape(pairs, (2, 4, 6)), rtol=1e-5)
    self.assertGreater(np.ptp(every_pair.numpy(), axis=2).min(), 1e-4)  # sequences matter

  def test_factorised_source_is_normalised_per_step(self):
    log_source = policy_heads.FactorisedSourceNetwork(num_actions=5, n_steps=3,
                                                      hidden_units=(8,))(STATES)
    self.assertEqual(log_source.shape, (2, 3, 5))
    np.testing.assert_allclose(tf.reduce_sum(tf.exp(log_source), -1), 1.0, rtol=1e-5)

  def test_sequence_planning_is_a_distribution_over_all_sequences(self):
    # Normalised over the 27 sequences only if step t sees no action after it.
    planning = policy_heads.SequencePlanningNetwork(num_actions=3, hidden_units=(8, 8))
    every = np.array(list(itertools.product(range(3), repeat=3)), np.int32)  # [27, 3]
    log_planning = planning(STATES, np.broadcast_to(every, (2, 1, 27, 3)),
                            NEXT_STATES[:, :, None])
    self.assertEqual(log_planning.shape, (2, 4, 27))
    np.testing.assert_allclose(tf.reduce_sum(tf.exp(log_planning), -1), 1.0, rtol=1e-5)
    self.assertGreater(np.ptp(log_planning.numpy(), axis=2).min(), 1e-3)


if __name__ == "__main__":
  absltest.main()

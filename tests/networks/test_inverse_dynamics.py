"""Tests of the inverse-dynamics features on a world whose actions move one coordinate."""
from absl.testing import absltest
import numpy as np
import tensorflow as tf

from tf_empowerment.networks import inverse_dynamics

MOVES = np.array([-1.0, 0.0, 1.0], np.float32)  # action a moves coordinate 0 by MOVES[a]


def _transitions(rng, batch):
  """States [B, 3]: coordinate 0 is controlled; 1 and 2 are noise redrawn every step."""
  states = rng.normal(size=[batch, 3]).astype(np.float32)
  actions = rng.integers(len(MOVES), size=batch).astype(np.int32)
  next_states = rng.normal(size=[batch, 3]).astype(np.float32)
  next_states[:, 0] = states[:, 0] + MOVES[actions]
  return states, actions, next_states


class InverseDynamicsFeaturesTest(absltest.TestCase):

  def test_features_learn_which_action_ran(self):
    tf.random.set_seed(0)
    rng = np.random.default_rng(0)
    features = inverse_dynamics.InverseDynamicsFeatures(
        num_actions=3, feature_size=4, hidden_units=(32,), learning_rate=3e-3)
    features.create_variables(3)
    train_step = tf.function(features.train_step)
    for _ in range(400):
      metrics = train_step(*_transitions(rng, 64), tf.ones([64]))
    metrics = features.train_step(*_transitions(rng, 512), tf.ones([512]))
    self.assertGreater(float(metrics["features/inverse_accuracy"]), 0.95)
    self.assertLess(float(metrics["features/inverse_loss"]), 0.2)  # chance: log 3 = 1.10
    self.assertEqual(features(tf.zeros([2, 3])).shape, [2, 4])

  def test_a_batch_of_no_data_changes_nothing(self):
    features = inverse_dynamics.InverseDynamicsFeatures(num_actions=3, feature_size=2)
    features.create_variables(3)
    before = [v.numpy() for v in features.trainable_variables]
    metrics = features.train_step(*_transitions(np.random.default_rng(0), 4), tf.zeros([4]))
    for old, new in zip(before, features.trainable_variables):
      np.testing.assert_array_equal(old, new.numpy())
    self.assertEqual(float(metrics["features/inverse_loss"]), 0.0)

  def test_rejects_empty_features(self):
    with self.assertRaisesRegex(ValueError, "feature_size must be >= 1"):
      inverse_dynamics.InverseDynamicsFeatures(num_actions=3, feature_size=0)


if __name__ == "__main__":
  absltest.main()

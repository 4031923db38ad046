"""SimHashCountBonus on hand-computed cases: the codes of a chosen projection, counts shared by
states of one code (also within one collected batch), 1 / sqrt(n), and checkpoints."""
import math

from absl.testing import absltest
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec
from tf_agents.trajectories import time_step as ts

from tests import batches
from tf_empowerment.rewards import sim_hash
from tf_empowerment.train import checkpoints

ACTION_SPEC = tensor_spec.BoundedTensorSpec([], tf.int32, 0, 4)
FIRST, MID = ts.StepType.FIRST, ts.StepType.MID
# Columns are the projections a_j: A^T s = (s_1, s_2 - s_1, s_2).
PROJECTION = [[1.0, -1.0, 0.0], [0.0, 1.0, 1.0]]


def _bonus(num_bits=3, **kwargs):
  bonus = sim_hash.SimHashCountBonus(tensor_spec.TensorSpec([2], tf.float32), ACTION_SPEC,
                                     num_envs=2, num_bits=num_bits, **kwargs)
  bonus.projection.assign(PROJECTION)
  return bonus


class SimHashCountBonusTest(absltest.TestCase):

  def test_codes_are_the_signs_of_the_projection(self):
    states = tf.constant([[1.0, 2.0], [1.0, -2.0], [-1.0, 0.0]])
    # A^T s: (1, 1, 2), (1, -3, -2), (-1, 1, 0); exactly 0 counts as negative.
    np.testing.assert_array_equal(_bonus().codes(states), [[True, True, True],
                                                            [True, False, False],
                                                            [False, True, False]])

  def test_states_of_one_code_share_a_count_and_get_one_over_its_root(self):
    bonus = _bonus(beta=0.5)
    observe = tf.function(bonus.observe)  # as the actor's driver calls it
    # (1, 2) and (2, 3) have one code, (1, 1, 2) and (2, 1, 3) alike positive; (1, -2) another.
    observe(batches.of_states([[1.0, 2.0], [2.0, 3.0]], [FIRST, FIRST]))  # one batch, both count
    observe(batches.of_states([[1.0, -2.0], [5.0, 6.0]], [MID, MID]))
    np.testing.assert_allclose(
        bonus.bonus(tf.constant([[3.0, 9.0], [2.0, -9.0], [-1.0, 0.0]])),
        [1 / math.sqrt(3.0), 1.0, 1.0])  # the last code was never seen: n = max(0, 1)
    rewards, metrics = tf.function(bonus.relabel)(batches.of_states(
        [[[0.0, 0.0], [4.0, 5.0]], [[0.0, 0.0], [3.0, -1.0]]], [[MID, MID]] * 2))
    np.testing.assert_allclose(rewards[:, 0, 0], [0.5 / math.sqrt(3.0), 0.5], rtol=1e-6)
    self.assertEqual(float(metrics["sim_hash/distinct_codes"]), 2.0)

  def test_counts_and_projection_survive_a_run_checkpoint(self):
    root_dir = self.create_tempdir().full_path
    bonus = _bonus()
    bonus.observe(batches.of_states([[1.0, 2.0], [1.0, -2.0]], [FIRST, FIRST]))
    bonus.observe(batches.of_states([[1.0, 2.0], [4.0, 5.0]], [MID, MID]))
    checkpoints.RunCheckpointer(root_dir, intrinsic_reward=bonus).save(1)
    restored = sim_hash.SimHashCountBonus(tensor_spec.TensorSpec([2], tf.float32), ACTION_SPEC,
                                          num_envs=2, num_bits=3, seed=7)
    self.assertIsNotNone(checkpoints.RunCheckpointer(root_dir,
                                                     intrinsic_reward=restored).restore())
    np.testing.assert_array_equal(restored.projection, PROJECTION)
    self.assertEqual(int(restored.counts.size()), 2)
    np.testing.assert_allclose(restored.bonus(tf.constant([[1.0, 2.0], [1.0, -2.0]])),
                               [1 / math.sqrt(3.0), 1.0])

  def test_a_seed_fixes_the_projection(self):
    spec = tensor_spec.TensorSpec([5], tf.float32)
    first, second = (sim_hash.SimHashCountBonus(spec, ACTION_SPEC, num_envs=1, seed=3)
                     for _ in range(2))
    self.assertEqual(first.projection.shape, [5, 64])
    np.testing.assert_array_equal(first.projection, second.projection)

  def test_rejects_bad_configurations(self):
    with self.assertRaisesRegex(ValueError, "SimHashCountBonus wants states \\[D\\]"):
      sim_hash.SimHashCountBonus(tensor_spec.TensorSpec([2, 2], tf.float32), ACTION_SPEC, 1)
    with self.assertRaisesRegex(ValueError, "num_bits must be a positive integer, got 0"):
      _bonus(num_bits=0)


if __name__ == "__main__":
  absltest.main()

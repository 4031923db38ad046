"""The IntrinsicReward seam on hand-computed cases: the count bonus, state bonuses' boundary
rows, the normaliser's view of what is rewarded, and bonuses stored at collection."""
import math

from absl.testing import absltest
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec
from tf_agents.trajectories import time_step as ts
from tf_agents.trajectories import trajectory

from tf_empowerment.rewards import constant
from tf_empowerment.rewards import counts
from tf_empowerment.rewards import empowerment_reward
from tf_empowerment.rewards import intrinsic_reward
from tf_empowerment.rewards import normalisation

NUM_CELLS = 4
STATE_SPEC = tensor_spec.TensorSpec([NUM_CELLS], tf.float32)
ACTION_SPEC = tensor_spec.BoundedTensorSpec([], tf.int32, 0, 4)
FIRST, MID, LAST = ts.StepType.FIRST, ts.StepType.MID, ts.StepType.LAST


def _steps(cells, step_types, policy_info=()):
  """Trajectory [batch, time] of one-hot cells [batch, time] with the given step types."""
  cells, step_types = np.asarray(cells), np.asarray(step_types, np.int32)
  next_types = np.concatenate([step_types[:, 1:], np.full_like(step_types[:, :1], MID)], 1)
  return trajectory.Trajectory(
      step_type=tf.constant(step_types), observation=tf.constant(np.eye(NUM_CELLS)[cells],
                                                                 tf.float32),
      action=tf.zeros(cells.shape, tf.int32), policy_info=policy_info,
      next_step_type=tf.constant(next_types), reward=tf.zeros(cells.shape),
      discount=tf.ones(cells.shape))


def _at(experience, t):
  """Step t of experience [batch, time] as a collected trajectory [batch]."""
  return tf.nest.map_structure(lambda x: x[:, t], experience)


class CombineTest(absltest.TestCase):

  def test_one_channel_sums_and_two_keep_them_apart(self):
    extrinsic, intrinsic = tf.constant([[1.0, -1.0]]), tf.constant([[0.25, 0.5]])
    one = intrinsic_reward.IntrinsicReward(num_channels=1).combine(extrinsic, intrinsic)
    two = intrinsic_reward.IntrinsicReward(num_channels=2).combine(extrinsic, intrinsic)
    np.testing.assert_allclose(one, [[[1.25], [-0.5]]])
    np.testing.assert_allclose(two, [[[1.0, 0.25], [-1.0, 0.5]]])

  def test_rejects_other_channel_counts(self):
    with self.assertRaisesRegex(ValueError, "num_channels must be 1 or 2, got 3"):
      intrinsic_reward.IntrinsicReward(num_channels=3)


class TabularCountBonusTest(absltest.TestCase):

  def test_bonus_is_beta_over_root_count_of_the_state_reached(self):
    bonus = counts.TabularCountBonus(STATE_SPEC, ACTION_SPEC, num_envs=2, beta=0.5)
    collected = _steps([[0, 1, 1, 1], [0, 0, 2, 3]], [[FIRST, MID, MID, MID]] * 2)
    for t in range(4):
      bonus.observe(_at(collected, t))
    np.testing.assert_array_equal(bonus.counts.numpy(), [3, 3, 1, 1])
    rewards, metrics = bonus.relabel(_steps([[0, 1], [2, 3]], [[MID, MID]] * 2))
    self.assertEqual(rewards.shape, [2, 2, 1])
    np.testing.assert_allclose(rewards[:, 0, 0], [0.5 / math.sqrt(3.0), 0.5], rtol=1e-6)
    np.testing.assert_array_equal(rewards[:, 1, 0], [0.0, 0.0])  # no next state in the window
    self.assertAlmostEqual(float(metrics["intrinsic_reward/raw_mean"]),
                           (1 / math.sqrt(3.0) + 1.0) / 2, places=6)

  def test_unvisited_states_get_the_full_bonus(self):
    bonus = counts.TabularCountBonus(STATE_SPEC, ACTION_SPEC, num_envs=1, beta=0.1)
    np.testing.assert_allclose(bonus.bonus(tf.eye(NUM_CELLS)), [1.0] * NUM_CELLS)

  def test_num_cells_counts_only_the_leading_one_hot_block(self):
    # States [cell one-hot (2), anything else (2)]: the trailing entries never count.
    bonus = counts.TabularCountBonus(STATE_SPEC, ACTION_SPEC, num_envs=1, beta=1.0,
                                     num_cells=2)
    states = tf.constant([[[0.0, 1.0, 5.0, 9.0], [0.0, 1.0, 0.0, 0.0]]])
    bonus.observe(trajectory.Trajectory(
        step_type=tf.constant([MID]), observation=states[:, 0], action=tf.zeros([1], tf.int32),
        policy_info=(), next_step_type=tf.constant([MID]), reward=tf.zeros([1]),
        discount=tf.ones([1])))
    np.testing.assert_array_equal(bonus.counts.numpy(), [0, 1])
    np.testing.assert_allclose(bonus.bonus(states[0]), [1.0, 1.0])
    with self.assertRaisesRegex(ValueError, "num_cells must be in \\[1, 4\\], got 5"):
      counts.TabularCountBonus(STATE_SPEC, ACTION_SPEC, num_envs=1, num_cells=5)

  def test_rejects_states_that_are_not_vectors(self):
    with self.assertRaisesRegex(ValueError, "one-hot states"):
      counts.TabularCountBonus(tensor_spec.TensorSpec([2, 2], tf.float32), ACTION_SPEC, 1)


class EpisodicCountBonusTest(absltest.TestCase):

  def test_counts_restart_with_each_episode_of_each_env(self):
    bonus = counts.EpisodicCountBonus(STATE_SPEC, ACTION_SPEC, num_envs=2, beta=1.0)
    # (cells of env 0 and env 1, which start an episode), one acting step at a time.
    steps = [([0, 2], [True, True]), ([1, 2], [False, False]), ([0, 2], [False, False]),
             ([0, 3], [True, False]), ([0, 2], [False, False])]
    collected = [bonus.info(tf.gather(tf.eye(NUM_CELLS), cells), tf.constant(first)).numpy()
                 for cells, first in steps]
    # Env 0: 0 once, 1 once, 0 twice, a new episode at 0, 0 twice in it. Env 1: 2 three times,
    # 3 once, 2 a fourth time: its episode never restarts.
    np.testing.assert_allclose(collected, [[1, 1], [1, 1 / math.sqrt(2)],
                                           [1 / math.sqrt(2), 1 / math.sqrt(3)], [1, 1],
                                           [1 / math.sqrt(2), 0.5]], rtol=1e-6)

  def test_reward_is_the_bonus_stored_at_collection(self):
    bonus = counts.EpisodicCountBonus(STATE_SPEC, ACTION_SPEC, num_envs=1, beta=0.1,
                                      offset=-0.1)
    stored = {intrinsic_reward.INFO_KEY: tf.constant([[1.0, 0.25]])}
    rewards, _ = bonus.relabel(_steps([[0, 1]], [[MID, MID]], policy_info=stored))
    np.testing.assert_allclose(rewards[0, 0, 0], 0.1 * 0.25 - 0.1, rtol=1e-6)

  def test_num_cells_counts_only_the_leading_one_hot_block(self):
    bonus = counts.EpisodicCountBonus(STATE_SPEC, ACTION_SPEC, num_envs=1, num_cells=2)
    # Both states are cell 1 of the leading block, whatever the rest holds.
    bonus.info(tf.constant([[0.0, 1.0, 1.0, 0.0]]), tf.constant([True]))
    np.testing.assert_allclose(
        bonus.info(tf.constant([[0.0, 1.0, 0.0, 1.0]]), tf.constant([False])), [0.5 ** 0.5])
    with self.assertRaisesRegex(ValueError, r"EpisodicCountBonus.num_cells must be in \[1, 4\]"):
      counts.EpisodicCountBonus(STATE_SPEC, ACTION_SPEC, num_envs=1, num_cells=5)


class ConstantBonusTest(absltest.TestCase):

  def test_every_transition_gets_the_value_of_either_sign(self):
    for value in (-0.1, 0.1):
      bonus = constant.ConstantBonus(STATE_SPEC, ACTION_SPEC, num_envs=1, value=value)
      rewards, _ = bonus.relabel(_steps([[0, 1, 2], [0, 1, 2]],
                                        [[MID, MID, MID], [MID, LAST, FIRST]]))
      np.testing.assert_allclose(rewards[..., 0], [[value, value, 0.0], [value, 0.0, 0.0]],
                                 rtol=1e-6)


class StateBonusTest(absltest.TestCase):

  def test_centred_bonus_subtracts_the_mean_of_the_rewarded_values(self):
    # Collected: FIRST in cell 0 (not rewarded), then cell 1 three times.
    bonus = counts.TabularCountBonus(STATE_SPEC, ACTION_SPEC, num_envs=1, beta=0.5,
                                     centred=True)
    collected = _steps([[0, 1, 1, 1]], [[FIRST, MID, MID, MID]])
    for t in range(4):
      bonus.observe(_at(collected, t))
    # Counts before each step: cell 1 had 0, 1, 2 visits: bonuses 1, 1, 1/sqrt(2).
    rewarded_mean = (1.0 + 1.0 + 1.0 / math.sqrt(2.0)) / 3
    self.assertAlmostEqual(float(bonus.bonus_stats.mean), rewarded_mean, places=6)
    self.assertEqual(float(bonus.bonus_stats.count), 3.0)
    # Now N(1) = 3, N(3) = 0: relabelled 0.5 * (bonus - mean).
    rewards, _ = bonus.relabel(_steps([[0, 1], [0, 3]], [[MID, MID]] * 2))
    np.testing.assert_allclose(rewards[:, 0, 0], [0.5 * (1 / math.sqrt(3.0) - rewarded_mean),
                                                  0.5 * (1.0 - rewarded_mean)], rtol=1e-5)


  def test_offset_is_added_to_every_transitions_scaled_bonus(self):
    # The tabular check's optimistic counts, 0.1 * (1 / sqrt(N) - 1), with N(1) = 4, N(2) = 0.
    bonus = counts.TabularCountBonus(STATE_SPEC, ACTION_SPEC, num_envs=1, beta=0.1, offset=-0.1)
    bonus.counts.assign([0.0, 4.0, 0.0, 0.0])
    rewards, _ = bonus.relabel(_steps([[0, 1], [0, 2], [1, 0]], [[MID, MID], [MID, MID],
                                                               [LAST, FIRST]]))
    np.testing.assert_allclose(rewards[:, 0, 0], [0.1 * (0.5 - 1.0), 0.0, 0.0], atol=1e-7)

  def test_only_the_first_num_rewarded_transitions_are_rewarded(self):
    bonus = counts.TabularCountBonus(STATE_SPEC, ACTION_SPEC, num_envs=1, beta=1.0, offset=-0.5)
    experience = _steps([[0, 1, 2, 3], [0, 1, 2, 3]], [[MID, MID, MID, MID], [MID, FIRST, MID,
                                                                               MID]])
    rewards, metrics = bonus.relabel(experience, num_rewarded=1)
    self.assertEqual(rewards.shape, [2, 4, 1])
    np.testing.assert_allclose(rewards[..., 0], [[0.5, 0.0, 0.0, 0.0], [0.0] * 4])
    self.assertAlmostEqual(float(metrics["intrinsic_reward/raw_mean"]), 1.0)
    everything, _ = bonus.relabel(experience)
    np.testing.assert_allclose(everything[0, :, 0], [0.5, 0.5, 0.5, 0.0])

  def test_rows_that_are_no_transition_get_no_bonus(self):
    # An episode's end (LAST -> FIRST) and a resume's cut (MID -> FIRST) lead to a reset,
    # not to the state the action reached.
    bonus = counts.TabularCountBonus(STATE_SPEC, ACTION_SPEC, num_envs=1, beta=1.0)
    rewards, _ = bonus.relabel(_steps([[0, 1], [0, 2], [0, 3]],
                                      [[LAST, FIRST], [MID, FIRST], [MID, MID]]))
    np.testing.assert_array_equal(rewards[:, 0, 0], [0.0, 0.0, 1.0])

  def test_normaliser_sees_exactly_the_rewarded_values(self):
    # Exact 1-step empowerment of open_5x5 cells: log 3 in corners, log 4 on walls, log 5 inside.
    spec = tensor_spec.TensorSpec([25], tf.float32)
    gamma = 0.5
    reward = empowerment_reward.ExactEmpowermentReward(
        spec, ACTION_SPEC, num_envs=1, layout="open_5x5", beta=1.0,
        normaliser=lambda num_envs: normalisation.DiscountedReturnNormaliser(num_envs, gamma))
    cells = [0, 6, 1, 12, 0, 7]
    types = [FIRST, MID, LAST, FIRST, MID, LAST]
    stream = trajectory.Trajectory(
        step_type=tf.constant([types], tf.int32),
        observation=tf.constant(np.eye(25)[[cells]], tf.float32),
        action=tf.zeros([1, 6], tf.int32), policy_info=(),
        next_step_type=tf.constant([types[1:] + [FIRST]], tf.int32), reward=tf.zeros([1, 6]),
        discount=tf.ones([1, 6]))
    for t in range(6):
      reward.observe(_at(stream, t))
    windows = [tf.nest.map_structure(lambda x, t=t: x[:, t:t + 2], stream) for t in range(5)]
    unnormalised = empowerment_reward.ExactEmpowermentReward(
        spec, ACTION_SPEC, num_envs=1, layout="open_5x5", beta=1.0, normaliser=None)
    relabelled = [float(unnormalised.relabel(window)[0][0, 0, 0]) for window in windows]
    # 0 -> 6 (inside), 6 -> 1 (wall), the LAST -> FIRST reset, 12 -> 0 (corner), 0 -> 7.
    np.testing.assert_allclose(relabelled, np.log([5.0, 4.0, 1.0, 3.0, 5.0]), rtol=1e-5)
    rewarded = [value for value, window in zip(relabelled, range(5)) if window != 2]
    expected_returns = []
    running = 0.0
    for value in rewarded:
      running = gamma * running + value
      expected_returns.append(running)
    stats = reward.normaliser.return_stats
    self.assertEqual(float(stats.count), len(rewarded))
    np.testing.assert_allclose(float(stats.mean), np.mean(expected_returns), rtol=1e-5)
    np.testing.assert_allclose(float(stats.variance), np.var(expected_returns), rtol=1e-4)

  def test_bonus_computed_at_collection_is_read_back_from_replay(self):
    bonus = counts.TabularCountBonus(STATE_SPEC, ACTION_SPEC, num_envs=1, beta=1.0,
                                     at_collection=True)
    self.assertEqual(bonus.info_spec.shape, [])
    stored = {intrinsic_reward.INFO_KEY: tf.constant([[0.0, 0.25]])}
    rewards, _ = bonus.relabel(_steps([[0, 1]], [[MID, MID]], policy_info=stored))
    # Counts are all zero now (a bonus of 1 if recomputed); the stored 0.25 is what counts.
    np.testing.assert_allclose(rewards[0, 0, 0], 0.25)
    np.testing.assert_allclose(bonus.info(tf.eye(NUM_CELLS)[:2], tf.constant([True, False])),
                               [1.0, 1.0])

  def test_rejects_negative_beta(self):
    with self.assertRaisesRegex(ValueError, "beta must be non-negative"):
      counts.TabularCountBonus(STATE_SPEC, ACTION_SPEC, num_envs=1, beta=-1.0)


if __name__ == "__main__":
  absltest.main()

"""Tests of the empowerment rewards on fixed batches, with a real estimator and agent."""
import functools
import math

import os

from absl.testing import absltest
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec
from tf_agents.trajectories import time_step as ts
from tf_agents.trajectories import trajectory

from tests import batches
from tests import short_runs
from tf_empowerment.agents import dqn as agent_lib
from tf_empowerment.empowerment import exact
from tf_empowerment.empowerment import mine
from tf_empowerment.empowerment import transition_table
from tf_empowerment.envs import gridworld
from tf_empowerment.envs import minigrid
from tf_empowerment.networks import inverse_dynamics
from tf_empowerment.rewards import counts
from tf_empowerment.rewards import empowerment_reward

NUM_ACTIONS, STATE_SIZE, BATCH = 3, 4, 8
STATE_SPEC = tensor_spec.TensorSpec([STATE_SIZE], tf.float32)
ACTION_SPEC = tensor_spec.BoundedTensorSpec([], tf.int32, 0, NUM_ACTIONS - 1)
GRID_SPEC = tensor_spec.TensorSpec([25], tf.float32)
GRID_ACTIONS = tensor_spec.BoundedTensorSpec([], tf.int32, 0, 4)


class _TableEstimator:
  """An estimator whose empowerment of one-hot states is a fixed table (nats); it keeps the
  row weights of each training batch."""

  def __init__(self, values, num_actions, n_steps=1):
    self._values = tf.constant(values, tf.float32)
    self.n_steps, self.num_sequences = n_steps, num_actions ** n_steps
    self.trained_weights = []

  def empowerment(self, states):
    return tf.gather(self._values, tf.argmax(states, axis=-1))

  def train_step(self, states, actions, next_states, weights):
    del states, actions, next_states
    self.trained_weights.append(weights.numpy())
    return {}


def _mine_reward(beta, **kwargs):
  return empowerment_reward.EmpowermentReward(
      STATE_SPEC, ACTION_SPEC, num_envs=2, beta=beta,
      estimator=mine.MineEmpowerment, **kwargs)


def _table_reward(values, **kwargs):
  return empowerment_reward.EmpowermentReward(
      GRID_SPEC, GRID_ACTIONS, num_envs=2, estimator=functools.partial(_TableEstimator, values),
      **kwargs)


def _balanced_reward(n_steps, balance_power):
  """A table reward whose training is balanced by tabular counts of 3 visits of cell 1, 1 of
  cell 6 and 2 of cell 7, collected by its two environments."""
  reward = _table_reward(_open_5x5(), n_steps=n_steps, balance=counts.TabularCountBonus,
                         balance_power=balance_power)
  for cells in ((1, 1), (1, 6), (7, 7)):
    reward.observe(batches.of_states(np.eye(25)[list(cells)], [ts.StepType.MID] * 2))
  return reward


def _cells_experience(reward=((0.0, 0.0),) * 3):
  """A [3, 2] batch of open_5x5 one-hot cells: s -> corner, s -> inside, s -> wall."""
  cells = np.eye(25, dtype=np.float32)[[1, 0, 6, 12, 7, 2]]
  return batches.transitions(3, 25, 5)._replace(
      observation=tf.constant(cells.reshape(3, 2, 25)), action=tf.zeros([3, 2], tf.int32),
      step_type=tf.fill([3, 2], ts.StepType.MID), next_step_type=tf.fill([3, 2], ts.StepType.MID),
      reward=tf.constant(reward, tf.float32), discount=tf.ones([3, 2]))


def _open_5x5():
  return exact.gridworld_empowerment(gridworld.GridLayout.load("open_5x5"))


class EmpowermentRewardTest(absltest.TestCase):

  def test_beta_zero_gives_plain_dqn_targets(self):
    tf.random.set_seed(0)
    experience = batches.transitions(BATCH, STATE_SIZE, NUM_ACTIONS)
    rewards, _ = _mine_reward(beta=0.0).relabel(experience)
    np.testing.assert_array_equal(rewards[..., 0], experience.reward)
    agent, _ = agent_lib.create_dqn_agent(ts.time_step_spec(STATE_SPEC), ACTION_SPEC,
                                          tf.Variable(0, dtype=tf.int64))
    relabelled = experience._replace(reward=rewards[..., 0])
    self.assertEqual(float(agent.loss(relabelled).loss), float(agent.loss(experience).loss))

  def test_intrinsic_reward_is_the_estimators_empowerment_of_the_next_state(self):
    tf.random.set_seed(0)
    experience = batches.transitions(BATCH, STATE_SIZE, NUM_ACTIONS)
    reward = _mine_reward(beta=0.5)
    rewards, metrics = reward.relabel(experience)
    # A fresh normaliser has unit std, so r = r_ext + beta * E(s_{t+1}) on real transitions.
    expected = reward.estimator.empowerment(experience.observation[:, 1]).numpy()
    expected[0] = 0.0  # row 0 is an episode's end (LAST -> FIRST): no bonus
    intrinsic = (rewards[:, 0, 0] - experience.reward[:, 0]).numpy() / 0.5
    np.testing.assert_allclose(intrinsic, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(rewards[:, 1, 0], experience.reward[:, 1])
    self.assertAlmostEqual(float(metrics["empowerment/mean"]), float(np.mean(expected[1:])),
                           places=4)
    for name in ("forward_model/loss", "critic/loss", "critic/jsd"):
      self.assertTrue(np.isfinite(float(metrics[name])), name)

  def test_floor_raises_low_estimates_before_normalisation(self):
    rewards, metrics = _table_reward(_open_5x5(), beta=1.0, floor=1.2).relabel(
        _cells_experience())
    np.testing.assert_allclose(rewards[:, 0, 0], [1.2, math.log(5.0), math.log(4.0)],
                               rtol=1e-5)
    self.assertAlmostEqual(float(metrics["empowerment/max"]), math.log(5.0), places=5)

  def test_two_channels_are_the_extrinsic_and_the_scaled_intrinsic_reward(self):
    experience = _cells_experience(reward=[[1.0, -1.0], [0.0, 1.0], [-1.0, 0.0]])
    channels, _ = _table_reward(_open_5x5(), beta=0.5, num_channels=2).relabel(experience)
    self.assertEqual(channels.shape, [3, 2, 2])
    np.testing.assert_array_equal(channels[..., 0], experience.reward)
    np.testing.assert_allclose(channels[:, 0, 1], 0.5 * np.log([3.0, 5.0, 4.0]), rtol=1e-5)
    np.testing.assert_array_equal(channels[:, 1, 1], np.zeros(3))
    combined, _ = _table_reward(_open_5x5(), beta=0.5).relabel(experience)
    np.testing.assert_allclose(combined[..., 0], tf.reduce_sum(channels, -1), rtol=1e-6)

  def test_estimates_outside_zero_to_log_actions_are_counted(self):
    values = np.full(25, 1.0)
    values[[0, 12]] = [-3.0, 2.0]  # below 0 and above log 5 = 1.609 nats
    _, metrics = _table_reward(values).relabel(_cells_experience())
    self.assertAlmostEqual(float(metrics["empowerment/out_of_range"]), 2 / 3, places=6)

  def test_exact_reward_gives_blahut_arimoto_values_of_the_cells(self):
    reward = empowerment_reward.ExactEmpowermentReward(GRID_SPEC, GRID_ACTIONS, num_envs=2,
                                                       layout="open_5x5", beta=1.0)
    rewards, metrics = reward.relabel(_cells_experience())
    np.testing.assert_allclose(rewards[:, 0, 0], np.log([3.0, 5.0, 4.0]), rtol=1e-5)
    self.assertEqual(float(metrics["empowerment/out_of_range"]), 0.0)
    with self.assertRaisesRegex(ValueError, "one-hot states \\[25\\]"):
      empowerment_reward.ExactEmpowermentReward(STATE_SPEC, GRID_ACTIONS, 1, layout="open_5x5")

  def test_relative_exact_reward_divides_by_log_sequences(self):
    reward = empowerment_reward.ExactEmpowermentReward(
        GRID_SPEC, GRID_ACTIONS, num_envs=2, layout="open_5x5", relative=True, beta=1.0,
        normaliser=None)
    rewards, metrics = reward.relabel(_cells_experience())
    np.testing.assert_allclose(rewards[:, 0, 0], np.log([3.0, 5.0, 4.0]) / np.log(5.0),
                               rtol=1e-5)
    self.assertAlmostEqual(float(metrics["empowerment/max"]), np.log(5.0), places=5)
    two_step = empowerment_reward.ExactEmpowermentReward(
        GRID_SPEC, GRID_ACTIONS, num_envs=2, layout="open_5x5", n_steps=2, relative=True,
        beta=1.0, normaliser=None)
    rewards, _ = two_step.relabel(_cells_experience())
    # Two steps reach 6 cells from a corner, 13 from the centre, 9 from (0, 2): of log 25.
    np.testing.assert_allclose(rewards[:, 0, 0], np.log([6.0, 13.0, 9.0]) / np.log(25.0),
                               rtol=1e-5)

  def test_relative_learned_reward_divides_by_log_sequences(self):
    table = _table_reward(_open_5x5(), beta=1.0, normaliser=None, relative=True)
    rewards, metrics = table.relabel(_cells_experience())
    np.testing.assert_allclose(rewards[:, 0, 0], np.log([3.0, 5.0, 4.0]) / np.log(5.0),
                               rtol=1e-5)
    self.assertAlmostEqual(float(metrics["empowerment/max"]), np.log(5.0), places=5)

  def test_features_are_what_the_estimator_reads_and_train_beside_it(self):
    tf.random.set_seed(0)
    experience = batches.transitions(BATCH, STATE_SIZE, NUM_ACTIONS)
    reward = _mine_reward(beta=0.5, features=functools.partial(
        inverse_dynamics.InverseDynamicsFeatures, feature_size=2, hidden_units=(8,)))
    reward.create_variables()
    rewards, metrics = reward.relabel(experience)
    self.assertEqual(reward.estimator.forward_model.layers[0].input_shape[-1], 2)
    # phi after this batch's step: the estimate of the next state's features is the reward.
    expected = reward.estimator.empowerment(
        reward.features(experience.observation[:, 1])).numpy()[1:]
    np.testing.assert_allclose((rewards[1:, 0, 0] - experience.reward[1:, 0]) / 0.5, expected,
                               rtol=1e-4, atol=1e-5)
    self.assertGreater(float(metrics["features/inverse_loss"]), 0.0)

  def test_balance_weighs_each_window_by_its_first_states_inverse_count(self):
    reward = _balanced_reward(n_steps=1, balance_power=1.0)
    reward.relabel(_cells_experience())  # windows from cells 1, 6 and 7
    np.testing.assert_allclose(reward.estimator.trained_weights[-1], [1 / 3, 1.0, 1 / 2],
                               rtol=1e-6)

  def test_balance_power_half_weighs_by_inverse_sqrt_count(self):
    reward = _balanced_reward(n_steps=1, balance_power=0.5)
    reward.relabel(_cells_experience())
    np.testing.assert_allclose(reward.estimator.trained_weights[-1],
                               [3 ** -0.5, 1.0, 2 ** -0.5], rtol=1e-6)

  def test_balance_weighs_n_step_windows_by_their_first_state(self):
    reward = _balanced_reward(n_steps=3, balance_power=1.0)
    # Windows of 4 cells starting at 6, 7, 1 and 1; the last crosses an episode's start.
    cells = [[6, 1, 2, 3], [7, 12, 17, 22], [1, 6, 7, 8], [1, 2, 3, 4]]
    step_type = np.full([4, 4], ts.StepType.MID)
    step_type[3, 2] = ts.StepType.FIRST
    reward.relabel(batches.of_states(np.eye(25)[cells], step_type), num_rewarded=1)
    np.testing.assert_allclose(reward.estimator.trained_weights[-1], [1.0, 1 / 2, 1 / 3, 0.0],
                               rtol=1e-6)
    # The counts are the reward's variables, so the run's checkpoint saves them.
    self.assertTrue(any(v is reward.balance.counts for v in reward.variables))

  def test_rejects_negative_balance_power(self):
    with self.assertRaisesRegex(ValueError, "balance_power must be non-negative"):
      _table_reward(_open_5x5(), balance=counts.TabularCountBonus, balance_power=-0.5)

  def test_rejects_negative_beta(self):
    with self.assertRaisesRegex(ValueError, "beta must be non-negative"):
      _mine_reward(beta=-1.0)


def walk(layout, num_envs, num_steps, seed=0):
  """Collected steps of `num_envs` GridworldEnvs of `layout` under random actions, episodes of
  4 steps: trajectories [num_envs] as the actor's observers get them."""
  rng = np.random.default_rng(seed)
  envs = [gridworld.GridworldEnv(layout, max_episode_steps=4) for _ in range(num_envs)]
  observations = [env.reset(seed=seed + index)[0] for index, env in enumerate(envs)]
  step_types = [ts.StepType.FIRST] * num_envs
  for _ in range(num_steps):
    actions = rng.integers(0, len(gridworld.ACTIONS), num_envs)
    yield trajectory.Trajectory(
        step_type=tf.constant(step_types, tf.int32), observation=tf.constant(observations),
        action=tf.constant(actions, tf.int32), policy_info=(),
        next_step_type=tf.fill([num_envs], ts.StepType.MID), reward=tf.zeros([num_envs]),
        discount=tf.ones([num_envs]))
    for index, env in enumerate(envs):
      if step_types[index] == ts.StepType.LAST:
        observations[index], step_types[index] = env.reset()[0], ts.StepType.FIRST
      else:
        observations[index], _, terminated, truncated, _ = env.step(actions[index])
        step_types[index] = ts.StepType.LAST if terminated or truncated else ts.StepType.MID


class ModelEmpowermentRewardTest(absltest.TestCase):

  def test_learns_the_layout_from_collected_steps_and_rewards_its_empowerment(self):
    layout = gridworld.GridLayout.load("open_5x5")
    reward = empowerment_reward.ModelEmpowermentReward(
        GRID_SPEC, GRID_ACTIONS, num_envs=2, n_steps=2, untried="stay", relative=True,
        beta=1.0, normaliser=None)
    for steps in walk("open_5x5", num_envs=2, num_steps=60):
      reward.observe(steps)
    table = reward.table.next_states.numpy()
    tried = table >= 0
    self.assertGreater(tried.mean(), 0.3)  # every transition is a real step, never a reset
    np.testing.assert_array_equal(table[tried], layout.successors[tried])
    values = reward.table.empowerment(2, "stay").numpy()
    rewards, metrics = reward.relabel(_cells_experience())
    np.testing.assert_allclose(rewards[:, 0, 0], values[[0, 12, 2]] / np.log(25.0), rtol=1e-5)
    self.assertAlmostEqual(float(metrics["model/known_fraction"]), tried.mean(), places=6)

  def test_untried_new_starts_at_the_bound_and_untried_stay_at_zero(self):
    for untried, value in (("new", 1.0), ("stay", 0.0)):
      reward = empowerment_reward.ModelEmpowermentReward(
          GRID_SPEC, GRID_ACTIONS, num_envs=2, n_steps=3, untried=untried, relative=True,
          beta=1.0, normaliser=None)
      rewards, _ = reward.relabel(_cells_experience())
      np.testing.assert_allclose(rewards[:, 0, 0], [value] * 3, atol=1e-6)

  def test_rejects_bad_arguments_in_one_line(self):
    with self.assertRaisesRegex(ValueError, "one-hot states \\[num_states\\]"):
      empowerment_reward.ModelEmpowermentReward(
          tensor_spec.TensorSpec([5, 5], tf.float32), GRID_ACTIONS, 1)
    with self.assertRaisesRegex(ValueError, "untried must be one of"):
      empowerment_reward.ModelEmpowermentReward(GRID_SPEC, GRID_ACTIONS, 1, untried="wall")

  def test_trains_inside_the_agent_on_nine_rooms(self):
    root_dir, scalars = short_runs.train_briefly(
        self, ["gridworld_counts_plus_model_empowerment.gin", "benchmark_nine_rooms.gin"], 400)
    known = scalars["model_empowerment_reward/model/known_fraction"][1]
    self.assertTrue(np.all(np.diff(known) >= 0) and 0 < known[-1] < 1, known)
    layout = gridworld.GridLayout.load("nine_rooms")
    checkpoint = tf.train.load_checkpoint(os.path.join(root_dir, "checkpoints"))
    [name] = [name for name in checkpoint.get_variable_to_shape_map()
              if "table/next_states" in name]
    table = checkpoint.get_tensor(name)
    np.testing.assert_array_equal(table[table >= 0], layout.successors[table >= 0])


class EpisodicModelEmpowermentRewardTest(absltest.TestCase):

  def test_each_env_learns_its_current_episode_and_rewards_its_empowerment(self):
    layout = gridworld.GridLayout.load("open_5x5")
    reward = empowerment_reward.EpisodicModelEmpowermentReward(
        GRID_SPEC, GRID_ACTIONS, num_envs=2, num_cells=25, n_steps=2, untried="new",
        relative=True, beta=1.0)
    episodes = [{}, {}]  # each env's (state, action) -> next state of its current episode
    last = [None, None]
    for steps in walk("open_5x5", num_envs=2, num_steps=40):
      states = np.argmax(steps.observation.numpy(), axis=-1)
      values = reward.info(steps.observation, steps.is_first()).numpy()
      reward.observe(steps)
      tables = reward.next_states.numpy()
      for env in range(2):
        if steps.is_first().numpy()[env]:
          episodes[env] = {}
        else:
          episodes[env][last[env]] = states[env]
        last[env] = (states[env], int(steps.action[env]))
        expected = np.full([25, len(gridworld.ACTIONS)], -1)
        for (state, action), next_state in episodes[env].items():
          expected[state, action] = next_state
        np.testing.assert_array_equal(tables[env], expected)  # the episode's steps, no others
        reference = transition_table.DeterministicTransitionTable(25, len(gridworld.ACTIONS))
        reference.next_states.assign(expected)
        self.assertAlmostEqual(values[env], float(reference.empowerment(2, "new")[states[env]])
                               / math.log(25.0), places=5)
    for table in tables:
      np.testing.assert_array_equal(table[table >= 0], layout.successors[table >= 0])

  def test_a_later_outcome_replaces_the_earlier_one(self):
    # As a door opened from (state 0, action 1): first a stay, then a step to state 5.
    reward = empowerment_reward.EpisodicModelEmpowermentReward(
        GRID_SPEC, GRID_ACTIONS, num_envs=1, num_cells=25)
    for state, step_type in ((0, ts.StepType.FIRST), (0, ts.StepType.MID), (5, ts.StepType.MID)):
      steps = trajectory.Trajectory(
          step_type=tf.constant([step_type]), observation=tf.one_hot([state], 25),
          action=tf.constant([1]), policy_info=(), next_step_type=tf.constant([ts.StepType.MID]),
          reward=tf.zeros([1]), discount=tf.ones([1]))
      reward.info(steps.observation, steps.is_first())
      reward.observe(steps)
    self.assertEqual(int(reward.next_states[0, 0, 1]), 5)

  def test_reads_minigrid_cells_and_directions(self):
    env = minigrid.MiniGridEnv("MiniGrid-MultiRoom-N4-S5-v1")
    observation, info = env.reset(seed=3)
    spec = tensor_spec.TensorSpec(observation.shape, tf.float32)
    actions = tensor_spec.BoundedTensorSpec([], tf.int32, 0, env.action_space.n - 1)
    reward = empowerment_reward.EpisodicModelEmpowermentReward(
        spec, actions, num_envs=1, num_cells=env.num_cells, num_directions=4, n_steps=3,
        relative=True)
    value = reward.info(tf.constant(observation[None]), tf.constant([True]))
    self.assertAlmostEqual(float(value[0]), 1.0, places=5)  # nothing tried: the bound, 7^3 ends
    turn_left = env.unwrapped.actions.left
    start = (info["cell"] * 4 + int(env.unwrapped.agent_dir), int(turn_left))
    reward.observe(trajectory.Trajectory(
        step_type=tf.constant([ts.StepType.FIRST]), observation=tf.constant(observation[None]),
        action=tf.constant([start[1]]), policy_info=(),
        next_step_type=tf.constant([ts.StepType.MID]), reward=tf.zeros([1]),
        discount=tf.ones([1])))
    observation, _, _, _, info = env.step(turn_left)
    reward.info(tf.constant(observation[None]), tf.constant([False]))
    # The state is cell * 4 + direction: turning left keeps the cell and changes the direction.
    self.assertEqual(int(reward.next_states[0][start]),
                     info["cell"] * 4 + int(env.unwrapped.agent_dir))

  def test_rejects_bad_arguments_in_one_line(self):
    with self.assertRaisesRegex(ValueError, "num_cells 20, num_directions 8"):
      empowerment_reward.EpisodicModelEmpowermentReward(GRID_SPEC, GRID_ACTIONS, 1, num_cells=20,
                                                        num_directions=8)
    with self.assertRaisesRegex(ValueError, "untried must be one of"):
      empowerment_reward.EpisodicModelEmpowermentReward(GRID_SPEC, GRID_ACTIONS, 1, num_cells=25,
                                                        untried="wall")

  def test_trains_inside_the_agent_on_multiroom(self):
    _, scalars = short_runs.train_briefly(
        self, ["minigrid_episodic_counts_plus_model_empowerment.gin", "benchmark_multiroom.gin"],
        400, ["Runner.eval_episodes = 1"])
    mean = scalars["episodic_model_empowerment_reward/empowerment/mean"][1]
    # Some states of each episode have had actions tried within 3 steps, never all.
    self.assertTrue(np.all((mean > 0) & (mean < 3 * math.log(7))), mean)
    outside = scalars["episodic_model_empowerment_reward/empowerment/out_of_range"][1]
    np.testing.assert_array_equal(outside, 0.0)


if __name__ == "__main__":
  absltest.main()

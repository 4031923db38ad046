"""MiniGridEmpowermentReward against simulation: log of the distinct states 7 actions reach."""
import copy
import math

from absl.testing import absltest
from absl.testing import parameterized
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec

from tests import short_runs
from tests.envs import minigrid_states
from tf_empowerment.envs import minigrid
from tf_empowerment.envs import minigrid_reach
from tf_empowerment.rewards import minigrid_empowerment

# Doors open, closed and locked, keys, balls and a box, carried and not.
TASKS = ("MiniGrid-MultiRoom-N4-S5-v1", "MiniGrid-DoorKey-5x5-v0", "MiniGrid-PutNear-6x6-N2-v0",
         "MiniGrid-KeyCorridorS3R1-v0")


def _reward(env, **kwargs):
  spec = tensor_spec.BoundedTensorSpec([], tf.int64, 0, 6)
  return minigrid_empowerment.MiniGridEmpowermentReward(
      tf.TensorSpec(env.observation_space.shape, tf.float32), spec, num_envs=1,
      num_cells=env.num_cells, **kwargs)


class MiniGridEmpowermentTest(parameterized.TestCase):

  def test_equals_the_log_of_distinct_next_states_by_simulation(self):
    rng = np.random.default_rng(0)
    kinds = set()
    for task in TASKS:
      env = minigrid.MiniGridEnv(task)
      observations, exact = [], []
      for episode in range(3):
        observation, _ = env.reset(seed=episode)
        for _ in range(120):
          outcomes = set()
          for action in range(7):
            copied = copy.deepcopy(env)
            copied.step(action)
            outcomes.add(minigrid_states.full_state(copied))
          observations.append(observation)
          exact.append(math.log(len(outcomes)))
          grid = env.unwrapped
          front = grid.grid.get(*grid.front_pos)
          kinds.add((front and front.type, grid.carrying is not None, len(outcomes)))
          # Mostly moves and turns; pickup, drop and toggle often enough to carry and unlock.
          action = rng.choice(7, p=[0.2, 0.2, 0.3, 0.1, 0.05, 0.15, 0.0])
          observation, _, terminated, truncated, _ = env.step(action)
          if terminated or truncated:
            break
      values = _reward(env).state_values(tf.constant(np.stack(observations))).numpy()
      np.testing.assert_allclose(values, exact, rtol=1e-6, err_msg=task)
    # The walks met what every rule decides: each of forward, pickup, drop and toggle.
    for kind in [(None, True, 5),      # floor ahead, carrying: forward and drop
                 ("door", True, 4),    # a door ahead while carrying
                 ("key", False, 4),    # a key ahead: pickup
                 ("box", False, 5),    # a box ahead: pickup and toggle
                 ("door", False, 5)]:  # an open door: forward and toggle
      self.assertIn(kind, kinds)

  def test_relative_divides_by_log_7(self):
    env = minigrid.MiniGridEnv(TASKS[0])
    observation, _ = env.reset(seed=0)
    states = tf.constant(observation[None])
    absolute, relative = _reward(env), _reward(env, relative=True)
    self.assertAlmostEqual(float(relative.bonus(states)[0]),
                           float(absolute.bonus(states)[0]) / math.log(7), places=6)

  def test_n_steps_reads_the_simulated_value_relative_to_log_7_to_the_n(self):
    env = minigrid.MiniGridEnv(TASKS[0], empowerment_steps=3)
    observation, _ = env.reset(seed=0)
    states = tf.constant(observation[None])
    exact = minigrid_reach.empowerment(env, 3)
    self.assertAlmostEqual(float(_reward(env, n_steps=3).state_values(states)[0]), exact, places=5)
    self.assertAlmostEqual(float(_reward(env, n_steps=3, relative=True).bonus(states)[0]),
                           exact / (3 * math.log(7)), places=5)

  def test_n_steps_without_the_simulated_value_fails_in_one_line(self):
    with self.assertRaisesRegex(ValueError, r"MiniGridEnv.empowerment_steps = 3\) \(num_cells"):
      _reward(minigrid.MiniGridEnv(TASKS[0]), n_steps=3)
    with self.assertRaisesRegex(ValueError, "n_steps must be >= 1"):
      _reward(minigrid.MiniGridEnv(TASKS[0]), n_steps=0)

  def test_rejects_flat_observations_in_one_line(self):
    env = minigrid.MiniGridEnv(TASKS[0], observation="flat")
    with self.assertRaisesRegex(ValueError, "one-hot observations"):
      _reward(env)

  @parameterized.parameters(
      ("gridworld_episodic_counts_plus_empowerment.gin", math.log(3), math.log(5)),
      # Three steps reach at most 7^3 states, and at least the agent's 4 directions in its cell.
      ("gridworld_episodic_counts_plus_empowerment_3step.gin", math.log(4), 3 * math.log(7)))
  def test_the_exact_control_trains_on_multiroom(self, gin_file, low, high):
    _, scalars = short_runs.train_briefly(self, [gin_file, "benchmark_multiroom.gin"], 300,
                                          ["Runner.eval_episodes = 1"])
    values = scalars["minigrid_empowerment_reward/empowerment/mean"][1]
    self.assertTrue(np.all((values >= low) & (values <= high)), values)


if __name__ == "__main__":
  absltest.main()

"""minigrid_reach against brute force: every one of the 7^n action sequences simulated on a
copy of the env, the distinct states they end in counted."""
import copy
import itertools
import math

from absl.testing import absltest
import numpy as np

from tests.envs import minigrid_states
from tf_empowerment.envs import minigrid
from tf_empowerment.envs import minigrid_reach

# Doors open, closed and locked, keys, balls, a box and a goal to end an episode.
TASKS = ("MiniGrid-MultiRoom-N4-S5-v1", "MiniGrid-DoorKey-5x5-v0", "MiniGrid-PutNear-6x6-N2-v0",
         "MiniGrid-KeyCorridorS3R1-v0")


def _brute_force(env, n_steps):
  """Distinct (ended, state) pairs over all action sequences, each run on a deep copy."""
  outcomes = set()
  for sequence in itertools.product(range(7), repeat=n_steps):
    copied, ended = copy.deepcopy(env), False
    for action in sequence:
      if ended:  # an episode's end is absorbing
        break
      _, _, ended, _, _ = copied.unwrapped.step(action)
    outcomes.add((ended, minigrid_states.full_state(copied)))
  return len(outcomes)


def _walk(task, seed, num_states, rng):
  """Yields an env at `num_states` states of a random walk that toggles, picks up and drops."""
  env = minigrid.MiniGridEnv(task)
  env.reset(seed=seed)
  for _ in range(num_states):
    yield env
    action = rng.choice(7, p=[0.2, 0.2, 0.3, 0.1, 0.05, 0.15, 0.0])
    _, _, terminated, truncated, _ = env.step(action)
    if terminated or truncated:
      env.reset(seed=seed + 1)


class NumReachableStatesTest(absltest.TestCase):

  def test_two_steps_equal_brute_force_and_leave_the_env_as_it_was(self):
    rng = np.random.default_rng(0)
    counts = set()
    for task in TASKS:
      for env in _walk(task, seed=0, num_states=12, rng=rng):
        before = minigrid_states.full_state(env)
        reached = minigrid_reach.num_reachable_states(env, 2)
        self.assertEqual(minigrid_states.full_state(env), before, task)
        self.assertEqual(reached, _brute_force(env, 2), task)
        counts.add(reached)
    self.assertGreater(len(counts), 3)  # the walks met states that differ

  def test_three_steps_equal_brute_force_on_multiroom(self):
    rng = np.random.default_rng(1)
    for env in _walk(TASKS[0], seed=2, num_states=3, rng=rng):
      self.assertEqual(minigrid_reach.num_reachable_states(env, 3), _brute_force(env, 3))

  def test_the_goal_ends_sequences(self):
    # MiniGrid-Empty-5x5: the agent at (1, 1) facing east, the goal at (3, 3). Two steps from
    # (3, 2) facing south, forward reaches the goal, and the second step must not leave it.
    env = minigrid.MiniGridEnv("MiniGrid-Empty-5x5-v0")
    env.reset(seed=0)
    env.unwrapped.agent_pos, env.unwrapped.agent_dir = (3, 2), 1
    self.assertEqual(minigrid_reach.num_reachable_states(env, 2), _brute_force(env, 2))
    self.assertEqual(minigrid_reach.num_reachable_states(env, 1), 4)  # stay, turn x2, goal

  def test_empowerment_is_the_log_of_the_count(self):
    env = minigrid.MiniGridEnv(TASKS[0])
    env.reset(seed=0)
    self.assertAlmostEqual(minigrid_reach.empowerment(env, 3),
                           math.log(minigrid_reach.num_reachable_states(env, 3)))

  def test_rejects_fewer_than_one_step(self):
    env = minigrid.MiniGridEnv(TASKS[0])
    env.reset(seed=0)
    with self.assertRaisesRegex(ValueError, "n_steps must be >= 1, got 0"):
      minigrid_reach.num_reachable_states(env, 0)


if __name__ == "__main__":
  absltest.main()

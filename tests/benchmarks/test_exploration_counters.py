"""Tests of the lifetime exploration counters and the benchmark gin files that turn them on."""
import os

from absl.testing import absltest
from absl.testing import parameterized
import gin
import numpy as np

from tf_empowerment import configurables  # pylint: disable=unused-import
from tf_empowerment.benchmarks import exploration_counters
from tf_empowerment.envs import deep_sea
from tf_empowerment.envs import gridworld
from tf_empowerment.envs import suite
from tf_empowerment.train import config

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STAY, EAST, WEST = (gridworld.ACTIONS.index(name) for name in ("stay", "east", "west"))
SIZE = 5


def _corridor(max_episode_steps=100):
  """corridor: cells (1, 1) .. (1, 8), states 0 .. 7, the goal at state 7."""
  return exploration_counters.ExplorationCounters(("state",))(
      gridworld.GridworldEnv("corridor", max_episode_steps=max_episode_steps))


def _counters(info):
  return info["distinct_cells_total"], info["first_goal_step"]


def _deep_sea_episode(env, go_right):
  """One DeepSea episode, always right (or left); the last step's info."""
  _, info = env.reset(seed=0)
  terminated = False
  while not terminated:
    right = env.unwrapped.right_action[info["row"], info["column"]]
    *_, terminated, _, info = env.step(right if go_right else 1 - right)
  return info


class ExplorationCountersTest(parameterized.TestCase):

  def tearDown(self):
    gin.clear_config()
    super().tearDown()

  def test_counts_states_over_episodes_from_the_reset_on(self):
    env = _corridor(max_episode_steps=3)
    self.assertEqual(_counters(env.reset(seed=0)[1]), (1, 0))  # the start, state 0
    for action in (EAST, EAST, WEST):  # states 1, 2, 1; truncated
      info = env.step(action)[-1]
    self.assertEqual(_counters(info), (3, 0))
    self.assertEqual(_counters(env.reset()[1]), (3, 0))
    for _ in range(3):  # states 1, 2, 3
      info = env.step(EAST)[-1]
    self.assertEqual(_counters(info), (4, 0))
    self.assertEqual(info["distinct_cells"], 4)  # the env's own, per episode

  def test_first_goal_step_is_the_agent_step_and_stays(self):
    env = _corridor()
    env.reset(seed=0)
    env.step(STAY)  # agent step 1
    env.reset()  # step 2: a reset after the first is an agent step too
    for _ in range(7):  # steps 3 .. 9; the 9th enters the goal, state 7
      info = env.step(EAST)[-1]
    self.assertEqual((info["reached_goal"], *_counters(info)), (1, 8, 9))
    env.reset()
    info = env.step(WEST)[-1]  # step 11 bumps the wall
    self.assertEqual((info["reached_goal"], *_counters(info)), (0, 8, 9))

  def test_copies_share_states_and_steps(self):
    counters = exploration_counters.ExplorationCounters(("state",))
    first, second = (counters(gridworld.GridworldEnv("corridor")) for _ in range(2))
    first.reset(seed=0)
    second.reset(seed=0)
    first.step(EAST)  # state 1, agent step 1
    for _ in range(7):  # second: states 1 .. 7, agent steps 2 .. 8; the goal at step 8
      info = second.step(EAST)[-1]
    self.assertEqual(_counters(info), (8, 8))
    self.assertEqual(_counters(first.step(STAY)[-1]), (8, 8))

  @parameterized.parameters((False, SIZE, 2 * SIZE - 1), (True, SIZE + 1, 2 * SIZE + 1))
  def test_deep_sea_cells_with_or_without_the_row_below(self, terminal, left, then_right):
    env = exploration_counters.ExplorationCounters(
        ("row", "column"), count_terminal_states=terminal)(deep_sea.DeepSeaEnv(SIZE))
    # Left: column 0 of every row, and (SIZE, 0) below the grid.
    self.assertEqual(_counters(_deep_sea_episode(env, go_right=False)), (left, 0))
    # Right: the diagonal (1, 1) .. (SIZE - 1, SIZE - 1), (SIZE, SIZE - 1) below; the goal is
    # paid by agent step 2 * SIZE + 1 (SIZE steps, a reset, SIZE steps).
    self.assertEqual(_counters(_deep_sea_episode(env, go_right=True)),
                     (then_right, 2 * SIZE + 1))
    info = _deep_sea_episode(env, go_right=False)
    self.assertEqual((info["reached_goal"], *_counters(info)), (0, then_right, 2 * SIZE + 1))

  def test_state_keys_must_be_in_the_info(self):
    with self.assertRaisesRegex(ValueError, "state_keys must name"):
      exploration_counters.ExplorationCounters(())
    env = exploration_counters.ExplorationCounters(("state",))(deep_sea.DeepSeaEnv(SIZE))
    with self.assertRaisesRegex(ValueError, r"state_keys \['state'\] are not in the env's info"):
      env.reset(seed=0)

  @parameterized.parameters(("four_rooms", "gridworld:four_rooms", 100, 1),
                            ("deep_sea", "deep_sea:3", 3, 3),
                            ("keycorridor", "MiniGrid-KeyCorridorS3R1-v0", 270, 1))
  def test_benchmark_gin_files_count_in_training_envs_only(self, task, env_id, length, cells):
    config.parse_gin([os.path.join(REPO, "gin", f"benchmark_{task}.gin")], [])
    env = suite.load_environment(env_id, num_envs=2, seed=0)
    for _ in range(length + 1):  # a FIRST, then one episode of action 0 in each sub-env
      env.step(np.zeros(2, np.int32))
    counters = [(episode["length"], episode["distinct_cells_total"], episode["first_goal_step"])
                for episode in env.episode_metrics()]
    # Both copies walk the same cells: the shared count is one copy's.
    self.assertEqual(counters, [(length, cells, 0)] * 2)
    with gin.config_scope("eval"):
      eval_env = suite.load_environment(env_id, seed=0)
    eval_env.reset()
    self.assertNotIn("distinct_cells_total", eval_env.get_info())


if __name__ == "__main__":
  absltest.main()

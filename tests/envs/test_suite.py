"""Tests of environment ids -> TF-Agents environments, with gin-configured options."""
from absl.testing import absltest
from absl.testing import parameterized
import gin
import numpy as np
from tf_agents.trajectories import time_step as ts

from tf_empowerment.envs import gridworld
from tf_empowerment.envs import suite

EAST = gridworld.ACTIONS.index("east")


class LoadEnvironmentTest(parameterized.TestCase):

  def tearDown(self):
    gin.clear_config()
    super().tearDown()

  def test_gridworld_reports_episode_metrics(self):
    env = suite.load_environment("gridworld:corridor", seed=0)
    self.assertFalse(env.batched)
    self.assertEqual(env.frames_per_step, 1)
    steps = [env.step(np.int32(EAST)) for _ in range(8)]  # a FIRST, then 7 moves to the goal
    self.assertEqual(int(steps[-1].step_type), ts.StepType.LAST)
    self.assertEqual(float(steps[-1].discount), 0.0)
    self.assertEqual(env.episode_metrics(),
                     [{"return": 1.0, "length": 7, "reached_goal": 1.0, "distinct_cells": 8.0}])

  def test_gridworld_from_a_layout_file_batched(self):
    path = self.create_tempfile("room.txt", content="#S.G#").full_path
    env = suite.load_environment(f"gridworld:{path}", num_envs=3, seed=0)
    self.assertTrue(env.batched)
    self.assertEqual(env.batch_size, 3)
    self.assertEqual(env.reset().observation.shape, (3, 3))

  def test_gin_configures_the_gridworld(self):
    gin.parse_config(["GridworldEnv.observation = 'coordinates'",
                      "GridworldEnv.max_episode_steps = 2"])
    env = suite.load_environment("gridworld:open_5x5")
    self.assertEqual(env.observation_spec().shape, (2,))
    steps = [env.step(np.int32(0)) for _ in range(3)]
    self.assertEqual(int(steps[-1].step_type), ts.StepType.LAST)
    self.assertEqual(float(steps[-1].discount), 1.0)

  def test_deep_sea_by_size_with_gin_options(self):
    gin.parse_config(["DeepSeaEnv.move_cost = 0.0"])
    env = suite.load_environment("deep_sea:4", seed=0)
    self.assertEqual(env.observation_spec().shape, (16,))
    self.assertEqual(env.action_spec().maximum, 1)
    steps = [env.step(np.int32(0)) for _ in range(5)]  # a FIRST, then the 4 steps down
    self.assertEqual([int(step.step_type) for step in steps],
                     [ts.StepType.FIRST] + [ts.StepType.MID] * 3 + [ts.StepType.LAST])
    self.assertEqual(env.episode_metrics(), [{"return": 0.0, "length": 4, "reached_goal": 0.0}])
    self.assertEqual(suite.load_environment("deep_sea:3", num_envs=2).reset().observation.shape,
                     (2, 9))

  @parameterized.parameters("deep_sea:", "deep_sea:ten", "deep_sea:-3")
  def test_deep_sea_size_must_be_a_positive_integer(self, env_id):
    with self.assertRaisesRegex(ValueError, "deep_sea size must be a positive integer"):
      suite.load_environment(env_id)

  def test_montezuma_reports_rooms_and_gin_scoped_frame_cap(self):
    gin.parse_config(["eval/AtariEnvironment.max_episode_frames = 8"])
    with gin.config_scope("eval"):
      env = suite.load_environment("ALE/MontezumaRevenge-v5", num_envs=2)
    self.assertEqual(env.frames_per_step, 4)
    env.reset()
    for _ in range(2):
      env.step(np.zeros(2, np.int32))
    np.testing.assert_array_equal(env.get_info()["room"], [1, 1])
    self.assertEqual([episode["rooms_visited"] for episode in env.episode_metrics()], [1.0, 1.0])

  def test_other_games_use_the_vector_env(self):
    env = suite.load_environment("ALE/Pong-v5", num_envs=2)
    self.assertEqual(env.action_spec().maximum, 5)  # Pong's minimal action set
    self.assertEqual(env.reset().observation.shape, (2, 84, 84, 4))
    self.assertNotIn("room", env.get_info())

  def test_gym_wrappers_are_not_for_atari(self):
    with self.assertRaisesRegex(ValueError, "gym_wrappers wrap gridworld, deep_sea and MiniGrid "
                                "envs only"):
      suite.load_environment("ALE/Pong-v5", gym_wrappers=[lambda env: env])

  @parameterized.parameters("ALE/NoSuchGame-v5", "CartPole-v1", "corridor")
  def test_unknown_id_fails_in_one_line(self, env_id):
    with self.assertRaisesRegex(ValueError, "unknown environment id") as raised:
      suite.load_environment(env_id)
    first_line = str(raised.exception).splitlines()[0]  # gin appends its call site below
    self.assertIn(env_id, first_line)
    self.assertIn("ALE/<Game>-v5", first_line)
    self.assertIn("MiniGrid-<Task>", first_line)
    self.assertIn("four_rooms", first_line)

  def test_malformed_layout_fails_with_layout_error(self):
    path = self.create_tempfile("bad.txt", content="#..#").full_path
    with self.assertRaisesRegex(gridworld.LayoutError, "no start 'S'"):
      suite.load_environment(f"gridworld:{path}")


if __name__ == "__main__":
  absltest.main()

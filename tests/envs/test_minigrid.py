"""Tests of MiniGrid tasks through the gymnasium adapter: the install, observations and info,
episode ends and metrics, seeding, ids, and a short count-bonus run."""
import copy
import os

from absl.testing import absltest
from absl.testing import parameterized
import gin
import gymnasium
import numpy as np
import tensorflow as tf
from tf_agents.trajectories import time_step as ts

import tf_empowerment.configurables  # pylint: disable=unused-import
from tf_empowerment.benchmarks import exploration_counters
from tf_empowerment.envs import minigrid
from tf_empowerment.envs import minigrid_reach
from tf_empowerment.envs import suite
from tf_empowerment.train import config
from tf_empowerment.train import runner as runner_lib

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EMPTY = "MiniGrid-Empty-5x5-v0"  # agent at (1, 1) facing east, goal at (3, 3), 100-step limit
LEFT, RIGHT, FORWARD = 0, 1, 2
TO_THE_GOAL = (FORWARD, FORWARD, RIGHT, FORWARD, FORWARD)
VIEW_CELLS = 7 * 7


class InstallTest(absltest.TestCase):
  """tf-agents pins pygame 2.1.3 and minigrid needs pygame-ce: both fill one pygame/ directory."""

  def test_pygame_freetype_and_a_minigrid_env_work(self):
    import pygame  # pylint: disable=g-import-not-at-top
    import pygame.freetype  # pylint: disable=g-import-not-at-top
    pygame.freetype.init()
    font = pygame.freetype.Font(None, 12)  # the default font file shipped in pygame/
    _, rect = font.render("mission")
    self.assertGreater(rect.width, 0)
    env = gymnasium.make("MiniGrid-DoorKey-8x8-v0", render_mode="rgb_array")
    observation, _ = env.reset(seed=0)
    self.assertEqual(observation["image"].shape, (7, 7, 3))
    env.step(FORWARD)
    self.assertEqual(env.render().shape, (256, 256, 3))


class MiniGridEnvTest(parameterized.TestCase):

  def tearDown(self):
    gin.clear_config()
    super().tearDown()

  @parameterized.parameters(("one_hot", 20), ("flat", 3))
  def test_specs(self, observation, per_view_cell):
    gin.parse_config([f"MiniGridEnv.observation = '{observation}'"])
    env = suite.load_environment("MiniGrid-DoorKey-8x8-v0")
    spec = env.observation_spec()
    self.assertEqual(spec.shape, (8 * 8 + 4 + VIEW_CELLS * per_view_cell,))
    self.assertEqual((spec.dtype, spec.minimum, spec.maximum), (np.float32, 0.0, 1.0))
    self.assertEqual((env.action_spec().minimum, env.action_spec().maximum), (0, 6))
    self.assertEqual(env.reset().observation.shape, spec.shape)

  @parameterized.parameters("one_hot", "flat")
  def test_blocks_match_the_agent_and_its_view(self, observation):
    env = minigrid.MiniGridEnv("MiniGrid-DoorKey-8x8-v0", observation=observation)
    rng = np.random.default_rng(0)
    encoded, info = env.reset(seed=0)
    for _ in range(30):
      x, y = env.unwrapped.agent_pos
      self.assertEqual((info["agent_x"], info["agent_y"], info["cell"]), (x, y, y * 8 + x))
      np.testing.assert_array_equal(np.flatnonzero(encoded[:64 + 4]),
                                    [y * 8 + x, 64 + env.unwrapped.agent_dir])
      view = encoded[64 + 4:].reshape(7, 7, -1)
      image = env.unwrapped.gen_obs()["image"]
      if observation == "one_hot":  # object (11), colour (6), state (3)
        decoded = [np.argmax(view[..., s:e], -1) for s, e in ((0, 11), (11, 17), (17, 20))]
        np.testing.assert_array_equal(np.stack(decoded, -1), image)
        np.testing.assert_array_equal(view.sum(-1), np.full((7, 7), 3.0))
      else:
        np.testing.assert_allclose(view * [10, 5, 2], image, atol=1e-5)
      encoded, _, _, _, info = env.step(int(rng.integers(7)))

  def test_one_step_empowerment_of_multiroom_by_what_the_agent_faces(self):
    # Deterministic, so exact 1-step empowerment is log(distinct next observations over the 7
    # actions): what gin/gridworld_episodic_counts_plus_mine.gin's choice of one step rests on.
    expected = {"wall": 3, "floor": 4, "door": 4, "door_open": 5}
    env = minigrid.MiniGridEnv("MiniGrid-MultiRoom-N4-S5-v1")
    rng = np.random.default_rng(0)
    seen = set()
    for episode in range(4):
      env.reset(seed=episode)
      for _ in range(60):
        grid = env.unwrapped
        front = grid.grid.get(*grid.front_pos)
        if front is None:
          kind = "floor"
        elif front.type == "door":
          kind = "door_open" if front.is_open else "door"
        else:
          kind = front.type
        outcomes = {copy.deepcopy(env).step(action)[0].tobytes() for action in range(7)}
        if kind in expected:
          self.assertLen(outcomes, expected[kind], kind)
          seen.add(kind)
        # Mostly moves and turns, sometimes toggle, so doors are met open and closed.
        _, _, terminated, truncated, _ = env.step(rng.integers(3) if rng.random() < 0.8 else 5)
        if terminated or truncated:
          break
    self.assertEqual(seen, set(expected))

  def test_reaching_the_goal_terminates_with_reached_goal(self):
    env = suite.load_environment(EMPTY, seed=0)
    steps = [env.reset()] + [env.step(np.int32(action)) for action in TO_THE_GOAL]
    self.assertEqual([int(step.step_type) for step in steps],
                     [ts.StepType.FIRST] + [ts.StepType.MID] * 4 + [ts.StepType.LAST])
    self.assertEqual(float(steps[-1].discount), 0.0)
    self.assertEqual(env.get_info()["cell"], 3 * 5 + 3)
    [episode] = env.episode_metrics()
    self.assertEqual(episode, {"return": episode["return"], "length": 5, "reached_goal": 1.0})
    self.assertAlmostEqual(episode["return"], 1 - 0.9 * 5 / 100, places=6)  # MiniGrid's reward

  def test_the_time_limit_truncates_without_reached_goal(self):
    env = suite.load_environment(EMPTY, seed=0)
    env.reset()
    for _ in range(100):  # turning on the spot until MiniGrid's max_steps
      step = env.step(np.int32(LEFT))
    self.assertEqual((int(step.step_type), float(step.discount)), (ts.StepType.LAST, 1.0))
    self.assertEqual(env.episode_metrics(),
                     [{"return": 0.0, "length": 100, "reached_goal": 0.0}])

  def test_same_seed_same_layout(self):
    def first_observation(seed):
      return suite.load_environment("MiniGrid-KeyCorridorS3R1-v0", seed=seed).reset().observation

    np.testing.assert_array_equal(first_observation(3), first_observation(3))
    self.assertFalse(all(np.array_equal(first_observation(3), first_observation(seed))
                         for seed in range(4, 8)))

  def test_exploration_counters_count_cells(self):
    env = suite.load_environment(
        EMPTY, seed=0, gym_wrappers=[exploration_counters.ExplorationCounters(("cell",))])
    env.reset()
    for action in TO_THE_GOAL:
      env.step(np.int32(action))
    [episode] = env.episode_metrics()
    self.assertEqual((episode["distinct_cells_total"], episode["first_goal_step"]), (5.0, 5.0))

  @parameterized.parameters("MiniGrid-NoSuchTask-v0", "MiniGrid-DoorKey-8x8-v9")
  def test_unknown_minigrid_id_fails_in_one_line(self, env_id):
    with self.assertRaisesRegex(ValueError, "unknown environment id") as raised:
      suite.load_environment(env_id)
    first_line = str(raised.exception).splitlines()[0]
    self.assertIn(env_id, first_line)
    self.assertIn("MiniGrid-<Task>", first_line)

  def test_empowerment_steps_end_each_observation_with_the_simulated_value(self):
    gin.parse_config(["MiniGridEnv.empowerment_steps = 3"])
    env = suite.load_environment("MiniGrid-DoorKey-8x8-v0", num_envs=2)
    spec = env.observation_spec()
    self.assertEqual(spec.shape, (8 * 8 + 4 + VIEW_CELLS * 20 + 1,))
    self.assertAlmostEqual(float(spec.maximum[-1]), 3 * np.log(7), places=5)
    unbatched = minigrid.MiniGridEnv("MiniGrid-DoorKey-8x8-v0", empowerment_steps=3)
    rng = np.random.default_rng(0)
    encoded, _ = unbatched.reset(seed=0)
    for _ in range(20):
      self.assertAlmostEqual(float(encoded[-1]), minigrid_reach.empowerment(unbatched, 3),
                             places=5)
      encoded, _, _, _, _ = unbatched.step(int(rng.integers(7)))

  def test_rejects_negative_empowerment_steps(self):
    with self.assertRaisesRegex(ValueError, "MiniGridEnv.empowerment_steps must be >= 0"):
      minigrid.MiniGridEnv(EMPTY, empowerment_steps=-1)

  def test_rejects_an_unknown_observation(self):
    with self.assertRaisesRegex(ValueError, "MiniGridEnv.observation must be one of"):
      minigrid.MiniGridEnv(EMPTY, observation="pixels")


class CountBonusRunTest(absltest.TestCase):

  def test_count_bonus_counts_the_agent_cells_of_a_short_run(self):
    gin.clear_config()
    self.addCleanup(gin.clear_config)
    tf.compat.v1.reset_default_graph()
    config.parse_gin([os.path.join(REPO, "gin", "gridworld_counts.gin")], [
        f"Runner.env_id = '{EMPTY}'", "TabularCountBonus.num_cells = 25",
        "Runner.num_agent_steps = 200", "ReplayLearner.learning_starts = 100",
        "Runner.eval_interval = 1000", "Runner.eval_episodes = 1",
        "Runner.checkpoint_interval = 1000", "Runner.log_interval = 100"])
    runner = runner_lib.Runner(root_dir=self.create_tempdir().full_path)
    runner.run()
    counts = runner.intrinsic_reward.counts.numpy().reshape(5, 5)  # [y, x]
    self.assertEqual(counts.sum(), int(runner.replay.num_frames()))
    self.assertGreater(counts[1, 1], 0)  # the start cell
    self.assertEqual(counts[0].sum() + counts[:, 0].sum(), 0)  # the border is wall
    self.assertGreaterEqual(runner.agent_step, 200)


if __name__ == "__main__":
  absltest.main()

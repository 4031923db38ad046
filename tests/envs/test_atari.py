"""Tests of Atari preprocessing and Montezuma's RAM metrics on the real ROM."""
from absl.testing import absltest
from absl.testing import parameterized
import numpy as np
from tf_agents.trajectories import time_step as ts

from tf_empowerment.envs import atari
from tf_empowerment.envs import gym_adapter
from tf_empowerment.envs import montezuma

GAME = montezuma.GAME


def _protocol(**overrides):
  options = dict(sticky_action_prob=0.25, frameskip=4, max_episode_frames=108_000, noop_max=0,
                 full_action_space=False)
  options.update(overrides)
  return options


def _random_actions(num_steps, batch_size, seed=0):
  return np.random.default_rng(seed).integers(0, 18, (num_steps, batch_size)).astype(np.int32)


class AreaWeightsTest(absltest.TestCase):

  def test_integer_ratio_averages_blocks(self):
    np.testing.assert_allclose(atari.area_weights(4, 2), [[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]])

  def test_rows_sum_to_one(self):
    weights = atari.area_weights(210, 84)
    self.assertEqual(weights.shape, (84, 210))
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(weights[0, :3], [0.4, 0.4, 0.2], rtol=1e-6)


class AtariEnvironmentTest(parameterized.TestCase):

  @parameterized.named_parameters(("vector_env", None), ("ale_per_game", montezuma.MontezumaInfo))
  def test_batched_shapes_and_dtypes(self, wrapper):
    env = atari.AtariEnvironment(GAME, num_envs=2, seed=0, wrapper=wrapper)
    self.assertTrue(env.batched)
    self.assertEqual(env.batch_size, 2)
    self.assertEqual(env.frames_per_step, 4)
    spec = env.observation_spec()
    self.assertEqual((spec.shape, spec.dtype), ((84, 84, 4), np.uint8))
    self.assertEqual((env.action_spec().dtype, env.action_spec().maximum), (np.int32, 17))
    first = env.reset()
    self.assertEqual((first.observation.shape, first.observation.dtype), ((2, 84, 84, 4), np.uint8))
    self.assertEqual(first.observation[..., :3].max(), 0)  # older frames are zero after reset
    self.assertGreater(first.observation[..., 3].max(), 0)
    step = env.step(np.array([0, 3], np.int32))
    self.assertEqual((step.reward.dtype, step.discount.dtype), (np.float32, np.float32))
    np.testing.assert_array_equal(step.step_type, [ts.StepType.MID] * 2)
    np.testing.assert_array_equal(step.observation[..., 2], first.observation[..., 3])
    env.close()

  def test_numpy_preprocessing_matches_vector_env(self):
    deterministic = dict(sticky_action_prob=0.0, frameskip=4, num_envs=1, seed=0)
    vector_env = atari.AtariEnvironment(GAME, **deterministic)
    per_game = atari.AtariEnvironment(GAME, wrapper=montezuma.MontezumaInfo, **deterministic)
    observations = [(vector_env.reset().observation, per_game.reset().observation)]
    for action in _random_actions(40, 1):
      observations.append((vector_env.step(action).observation, per_game.step(action).observation))
    for expected, actual in observations:
      self.assertLessEqual(np.abs(expected.astype(int) - actual).max(), 1)

  @parameterized.named_parameters(("vector_env", None), ("ale_per_game", montezuma.MontezumaInfo))
  def test_frame_cap_truncates_with_discount_one(self, wrapper):
    env = atari.AtariEnvironment(GAME, max_episode_frames=40, wrapper=wrapper)
    env.reset()
    steps = [env.step(action) for action in _random_actions(11, 1)]
    step_types = [int(step.step_type[0]) for step in steps]
    self.assertEqual(step_types, [ts.StepType.MID] * 9 + [ts.StepType.LAST, ts.StepType.FIRST])
    self.assertEqual(float(steps[9].discount[0]), 1.0)
    (episode,) = env.episode_metrics()
    self.assertEqual(episode["length"], 10)
    if wrapper is not None:
      self.assertGreaterEqual(episode["rooms_visited"], 1)

  @parameterized.named_parameters(("vector_env", None), ("ale_per_game", montezuma.MontezumaInfo))
  def test_sticky_actions_follow_the_seed_of_each_sub_env(self, wrapper):
    def trajectory(seed):
      env = atari.AtariEnvironment(GAME, num_envs=2, seed=seed, wrapper=wrapper)
      env.reset()
      actions = np.repeat(_random_actions(60, 1), 2, axis=1)  # the same actions in both
      return np.stack([env.step(action).observation for action in actions])
    seeded = trajectory(3)
    np.testing.assert_array_equal(seeded, trajectory(3))
    self.assertFalse(np.array_equal(seeded, trajectory(4)))
    self.assertFalse(np.array_equal(seeded[:, 0], seeded[:, 1]))

  @parameterized.named_parameters(
      ("sticky", dict(sticky_action_prob=1.5), "sticky_action_prob must be in"),
      ("frameskip", dict(frameskip=0), "frameskip must be >= 1"),
      ("frames", dict(max_episode_frames=0), "max_episode_frames must be >= 1"),
      ("noops", dict(noop_max=-1), "noop_max must be >= 0"),
      ("num_envs", dict(num_envs=0), "num_envs must be >= 1"),
      ("game", dict(game="MontezumaRevenge"), "game must be an ALE ROM name"),
  )
  def test_rejects_invalid_options(self, options, message):
    with self.assertRaisesRegex(ValueError, f"AtariEnvironment.{message}"):
      atari.AtariEnvironment(**{"game": GAME, **options})


class MontezumaTest(absltest.TestCase):

  def test_single_env_reports_room_and_position(self):
    game = montezuma.MontezumaInfo(atari.AtariGameEnv(GAME, **_protocol()))
    env = gym_adapter.GymEnvironment(game, seed=0, frames_per_step=4,
                                     episode_info_keys=game.episode_info_keys)
    self.assertFalse(env.batched)
    first = env.reset()
    self.assertEqual((first.observation.shape, first.observation.dtype), ((84, 84, 4), np.uint8))
    info = env.get_info()
    self.assertEqual((info["room"], info["rooms_visited"]), (1, 1))
    self.assertBetween(info["x"], 0, 255)
    self.assertBetween(info["y"], 0, 255)
    env.step(np.int32(3))
    self.assertEqual(env.get_info()["room"], 1)

  def test_batched_info_holds_rooms_per_sub_env(self):
    env = atari.AtariEnvironment(GAME, num_envs=2, wrapper=montezuma.MontezumaInfo)
    env.reset()
    env.step(np.array([0, 0], np.int32))
    np.testing.assert_array_equal(env.get_info()["room"], [1, 1])


if __name__ == "__main__":
  absltest.main()

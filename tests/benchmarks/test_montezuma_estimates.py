"""Tests of the offline Montezuma empowerment measurement: windows, spread, and a real game."""
import types

from absl.testing import absltest
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec

from tf_empowerment.benchmarks import montezuma_estimates
from tf_empowerment.empowerment import mine
from tf_empowerment.envs import atari
from tf_empowerment.envs import montezuma
from tf_empowerment.envs import suite
from tf_empowerment.networks import encoder
from tf_empowerment.observations import pipeline
from tf_empowerment.rewards import empowerment_reward
from tf_empowerment.train import heat_maps

SPRITE_RED = (200, 72, 72)  # the agent's body colour


class SpreadTest(absltest.TestCase):

  def test_position_explains_values_that_depend_on_it_and_not_noise(self):
    rng = np.random.default_rng(0)
    positions = np.stack([np.ones(4_000), rng.integers(0, 64, 4_000),
                          rng.integers(0, 16, 4_000)], axis=1)
    by_position = positions[:, 1] // montezuma_estimates.CELL + rng.normal(0, 0.01, 4_000)
    summary = montezuma_estimates.spread(by_position, positions, seed=0)
    self.assertGreater(summary["position_share"], 0.99)
    self.assertLess(summary["position_share_shuffled"], 0.05)
    noise = montezuma_estimates.spread(rng.normal(size=4_000), positions, seed=0)
    self.assertLess(noise["position_share"], 0.05)
    self.assertAlmostEqual(noise["std"], 1.0, delta=0.05)

  def test_too_few_cells_give_nan(self):
    positions = np.array([[1, 0, 0]] * 30)
    self.assertTrue(np.isnan(montezuma_estimates.explained_share(
        np.arange(30.0), montezuma_estimates.position_cells(positions))))

  def test_windows_never_cross_an_episode_start(self):
    collection = types.SimpleNamespace(starts=np.array([[1, 1], [0, 0], [0, 1], [1, 0],
                                                        [0, 0]], bool))
    times, envs = montezuma_estimates.Collection.window_starts(collection, 3)
    self.assertEqual(sorted(zip(times.tolist(), envs.tolist())), [(0, 0), (2, 1)])


class RealGameTest(absltest.TestCase):

  def test_collects_trains_and_reads_out_random_play(self):
    tf.random.set_seed(0)
    py_env = suite.load_environment("ALE/MontezumaRevenge-v5", num_envs=2, seed=0)
    observations = pipeline.ObservationPipeline(
        tensor_spec.from_spec(py_env.observation_spec()),
        encoder=lambda: encoder.RandomEncoder(embedding_size=8), warmup_steps=20)
    observations.warm_up(py_env, seed=0)
    collection = montezuma_estimates.Collection(py_env, observations, num_steps=30, seed=0)
    py_env.close()
    self.assertEqual(collection.states.shape, (30, 2, 8))
    self.assertTrue(np.all(collection.positions[:, :, 0] == montezuma.FIRST_ROOM))
    reward = empowerment_reward.EmpowermentReward(
        observations.state_spec, tensor_spec.from_spec(py_env.action_spec()), num_envs=2,
        estimator=mine.MineEmpowerment, n_steps=2)
    reward.create_variables()
    montezuma_estimates.train(reward, collection, train_steps=2, batch_size=4, seed=0)
    values, positions = montezuma_estimates.estimates(reward, collection, batch_size=16)
    self.assertEqual(values.shape, (60,))
    self.assertTrue(np.all(np.isfinite(values)))
    columns, rows, means = montezuma_estimates.cell_means(values, positions,
                                                          montezuma.FIRST_ROOM, min_samples=1)
    self.assertLen(means, len(columns))
    frame = montezuma.first_room_frame()
    self.assertEqual(frame.shape, (210, 160, 3))
    png = heat_maps.room_frame_png(frame, [("a", columns, rows, means)])
    self.assertTrue(png.startswith(b"\x89PNG"))

  def test_screen_position_lands_on_the_agents_sprite(self):
    env = montezuma.MontezumaInfo(atari.AtariGameEnv(
        montezuma.GAME, sticky_action_prob=0.0, frameskip=4, max_episode_frames=1_000,
        noop_max=0, full_action_space=False))
    _, info = env.reset(seed=0)
    background = env.unwrapped.ale.getScreenRGB().copy()
    for action in [3] * 6:  # RIGHT along the top platform
      _, _, _, _, info = env.step(action)
    # The agent's red, where the room has none (below the score and inventory bar).
    red = np.all(env.unwrapped.ale.getScreenRGB() == SPRITE_RED, axis=-1)
    red &= ~np.all(background == SPRITE_RED, axis=-1)
    red[:45] = False
    rows, columns = np.nonzero(red)
    column, row = montezuma.screen_position(info["x"], info["y"])
    self.assertLess(abs(np.mean(columns) - column), 4)
    self.assertLess(abs(np.mean(rows) - row), 8)


if __name__ == "__main__":
  absltest.main()

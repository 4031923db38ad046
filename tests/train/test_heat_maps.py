"""Tests of the empowerment heat maps on a real gridworld and synthetic room positions."""
import types

from absl.testing import absltest
import numpy as np

from tf_empowerment.envs import gridworld
from tf_empowerment.envs import montezuma
from tf_empowerment.envs import suite
from tf_empowerment.train import heat_maps

PNG_SIGNATURE = b"\x89PNG"


class EmpowermentMapsTest(absltest.TestCase):

  def test_gridworld_map_feeds_every_cell_and_compares_with_exact(self):
    env = gridworld.GridworldEnv(gridworld.GridLayout.load("open_5x5"))
    seen = []
    def empowerment_fn(observations):
      seen.append(observations)
      return np.log(np.full(len(observations), 3.0))
    png = heat_maps.GridworldMap(env, empowerment_fn).png()
    self.assertTrue(png.startswith(PNG_SIGNATURE))
    np.testing.assert_array_equal(seen[0], np.eye(env.layout.num_states, dtype=np.float32))

  def test_room_map_keeps_the_latest_positions(self):
    room_map = heat_maps.RoomPositionMap(lambda x: np.sum(x, axis=1), capacity=3)
    self.assertIsNone(room_map.png())
    room_map.record(None, {})  # Environments without rooms are ignored.
    for step in range(2):
      observation = np.full([2, 4], float(step))
      room_map.record(types.SimpleNamespace(observation=observation), {"room": np.array([1, 2]), "x": np.array([10, 20]),
                                              "y": np.array([5, 6])})
    self.assertTrue(room_map.png().startswith(PNG_SIGNATURE))

  def test_montezuma_map_draws_the_first_room_over_its_frame(self):
    env = suite.load_environment("ALE/MontezumaRevenge-v5", num_envs=1)
    room_map = heat_maps.make_empowerment_map(env, None, lambda x: np.sum(x, axis=1))
    env.close()
    frame = montezuma.first_room_frame()
    self.assertEqual(frame.shape, (210, 160, 3))
    self.assertEqual(list(room_map._room_frames), [montezuma.FIRST_ROOM])  # pylint: disable=protected-access
    np.testing.assert_array_equal(room_map._room_frames[montezuma.FIRST_ROOM], frame)  # pylint: disable=protected-access
    room_map.record(types.SimpleNamespace(observation=np.ones([2, 4])),
                    {"room": np.array([1, 0]), "x": np.array([77, 20]), "y": np.array([235, 6])})
    self.assertTrue(room_map.png().startswith(PNG_SIGNATURE))


if __name__ == "__main__":
  absltest.main()

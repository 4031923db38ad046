"""Tests of gridworld layouts, exact transition tables and the gymnasium env."""
import os

from absl.testing import absltest
from absl.testing import parameterized
import numpy as np

from tf_empowerment.envs import gridworld

# States (row-major): 0 (1,1) S, 1 (1,2), 2 (1,3) G, 3 (2,1), 4 (2,3).
SMALL = """
#####
#S.G#
#.#.#
#####
"""
STAY, NORTH, SOUTH, EAST, WEST = range(5)


class GridLayoutTest(parameterized.TestCase):

  def test_from_text_attributes(self):
    layout = gridworld.GridLayout.from_text(SMALL)
    self.assertEqual(layout.shape, (4, 5))
    self.assertEqual(layout.walls.dtype, bool)
    self.assertTrue(layout.walls[2, 2])
    self.assertEqual(layout.start, (1, 1))
    self.assertEqual(layout.goals, ((1, 3),))
    self.assertEqual(layout.free_cells, ((1, 1), (1, 2), (1, 3), (2, 1), (2, 3)))
    self.assertEqual(layout.num_states, 5)
    self.assertEqual(layout.state_index((2, 1)), 3)
    self.assertEqual(layout.cell(4), (2, 3))
    with self.assertRaisesRegex(ValueError, r"\(2, 2\) is not a free cell"):
      layout.state_index((2, 2))

  def test_doorways_are_the_one_cell_passages(self):
    two_rooms = gridworld.GridLayout.from_text("..#..\n.S...\n..#..")  # one door at (1, 2)
    self.assertEqual([two_rooms.cell(i) for i in two_rooms.doorways], [(1, 2)])
    self.assertLen(gridworld.GridLayout.load("nine_rooms").doorways, 12)
    self.assertEmpty(gridworld.GridLayout.load("open_5x5").doorways)

  def test_bundled_layouts(self):
    self.assertContainsSubset({"open_5x5", "corridor", "four_rooms"},
                              gridworld.bundled_layouts())
    open_room = gridworld.GridLayout.load("open_5x5")
    self.assertEqual((open_room.shape, open_room.num_states, open_room.start, open_room.goals),
                     ((5, 5), 25, (2, 2), ()))
    corridor = gridworld.GridLayout.load("corridor")
    self.assertLen(corridor.goals, 1)
    rooms = gridworld.GridLayout.load("four_rooms")
    (goal,) = rooms.goals
    self.assertGreaterEqual(abs(goal[0] - rooms.start[0]) + abs(goal[1] - rooms.start[1]), 15)

  def test_load_from_path(self):
    path = self.create_tempfile("room.txt", content=SMALL).full_path
    self.assertEqual(gridworld.GridLayout.load(path).num_states, 5)

  @parameterized.named_parameters(
      ("empty", "  \n\n", "empty layout"),
      ("no_start", "###\n#.#\n###", "no start 'S'"),
      ("two_starts", "#S.#\n#.S#", "more than one start 'S': row 0 col 1 and row 1 col 2"),
      ("ragged", "####\n#S.#\n###", "ragged rows: row 2 has 3 columns, row 0 has 4"),
      ("unknown_character", "####\n#Sx#\n####", "unknown character 'x' at row 1 col 2"),
  )
  def test_malformed_layout(self, text, message):
    with self.assertRaisesRegex(gridworld.LayoutError, message):
      gridworld.GridLayout.from_text(text)

  def test_load_errors_name_the_file_or_the_bundled_layouts(self):
    path = self.create_tempfile("bad.txt", content="#S?#").full_path
    with self.assertRaisesRegex(gridworld.LayoutError, f"{path}: unknown character '\\?'"):
      gridworld.GridLayout.load(path)
    with self.assertRaisesRegex(gridworld.LayoutError, "no layout 'nowhere'.*open_5x5"):
      gridworld.GridLayout.load("nowhere")


class TransitionTableTest(absltest.TestCase):

  def setUp(self):
    super().setUp()
    self.layout = gridworld.GridLayout.from_text(SMALL)

  def test_deterministic_moves_and_bumps(self):
    table = gridworld.transition_table(self.layout)
    self.assertEqual(table.shape, (5, 5, 5))
    self.assertEqual(table.dtype, np.float64)
    next_states = table.argmax(axis=2)
    np.testing.assert_array_equal(next_states[0], [0, 0, 3, 1, 0])  # north and west bump
    np.testing.assert_array_equal(next_states[4], [4, 2, 4, 4, 4])
    np.testing.assert_array_equal(table.max(axis=2), 1.0)

  def test_border_acts_as_wall(self):
    layout = gridworld.GridLayout.load("open_5x5")
    table = gridworld.transition_table(layout)
    corner = layout.state_index((0, 0))
    self.assertEqual(table[corner, NORTH, corner], 1.0)
    self.assertEqual(table[corner, WEST, corner], 1.0)

  def test_slip_executes_each_other_action_uniformly(self):
    table = gridworld.transition_table(self.layout, slip=0.2)
    # From S, east: 0.8 east; 0.05 each for stay, north, west (all stay put) and south.
    np.testing.assert_allclose(table[0, EAST], [0.15, 0.8, 0.0, 0.05, 0.0], atol=1e-12)
    rooms = gridworld.GridLayout.load("four_rooms")
    np.testing.assert_allclose(gridworld.transition_table(rooms, slip=0.3).sum(axis=2), 1.0)

  def test_rejects_slip_outside_unit_interval(self):
    for slip in (-0.1, 1.5):
      with self.assertRaisesRegex(ValueError, "slip must be in"):
        gridworld.transition_table(self.layout, slip=slip)

  def test_n_step_table_composes_one_step_tables(self):
    one_step = gridworld.transition_table(self.layout, slip=0.1)
    np.testing.assert_array_equal(gridworld.n_step_transition_table(self.layout, 1, 0.1),
                                  one_step)
    two_step = gridworld.n_step_transition_table(self.layout, 2, slip=0.1)
    self.assertEqual(two_step.shape, (5, 25, 5))
    for first in range(5):
      for second in range(5):
        np.testing.assert_allclose(two_step[:, first * 5 + second],
                                   one_step[:, first] @ one_step[:, second], atol=1e-12)
    three_step = gridworld.n_step_transition_table(self.layout, 3)
    self.assertEqual(three_step[0, (SOUTH * 5 + NORTH) * 5 + EAST, 1], 1.0)
    with self.assertRaisesRegex(ValueError, "n must be >= 1"):
      gridworld.n_step_transition_table(self.layout, 0)


class GridworldEnvTest(parameterized.TestCase):

  def test_observations(self):
    layout = gridworld.GridLayout.from_text(SMALL)
    one_hot, _ = gridworld.GridworldEnv(layout).reset(seed=0)
    np.testing.assert_array_equal(one_hot, [1, 0, 0, 0, 0])
    self.assertEqual(one_hot.dtype, np.float32)
    coordinates, _ = gridworld.GridworldEnv(layout, observation="coordinates").reset(seed=0)
    np.testing.assert_allclose(coordinates, [1 / 3, 1 / 4])
    env = gridworld.GridworldEnv(layout, observation="image")
    image, _ = env.reset(seed=0)
    self.assertEqual((image.shape, image.dtype), ((4, 5, 3), np.uint8))
    np.testing.assert_array_equal(image[..., 0], 255 * layout.walls)
    self.assertEqual(list(zip(*np.nonzero(image[..., 1]))), [(1, 1)])
    self.assertEqual(list(zip(*np.nonzero(image[..., 2]))), [(1, 3)])
    self.assertTrue(env.observation_space.contains(image))

  def test_goal_rewards_and_terminates(self):
    env = gridworld.GridworldEnv("corridor")
    env.reset(seed=0)
    results = [env.step(EAST) for _ in range(7)]
    self.assertEqual([reward for _, reward, *_ in results], [0.0] * 6 + [1.0])
    self.assertEqual([terminated for _, _, terminated, *_ in results], [False] * 6 + [True])
    self.assertEqual(results[-1][-1]["reached_goal"], 1)
    self.assertEqual(results[-1][-1]["distinct_cells"], 8)

  def test_step_cap_truncates(self):
    env = gridworld.GridworldEnv("open_5x5", max_episode_steps=3)
    env.reset(seed=0)
    results = [env.step(STAY) for _ in range(3)]
    self.assertEqual([truncated for *_, truncated, _ in results], [False, False, True])
    self.assertFalse(results[-1][2])
    self.assertEqual(results[-1][-1]["distinct_cells"], 1)

  def test_full_slip_never_executes_the_chosen_action(self):
    env = gridworld.GridworldEnv("open_5x5", slip=1.0)
    env.reset(seed=0)
    centre = env.layout.state_index((2, 2))
    for _ in range(20):
      env.reset()
      self.assertNotEqual(env.step(STAY)[-1]["state"], centre)

  def test_visit_counts_accumulate_over_episodes(self):
    env = gridworld.GridworldEnv("corridor")
    env.reset(seed=0)
    for _ in range(2):
      env.step(EAST)
    env.reset()
    counts = env.visit_counts
    self.assertEqual(counts.shape, env.layout.shape)
    self.assertEqual(counts[1, 1], 2)
    self.assertEqual(counts[1, 3], 1)
    self.assertEqual(counts.sum(), 4)

  @parameterized.named_parameters(
      ("slip", dict(slip=2.0), "GridworldEnv.slip must be in"),
      ("observation", dict(observation="pixels"), "GridworldEnv.observation must be one of"),
      ("max_episode_steps", dict(max_episode_steps=0), "max_episode_steps must be >= 1"),
  )
  def test_rejects_invalid_options(self, options, message):
    with self.assertRaisesRegex(ValueError, message):
      gridworld.GridworldEnv("open_5x5", **options)


if __name__ == "__main__":
  absltest.main()

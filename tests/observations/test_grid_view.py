"""GridViewFeatures: each cell's position and the walls around it, gathered from one-hot states."""
from absl.testing import absltest
import numpy as np
import tensorflow as tf

from tf_empowerment.envs import gridworld
from tf_empowerment.observations import grid_view

# Free cells in row-major order: (0, 0) S, (0, 1), (0, 3), (1, 0), (1, 1), (1, 2), (1, 3).
LAYOUT = gridworld.GridLayout.from_text("S.#.\n....")


class GridViewTest(absltest.TestCase):

  def test_the_table_holds_the_position_and_the_window_with_the_border_as_wall(self):
    table = grid_view.view_table(LAYOUT, radius=1)
    self.assertEqual(table.shape, (7, 2 + 9))
    np.testing.assert_allclose(table[0, :2], [0.0, 0.0])
    np.testing.assert_allclose(table[6, :2], [1.0, 1.0])  # (1, 3): last row, last column
    # Around (0, 1): border above, (1, 0..2) free below, the wall (0, 2) to its right.
    np.testing.assert_array_equal(table[1, 2:].reshape(3, 3),
                                  [[1, 1, 1], [0, 0, 1], [0, 0, 0]])
    # Around (1, 2): the wall (0, 2) above it, the border below.
    np.testing.assert_array_equal(table[5, 2:].reshape(3, 3),
                                  [[0, 1, 0], [0, 0, 0], [1, 1, 1]])

  def test_features_of_one_hot_states_of_any_leading_shape(self):
    features = grid_view.GridViewFeatures(num_actions=5, layout=LAYOUT, radius=1)
    features.create_variables(LAYOUT.num_states)
    states = tf.one_hot([[1, 5], [6, 0]], LAYOUT.num_states)
    values = features(states)
    self.assertEqual(values.shape, [2, 2, features.feature_size])
    table = grid_view.view_table(LAYOUT, radius=1)
    np.testing.assert_array_equal(values.numpy(), table[[[1, 5], [6, 0]]])
    self.assertEqual(features.train_step(states[0], [0, 1], states[1], tf.ones([2])), {})
    self.assertEmpty(features.trainable_variables)

  def test_a_bundled_layout_by_name_and_a_radius_of_zero(self):
    features = grid_view.GridViewFeatures(num_actions=5, layout="nine_rooms", radius=0)
    self.assertEqual(features.feature_size, 3)

  def test_without_the_position_the_window_alone_still_tells_near_cells_apart(self):
    layout = gridworld.GridLayout.load("nine_rooms")
    table = grid_view.view_table(layout, 3, position=False)
    np.testing.assert_array_equal(table, grid_view.view_table(layout, 3)[:, 2:])
    successors = gridworld.n_step_transition_table(layout, 3).argmax(-1)  # [state, sequence]
    for state in range(layout.num_states):  # the cells 3 moves reach have distinct windows
      reached = np.unique(successors[state])
      self.assertLen(np.unique(table[reached], axis=0), len(reached))

  def test_wrong_states_and_radius_are_named(self):
    features = grid_view.GridViewFeatures(num_actions=5, layout=LAYOUT)
    with self.assertRaisesRegex(ValueError, r"GridViewFeatures wants one-hot states \[7\]"):
      features.create_variables(9)
    with self.assertRaisesRegex(ValueError, "GridViewFeatures.radius must be an integer >= 0"):
      grid_view.GridViewFeatures(num_actions=5, layout=LAYOUT, radius=-1)


if __name__ == "__main__":
  absltest.main()

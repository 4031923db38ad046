"""The gridworld benchmark's transitions follow the exact table; names are checked."""
from absl.testing import absltest
import numpy as np

from tf_empowerment.benchmarks import gridworld_estimates
from tf_empowerment.empowerment import exact
from tf_empowerment.envs import gridworld

ROOM = gridworld.GridLayout.from_text("...\n.S.\n...")


class GridworldEstimatesTest(absltest.TestCase):

  def test_sampled_windows_follow_the_tables(self):
    sampler = gridworld_estimates.TransitionSampler(ROOM, 2, 0.1, seed=0)
    states, actions, next_states = sampler.sample(200_000)
    self.assertEqual((actions.shape, next_states.shape), ((200_000, 2), (200_000, 2, 9)))
    for steps, reached in ((1, next_states[:, 0]), (2, next_states[:, 1])):
      table = gridworld.n_step_transition_table(ROOM, steps, 0.1)
      sequences = np.ravel_multi_index(actions[:, :steps].T, (5,) * steps)
      counts = np.zeros_like(table)
      np.add.at(counts, (states.argmax(-1), sequences, reached.argmax(-1)), 1)
      frequencies = counts / counts.sum(-1, keepdims=True)
      np.testing.assert_allclose(frequencies, table, atol=0.05)
    one_step = gridworld_estimates.TransitionSampler(ROOM, 1, 0.1, seed=0).sample(4)
    self.assertEqual([x.shape for x in one_step], [(4, 9), (4,), (4, 9)])

  def test_near_start_coverage_thins_with_the_moves_from_the_start(self):
    two_rooms = gridworld.GridLayout.from_text("S.#.\n....\n###.")  # round the wall: 5 moves
    moves = gridworld_estimates.moves_from_start(two_rooms)
    np.testing.assert_array_equal(moves, [0, 1, 5, 1, 2, 3, 4, 5])
    probabilities = gridworld_estimates.start_distribution(two_rooms, "near_start", 2.0)
    np.testing.assert_allclose(probabilities, np.exp(-moves / 2.0) / np.exp(-moves / 2.0).sum())
    np.testing.assert_allclose(gridworld_estimates.start_distribution(two_rooms, "uniform", 2.0),
                               np.full(8, 1 / 8))
    sampler = gridworld_estimates.TransitionSampler(two_rooms, 1, 0.0, 0, probabilities)
    states, _, _ = sampler.sample(50_000)
    np.testing.assert_array_equal(sampler.start_counts, np.bincount(states.argmax(-1),
                                                                    minlength=8))
    np.testing.assert_allclose(sampler.start_counts / 50_000, probabilities, atol=0.01)
    with self.assertRaisesRegex(ValueError, "coverage must be one of"):
      gridworld_estimates.start_distribution(two_rooms, "far", 2.0)
    with self.assertRaisesRegex(ValueError, "coverage scale must be positive"):
      gridworld_estimates.start_distribution(two_rooms, "near_start", 0.0)

  def test_by_visits_table_groups_cells_by_their_visits(self):
    table = gridworld_estimates.by_visits_table(
        np.array([0, 5, 5, 2_000]), np.array([-1.0, 1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0, 3.0]),
        "windows")
    self.assertEqual(table.splitlines()[2:], ["| 0 | 1 | -1.00 | 1.00 | 2.00 | 100% |",
                                              "| 1-9 | 2 | 1.50 | 1.00 | 0.50 | 0% |",
                                              "| 1,000+ | 1 | 3.00 | 3.00 | 0.00 | 0% |"])
    self.assertTrue(table.startswith("| windows | cells |"))

  def test_exact_estimator_returns_the_truth(self):
    estimate, truth, _ = gridworld_estimates.empowerment_map(ROOM, "exact", 1, 0.0, "uniform", 1,
                                                             0)
    np.testing.assert_array_equal(estimate, truth)
    np.testing.assert_allclose(truth, exact.gridworld_empowerment(ROOM, 1, 0.0, "uniform"))

  def test_doorway_rank_is_the_fraction_of_cells_below_the_doorways(self):
    two_rooms = gridworld.GridLayout.from_text("..#..\n.S...\n..#..")  # door (1, 2): state 6
    values = np.arange(two_rooms.num_states, dtype=float)  # 13 cells, 6 of them below state 6
    rank = gridworld_estimates.doorway_rank(two_rooms, values)
    self.assertEqual(rank, {"estimate": 6.0, "percentile": 6 / 13})
    self.assertIsNone(gridworld_estimates.doorway_rank(ROOM, np.zeros(ROOM.num_states)))

  def test_rejects_unknown_names(self):
    with self.assertRaisesRegex(ValueError, "estimator must be in"):
      gridworld_estimates.empowerment_map(ROOM, "mine_infonce", 1, 0.0, "learned", 1, 0)


if __name__ == "__main__":
  absltest.main()

"""Blahut-Arimoto against closed-form capacities, and exact gridworld empowerment."""
import math

from absl.testing import absltest
import numpy as np

from tf_empowerment.empowerment import exact
from tf_empowerment.envs import gridworld


def _binary_entropy_bits(p):
  return -p * math.log2(p) - (1 - p) * math.log2(1 - p)


def _reachable_cells(layout, cell, n_steps):
  """Cells within n_steps moves of `cell` (breadth-first over free cells)."""
  frontier, seen = {cell}, {cell}
  for _ in range(n_steps):
    frontier = {(r + dr, c + dc) for r, c in frontier
                for dr, dc in gridworld.ACTION_DELTAS
                if 0 <= r + dr < layout.shape[0] and 0 <= c + dc < layout.shape[1]
                and not layout.walls[r + dr, c + dc]} - seen
    seen |= frontier
  return len(seen)


class BlahutArimotoTest(absltest.TestCase):

  def test_binary_symmetric_channel_is_one_minus_entropy(self):
    for p in (0.0001, 0.1, 0.3):
      capacity, source = exact.blahut_arimoto([[1 - p, p], [p, 1 - p]])
      self.assertAlmostEqual(capacity / math.log(2), 1 - _binary_entropy_bits(p), places=5)
      np.testing.assert_allclose(source, [0.5, 0.5], atol=1e-6)

  def test_z_channel(self):
    capacity, source = exact.blahut_arimoto([[1.0, 0.0], [0.5, 0.5]])
    self.assertAlmostEqual(capacity / math.log(2), math.log2(1.25), places=5)
    np.testing.assert_allclose(source, [0.6, 0.4], atol=1e-4)

  def test_deterministic_channel_needs_non_uniform_source(self):
    channel = np.zeros((5, 3))
    channel[np.arange(5), [0, 0, 1, 1, 2]] = 1.0
    capacity, source = exact.blahut_arimoto(channel)
    self.assertAlmostEqual(capacity, math.log(3), places=6)
    np.testing.assert_allclose(source @ channel, np.full(3, 1 / 3), atol=1e-6)
    self.assertLess(exact.mutual_information(channel, np.full(5, 0.2)), capacity - 0.03)

  def test_batch_of_channels(self):
    channels = [[[1.0, 0.0], [0.0, 1.0]], [[0.5, 0.5], [0.5, 0.5]]]
    capacity, _ = exact.blahut_arimoto(channels)
    np.testing.assert_allclose(capacity, [math.log(2), 0.0], atol=1e-6)

  def test_rejects_rows_that_are_not_distributions(self):
    with self.assertRaisesRegex(ValueError, "sum to 1"):
      exact.blahut_arimoto([[0.5, 0.4], [0.0, 1.0]])


class GridworldEmpowermentTest(absltest.TestCase):

  def test_deterministic_n_step_is_log_reachable_cells(self):
    layout = gridworld.GridLayout.load("four_rooms")
    for n_steps in (1, 2, 3):
      empowerment = exact.gridworld_empowerment(layout, n_steps)
      expected = [math.log(_reachable_cells(layout, cell, n_steps)) for cell in layout.free_cells]
      np.testing.assert_allclose(empowerment, expected, atol=1e-5)

  def test_open_room_one_step_values(self):
    layout = gridworld.GridLayout.load("open_5x5")
    corner, wall, centre = (layout.state_index(cell) for cell in ((0, 0), (0, 2), (2, 2)))
    optimal = exact.gridworld_empowerment(layout, 1)
    uniform = exact.gridworld_empowerment(layout, 1, source="uniform")
    np.testing.assert_allclose(optimal[[corner, wall, centre]],
                               np.log([3, 4, 5]), atol=1e-6)
    # Uniform source at the corner: outcomes with probabilities 3/5, 1/5, 1/5.
    self.assertAlmostEqual(uniform[corner], -0.6 * math.log(0.6) - 0.4 * math.log(0.2), places=6)
    self.assertAlmostEqual(uniform[centre], math.log(5), places=6)

  def test_slip_lowers_empowerment(self):
    layout = gridworld.GridLayout.load("open_5x5")
    slippery = exact.gridworld_empowerment(layout, 1, slip=0.1)
    self.assertTrue(np.all(slippery < exact.gridworld_empowerment(layout, 1) - 0.1))
    # Centre, slip 0.1: ln 5 - H(0.9, 0.025 x 4); every outcome is distinct, the source uniform.
    slip_entropy = -0.9 * math.log(0.9) - 0.1 * math.log(0.025)
    self.assertAlmostEqual(slippery[layout.state_index((2, 2))], math.log(5) - slip_entropy,
                           places=5)

  def test_rejects_unknown_source(self):
    with self.assertRaisesRegex(ValueError, "source must be one of"):
      exact.gridworld_empowerment(gridworld.GridLayout.load("open_5x5"), source="learned")


if __name__ == "__main__":
  absltest.main()

"""The exact-empowerment estimator looks up Blahut-Arimoto values of one-hot gridworld cells."""
import math

from absl.testing import absltest
import numpy as np

from tf_empowerment.empowerment import exact
from tf_empowerment.empowerment import oracle
from tf_empowerment.envs import gridworld


class ExactGridworldEmpowermentTest(absltest.TestCase):

  def test_one_hot_cells_get_their_exact_n_step_values(self):
    layout = gridworld.GridLayout.load("four_rooms")
    states = np.eye(layout.num_states, dtype=np.float32)[::-1]
    for n_steps, slip in ((1, 0.0), (2, 0.1)):
      estimate = oracle.ExactGridworldEmpowerment(5, layout="four_rooms", n_steps=n_steps,
                                                  slip=slip)
      np.testing.assert_allclose(estimate.empowerment(states),
                                 exact.gridworld_empowerment(layout, n_steps, slip)[::-1],
                                 rtol=1e-6)
      self.assertEqual(estimate.train_step(states, np.zeros(layout.num_states), states,
                                           np.ones(layout.num_states)), {})
    start = layout.state_index(layout.start)  # a corner: stay, south, east
    self.assertAlmostEqual(float(oracle.ExactGridworldEmpowerment(5, layout="four_rooms")
                                 .empowerment(states[::-1][start:start + 1])[0]),
                           math.log(3.0), places=5)

  def test_rejects_other_worlds(self):
    with self.assertRaisesRegex(ValueError, "5 actions"):
      oracle.ExactGridworldEmpowerment(4, layout="four_rooms")
    with self.assertRaisesRegex(ValueError, "one-hot states"):
      oracle.ExactGridworldEmpowerment(5, layout="open_5x5").empowerment(np.zeros([2, 7]))


if __name__ == "__main__":
  absltest.main()

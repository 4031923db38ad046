"""The gridworld benchmark's transitions follow the exact table; names are checked."""
from absl.testing import absltest
import numpy as np

from tf_empowerment.benchmarks import gridworld_estimates
from tf_empowerment.empowerment import exact
from tf_empowerment.envs import gridworld

ROOM = gridworld.GridLayout.from_text("...\n.S.\n...")


class GridworldEstimatesTest(absltest.TestCase):

  def test_sampled_transitions_follow_the_n_step_table(self):
    table = gridworld.n_step_transition_table(ROOM, 2, 0.1)
    sampler = gridworld_estimates.TransitionSampler(ROOM, 2, 0.1, seed=0)
    states, actions, next_states = sampler.sample(200_000)
    counts = np.zeros_like(table)
    np.add.at(counts, (states.argmax(-1), actions, next_states.argmax(-1)), 1)
    frequencies = counts / counts.sum(-1, keepdims=True)
    np.testing.assert_allclose(frequencies, table, atol=0.05)

  def test_exact_estimator_returns_the_truth(self):
    estimate, truth = gridworld_estimates.empowerment_map(ROOM, "exact", 1, 0.0, "uniform", 1, 0)
    np.testing.assert_array_equal(estimate, truth)
    np.testing.assert_allclose(truth, exact.gridworld_empowerment(ROOM, 1, 0.0, "uniform"))

  def test_rejects_unknown_names(self):
    with self.assertRaisesRegex(ValueError, "estimator must be in"):
      gridworld_estimates.empowerment_map(ROOM, "mine_infonce", 1, 0.0, "learned", 1, 0)


if __name__ == "__main__":
  absltest.main()

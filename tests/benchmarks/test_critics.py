"""The Gaussian benchmark's separable critic."""
from absl.testing import absltest
import numpy as np

from tf_empowerment.benchmarks import critics


class SeparableCriticTest(absltest.TestCase):

  def test_scores_every_pair_through_embeddings(self):
    x, y = np.random.default_rng(0).normal(size=(2, 8, 3)).astype(np.float32)
    scores = critics.SeparableCritic(hidden_units=(16,), embedding_size=4)(x, y).numpy()
    self.assertEqual(scores.shape, (8, 8))
    self.assertLessEqual(np.linalg.matrix_rank(scores, tol=1e-4), 4)  # g(x) . h(y), 4-d


if __name__ == "__main__":
  absltest.main()

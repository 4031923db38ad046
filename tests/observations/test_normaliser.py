"""Tests of the per-element observation normaliser."""
from absl.testing import absltest
import numpy as np

from tf_empowerment.observations import normaliser as normaliser_lib


class ObservationNormaliserTest(absltest.TestCase):

  def test_standardises_per_element_and_clips(self):
    frames = np.random.default_rng(1).integers(0, 256, size=(50, 4, 4, 2), dtype=np.uint8)
    normaliser = normaliser_lib.ObservationNormaliser(observation_shape=[4, 4, 2], clip=1.0)
    self.assertFalse(bool(normaliser.initialised))
    normaliser.update(frames)
    self.assertTrue(bool(normaliser.initialised))
    expected = np.clip((frames - frames.mean(axis=0)) / frames.std(axis=0), -1.0, 1.0)
    np.testing.assert_allclose(normaliser(frames).numpy(), expected, atol=1e-4)


if __name__ == "__main__":
  absltest.main()

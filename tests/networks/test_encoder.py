"""The frozen random encoder: fixed by its seed, never trained, pixels scaled to [0, 1]."""
from absl.testing import absltest
import numpy as np
import tensorflow as tf

from tf_empowerment.networks import encoder

PIXELS = np.random.default_rng(0).integers(0, 256, size=(3, 84, 84, 4), dtype=np.uint8)


class RandomEncoderTest(absltest.TestCase):

  def test_embedding_shape(self):
    embeddings = encoder.RandomEncoder(embedding_size=64)(PIXELS)
    self.assertEqual(embeddings.shape, (3, 64))
    self.assertEqual(embeddings.dtype, tf.float32)

  def test_weights_are_fixed_by_seed(self):
    first = encoder.RandomEncoder(seed=3)(PIXELS)
    np.testing.assert_array_equal(first, encoder.RandomEncoder(seed=3)(PIXELS))
    self.assertGreater(np.abs(first - encoder.RandomEncoder(seed=4)(PIXELS)).max(), 1e-3)

  def test_nothing_is_trainable(self):
    model = encoder.RandomEncoder()
    model(PIXELS)
    self.assertEmpty(model.trainable_variables)
    self.assertNotEmpty(model.non_trainable_variables)

  def test_pixels_are_scaled_to_unit_range(self):
    model = encoder.RandomEncoder(seed=1)
    np.testing.assert_allclose(model(PIXELS), model(PIXELS.astype(np.float32)), rtol=1e-6)
    unit = encoder.RandomEncoder(seed=1, pixel_scale=1.0)
    np.testing.assert_allclose(model(PIXELS), unit(PIXELS / 255.0), rtol=1e-4, atol=1e-5)

  def test_rejects_oversized_embedding(self):
    with self.assertRaisesRegex(ValueError, "embedding_size must be in"):
      encoder.RandomEncoder(embedding_size=1024)


if __name__ == "__main__":
  absltest.main()

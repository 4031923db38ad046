"""Critics of the Gaussian MI benchmark (scripts/mi_benchmark.py)."""
import gin
import tensorflow as tf

from tf_empowerment.networks import statistics


@gin.configurable
class SeparableCritic(tf.keras.Model):
  """T(x, y) = g(x) . h(y) for every pair of a batch: (x [B, Dx], y [B, Dy]) -> scores [B, B].

  The separable critic of Poole et al. (2019, Sec. 5): one pass of each network scores all
  batch * batch pairs, which the Gaussian benchmark needs for every bound.
  """

  def __init__(self, hidden_units=(256, 256), embedding_size=32, name="SeparableCritic"):
    super().__init__(name=name)
    self._g = statistics.mlp(hidden_units, embedding_size)
    self._h = statistics.mlp(hidden_units, embedding_size)

  def call(self, x, y):
    return tf.matmul(self._g(x), self._h(y), transpose_b=True)

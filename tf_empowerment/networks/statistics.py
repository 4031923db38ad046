"""Statistics networks (critics) for the mutual-information bounds in tf_empowerment.estimators."""
import gin
import tensorflow as tf


def mlp(hidden_units, output_size, seed=None):
  """A ReLU multilayer perceptron with a linear output layer of `output_size` units.

  With `seed` the initial kernels are fixed by it (layer i's Glorot-uniform draw by seed + i),
  whatever TF's global seed, e.g. for a network that is never trained; otherwise they are
  drawn from TF's global random stream.
  """
  sizes = list(hidden_units) + [output_size]
  initializers = ["glorot_uniform" if seed is None
                  else tf.keras.initializers.GlorotUniform(seed=seed + i)
                  for i in range(len(sizes))]
  return tf.keras.Sequential(
      [tf.keras.layers.Dense(units, activation="relu", kernel_initializer=initializer)
       for units, initializer in zip(sizes[:-1], initializers)]
      + [tf.keras.layers.Dense(output_size, kernel_initializer=initializers[-1])])


@gin.configurable
class StatisticsNetwork(tf.keras.Model):
  """T(s, a, s') for every discrete action at once: the critic of I(A; S' | s).

  `call(states [B, D], next_states [B, N, D])` returns scores [B, N, num_actions]. The state is
  an input so the critic can represent the conditional log density ratio
  log p(s' | s, a) / p(s' | s); `use_state=False` drops it to reproduce the seed paper's
  T(s', a), which can only estimate the pooled I(A; S').
  """

  def __init__(self, num_actions, hidden_units=(256, 256), use_state=True,
               name="StatisticsNetwork"):
    super().__init__(name=name)
    self._use_state = use_state
    self._mlp = mlp(hidden_units, num_actions)

  def call(self, states, next_states):
    if not self._use_state:
      return self._mlp(next_states)
    tiled = tf.broadcast_to(states[:, None, :], tf.shape(next_states))
    return self._mlp(tf.concat([tiled, next_states], axis=-1))


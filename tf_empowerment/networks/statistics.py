"""Statistics networks (critics) for the mutual-information bounds in tf_empowerment.estimators."""
import functools

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


def one_hot_sequences(sequences, num_actions):
  """Action sequences [..., n] int as n one-hot vectors concatenated, [..., n * num_actions]."""
  size = sequences.shape[-1] * num_actions
  return tf.reshape(tf.one_hot(sequences, num_actions),
                    tf.concat([tf.shape(sequences)[:-1], [size]], 0))


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


class PartwiseDense(tf.keras.layers.Layer):
  """The first layer of an MLP over concat(s, *parts) for states [B, D] beside parts
  [B, ..., F_i] of one rank whose middle axes broadcast (next states [B, K, 1, D] beside
  sequences [B, 1, M, F]): ReLU of the sum of each input's projection. That is a Dense layer on
  the concatenation, but every input is projected once at its own shape, so K x M pairs cost
  K + M projections and K * M additions.
  """

  def __init__(self, units, num_parts, **kwargs):
    super().__init__(**kwargs)
    self._projections = [tf.keras.layers.Dense(units, use_bias=i == 0)
                         for i in range(1 + num_parts)]

  def call(self, states, parts):
    rank = len(parts[0].shape)
    states = tf.reshape(states, [-1] + [1] * (rank - 2) + [states.shape[-1]])
    return tf.nn.relu(functools.reduce(
        tf.add, [project(x) for project, x in zip(self._projections, [states, *parts])]))


@gin.configurable
class SequenceStatisticsNetwork(tf.keras.Model):
  """T(s, a_1..a_n, s') with the action sequence as an input: the critic of sampled n-step
  empowerment, whose num_actions**n sequences are too many for one output each.

  `call(states [B, D], sequences [B, ..., n] int, next_states [B, ..., D])` -> scores [B, ...],
  the middle axes broadcast: sequences [B, 1, M, n] beside next states [B, K, 1, D] score every
  pair, [B, K, M]. The sequence enters as n one-hot vectors concatenated [n * num_actions]; the
  first layer is a PartwiseDense.
  """

  def __init__(self, num_actions, hidden_units=(256, 256), name="SequenceStatisticsNetwork"):
    super().__init__(name=name)
    self._num_actions = num_actions
    self._first = PartwiseDense(hidden_units[0], num_parts=2)
    self._rest = mlp(hidden_units[1:], 1)

  def call(self, states, sequences, next_states):
    hidden = self._first(states, [next_states, one_hot_sequences(sequences, self._num_actions)])
    return self._rest(hidden)[..., 0]

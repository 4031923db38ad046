"""Categorical heads over discrete actions: the source w(a | s) and the planning q(a | s', s)."""
import gin
import tensorflow as tf

from tf_empowerment.networks import statistics


@gin.configurable
class SourceNetwork(tf.keras.Model):
  """The source w(a | s): `call(states [B, D])` -> log-probabilities [B, num_actions]."""

  def __init__(self, num_actions, hidden_units=(256, 256), name="SourceNetwork"):
    super().__init__(name=name)
    self._mlp = statistics.mlp(hidden_units, num_actions)

  def call(self, states):
    return tf.nn.log_softmax(self._mlp(states))


@gin.configurable
class PlanningNetwork(statistics.StatisticsNetwork):
  """The planning (inverse) model q(a | s', s) of Mohamed & Rezende (2015).

  `call(states [B, D], next_states [B, N, D])` -> log-probabilities [B, N, num_actions]: a
  statistics network's scores normalised over actions.
  """

  def __init__(self, num_actions, hidden_units=(256, 256), name="PlanningNetwork"):
    super().__init__(num_actions, hidden_units, use_state=True, name=name)

  def call(self, states, next_states):
    return tf.nn.log_softmax(super().call(states, next_states))

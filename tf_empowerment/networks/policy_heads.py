"""Categorical heads over discrete actions: the source w(a | s) and the planning q(a | s', s);
and their forms over action sequences too many to enumerate (sampled n-step empowerment)."""
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


@gin.configurable
class FactorisedSourceNetwork(tf.keras.Model):
  """An open-loop source over action sequences that factorises over the steps,
  w(a_1..a_n | s) = prod_t w_t(a_t | s): `call(states [B, D])` -> log w_t(a | s)
  [B, n_steps, num_actions], n * num_actions outputs where a source over whole sequences needs
  num_actions**n. It cannot correlate the steps, so it may stay below the capacity (e.g. in a
  room, where up-right and right-up reach the same cell and an optimal source spreads mass
  over cells, not sequences).
  """

  def __init__(self, num_actions, n_steps, hidden_units=(256, 256),
               name="FactorisedSourceNetwork"):
    super().__init__(name=name)
    self._shape = [n_steps, num_actions]
    self._mlp = statistics.mlp(hidden_units, n_steps * num_actions)

  def call(self, states):
    return tf.nn.log_softmax(tf.reshape(self._mlp(states), [-1] + self._shape))


@gin.configurable
class SequencePlanningNetwork(tf.keras.Model):
  """The planning model over action sequences, autoregressive:
  q(a_1..a_n | s', s) = prod_t q(a_t | s, s', a_1..a_{t-1}), normalised over all num_actions**n
  sequences without enumerating them. A factorised q could not be the posterior wherever two
  sequences reach the same state (up-right and right-up): Barber-Agakov's bound would stay loose.

  `call(states [B, D], sequences [B, ..., n] int, next_states [B, ..., D])` -> log q(sequence |
  s', s) [B, ...], the middle axes broadcast as SequenceStatisticsNetwork's. One network serves
  every step: its input is (s, s', the earlier actions one-hot and the later ones zero
  [n * num_actions], the step one-hot [n]) through a PartwiseDense first layer, its output the
  step's num_actions logits; all steps are evaluated at once from the given sequence (teacher
  forcing).
  """

  def __init__(self, num_actions, hidden_units=(256, 256), name="SequencePlanningNetwork"):
    super().__init__(name=name)
    self._num_actions = num_actions
    self._first = statistics.PartwiseDense(hidden_units[0], num_parts=3)
    self._rest = statistics.mlp(hidden_units[1:], num_actions)

  def call(self, states, sequences, next_states):
    n_steps, rank = sequences.shape[-1], len(sequences.shape) + 1
    earlier = tf.linalg.band_part(tf.ones([n_steps, n_steps]), -1, 0) - tf.eye(n_steps)  # t' < t
    prefixes = (statistics.one_hot_sequences(sequences, self._num_actions)[..., None, :]
                * tf.repeat(earlier, self._num_actions, axis=1))  # [B, ..., n, n * A]
    steps = tf.reshape(tf.eye(n_steps), [1] * (rank - 2) + [n_steps, n_steps])
    logits = self._rest(self._first(states, [next_states[..., None, :], prefixes, steps]))
    return tf.reduce_sum(tf.nn.log_softmax(logits) * tf.one_hot(sequences, self._num_actions),
                         axis=[-2, -1])

"""Exact stand-ins for the learned networks on a gridworld, for the estimators' readout tests:
the forward model as the transition table, and the optimal critics by table lookup."""
import numpy as np
import tensorflow as tf

from tf_empowerment.empowerment import estimator
from tf_empowerment.envs import gridworld


class OracleModel:
  """The exact slippery gridworld as a forward model: outcomes are one-hot cells."""

  def __init__(self, layout, slip):
    self._num_states = layout.num_states
    self._successors = tf.constant(layout.successors, tf.int32)  # [s, a] -> s'
    num_actions = len(gridworld.ACTIONS)
    self._executed = np.full((num_actions, num_actions), slip / (num_actions - 1), np.float32)
    np.fill_diagonal(self._executed, 1.0 - slip)

  def __call__(self, states):
    return self.rollout(states, 1)

  def rollout(self, states, n_steps):
    cells, executed = tf.argmax(states, axis=-1, output_type=tf.int32)[:, None], np.ones((1, 1))
    for _ in range(n_steps):  # the slip of each step is independent of the cell
      cells = tf.reshape(tf.gather(self._successors, cells), [tf.shape(states)[0], -1])
      executed = np.kron(executed, self._executed)
    return (tf.one_hot(cells, self._num_states),
            tf.broadcast_to(tf.constant(executed, tf.float32), [tf.shape(states)[0],
                                                                *executed.shape]))

  def rollout_sequences(self, states, sequences, seed):
    """Outcomes [B, M, S] of sequences [B, M, n], each step's executed action drawn."""
    cells = tf.broadcast_to(tf.argmax(states, axis=-1, output_type=tf.int32)[:, None],
                            tf.shape(sequences)[:2])
    seeds = tf.random.experimental.stateless_split(seed, sequences.shape[-1])
    for step in range(sequences.shape[-1]):
      log_executed = tf.math.log(tf.gather(self._executed, tf.reshape(sequences[..., step], [-1])))
      executed = tf.random.stateless_categorical(log_executed, 1, seeds[step], dtype=tf.int32)
      cells = tf.gather_nd(self._successors,
                           tf.stack([cells, tf.reshape(executed, tf.shape(cells))], axis=-1))
    return tf.one_hot(cells, self._num_states)


def _log_ratios(layout, slip, source, log_planning, n_steps):
  """log p(s' | s, a) / p_w(s' | s) (plus log w(a) for log q*(a | s', s)), [s, a, s']."""
  table = gridworld.n_step_transition_table(layout, n_steps, slip)  # [s, a, s']
  mixture = np.einsum("a,sat->st", source, table)
  with np.errstate(divide="ignore"):
    ratio = np.log(np.maximum(table, 1e-30)) - np.log(np.maximum(mixture, 1e-30))[:, None]
  if log_planning:
    ratio = ratio + np.log(source)[None, :, None]
  return ratio


def oracle_critic(layout, slip, source, log_planning=False, n_steps=1):
  """T(s, a, s') = log p(s' | s, a) / p_w(s' | s) (or log q*(a | s', s)) by table lookup."""
  ratio = _log_ratios(layout, slip, source, log_planning, n_steps)
  lookup = tf.constant(np.transpose(ratio, (0, 2, 1)), tf.float32)  # [s, s', a]

  def critic(states, next_states):
    per_state = tf.gather(lookup, tf.argmax(states, axis=-1))  # [B, s', A]
    return tf.einsum("bkt,bta->bka", next_states, per_state)

  return critic


def oracle_sequence_critic(layout, slip, source, log_planning=False, n_steps=1):
  """oracle_critic taking the sequence as an input, as the sampled mode's critics:
  (states [B, S], sequences [B, ..., n], next_states [B, ..., S]) -> [B, ...], middle axes
  broadcast."""
  lookup = tf.constant(_log_ratios(layout, slip, source, log_planning, n_steps), tf.float32)

  def critic(states, sequences, next_states):
    index = estimator.sequence_index(sequences, len(gridworld.ACTIONS))  # [B, ...]
    cells = tf.argmax(next_states, axis=-1, output_type=tf.int32)
    shape = tf.broadcast_dynamic_shape(tf.shape(index), tf.shape(cells))
    starts = tf.reshape(tf.argmax(states, axis=-1, output_type=tf.int32),
                        [-1] + [1] * (index.shape.rank - 1))
    return tf.gather_nd(lookup, tf.stack([tf.broadcast_to(x, shape)
                                          for x in (starts, index, cells)], axis=-1))

  return critic

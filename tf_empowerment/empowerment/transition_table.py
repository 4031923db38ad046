"""A deterministic task's transition table learned from the transitions seen, and the n-step
empowerment it implies.

In a deterministic world the n-step channel from s is a function of the action sequence, so its
capacity is the log of the number of distinct states the |A|^n sequences end in (Klyubin et al.
2005). Learned from experience, the table knows (s, a) once it has been tried once: the
estimate is right wherever every action has been tried, where a neural estimator trained on
replay is right only where the agent has been many times. What an untried action does is
assumed, `UNTRIED` says how.
"""
import tensorflow as tf

# What an untried action is assumed to do: "stay" where it is, as a wall makes it (pessimism:
# the agent counts what it knows it can do), or lead somewhere "new" from which every
# continuation ends in a state of its own (optimism, as R-max's: never below the true value).
UNTRIED = ("stay", "new")


def check_arguments(n_steps, untried):
  """Fails with one line unless n_steps >= 1 and `untried` is one of UNTRIED."""
  if n_steps < 1:
    raise ValueError(f"n_steps must be >= 1, got {n_steps}")
  if untried not in UNTRIED:
    raise ValueError(f"untried must be one of {UNTRIED}, got {untried!r}")


class DeterministicTransitionTable(tf.Module):
  """s' = next_states[s, a] over `num_states` tabular states and `num_actions` actions, -1 where
  (s, a) has not been tried. A second, different outcome of the same (s, a) fails with one
  line: the table is for deterministic tasks."""

  def __init__(self, num_states, num_actions, name="transition_table"):
    super().__init__(name=name)
    if num_states < 1 or num_actions < 1:
      raise ValueError(f"DeterministicTransitionTable needs num_states and num_actions >= 1, got "
                       f"{num_states} and {num_actions}")
    self.num_states = num_states
    self.num_actions = num_actions
    self.next_states = tf.Variable(tf.fill([num_states, num_actions], -1), trainable=False,
                                   name="next_states")

  def record(self, states, actions, next_states, valid):
    """Records transitions states -> next_states under actions (int [B] each) where `valid` [B];
    returns whether any of them was new (a bool scalar)."""
    pairs = tf.boolean_mask(tf.stack([states, actions], axis=-1), valid)
    outcomes = tf.boolean_mask(next_states, valid)
    known = tf.gather_nd(self.next_states, pairs)
    tf.debugging.assert_equal(
        tf.reduce_any((known >= 0) & (known != outcomes)), False,
        message="DeterministicTransitionTable: one (state, action) led to two different states; "
                "the task is not deterministic")
    self.next_states.scatter_nd_update(pairs, outcomes)
    return tf.reduce_any(known < 0)

  def known_fraction(self):
    """The fraction of (state, action) pairs tried."""
    return tf.reduce_mean(tf.cast(self.next_states >= 0, tf.float32))

  def empowerment(self, n_steps, untried):
    """n-step empowerment [num_states] (nats) of every state under the table, untried actions
    as `untried` says: log of the number of distinct states the num_actions**n sequences end in.
    Dense [num_states, num_states] reachability, for tabular tasks of a few thousand states."""
    check_arguments(n_steps, untried)
    # [s, s'] = 1 where some tried action leads from s to s' (one_hot of -1 is all zeros).
    step = tf.reduce_max(tf.one_hot(self.next_states, self.num_states), axis=1)
    num_untried = tf.reduce_sum(tf.cast(self.next_states < 0, tf.float32), axis=1)  # [S]
    if untried == "stay":
      step = tf.maximum(step, tf.linalg.diag(tf.cast(num_untried > 0, tf.float32)))
    reach = tf.eye(self.num_states)  # [s, s'] = 1 where some j-step sequence ends in s'
    fresh = tf.zeros([self.num_states])  # "new": end states behind untried actions
    for j in range(n_steps):
      if untried == "new":
        continuations = float(self.num_actions ** (n_steps - 1 - j))
        fresh += tf.linalg.matvec(reach, num_untried) * continuations
      reach = tf.cast(tf.matmul(reach, step) > 0, tf.float32)
    ends = tf.minimum(tf.reduce_sum(reach, axis=1) + fresh, float(self.num_actions ** n_steps))
    return tf.math.log(ends)


def empowerment_of(next_states, states, n_steps, untried):
  """n-step empowerment [B] (nats) of states [B] (int), each under its own table next_states
  [B, S, A] (-1 untried), as DeterministicTransitionTable.empowerment gives it for every state:
  the distinct states each level reaches are expanded with the table one level at a time
  (A^j at level j), so a few states of a large table cost what their reach costs."""
  check_arguments(n_steps, untried)
  num_actions = next_states.shape[-1]
  level = states[:, None]  # [B, K]: the distinct states of a level, -1 where none
  fresh = tf.zeros(tf.shape(states), tf.float32)  # "new": end states behind untried actions
  for j in range(n_steps):
    reached = level >= 0
    outcomes = tf.gather(next_states, tf.maximum(level, 0), batch_dims=1)  # [B, K, A]
    outcomes = tf.where(reached[..., None], outcomes, -1)
    untried_here = reached[..., None] & (outcomes < 0)
    if untried == "new":
      continuations = float(num_actions ** (n_steps - 1 - j))
      fresh += tf.reduce_sum(tf.cast(untried_here, tf.float32), axis=[1, 2]) * continuations
    else:
      outcomes = tf.where(untried_here, level[..., None], outcomes)
    level = _distinct(tf.reshape(outcomes, [tf.shape(states)[0], -1]))
  ends = tf.reduce_sum(tf.cast(level >= 0, tf.float32), axis=1) + fresh
  return tf.math.log(tf.minimum(ends, float(num_actions ** n_steps)))


def _distinct(level):
  """Each row of states [B, K] sorted with repeats (and -1) as -1: its distinct states."""
  ordered = tf.sort(level, axis=-1)
  repeated = tf.concat([tf.zeros_like(ordered[:, :1], tf.bool),
                        ordered[:, 1:] == ordered[:, :-1]], axis=1)
  return tf.where(repeated, -1, ordered)

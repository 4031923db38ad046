"""SimHash pseudo-counts (Tang et al. 2017): count-based exploration beyond tabular states.

A state s [D] is hashed to the k sign bits of A^T s, A [D, k] a fixed Gaussian projection
(SimHash, Charikar 2002: two states share a bit with probability 1 - angle / pi), and the
bonus is beta / sqrt(n(phi(s))), n the number of collected states with the same code (the
paper's Algorithm 1, static hashing). Here states are hashed as given (the paper's preprocessing g
is the identity): embeddings when the run has an encoder, else the observations.
"""
import gin
import tensorflow as tf

from tf_empowerment.rewards import intrinsic_reward


@gin.configurable
class SimHashCountBonus(intrinsic_reward.StateBonus):
  """beta / sqrt(max(n(phi(s')), 1)), phi(s) = the `num_bits` signs of A^T s, A ~ N(0, 1).

  `num_bits` (k) sets the granularity, which the paper finds decisive: two states at an angle
  theta share a code with probability (1 - theta / pi)^k, one half at theta ~ 2.2 / k rad.
  The default 64 is near the tabular end: distinct one-hot cells (orthogonal) share a code
  with probability 2^-64, so on gridworlds this is the tabular count, and only states within
  ~0.03 rad (MiniGrid observations that are nearly the same) share counts; fewer bits (16 to
  32) generalise over nearby continuous embeddings, the first thing to tune for Atari. A is
  drawn with `seed` (None: from TF's global seed, so each Runner.seed has its own). Codes are
  counted over every collected state in a hash table keyed by the code's 64-bit fingerprint
  (any k, one key per code; among a million distinct codes two collide with probability
  ~3e-8). A and the counts are saved with the checkpoint. No normaliser by default: the bonus
  is on a fixed scale, (0, 1]. The table's ops run in tf.function but not under XLA.
  """

  def __init__(self, state_spec, action_spec, num_envs, beta=0.1, num_bits=64, seed=None,
               normaliser=None, at_collection=False, num_channels=1, episodic=False,
               centred=False, offset=0.0, name="sim_hash_count_bonus"):
    del action_spec
    if state_spec.shape.rank != 1 or not state_spec.shape[0]:
      raise ValueError(f"SimHashCountBonus wants states [D], got {state_spec.shape}")
    if not isinstance(num_bits, int) or num_bits < 1:
      raise ValueError(f"SimHashCountBonus.num_bits must be a positive integer, got {num_bits!r}")
    super().__init__(state_spec, num_envs, beta, normaliser, at_collection=at_collection,
                     num_channels=num_channels, episodic=episodic, centred=centred, offset=offset,
                     name=name)
    shape = [state_spec.shape[0], num_bits]
    projection = (tf.random.normal(shape) if seed is None
                  else tf.random.stateless_normal(shape, seed=[seed, 0]))
    self.projection = tf.Variable(projection, trainable=False, name="projection")
    self.counts = tf.lookup.experimental.MutableHashTable(tf.int64, tf.int64, default_value=0,
                                                          name="code_counts")

  def codes(self, states):
    """The SimHash codes [B, num_bits] (bool: A^T s > 0) of states [B, D]."""
    return tf.matmul(tf.cast(states, tf.float32), self.projection) > 0

  def keys(self, states):
    """The table keys [B] int64 of states [B, D]: the fingerprints of their codes."""
    return tf.bitcast(tf.fingerprint(tf.cast(self.codes(states), tf.uint8)), tf.int64)

  def bonus(self, states):
    visits = tf.cast(self.counts.lookup(self.keys(states)), tf.float32)
    return tf.math.rsqrt(tf.maximum(visits, 1.0))

  def observe(self, trajectory):
    super().observe(trajectory)
    # Several environments may reach states of one code at once: count each of them.
    keys, _, repeats = tf.unique_with_counts(self.keys(trajectory.observation),
                                             out_idx=tf.int64)
    self.counts.insert(keys, self.counts.lookup(keys) + repeats)

  def bonus_metrics(self, bonus, weights):
    del bonus, weights
    return {"sim_hash/distinct_codes": tf.cast(self.counts.size(), tf.float32)}

"""Count-based exploration bonuses for tabular states: beta / sqrt(N(s)) (Strehl & Littman 2008),
N counted over the whole run or within the current episode.

The smallest real bonuses behind the IntrinsicReward interface: counts come from collection,
and nothing is trained.
"""
import gin
import tensorflow as tf

from tf_empowerment.rewards import intrinsic_reward


@gin.configurable
class TabularCountBonus(intrinsic_reward.StateBonus):
  """beta / sqrt(N(s_{t+1})), N counted over all collected steps; one-hot states [num_states].

  Gridworld observations are one-hot cells (`GridworldEnv.observation = 'one_hot'`). With
  `num_cells` only the state's first `num_cells` entries are counted, a one-hot block such as
  the agent's cell at the start of a MiniGrid observation. The counts are saved with the
  checkpoint. No normaliser by default: 1 / sqrt(N) is already on a fixed scale, (0, 1].
  """

  def __init__(self, state_spec, action_spec, num_envs, beta=0.1, normaliser=None,
               episodic=False, centred=False, offset=0.0, at_collection=False,
               num_channels=1, num_cells=None, name="tabular_count_bonus"):
    del action_spec
    num_cells = _num_cells(type(self).__name__, state_spec, num_cells)
    super().__init__(state_spec, num_envs, beta, normaliser, at_collection=at_collection,
                     num_channels=num_channels, episodic=episodic, centred=centred, offset=offset,
                     name=name)
    self._num_cells = num_cells
    self.counts = tf.Variable(tf.zeros([num_cells]), trainable=False, name="counts")

  def bonus(self, states):
    return tf.math.rsqrt(tf.maximum(tf.gather(self.counts, _cells(states, self._num_cells)), 1.0))

  def observe(self, trajectory):
    super().observe(trajectory)
    self.counts.scatter_nd_add(_cells(trajectory.observation, self._num_cells)[:, None],
                               tf.ones(tf.shape(trajectory.observation)[:1]))


@gin.configurable
class EpisodicCountBonus(intrinsic_reward.StateBonus):
  """beta / sqrt(N_episode(s_{t+1})), N_episode the visits of the state reached within the
  current episode of its environment copy, that visit included.

  Lifetime counts fade once every cell has been seen, and on procedurally generated tasks
  (MiniGrid draws a new layout each episode) a cell is no room; a count that restarts with each
  episode keeps paying for covering the episode's own layout (the episodic counts of RIDE and
  NovelD). It depends on the episode's history, so it is computed at collection, where the
  collect policy acts on each state, and read back from replay. States as TabularCountBonus's.
  """

  def __init__(self, state_spec, action_spec, num_envs, beta=0.1, normaliser=None,
               episodic=False, centred=False, offset=0.0, num_channels=1, num_cells=None,
               name="episodic_count_bonus"):
    del action_spec
    num_cells = _num_cells(type(self).__name__, state_spec, num_cells)
    super().__init__(state_spec, num_envs, beta, normaliser, at_collection=True,
                     num_channels=num_channels, episodic=episodic, centred=centred, offset=offset,
                     name=name)
    self._num_cells = num_cells
    # Saved with checkpoints like every variable, though a resumed run starts new episodes.
    self.episode_counts = tf.Variable(tf.zeros([num_envs, num_cells]), trainable=False,
                                      name="episode_counts")

  def info(self, states, is_first):
    """Counts the visit of states [num_envs, ...] (restarting where `is_first`); [num_envs]."""
    cells = _cells(states, self._num_cells)
    kept = 1.0 - tf.cast(is_first, tf.float32)[:, None]
    counts = self.episode_counts * kept + tf.one_hot(cells, self._num_cells)
    self.episode_counts.assign(counts)
    return tf.math.rsqrt(tf.gather(counts, cells, batch_dims=1))


def _num_cells(owner, state_spec, num_cells):
  """The number of leading one-hot entries to count: `num_cells`, or every entry when None."""
  if state_spec.shape.rank != 1 or not state_spec.shape[0]:
    raise ValueError(f"{owner} wants one-hot states [num_states], got {state_spec.shape}")
  num_cells = num_cells or state_spec.shape[0]
  if not 0 < num_cells <= state_spec.shape[0]:
    raise ValueError(f"{owner}.num_cells must be in [1, {state_spec.shape[0]}], got {num_cells}")
  return num_cells


def _cells(states, num_cells):
  """The cell index [B] of states [B, ...] whose first `num_cells` entries are one-hot."""
  return tf.argmax(states[..., :num_cells], axis=-1, output_type=tf.int32)


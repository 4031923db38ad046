"""The one interface between the trainer and every exploration bonus.

The trainer knows a bonus only through `IntrinsicReward`: the actor calls `info` (through the
collect policy, so replay stores what it returns) and `observe` at collection; the learner calls
`relabel` on every sampled batch before the agent's update, and the run loop draws heat maps
from `state_values` when a bonus has them. A new bonus is one subclass and one gin file.

`relabel` returns the batch's rewards [batch, time, channels]: with one channel the bonus is
added to the extrinsic reward and the agent is plain DQN; with two the channels are
(extrinsic, intrinsic) apart and the trainer builds a two-head agent, each head with its own
discount. A bonus may be recomputed on every sampled batch (it may train its own networks in
`relabel`) or computed once at collection by `info` and read back from
`experience.policy_info[INFO_KEY]` (as Dopamine's bonus-based exploration stores RND bonuses
computed at acting time).
"""
import tensorflow as tf

from tf_empowerment.replay import transitions
from tf_empowerment.rewards import normalisation

# The key of `info`'s values in the collect policy's info, and so in replay.
INFO_KEY = "intrinsic"


class IntrinsicReward(tf.Module):
  """Base of every intrinsic reward; subclasses implement `relabel` and may override the rest.

  Constructed by the trainer as `reward_fn(state_spec=..., action_spec=..., num_envs=...)`:
  states are what the bonus sees (embeddings when the run has an encoder, else observations),
  `num_envs` the number of environments collecting side by side.
  `num_channels`: 1 (summed into the extrinsic reward) or 2 (extrinsic, intrinsic apart).
  `episodic`: whether the intrinsic return stops at episode ends (a two-head agent's intrinsic
  head then uses the episode's discounts; otherwise it bootstraps through them, as RND's).
  `sign_clipped`: one channel, the sign of extrinsic plus intrinsic reward.
  Variables of a subclass are saved with the run's checkpoint.
  """

  state_values = None  # Optional: `state_values(states [B, ...]) -> [B]` for heat maps.

  def __init__(self, num_channels=1, episodic=False, sign_clipped=False, name=None):
    super().__init__(name=name)
    if num_channels not in (1, 2):
      raise ValueError(f"{type(self).__name__}.num_channels must be 1 or 2, got {num_channels}")
    if sign_clipped and num_channels != 1:
      raise ValueError(f"{type(self).__name__}.sign_clipped clips the sum: it needs one channel")
    self._num_channels = num_channels
    self._episodic = episodic
    self._sign_clipped = sign_clipped

  @property
  def num_channels(self):
    return self._num_channels

  @property
  def episodic(self):
    return self._episodic

  @property
  def window_length(self):
    """The steps of each sampled window `relabel` wants (the agent trains on the first of
    them): 2, one transition, unless a bonus learns from longer windows."""
    return 2

  @property
  def info_spec(self):
    """The spec of what `info` returns per environment step; () stores nothing."""
    return ()

  def info(self, states, is_first):
    """Computed by the collect policy for the states [num_envs, ...] it acts on, which start an
    episode where `is_first` [num_envs]; stored in replay."""
    del states, is_first
    return ()

  def create_variables(self):
    """Creates every variable that training would create lazily (networks built on first
    use, optimizer slots) without changing any, so checkpoints restore them all at once."""

  def observe(self, trajectory):
    """Called at collection with each step's trajectory [num_envs] (observations as states)."""
    del trajectory

  def relabel(self, experience, num_rewarded=None):
    """(rewards [batch, time, num_channels], metrics) for sampled experience [batch, time].

    `experience.reward` holds the extrinsic rewards as the agent should learn them (clipped
    to their sign by default); its observations are states. Only the window's first
    `num_rewarded` transitions (None: all) get an intrinsic reward, the ones the agent trains
    on; a bonus may still learn from the whole window.
    """
    intrinsic, metrics = self.intrinsic(experience, num_rewarded)
    return self.combine(experience.reward, intrinsic), metrics

  def intrinsic(self, experience, num_rewarded=None):
    """(intrinsic rewards [batch, time], metrics) of sampled experience [batch, time]; the
    last step, whose next state is not in the window, rows that are no transition and the
    transitions after the first `num_rewarded` get 0."""
    raise NotImplementedError

  def combine(self, extrinsic, intrinsic):
    """Rewards [batch, time, num_channels] from extrinsic and intrinsic [batch, time]; with
    `sign_clipped` the sum's sign, as the seed paper clips its augmented reward."""
    if self._num_channels == 2:
      return tf.stack([extrinsic, intrinsic], axis=-1)
    summed = extrinsic + intrinsic
    return (tf.sign(summed) if self._sign_clipped else summed)[..., None]


class StateBonus(IntrinsicReward):
  """A bonus of the state reached, r_int(s_t, a_t, s_{t+1}) = beta * normalise(bonus(s_{t+1})).

  Subclasses give `bonus(states [B, ...]) -> [B]` and may `train` on each sampled batch. The
  normaliser (e.g. DiscountedReturnNormaliser; None: no normalisation, `episodic` then says
  whether the bonus is episodic) divides by the std of the discounted intrinsic return, which
  `observe` tracks over exactly the values that are rewarded: the bonus of every state a
  transition led to, never an episode's first state. Rows that are no transition
  (LAST -> FIRST, or a resume's cut) get no bonus and no weight in `train`. With
  `at_collection` the bonus is computed once by the collect policy and read back from replay,
  otherwise recomputed on each sampled batch with the current networks.

  With `centred` the running mean of those same rewarded values is subtracted before
  normalisation (the normaliser then tracks the centred return): a bonus with a positive mean
  is otherwise a living reward that, where discounts stop at terminal states, pays the agent
  for not reaching the goal. `offset` is added to every transition's scaled bonus: a negative
  one makes the bonus optimistic, as 0.1 * (1 / sqrt(N) - 1) is for counts (beta 0.1, offset
  -0.1), where centring by the running mean is not.
  """

  def __init__(self, state_spec, num_envs, beta, normaliser, at_collection=False,
               num_channels=1, episodic=False, centred=False, offset=0.0, sign_clipped=False,
               name=None):
    normaliser = normaliser and normaliser(num_envs=num_envs)
    super().__init__(num_channels=num_channels,
                     episodic=normaliser.episodic if normaliser else episodic,
                     sign_clipped=sign_clipped, name=name)
    if beta < 0:
      raise ValueError(f"{type(self).__name__}.beta must be non-negative, got {beta}")
    self.normaliser = normaliser
    self._beta = beta
    self._state_spec = state_spec
    self._at_collection = at_collection
    self._offset = offset
    self.bonus_stats = normalisation.RunningMeanStd(name="bonus_stats") if centred else None

  def bonus(self, states):
    """The raw bonus [B] of states [B, ...]."""
    raise NotImplementedError

  def transition_bonus(self, states, actions, next_states):
    """The raw bonus [B] of transitions ([B, ...], [B], [B, ...]): that of the state reached,
    unless a subclass rewards the transition itself."""
    del states, actions
    return self.bonus(next_states)

  def train(self, states, actions, next_states, weights):
    """Trains on transitions ([B, ...], [B], [B, ...]) with weights [B]; returns metrics."""
    del states, actions, next_states, weights
    return {}

  def train_on_windows(self, experience, real):
    """Trains on sampled windows [B, T] whose step t -> t + 1 is a transition where `real`
    [B, T - 1] is 1; returns metrics. By default `train` on each of their transitions; a bonus
    that learns from longer windows (window_length > 2) overrides it."""
    states = experience.observation
    return self.train(*[_rows(x) for x in (states[:, :-1], experience.action[:, :-1],
                                            states[:, 1:])], _rows(real))

  def bonus_metrics(self, bonus, weights):
    """Scalar metrics of the raw bonus [N] of the reached states, rows weighted by [N]."""
    del bonus, weights
    return {}

  @property
  def info_spec(self):
    return tf.TensorSpec([], tf.float32, name="bonus") if self._at_collection else ()

  def info(self, states, is_first):
    del is_first
    return self.bonus(states) if self._at_collection else ()

  def _collected_bonus(self, trajectory):
    if self._at_collection:
      return trajectory.policy_info[INFO_KEY]
    return self.bonus(trajectory.observation)

  def observe(self, trajectory):
    # The bonus of s_t is the reward of the transition into s_t, unless s_t starts an episode.
    if self.normaliser is None and self.bonus_stats is None:
      return
    bonus, rewarded = self._collected_bonus(trajectory), ~trajectory.is_first()
    if self.bonus_stats is not None:
      self.bonus_stats.update(bonus, weights=rewarded)
    if self.normaliser is not None:
      self.normaliser.observe(self._centred(bonus), trajectory.is_first())

  def _centred(self, bonus):
    return bonus if self.bonus_stats is None else bonus - self.bonus_stats.mean

  def _normalised(self, bonus):
    centred = self._centred(bonus)
    return centred if self.normaliser is None else self.normaliser(centred)

  def raw_bonus(self, experience, num_rewarded=None):
    """The raw bonus [B, n] of the first n (`num_rewarded`; None: all) transitions of windows
    [B, T]: read back from replay with `at_collection`, else computed now."""
    rewarded = slice(None, num_rewarded)
    if self._at_collection:
      return experience.policy_info[INFO_KEY][:, 1:][:, rewarded]
    states = experience.observation  # [B, T, ...]
    transitions_rewarded = (states[:, :-1], experience.action[:, :-1], states[:, 1:])
    raw = self.transition_bonus(*[_rows(x[:, rewarded]) for x in transitions_rewarded])
    return tf.reshape(raw, tf.shape(experience.reward[:, :-1][:, rewarded]))

  def intrinsic(self, experience, num_rewarded=None):
    real = transitions.transition_mask(experience)  # [B, T - 1]
    metrics = self.train_on_windows(experience, real)
    real = real[:, :num_rewarded]  # the transitions that get a reward: [B, n]
    raw = self.raw_bonus(experience, num_rewarded)
    intrinsic = real * (self._beta * self._normalised(raw) + self._offset)
    metrics.update(self.bonus_metrics(_rows(raw), _rows(real)))
    metrics.update({
        "intrinsic_reward/raw_mean": weighted_mean(raw, real),
        "intrinsic_reward/scaled_mean": weighted_mean(intrinsic, real),
    })
    return padded_to_window(intrinsic, experience.reward), metrics


def padded_to_window(values, reward):
  """Values [B, n] of a window's first n transitions as [B, T] like `reward` [B, T]: 0 after
  them (the last step's next state is not in the window, so it never has a bonus)."""
  return tf.concat([values, tf.zeros_like(reward[:, values.shape[1]:])], axis=1)


def _rows(values):
  """[B, T, ...] as [B * T, ...], with static sizes where known (XLA compiles them once)."""
  batch, time = values.shape[:2]
  rows = batch * time if batch is not None and time is not None else -1
  return tf.reshape(values, [rows] + values.shape[2:].as_list())


def weighted_mean(values, weights):
  """The mean of values weighted by weights of the same shape; 0 when they sum to 0."""
  return tf.math.divide_no_nan(tf.reduce_sum(values * weights), tf.reduce_sum(weights))

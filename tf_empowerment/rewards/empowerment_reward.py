"""Empowerment of the state reached as an intrinsic reward: learned, or exact for gridworlds.

EmpowermentReward wraps DQN's learning rather than forking it (as Acme's RND wraps another
agent): each sampled batch trains its estimator on the batch's real transitions and is relabelled
with r = r_ext + beta * normalise(E(s_{t+1})). With beta = 0 the rewards are exactly plain DQN's.
ExactEmpowermentReward rewards exact Blahut-Arimoto empowerment instead: the control that tells
the estimator's errors from what empowerment itself points to.
"""
import math

import gin
import tensorflow as tf

from tf_empowerment.empowerment import exact
from tf_empowerment.empowerment import transition_table
from tf_empowerment.envs import gridworld
from tf_empowerment.rewards import intrinsic_reward
from tf_empowerment.rewards import normalisation


def empowerment_metrics(values, weights, num_actions, tolerance):
  """Mean, std and max of estimates [N] (nats) over rows of weight 1, and the fraction of them
  outside [0, log num_actions], the range every empowerment lies in (`tolerance` nats slack)."""
  total = tf.reduce_sum(weights)
  mean = tf.math.divide_no_nan(tf.reduce_sum(weights * values), total)
  variance = tf.math.divide_no_nan(tf.reduce_sum(weights * tf.square(values - mean)), total)
  outside = (values < -tolerance) | (values > math.log(num_actions) + tolerance)
  return {
      "empowerment/mean": mean,
      "empowerment/std": tf.sqrt(variance),
      "empowerment/max": tf.reduce_max(tf.where(weights > 0, values, -math.inf)),
      "empowerment/out_of_range": tf.math.divide_no_nan(
          tf.reduce_sum(weights * tf.cast(outside, tf.float32)), total),
  }


def relative_scale(num_sequences, relative):
  """The factor of a `relative` bonus, E / log num_sequences in [0, 1]; 1 otherwise."""
  return 1.0 / math.log(num_sequences) if relative else 1.0


def check_agent_pose(owner, state_spec, num_cells, num_directions):
  """Fails in one line unless states [D] can begin with the agent's one-hot cell [num_cells]
  and one-hot direction [num_directions] (MiniGridEnv's observation: 4 directions)."""
  if state_spec.shape.rank != 1 or num_cells < 1 or num_directions < 0 or (
      num_cells + num_directions > state_spec.shape[0]):
    raise ValueError(f"{owner} wants states [D] beginning with one-hot cells [num_cells] and "
                     f"directions [num_directions], got num_cells {num_cells}, num_directions "
                     f"{num_directions} and states {state_spec.shape}")


def _num_actions(action_spec):
  return int(action_spec.maximum - action_spec.minimum) + 1


@gin.configurable
class EmpowermentReward(intrinsic_reward.StateBonus):
  """The estimator's empowerment (nats) of the state reached, scaled by the std of its return.

  `estimator(num_actions=..., n_steps=...)` builds an estimator with `train_step(states,
  actions, next_states, weights) -> dict of scalars` and `empowerment(states) -> [batch] nats`,
  e.g. MineEmpowerment. With `n_steps` > 1 it is n-step empowerment, trained on windows of
  n + 1 steps that stay in one episode (a window crossing an episode's end trains nothing).
  With a `floor` (nats), estimates below it become the floor before normalisation; 0 is the
  natural one, as I(A; S' | s) >= 0 makes max(estimate, 0) a lower bound too. Estimates outside
  [0, log |A|] (with `range_tolerance` nats of slack) are counted in `empowerment/out_of_range`:
  a sign that the estimator diverges. With `relative`
  the bonus is E(s) / log |A|^n, in [0, 1] for every action set and horizon, as a factor of a
  product or a term of a sum wants it (CombinedBonus). With `features` (e.g.
  @InverseDynamicsFeatures) the estimator reads phi(s), trained on the same batches, instead of
  the states themselves.

  Trained on replay, the estimate is right where the agent has often been and low elsewhere.
  With `balance` (a count bonus whose raw bonus is 1 / sqrt(N(s)), e.g. @TabularCountBonus,
  counting the collected states itself) each training window weighs N(s_t)^-`balance_power`,
  s_t its first state: at power 1 every state seen weighs about the same in the estimator's
  losses however often it was visited (importance weights, as prioritised replay corrects its
  sampling, here towards the rarely visited).
  """

  def __init__(self, state_spec, action_spec, num_envs, estimator=gin.REQUIRED, n_steps=1,
               features=None, relative=False, beta=0.1,
               normaliser=normalisation.DiscountedReturnNormaliser,
               floor=None, range_tolerance=0.05, at_collection=False, num_channels=1, centred=False,
               offset=0.0, balance=None, balance_power=1.0, name="empowerment_reward"):
    super().__init__(state_spec, num_envs, beta, normaliser, at_collection=at_collection,
                     num_channels=num_channels, centred=centred, offset=offset, name=name)
    if balance_power < 0:
      raise ValueError(f"EmpowermentReward.balance_power must be non-negative, got {balance_power}")
    num_actions = _num_actions(action_spec)
    self.estimator = estimator(num_actions=num_actions, n_steps=n_steps)
    self.features = features and features(num_actions=num_actions)
    self.balance = balance and balance(state_spec=state_spec, action_spec=action_spec,
                                       num_envs=num_envs)
    self._balance_power = balance_power
    self._num_sequences = self.estimator.num_sequences
    self._scale = relative_scale(self._num_sequences, relative)
    self._floor = floor
    self._range_tolerance = range_tolerance

  def state_values(self, states):
    """The estimator's empowerment [batch] (nats) of states [batch, D]."""
    return self.estimator.empowerment(self._features_of(states))

  def create_variables(self):
    state_size = self._state_spec.shape[-1]
    if self.features is not None:
      self.features.create_variables(state_size)
      state_size = self.features.feature_size
    self.estimator.create_variables(state_size)

  def _features_of(self, states):
    """What the estimator reads of states [..., D]: phi(s), or the states."""
    if self.features is None:
      return states
    return tf.reshape(self.features(tf.reshape(states, [-1, states.shape[-1]])),
                      tf.concat([tf.shape(states)[:-1], [self.features.feature_size]], 0))

  def bonus(self, states):
    empowerment = self.state_values(states)
    if self._floor is not None:
      empowerment = tf.maximum(empowerment, self._floor)
    return self._scale * empowerment

  @property
  def window_length(self):
    return self.estimator.n_steps + 1

  def train(self, states, actions, next_states, weights):
    metrics = self._train_features(states, actions, next_states, weights)
    metrics.update(self.estimator.train_step(
        self._features_of(states), actions, self._features_of(next_states), weights))
    return metrics

  def observe(self, trajectory):
    super().observe(trajectory)
    if self.balance is not None:
      self.balance.observe(trajectory)

  def _balanced(self, weights, states):
    """Row weights [B, T] times N(s)^-balance_power of their states [B, T, D]; the weights as
    they are without `balance`."""
    if self.balance is None:
      return weights
    inverse_sqrt_counts = self.balance.bonus(tf.reshape(states, [-1, states.shape[-1]]))
    return weights * tf.reshape(inverse_sqrt_counts ** (2.0 * self._balance_power),
                                tf.shape(weights))

  def train_on_windows(self, experience, real):
    n_steps = self.estimator.n_steps
    states = experience.observation
    if n_steps == 1:
      return super().train_on_windows(experience, self._balanced(real, states[:, :-1]))
    first = self._balanced(real[:, :1], states[:, :1])[:, 0]  # a window weighs as its first state
    metrics = self._train_features(states[:, 0], experience.action[:, 0], states[:, 1], first)
    states = self._features_of(states)  # after the features' step, as with n = 1
    metrics.update(self.estimator.train_step(
        states[:, 0], experience.action[:, :n_steps], states[:, 1:n_steps + 1],
        first * tf.reduce_prod(real[:, 1:n_steps], axis=1)))
    return metrics

  def _train_features(self, states, actions, next_states, weights):
    if self.features is None:
      return {}
    return self.features.train_step(states, actions, next_states, weights)

  def bonus_metrics(self, bonus, weights):
    return empowerment_metrics(bonus / self._scale, weights, self._num_sequences,
                               self._range_tolerance)


class ComputedEmpowermentReward(intrinsic_reward.StateBonus):
  """Empowerment computed rather than estimated (nats), of the num_sequences action sequences
  of a horizon, as reward; `relative` as EmpowermentReward's. By default read from a table of
  one value per one-hot state that a subclass sets as `self._values`; a subclass computing it
  otherwise overrides `state_values`."""

  def __init__(self, state_spec, num_envs, num_sequences, relative, beta, normaliser, **kwargs):
    super().__init__(state_spec, num_envs, beta, normaliser, **kwargs)
    self._num_sequences = num_sequences
    self._scale = relative_scale(num_sequences, relative)

  def state_values(self, states):
    """Empowerment [batch] (nats) of one-hot states [batch, num_states]."""
    return tf.gather(self._values, tf.argmax(states, axis=-1))

  def bonus(self, states):
    return self._scale * self.state_values(states)

  def bonus_metrics(self, bonus, weights):
    return empowerment_metrics(bonus / self._scale, weights, self._num_sequences,
                               tolerance=1e-4)


@gin.configurable
class ExactEmpowermentReward(ComputedEmpowermentReward):
  """Exact n-step empowerment (nats, Blahut-Arimoto) of one-hot gridworld states as reward.

  `layout` is a bundled layout name or a file and `slip` must be the environment's
  (GridworldEnv.slip), or the values belong to another world. `relative` as
  EmpowermentReward's. Nothing is learned.
  """

  def __init__(self, state_spec, action_spec, num_envs, layout=gin.REQUIRED, n_steps=1,
               slip=0.0, relative=False, beta=0.1,
               normaliser=normalisation.DiscountedReturnNormaliser, at_collection=False,
               num_channels=1, centred=False, offset=0.0, name="exact_empowerment_reward"):
    num_actions = _num_actions(action_spec)
    super().__init__(state_spec, num_envs, num_actions ** n_steps, relative, beta, normaliser,
                     at_collection=at_collection, num_channels=num_channels, centred=centred,
                     offset=offset, name=name)
    if num_actions != len(gridworld.ACTIONS):
      raise ValueError(f"ExactEmpowermentReward is for gridworlds' {len(gridworld.ACTIONS)} "
                       f"actions, got {num_actions}")
    values = exact.gridworld_empowerment(gridworld.GridLayout.load(layout), n_steps, slip)
    if state_spec.shape.as_list() != [len(values)]:
      raise ValueError(f"ExactEmpowermentReward wants one-hot states [{len(values)}] of layout "
                       f"{layout!r}, got states {state_spec.shape}")
    self._values = tf.constant(values, tf.float32)


@gin.configurable
class ModelEmpowermentReward(ComputedEmpowermentReward):
  """n-step empowerment (nats) of one-hot states under the transition table the agent has
  learned from its own steps (DeterministicTransitionTable) as reward: the exact reward's value
  without being given the model, for deterministic tabular tasks.

  The table learns at collection from every step of every env, and the values are recomputed
  whenever a step tried a new (state, action). `untried`, what an untried action is assumed
  to do, is one of transition_table.UNTRIED. `relative` as EmpowermentReward's.
  """

  def __init__(self, state_spec, action_spec, num_envs, n_steps=1, untried="new",
               relative=False, beta=0.1, normaliser=normalisation.DiscountedReturnNormaliser,
               at_collection=False, num_channels=1, centred=False, offset=0.0,
               name="model_empowerment_reward"):
    num_actions = _num_actions(action_spec)
    super().__init__(state_spec, num_envs, num_actions ** n_steps, relative, beta, normaliser,
                     at_collection=at_collection, num_channels=num_channels, centred=centred,
                     offset=offset, name=name)
    if state_spec.shape.rank != 1 or not state_spec.shape[0]:
      raise ValueError(f"ModelEmpowermentReward wants one-hot states [num_states], got "
                       f"{state_spec.shape}")
    self.table = transition_table.DeterministicTransitionTable(state_spec.shape[0], num_actions)
    self._n_steps = n_steps
    self._untried = untried
    self._action_minimum = int(action_spec.minimum)
    self._values = tf.Variable(self._empowerment(), trainable=False, name="values")
    # The state and action of each env's last step, whose next state the next step shows.
    self._last_states = tf.Variable(tf.fill([num_envs], -1), trainable=False, name="last_states")
    self._last_actions = tf.Variable(tf.zeros([num_envs], tf.int32), trainable=False,
                                     name="last_actions")

  def _empowerment(self):
    return self.table.empowerment(self._n_steps, self._untried)

  def observe(self, trajectory):
    super().observe(trajectory)
    states = tf.argmax(trajectory.observation, axis=-1, output_type=tf.int32)
    continued = (self._last_states >= 0) & ~trajectory.is_first()
    learned = self.table.record(self._last_states, self._last_actions, states, continued)
    self._values.assign(tf.cond(learned, self._empowerment, self._values.value))
    self._last_states.assign(states)
    self._last_actions.assign(tf.cast(trajectory.action, tf.int32) - self._action_minimum)

  def bonus_metrics(self, bonus, weights):
    return {**super().bonus_metrics(bonus, weights),
            "model/known_fraction": self.table.known_fraction()}


@gin.configurable
class EpisodicModelEmpowermentReward(ComputedEmpowermentReward):
  """n-step empowerment (nats) of the state reached under a transition table that each env
  learns anew in each episode, as reward: ModelEmpowermentReward for tasks that draw a new
  layout every episode (MiniGrid), where a table kept across episodes would mix layouts.

  A state is the agent's cell, the argmax of the observation's first `num_cells` entries, and
  with `num_directions` (MiniGridEnv's 4) its direction, the argmax of the next ones. Such a
  state is not the whole world: an opened door turns a step into it from a stay into a move, so
  a (state, action)'s latest outcome replaces the earlier one. `untried` and `relative` as
  ModelEmpowermentReward's. It depends on the episode's history, as the episodic counts do, so
  it is computed at collection and read back from replay.
  """

  state_values = None  # a state's value depends on its episode: no heat map of states

  def __init__(self, state_spec, action_spec, num_envs, num_cells=gin.REQUIRED,
               num_directions=0, n_steps=1, untried="new", relative=False, beta=0.1,
               normaliser=None, num_channels=1, centred=False, offset=0.0,
               name="episodic_model_empowerment_reward"):
    num_actions = _num_actions(action_spec)
    super().__init__(state_spec, num_envs, num_actions ** n_steps, relative, beta, normaliser,
                     at_collection=True, num_channels=num_channels, centred=centred,
                     offset=offset, name=name)
    check_agent_pose("EpisodicModelEmpowermentReward", state_spec, num_cells, num_directions)
    transition_table.check_arguments(n_steps, untried)
    self._num_cells, self._num_directions = num_cells, num_directions
    self._n_steps, self._untried = n_steps, untried
    self._action_minimum = int(action_spec.minimum)
    # next_states [env, s, a] of each env's current episode, -1 untried.
    self.next_states = tf.Variable(
        tf.fill([num_envs, num_cells * max(num_directions, 1), num_actions], -1),
        trainable=False, name="next_states")
    # The state and action of each env's last step, whose next state `info` sees.
    self._last_states = tf.Variable(tf.fill([num_envs], -1), trainable=False, name="last_states")
    self._last_actions = tf.Variable(tf.zeros([num_envs], tf.int32), trainable=False,
                                     name="last_actions")

  def _states(self, observations):
    """The state index [B] of observations [B, D]: cell, or cell * directions + direction."""
    cells = tf.argmax(observations[:, :self._num_cells], axis=-1, output_type=tf.int32)
    if not self._num_directions:
      return cells
    directions = observations[:, self._num_cells:self._num_cells + self._num_directions]
    return cells * self._num_directions + tf.argmax(directions, axis=-1, output_type=tf.int32)

  def info(self, states, is_first):
    """Records each env's last step (clearing the tables of envs where `is_first` [num_envs]
    starts an episode); returns the bonus [num_envs] of states [num_envs, D] under them."""
    current = self._states(states)
    starting = tf.where(is_first)  # [k, 1]: only these envs' tables are cleared
    self.next_states.scatter_nd_update(
        starting, tf.fill(tf.concat([tf.shape(starting)[:1], self.next_states.shape[1:]], 0), -1))
    continued = ~is_first & (self._last_states >= 0)
    steps = tf.stack([tf.range(tf.shape(current)[0]), self._last_states, self._last_actions], -1)
    self.next_states.scatter_nd_update(tf.boolean_mask(steps, continued),
                                       tf.boolean_mask(current, continued))
    return self._scale * transition_table.empowerment_of(self.next_states, current,
                                                         self._n_steps, self._untried)

  def observe(self, trajectory):
    super().observe(trajectory)
    self._last_states.assign(self._states(trajectory.observation))
    self._last_actions.assign(tf.cast(trajectory.action, tf.int32) - self._action_minimum)

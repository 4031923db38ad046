"""What the learned empowerment estimators share: a forward model, a source w(a | s), training.

Empowerment of s is max_w I(A; S' | s) (Klyubin et al. 2005). A learned estimator works on
state embeddings [batch, D] and discrete actions. n-step empowerment max_w I(A_{1..n}; S_n | s)
uses the same estimators over the num_actions**n action sequences (`sequence_index`): the
one-step forward model is rolled out open-loop over every sequence (ForwardModel.rollout), the
critic and the source take a sequence as their action, and training takes windows
(s_t, a_t..a_{t+n-1}, s_{t+1}..s_{t+n}), the model learning from each step, the critic from
(s_t, sequence, s_{t+n}).

Both the behaviour data and the source w can differ: the per-state estimate is formed from the
forward model's outcomes of *every* action, weighted by w(a | s) exactly, so it needs no sample
from w. The forward model and the critic train on the replayed transitions.
"""
import tensorflow as tf

from tf_empowerment.estimators import mutual_information

SOURCES = ("uniform", "behaviour", "learned")
# w(a | s) below this is treated as zero by the learned source's update (<< 0.01 nats of I).
SOURCE_FLOOR = 1e-4


def sequence_index(actions, num_actions):
  """The index [...] int32 of action sequences [..., n]: base-num_actions digits, the first
  action most significant (as gridworld.n_step_transition_table orders them)."""
  actions = tf.cast(actions, tf.int32)
  digits = num_actions ** tf.range(actions.shape[-1] - 1, -1, -1)
  return tf.reduce_sum(actions * digits, axis=-1)


def num_sequences(num_actions, n_steps, owner):
  """num_actions**n_steps, the action sequences of n-step empowerment; ValueError naming
  `owner` unless n_steps is a positive integer."""
  if not isinstance(n_steps, int) or n_steps < 1:
    raise ValueError(f"{owner}.n_steps must be a positive integer, got {n_steps!r}")
  return num_actions ** n_steps


def barber_agakov(log_planning, executed, log_source):
  """E[log q(a | s', s) - log w(a | s)] per state [B], nats (Barber & Agakov 2003).

  The expectation over a ~ w(a | s) [B, A] and the forward model's outcomes k ~ M(k | s, a)
  (`executed` [B, A, K]) is exact; `log_planning` [B, A, K] = log q(a | s_k, s). A lower bound
  on I(A; S' | s) for any q, equal to it when q is the posterior p_w(a | s', s).
  """
  return tf.einsum("ba,bak,bak->b", tf.exp(log_source), executed,
                   log_planning - log_source[:, :, None])


class EmpowermentEstimator(tf.Module):
  """Base of the learned estimators; subclasses supply the critic and two methods:

  `_per_state(states, outcomes, executed, log_source) -> [B]` nats, the estimate of
  I(A; S' | s) under w, differentiable in `log_source`; and
  `_losses(states, actions, next_states, weights, outcomes, executed, log_source)` -> (critic
  loss, the same per-state estimate [B], metrics), for a training batch with row weights [B].
  `outcomes` [B, K, D] and `executed` [B, A, K] are the forward model's (see ForwardModel).

  `source`: "uniform" (w = 1 / num_actions), "behaviour" (w fitted to the data's actions), or
  "learned" (w trained to maximise the estimate, giving empowerment itself). With `n_steps`
  > 1 the critic and the source range over `num_sequences` = num_actions**n_steps sequences,
  and the forward model over the num_actions primitive actions.
  With `jit_compile`, `train_step` and `empowerment` are XLA-compiled (once per batch size):
  the same numbers to float rounding, fewer and fused kernels (scripts/benchmark_throughput.py).
  """

  def __init__(self, num_actions, n_steps, critic, source, forward_model, source_network,
               forward_learning_rate, critic_learning_rate, source_learning_rate, name,
               jit_compile):
    super().__init__(name=name)
    if num_actions < 2:
      raise ValueError(f"{name}.num_actions must be >= 2, got {num_actions}")
    if source not in SOURCES:
      raise ValueError(f"{name}.source must be one of {SOURCES}, got {source!r}")
    for rate_name, rate in (("forward_learning_rate", forward_learning_rate),
                            ("critic_learning_rate", critic_learning_rate),
                            ("source_learning_rate", source_learning_rate)):
      if rate <= 0:
        raise ValueError(f"{name}.{rate_name} must be positive, got {rate}")
    self.num_actions = num_actions
    self.n_steps = n_steps
    self.num_sequences = num_sequences(num_actions, n_steps, name)
    self.source = source
    self.critic = critic
    self.forward_model = forward_model(num_actions=num_actions)
    self.source_network = (None if source == "uniform"
                           else source_network(num_actions=self.num_sequences))
    self._optimizers = {
        "forward_model": tf.keras.optimizers.Adam(forward_learning_rate),
        "critic": tf.keras.optimizers.Adam(critic_learning_rate),
        "source": tf.keras.optimizers.Adam(source_learning_rate),
    }
    self.empowerment = tf.function(self._empowerment, jit_compile=jit_compile,
                                   reduce_retracing=True)
    self.train_step = tf.function(self._train_step, jit_compile=jit_compile,
                                  reduce_retracing=True)

  def log_source(self, states):
    """log w(a | s) [B, num_sequences]."""
    if self.source_network is None:
      return tf.fill([tf.shape(states)[0], self.num_sequences],
                     -tf.math.log(float(self.num_sequences)))
    return self.source_network(states)

  def create_variables(self, state_size):
    """Builds the networks and the optimizers' slots for states [B, state_size] without
    changing any value (a checkpoint then restores them all before the first update)."""
    self._empowerment(tf.zeros([1, state_size]))
    networks = {"forward_model": self.forward_model, "critic": self.critic,
                "source": self.source_network}
    for key, network in networks.items():
      if network is not None:
        self._optimizers[key].build(network.trainable_variables)

  def _empowerment(self, states):
    """The per-state estimate [B] in nats of I(A; S' | s) under the source (a reward)."""
    states = self._check_states(states)
    outcomes, executed = self.forward_model.rollout(states, self.n_steps)
    return self._per_state(states, outcomes, executed, self.log_source(states))

  def _train_step(self, states, actions, next_states, weights=None):
    """One update of the forward model, the critic and the source on transitions
    (states [B, D], actions [B] int, next_states [B, D]) weighted by `weights` [B] >= 0
    (None: all 1); returns scalar metrics. With n_steps > 1 they are windows: actions
    [B, n] and next_states [B, n, D], the state each action led to.

    Every loss is a weighted mean over transitions, so a fixed batch size serves any number
    of real ones (one XLA program): a row of weight 0 changes nothing, whatever it holds, and a
    batch of total weight 0 updates nothing and reports metrics of 0 (not a mean over no rows,
    NaN, which would read as divergence).
    """
    states = self._check_states(states)
    actions = tf.cast(actions, tf.int32)
    next_states = tf.convert_to_tensor(next_states, tf.float32)
    weights = (tf.ones_like(actions[:, 0] if actions.shape.rank == 2 else actions, tf.float32)
               if weights is None else tf.convert_to_tensor(weights, tf.float32))
    window = [] if self.n_steps == 1 else [self.n_steps]
    if (actions.shape[1:] != window or next_states.shape[1:] != window + states.shape[1:]
        or weights.shape != actions.shape[:1] or states.shape[:1] != actions.shape[:1]):
      raise ValueError(
          f"{self.name}.train_step wants states [B, D], actions [B{', n' * bool(window)}], "
          f"next_states [B{', n' * bool(window)}, D] and weights [B] (n = {self.n_steps}), got "
          f"{states.shape}, {actions.shape}, {next_states.shape} and {weights.shape}")
    # Zeroed, the rows of weight 0 hold no inf, NaN or out-of-range action to leak into a loss.
    real = weights > 0
    states = tf.where(real[:, None], states, 0.0)
    next_states = tf.where(tf.reshape(real, [-1] + [1] * (next_states.shape.rank - 1)),
                           next_states, 0.0)
    actions = tf.where(tf.reshape(real, [-1] + [1] * (actions.shape.rank - 1)), actions, 0)
    # The model learns every step of the windows; the critic (s_t, sequence, s_{t+n}).
    model_data = self._model_transitions(states, actions, next_states, weights)
    if self.n_steps > 1:
      actions, next_states = sequence_index(actions, self.num_actions), next_states[:, -1]
    source = tf.exp(self.log_source(states))  # w(a | s) [B, A^n], fixed during this update
    with tf.GradientTape(persistent=True) as tape:
      tape.watch(source)
      model_loss, model_mse = self.forward_model.training_loss(*model_data)
      outcomes, executed = (tf.stop_gradient(x)
                            for x in self.forward_model.rollout(states, self.n_steps))
      critic_loss, estimate, metrics = self._losses(
          states, actions, next_states, weights, outcomes, executed, tf.math.log(source))
    updates = [self._update("forward_model", tape, model_loss, self.forward_model),
               self._update("critic", tape, critic_loss, self.critic)]
    if self.source == "learned":
      # Blahut-Arimoto's multiplicative step w <- w exp(dE/dw) moves the logits along dE/dw(a|s)
      # itself; the softmax gradient w(a|s) * (dE/dw - mean) would starve actions whose mass
      # collapsed early, when the critic was still wrong. Centring leaves w unchanged.
      ascent = tape.gradient(estimate, source)  # [B, A]; states are independent
      ascent -= tf.reduce_mean(ascent, axis=-1, keepdims=True)
      # Mass already below the floor is pushed no further, which keeps the logits bounded.
      ascent = tf.where((ascent < 0.0) & (source < SOURCE_FLOOR), 0.0, ascent)
    del tape
    if self.source_network is not None:
      with tf.GradientTape() as tape:
        log_source = self.source_network(states)
        if self.source == "behaviour":
          per_row = tf.gather(log_source, actions, batch_dims=1)
        else:
          per_row = tf.reduce_sum(ascent * log_source, axis=-1)
        source_loss = -mutual_information.weighted_mean(per_row, weights)
      updates.append(self._update("source", tape, source_loss, self.source_network))
    has_data = tf.reduce_sum(weights) > 0
    if has_data:  # no data, no step: Adam's momentum alone would move the variables
      for optimizer, gradients_and_variables in updates:
        optimizer.apply_gradients(gradients_and_variables)
    metrics.update({"forward_model/loss": model_loss, "forward_model/mse": model_mse,
                    "critic/loss": critic_loss,
                    "estimate/mean": mutual_information.weighted_mean(estimate, weights)})
    return {key: tf.where(has_data, value, 0.0) for key, value in metrics.items()}

  def _model_transitions(self, states, actions, next_states, weights):
    """The one-step transitions (states [N, D], actions [N], next_states [N, D], weights [N])
    of a batch of windows, N = B * n."""
    if self.n_steps == 1:
      return states, actions, next_states, weights
    starts = tf.concat([states[:, None, :], next_states[:, :-1]], axis=1)  # [B, n, D]
    size = states.shape[-1]
    return (tf.reshape(starts, [-1, size]), tf.reshape(actions, [-1]),
            tf.reshape(next_states, [-1, size]),
            tf.reshape(tf.repeat(weights[:, None], self.n_steps, axis=1), [-1]))

  def _update(self, key, tape, loss, network):
    """(optimizer, [(gradient, variable)]): the step of one network on `loss`, to apply."""
    variables = network.trainable_variables
    return self._optimizers[key], list(zip(tape.gradient(loss, variables), variables))

  def _check_states(self, states):
    states = tf.convert_to_tensor(states, tf.float32)
    if states.shape.rank != 2 or states.shape[-1] is None:
      raise ValueError(f"{self.name} wants states [batch, D] with D known, got {states.shape}")
    return states

  def _per_state(self, states, outcomes, executed, log_source):
    raise NotImplementedError

  def _losses(self, states, actions, next_states, weights, outcomes, executed, log_source):
    raise NotImplementedError


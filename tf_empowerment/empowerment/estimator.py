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

Enumeration stops at MAX_ENUMERATED_SEQUENCES (18 Atari actions: 18**3 = 5,832 sequences, and
[B, A^n, A^n] executed-sequence probabilities). With `sampled_sequences` = M the estimators
instead draw M sequences per state from a factorised open-loop source w(a_1..a_n | s) =
prod_t w_t(a_t | s) (FactorisedSourceNetwork, n * A outputs), roll each out once through the
one-step model (ForwardModel.rollout_sequences, executed actions drawn under action noise),
and a critic that takes the sequence as an input scores them: nothing of size A^n exists. The
estimate is then a Monte Carlo average over the M samples (the subclasses' `_per_sample`), and
a learned source follows its score-function gradient (`_sampled_step`).
"""
import tensorflow as tf

from tf_empowerment.estimators import mutual_information

SOURCES = ("uniform", "behaviour", "learned")
# w(a | s) below this is treated as zero by the learned source's update (<< 0.01 nats of I).
SOURCE_FLOOR = 1e-4
# The update reads w(a | s) at least this: a logit ~100 below the others gives w = 0 in float32,
# and log 0 = -inf made dE/dw, then every weight of the source, NaN (Montezuma, step 363,876).
SOURCE_MINIMUM = 1e-20
# The most sequences enumerated: executed-sequence probabilities are 16M floats per state here.
MAX_ENUMERATED_SEQUENCES = 4096


def sequence_index(actions, num_actions):
  """The index [...] int32 of action sequences [..., n]: base-num_actions digits, the first
  action most significant (as gridworld.n_step_transition_table orders them)."""
  actions = tf.cast(actions, tf.int32)
  digits = num_actions ** tf.range(actions.shape[-1] - 1, -1, -1)
  return tf.reduce_sum(actions * digits, axis=-1)


def num_sequences(num_actions, n_steps, owner, sampled_sequences=None):
  """num_actions**n_steps, the action sequences of n-step empowerment (a Python int, however
  large); ValueError naming `owner` unless n_steps is a positive integer, `sampled_sequences`
  None or an integer >= 2, and, without sampling, the sequences few enough to enumerate."""
  if not isinstance(n_steps, int) or n_steps < 1:
    raise ValueError(f"{owner}.n_steps must be a positive integer, got {n_steps!r}")
  if sampled_sequences is not None and (isinstance(sampled_sequences, bool)
                                        or not isinstance(sampled_sequences, int)
                                        or sampled_sequences < 2):
    raise ValueError(f"{owner}.sampled_sequences must be None (enumerate every sequence) or an "
                     f"integer >= 2, got {sampled_sequences!r}")
  count = num_actions ** n_steps
  if sampled_sequences is None and count > MAX_ENUMERATED_SEQUENCES:
    raise ValueError(f"{owner}: {num_actions}**{n_steps} = {count} action sequences are too many "
                     f"to enumerate (at most {MAX_ENUMERATED_SEQUENCES}); set "
                     f"{owner}.sampled_sequences, e.g. 64")
  return count


def sequence_log_prob(log_steps, sequences):
  """log w(a_1..a_n | s) = sum_t log w_t(a_t | s) [B, M] of sequences [B, M, n] under a
  factorised source's log w_t [B, n, A]."""
  return tf.einsum("bmta,bta->bm", tf.one_hot(sequences, log_steps.shape[-1]), log_steps)


def barber_agakov(log_planning, executed, log_source):
  """E[log q(a | s', s) - log w(a | s)] per state [B], nats (Barber & Agakov 2003).

  The expectation over a ~ w(a | s) [B, A] and the forward model's outcomes k ~ M(k | s, a)
  (`executed` [B, A, K]) is exact; `log_planning` [B, A, K] = log q(a | s_k, s). A lower bound
  on I(A; S' | s) for any q, equal to it when q is the posterior p_w(a | s', s).
  """
  weights = tf.exp(log_source)[:, :, None] * executed  # w(a | s) M(k | s, a) [B, A, K]
  # 0 where the weight is 0, where log q - log w may be -inf - (-inf) (an action a learned
  # source has dropped to w = 0): the einsum's 0 * NaN was NaN.
  return tf.reduce_sum(tf.math.multiply_no_nan(log_planning - log_source[:, :, None], weights),
                       axis=[1, 2])


class EmpowermentEstimator(tf.Module):
  """Base of the learned estimators; subclasses supply the critic's constructors, `critic`
  (called with num_actions=num_sequences: one output per sequence) and `sequence_critic` (called
  with num_actions: the sequence an input), and, for exact enumeration,

  `_per_state(states, outcomes, executed, log_source) -> [B]` nats, the estimate of
  I(A; S' | s) under w, differentiable in `log_source`; and
  `_losses(states, actions, next_states, weights, outcomes, executed, log_source)` -> (critic
  loss, the same per-state estimate [B], metrics), for a training batch with row weights [B].
  `outcomes` [B, K, D] and `executed` [B, A, K] are the forward model's (see ForwardModel).
  For sampled sequences, `_per_sample(states, sequences, outcomes, log_source) -> [B, M]`, the
  estimate's term of each sampled sequence [B, M, n] with its outcome [B, M, D] and
  log w(a_m | s) [B, M] (the estimate is their mean), and `_sampled_losses(states, actions,
  next_states, weights, sequences, outcomes, log_source)` -> (critic loss, those terms,
  metrics) with the replayed sequences `actions` [B, n].

  `source`: "uniform" (w = 1 / num_actions), "behaviour" (w fitted to the data's actions), or
  "learned" (w trained to maximise the estimate, giving empowerment itself). With `n_steps`
  > 1 the critic and the source range over `num_sequences` = num_actions**n_steps sequences,
  and the forward model over the num_actions primitive actions; with `sampled_sequences` = M
  (None: enumerate) over M sequences per state drawn from a `factorised_source_network`.
  With `jit_compile`, `train_step` and `empowerment` are XLA-compiled (once per batch size):
  the same numbers to float rounding, fewer and fused kernels (scripts/benchmark_throughput.py).
  """

  def __init__(self, num_actions, n_steps, critic, sequence_critic, source, forward_model,
               source_network, factorised_source_network, sampled_sequences,
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
    self.num_sequences = num_sequences(num_actions, n_steps, name, sampled_sequences)
    self.sampled_sequences = sampled_sequences
    self.source = source
    self.critic = (critic(num_actions=self.num_sequences) if sampled_sequences is None
                   else sequence_critic(num_actions=num_actions))
    self.forward_model = forward_model(num_actions=num_actions)
    if source == "uniform":
      self.source_network = None
    elif sampled_sequences is None:
      self.source_network = source_network(num_actions=self.num_sequences)
    else:
      self.source_network = factorised_source_network(num_actions=num_actions, n_steps=n_steps)
    if sampled_sequences is not None:
      # Seeded from TF's global stream, so tf.random.set_seed fixes the draws; its state is a
      # variable, so a checkpoint resumes them.
      self._generator = tf.random.Generator.from_seed(
          int(tf.random.uniform([], maxval=2**31 - 1, dtype=tf.int64)))
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
    """log w(a | s) [B, num_sequences]; with sampled sequences the factorised source's
    log w_t(a_t | s) [B, n_steps, num_actions]."""
    if self.source_network is None:
      if self.sampled_sequences is None:
        shape, size = [tf.shape(states)[0], self.num_sequences], self.num_sequences
      else:
        shape, size = [tf.shape(states)[0], self.n_steps, self.num_actions], self.num_actions
      return tf.fill(shape, -tf.math.log(float(size)))
    return self.source_network(states)

  def create_variables(self, state_size):
    """Builds the networks and the optimizers' slots for states [B, state_size] without
    changing any value but the sampled draws' random state (a checkpoint then restores them
    all before the first update)."""
    self._empowerment(tf.zeros([1, state_size]))
    networks = {"forward_model": self.forward_model, "critic": self.critic,
                "source": self.source_network}
    for key, network in networks.items():
      if network is not None:
        self._optimizers[key].build(network.trainable_variables)

  def _empowerment(self, states):
    """The per-state estimate [B] in nats of I(A; S' | s) under the source (a reward)."""
    states = self._check_states(states)
    if self.sampled_sequences is not None:
      return tf.reduce_mean(self._per_sample(states, *self._sample(states)), axis=-1)
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
    NaN, which would read as divergence); only the sampled draws' random state advances.
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
    with tf.GradientTape() as tape:
      model_loss, model_mse = self.forward_model.training_loss(
          *self._model_transitions(states, actions, next_states, weights))
    updates = [self._update("forward_model", tape, model_loss, self.forward_model)]
    if self.n_steps > 1:
      next_states = next_states[:, -1]
    step = self._exact_step if self.sampled_sequences is None else self._sampled_step
    critic_update, critic_loss, estimate, metrics, source_objective = step(
        states, actions, next_states, weights)
    updates.append(critic_update)
    if self.source_network is not None:
      with tf.GradientTape() as tape:
        source_loss = -mutual_information.weighted_mean(
            source_objective(self.source_network(states)), weights)
      updates.append(self._update("source", tape, source_loss, self.source_network))
    has_data = tf.reduce_sum(weights) > 0
    if has_data:  # no data, no step: Adam's momentum alone would move the variables
      for optimizer, gradients_and_variables in updates:
        optimizer.apply_gradients(gradients_and_variables)
    metrics.update({"forward_model/loss": model_loss, "forward_model/mse": model_mse,
                    "critic/loss": critic_loss,
                    "estimate/mean": mutual_information.weighted_mean(estimate, weights)})
    return {key: tf.where(has_data, value, 0.0) for key, value in metrics.items()}

  def _exact_step(self, states, actions, next_states, weights):
    """(critic update, critic loss, estimate [B], metrics, the source's objective per row: a
    function of its output [B, A^n] to ascend) with every sequence enumerated."""
    if self.n_steps > 1:
      actions = sequence_index(actions, self.num_actions)
    # w(a | s) [B, A^n], fixed during this update.
    source = tf.maximum(tf.exp(self.log_source(states)), SOURCE_MINIMUM)
    with tf.GradientTape(persistent=True) as tape:
      tape.watch(source)
      outcomes, executed = (tf.stop_gradient(x)
                            for x in self.forward_model.rollout(states, self.n_steps))
      critic_loss, estimate, metrics = self._losses(
          states, actions, next_states, weights, outcomes, executed, tf.math.log(source))
    update = self._update("critic", tape, critic_loss, self.critic)
    objective = None  # a uniform source has no network
    if self.source == "behaviour":
      objective = lambda log_source: tf.gather(log_source, actions, batch_dims=1)
    elif self.source == "learned":
      # Blahut-Arimoto's multiplicative step w <- w exp(dE/dw) moves the logits along dE/dw(a|s)
      # itself; the softmax gradient w(a|s) * (dE/dw - mean) would starve actions whose mass
      # collapsed early, when the critic was still wrong. Centring leaves w unchanged.
      ascent = tape.gradient(estimate, source)  # [B, A]; states are independent
      ascent -= tf.reduce_mean(ascent, axis=-1, keepdims=True)
      # Mass already below the floor is pushed no further, which keeps the logits bounded.
      ascent = tf.where((ascent < 0.0) & (source < SOURCE_FLOOR), 0.0, ascent)
      objective = lambda log_source: tf.reduce_sum(ascent * log_source, axis=-1)
    del tape
    return update, critic_loss, estimate, metrics, objective

  def _sampled_step(self, states, actions, next_states, weights):
    """`_exact_step` from M sequences per state drawn from the factorised source; its
    objective is a function of the source's log w_t [B, n, A].

    A learned source ascends the score-function (REINFORCE) estimate E_w[(f - b) grad log w]:
    f the estimate's term of a sampled sequence and b their mean over the state's M samples
    (the leave-one-out baseline up to a factor (M - 1) / M; Kool et al. 2019). As M grows f
    tends to KL(p(. | s, a_m) || p_w(. | s)), whose score-function gradient is dI/dw, the
    direction of Blahut-Arimoto's step. Unlike the exact mode's step this is the softmax
    gradient, which needs no floor, but an action whose mass collapsed while the critic was
    young is rarely sampled again (hence MineEmpowerment's smaller source_learning_rate).
    """
    actions = tf.reshape(actions, [-1, self.n_steps])
    sequences, outcomes, log_source = self._sample(states)
    with tf.GradientTape() as tape:
      critic_loss, terms, metrics = self._sampled_losses(
          states, actions, next_states, weights, sequences, outcomes, log_source)
    update = self._update("critic", tape, critic_loss, self.critic)
    terms = tf.stop_gradient(terms)
    objective = None  # a uniform source has no network
    if self.source == "behaviour":
      objective = lambda log_steps: sequence_log_prob(log_steps, actions[:, None])[:, 0]
    elif self.source == "learned":
      advantages = terms - tf.reduce_mean(terms, axis=-1, keepdims=True)
      objective = lambda log_steps: tf.reduce_mean(
          advantages * sequence_log_prob(log_steps, sequences), axis=-1)
    return update, critic_loss, tf.reduce_mean(terms, axis=-1), metrics, objective

  def _sample(self, states):
    """(sequences [B, M, n] int32 drawn from the source, their outcomes by the forward model
    [B, M, D], log w(a_m | s) [B, M]), all constants."""
    # Stateless draws from the generator's seeds compile with XLA (int32: StatelessMultinomial).
    seeds = tf.cast(self._generator.make_seeds(2), tf.int32)
    log_steps = self.log_source(states)  # [B, n, A]
    draws = tf.random.stateless_categorical(tf.reshape(log_steps, [-1, self.num_actions]),
                                            self.sampled_sequences, seeds[:, 0], dtype=tf.int32)
    sequences = tf.transpose(tf.reshape(draws, [-1, self.n_steps, self.sampled_sequences]),
                             [0, 2, 1])
    outcomes = self.forward_model.rollout_sequences(states, sequences, seeds[:, 1])
    return (sequences, tf.stop_gradient(outcomes),
            tf.stop_gradient(sequence_log_prob(log_steps, sequences)))

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

  def _per_sample(self, states, sequences, outcomes, log_source):
    raise NotImplementedError

  def _sampled_losses(self, states, actions, next_states, weights, sequences, outcomes,
                      log_source):
    raise NotImplementedError


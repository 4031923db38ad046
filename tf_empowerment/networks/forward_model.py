"""The forward dynamics model p(s' | s, a) in embedding space, for every action at once.

The seed paper's model (arXiv 1810.05533) is deterministic, s' = s + f(s, a), trained by
MSE; it predicts the *mean* next state, which under stochastic dynamics is no state at all. With
`action_noise=True` the model instead says which action the environment executed: k ~ M(k | s, a),
then s' = s + f(s, k). This represents slippery moves and sticky actions exactly (every outcome
of any action is some action's intended outcome), but not noise unrelated to actions, which
still averages into f. Training is EM on that mixture: each transition's MSE is spread over the
executed actions by their responsibilities, which are also M's cross-entropy targets. For the
first `warmup_steps` the responsibilities are M alone, so every f(s, k) first fits the mean
outcome of its own action; attributing by distance from the start lets a component that is
briefly nearest capture another action's outcomes for good (measured: a 5x5 room with slip
0.1 then ends with a wrong channel). With deterministic dynamics M learns the identity, and the
model is the MSE model (set `action_noise=False` to have exactly that).
"""
import math

import gin
import tensorflow as tf

from tf_empowerment.estimators import mutual_information


@gin.configurable
class ForwardModel(tf.keras.Model):
  """Predicts next states [batch, num_actions, D] and executed-action probabilities M.

  `call(states [B, D])` returns (next_states [B, K, D], executed [B, A, K]) with K = A:
  next_states[b, k] = s_b + f(s_b, k) is the outcome when action k is executed, and
  executed[b, a, k] = M(k | s_b, a) (the identity without action noise). `assignment_scale` is
  the embedding distance below which a next state is attributed to a predicted outcome (0.1
  suits one-hot or unit-scale embeddings, whose distinct states are ~1 apart).
  """

  def __init__(self, num_actions, hidden_units=(256, 256), action_noise=True,
               assignment_scale=0.1, warmup_steps=500, name="ForwardModel"):
    super().__init__(name=name)
    if num_actions < 2:
      raise ValueError(f"ForwardModel.num_actions must be >= 2, got {num_actions}")
    if assignment_scale <= 0 or warmup_steps < 0:
      raise ValueError("ForwardModel.assignment_scale must be positive and warmup_steps >= 0, "
                       f"got {assignment_scale} and {warmup_steps}")
    self.num_actions = num_actions
    self.action_noise = action_noise
    self._assignment_scale = assignment_scale
    self._warmup_steps = warmup_steps
    self._steps = tf.Variable(0, trainable=False, dtype=tf.int64, name="steps")
    self._residuals = None  # built on the first batch, once D is known
    self._trunk = tf.keras.Sequential(
        [tf.keras.layers.Dense(units, activation="relu") for units in hidden_units])
    if action_noise:
      # Starts at M(a | s, a) = 0.9 with the rest spread evenly, so EM begins from "mostly
      # intended" and each f(s, k) first fits its own action's outcomes.
      self._noise_logits = tf.keras.layers.Dense(num_actions * num_actions,
                                                 kernel_initializer="zeros")
      self._noise_prior = math.log(9.0 * (num_actions - 1)) * tf.eye(num_actions)

  def call(self, states):
    hidden, next_states = self._outcomes(states)
    return next_states, tf.exp(self._log_executed(hidden))

  def rollout(self, states, n_steps):
    """The model rolled out open-loop over every action sequence of length `n_steps`:
    (outcomes [B, A^n, D], executed [B, A^n, A^n]), sequences indexed with the first action
    most significant (empowerment.estimator.sequence_index). With n_steps = 1, `call`.

    outcomes[b, j] is s_b moved by the executed sequence j, step by step through the model's
    outcomes; executed[b, i, j] = prod_t M(j_t | s_t, i_t) is the probability that sequence j
    runs when i is intended, s_t the state j's first t steps reached. The number of model
    evaluations grows as A^(n-1), so enumerate only small A^n (5^3 = 125 on gridworlds);
    `rollout_sequences` follows sampled sequences instead.
    """
    batch, size, num_actions = tf.shape(states)[0], states.shape[-1], self.num_actions
    reached = states[:, None, :]  # [B, A^t, D], the states of every executed prefix
    log_executed = tf.zeros([batch, 1, 1])  # [B, A^t (intended), A^t (executed)]
    for step in range(n_steps):
      prefixes = num_actions ** step
      hidden, outcomes = self._outcomes(tf.reshape(reached, [-1, size]))
      step = tf.reshape(self._log_executed(hidden), [batch, prefixes, num_actions, num_actions])
      # log P(i + i_t intended -> j + j_t executed) = log P(i -> j) + log M(j_t | s_j, i_t).
      log_executed = (log_executed[:, :, None, :, None]
                      + tf.transpose(step, [0, 2, 1, 3])[:, None, :, :, :])
      log_executed = tf.reshape(log_executed, [batch, prefixes * num_actions,
                                               prefixes * num_actions])
      reached = tf.reshape(outcomes, [batch, prefixes * num_actions, size])
    return reached, tf.exp(log_executed)

  def rollout_sequences(self, states, sequences, seed):
    """The model rolled out open-loop along given action sequences [B, M, n] int from states
    [B, D]: outcomes [B, M, D], M * n model evaluations per state whatever A^n.

    With action noise each step's executed action is drawn, k_t ~ M(k | s_t, a_t) (stateless
    draws from `seed` [2] int, unused without noise), so outcomes[b, m] is a sample of the
    model's p(s_n | s_b, a_m), as the sampled readouts need; following the intended actions
    alone would make noisy sequences look deterministic and overstate their information.
    (`rollout` keeps every executed sequence with its exact probability instead.)
    """
    size, n_steps = states.shape[-1], sequences.shape[-1]
    shape = tf.shape(sequences)[:2]
    reached = tf.reshape(tf.broadcast_to(states[:, None, :], tf.concat([shape, [size]], 0)),
                         [-1, size])  # [B * M, D]
    intended = tf.reshape(sequences, [-1, n_steps])
    if self.action_noise:  # int32 seeds: StatelessMultinomial's XLA kernel wants them
      seeds = tf.cast(tf.random.experimental.stateless_split(seed, n_steps), tf.int32)
    for step in range(n_steps):
      hidden, outcomes = self._outcomes(reached)
      executed = intended[:, step]
      if self.action_noise:
        log_executed = tf.gather(self._log_executed(hidden), executed, batch_dims=1)  # [BM, K]
        executed = tf.random.stateless_categorical(
            log_executed, 1, seeds[step], dtype=tf.int32)[:, 0]
      reached = tf.gather(outcomes, executed, batch_dims=1)
    return tf.reshape(reached, tf.concat([shape, [size]], 0))

  def _outcomes(self, states):
    """(hidden features, next_states [B, K, D]) with next_states[b, k] = s_b + f(s_b, k)."""
    if self._residuals is None:
      # Zero residuals at first: every outcome starts at s, equally far from all data.
      self._residuals = tf.keras.layers.Dense(self.num_actions * states.shape[-1],
                                              kernel_initializer="zeros")
    hidden = self._trunk(states)
    residuals = tf.reshape(self._residuals(hidden),
                           [tf.shape(states)[0], self.num_actions, states.shape[-1]])
    return hidden, states[:, None, :] + residuals

  def _log_executed(self, hidden):
    """log M(k | s, a) [B, A, K]; log of the identity (0 or -inf) without action noise."""
    if not self.action_noise:
      identity = tf.eye(self.num_actions, batch_shape=tf.shape(hidden)[:1])
      return tf.math.log(identity)
    logits = tf.reshape(self._noise_logits(hidden),
                        [tf.shape(hidden)[0], self.num_actions, self.num_actions])
    return tf.nn.log_softmax(logits + self._noise_prior)

  def prediction_errors(self, states, actions, next_states):
    """Squared error per dimension [B] of the predicted next state of actions [B], expected
    over the executed action k ~ M(k | s, a): ICM's forward loss (Pathak et al. 2017), the
    curiosity bonus."""
    hidden, outcomes = self._outcomes(states)
    executed = tf.exp(tf.gather(self._log_executed(hidden), actions, batch_dims=1))  # [B, K]
    errors = tf.reduce_sum(executed * _squared_errors(outcomes, next_states), -1)
    return errors / states.shape[-1]

  def training_loss(self, states, actions, next_states, weights=None):
    """(training loss, mean squared error per dimension of the attributed outcome) for
    transitions with actions [B]: means over them weighted by `weights` [B] (None: all 1).

    Each call with some weight counts as one training step of the warm-up.
    """
    hidden, outcomes = self._outcomes(states)
    squared_errors = _squared_errors(outcomes, next_states)  # [B, K]
    if not self.action_noise:
      mse = mutual_information.weighted_mean(
          tf.gather(squared_errors, actions, batch_dims=1), weights) / states.shape[-1]
      return mse, mse
    log_executed = tf.gather(self._log_executed(hidden), actions, batch_dims=1)  # [B, K]
    self._steps.assign_add(tf.cast(weights is None or tf.reduce_sum(weights) > 0, tf.int64))
    fitted = tf.cast(self._steps > self._warmup_steps, tf.float32)
    responsibilities = tf.stop_gradient(tf.nn.softmax(
        log_executed - fitted * squared_errors / (2.0 * self._assignment_scale**2)))
    mse = mutual_information.weighted_mean(
        tf.reduce_sum(responsibilities * squared_errors, -1), weights) / states.shape[-1]
    cross_entropy = -mutual_information.weighted_mean(
        tf.reduce_sum(responsibilities * log_executed, -1), weights)
    return mse + cross_entropy, mse


def _squared_errors(outcomes, next_states):
  """||s_k - s'||^2 [B, K] between outcomes [B, K, D] and next states [B, D]."""
  return tf.reduce_sum(tf.square(outcomes - next_states[:, None, :]), -1)

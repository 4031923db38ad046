"""MINE-style empowerment (arXiv 1810.05533): a critic T(s, a, s') bounds I(A; S' | s).

Training (Belghazi et al. 2018, with the state as the critic's input): joint samples are the
replayed (s, a, s'); the product of marginals pairs the same (s, a) with s'' ~ p_w(s'' | s), the
forward model's outcomes of every action mixed by w exactly ([B, K] outcomes with weights,
no sampling). Pairing with the data's own action keeps the critic's optimum
log p(s' | s, a) / p_w(s' | s) whatever the behaviour policy was.

Per-state readout (the reward). At its optimum T(s, a, s') - log p(s' | s, a) depends on
(s, s') only, so the critic defines the posterior q(a | s', s) = w(a) e^T / sum_a' w(a') e^T'
and, over the forward model's outcomes s_k with exact weights w(a | s) M(k | s, a),
  E(s) = sum_a,k w(a) M(k|a) [T(s, a, s_k) - log sum_a' w(a') exp T(s, a', s_k)].
This is Barber & Agakov's bound: below the model's I(A; S' | s) for any critic, equal at the
optimum, positive when A informs S'. Any offset c(s, s') of T cancels in it, including the
per-outcome bias a critic keeps at outcomes the source rarely reaches; the per-state DV form
(E_w T - log E_w,p_w e^T, which cancels only c(s)) was tried first and stalled up to 0.2 nats
low on 2-step gridworlds with a learned source, where this form is within 0.01 of
Blahut-Arimoto. The learned source follows dE/dw (see EmpowermentEstimator.train_step).

Sampled sequences (`sampled_sequences` = M, for A^n too large to enumerate): per state M
sequences a_m ~ w(a | s) and one outcome s'_m of each from the forward model; the critic
T(s, a, s') takes the sequence as an input (SequenceStatisticsNetwork). The readout is the
same posterior form over the sampled set, InfoNCE's (van den Oord et al. 2018),
  E(s) ~= mean_m [T(s, a_m, s'_m) - log mean_m' exp T(s, a_m', s'_m)],
a lower bound on I(A; S' | s) for any critic, never above log M: with the optimal critic and
N outcomes reached deterministically its expectation is about (N - 1) / 2M nats below the
truth, whatever their probabilities (0.06 nats for the 9 cells two steps reach in a room, at
M = 64), so M should exceed exp(empowerment) many times over. Offsets c(s, s') of T cancel.
The critic trains as above, the product of marginals pairing the replayed sequence with the
rolled-out outcomes of the M sampled ones (samples of p_w(s'' | s) for the exact mixture).
"""
import gin
import tensorflow as tf

from tf_empowerment.empowerment import estimator
from tf_empowerment.estimators import mutual_information
from tf_empowerment.networks import forward_model as forward_model_lib
from tf_empowerment.networks import policy_heads
from tf_empowerment.networks import statistics

CRITIC_DATA = ("replay", "model")


@gin.configurable
class MineEmpowerment(estimator.EmpowermentEstimator):
  """Empowerment from a statistics network trained with the `objective` bound.

  "jsd" (the seed paper's choice, stable), "dv" (MINE, with its moving-average corrected
  gradient, decay `moving_average_decay`) or "nwj" (see mutual_information.TrainingObjective).
  Whatever the objective, the per-state estimate is read through the posterior form above,
  which ignores the offsets they leave in T. `n_steps`: the length of the action sequences
  (n-step empowerment; see EmpowermentEstimator). `sampled_sequences`: None enumerates all
  num_actions**n_steps sequences with `statistics_network` and `source_network`; an integer
  M >= 2 samples M per state with `sequence_statistics_network` and
  `factorised_source_network`, e.g. in gin for 3-step empowerment over Atari's 18 actions:

      EmpowermentReward.n_steps = 3
      MineEmpowerment.sampled_sequences = 64
      MineEmpowerment.source_learning_rate = 3e-4

  (The learned source's score-function gradient follows the young critic's errors: at 1e-3 it
  collapsed early and recovered slowly on a 3x3 room, at 3e-4 it did not.)

  `critic_data` (enumerated sequences only): "replay" takes the joint samples from replay, the
  replayed (s, a, s'); "model" takes them from the forward model too, the replayed action's
  outcomes weighted by M(k | s, a), so that joint and marginal samples differ in the action
  alone. With "replay" a critic can tell replayed states from the model's outcomes whenever
  the model is slightly off, a shortcut with no action in it: inside the agent, on nine_rooms,
  the bound then rose while the estimate collapsed to 0
  (docs/exploration/empowerment_nine_rooms/learned_estimate_in_agent.md).
  """

  def __init__(self, num_actions, n_steps=1, objective="jsd", source="learned",
               statistics_network=statistics.StatisticsNetwork,
               forward_model=forward_model_lib.ForwardModel,
               source_network=policy_heads.SourceNetwork,
               forward_learning_rate=3e-4, critic_learning_rate=1e-4, source_learning_rate=1e-3,
               moving_average_decay=0.01, jit_compile=True, sampled_sequences=None,
               sequence_statistics_network=statistics.SequenceStatisticsNetwork,
               factorised_source_network=policy_heads.FactorisedSourceNetwork,
               critic_data="replay", name="MineEmpowerment"):
    try:
      self._objective = mutual_information.TrainingObjective(objective, moving_average_decay)
    except ValueError as error:
      raise ValueError(f"{name}.{error}") from None
    if critic_data not in CRITIC_DATA or (critic_data == "model" and sampled_sequences):
      raise ValueError(f"{name}.critic_data must be one of {CRITIC_DATA} ('model' with "
                       f"enumerated sequences only), got {critic_data!r}")
    self._critic_data = critic_data
    super().__init__(num_actions, n_steps, statistics_network, sequence_statistics_network,
                     source, forward_model, source_network, factorised_source_network,
                     sampled_sequences, forward_learning_rate, critic_learning_rate,
                     source_learning_rate, name, jit_compile)

  def _scores(self, states, next_states):
    """T(s, a, s'_k) [B, A, K] for candidate next states [B, K, D]."""
    return tf.transpose(self.critic(states, next_states), [0, 2, 1])

  def _per_state(self, states, outcomes, executed, log_source):
    return self._read_out(self._scores(states, outcomes), executed, log_source)

  def _read_out(self, scores, executed, log_source):
    """The per-state estimate [B] from scores [B, A, K] at the forward model's outcomes."""
    joint = scores + log_source[:, :, None]
    log_planning = joint - tf.reduce_logsumexp(joint, axis=1, keepdims=True)
    return estimator.barber_agakov(log_planning, executed, log_source)

  def _losses(self, states, actions, next_states, weights, outcomes, executed, log_source):
    # One critic pass scores the replayed next state and every outcome: [B, A, 1 + K].
    scores = self._scores(states, tf.concat([next_states[:, None, :], outcomes], axis=1))
    estimate = self._read_out(tf.stop_gradient(scores[:, :, 1:]), executed, log_source)
    scores = tf.gather(scores, actions, batch_dims=1)  # the replayed action's row [B, 1 + K]
    mixture = tf.stop_gradient(tf.einsum("ba,bak->bk", tf.exp(log_source), executed))
    if self._critic_data == "model":
      intended = tf.stop_gradient(tf.gather(executed, actions, batch_dims=1))  # M(k | s, a)
      bound = self._objective(scores[:, 1:], scores[:, 1:], weights[:, None] * intended,
                              weights[:, None] * mixture)
    else:
      bound = self._objective(scores[:, 0], scores[:, 1:], weights, weights[:, None] * mixture)
    return -bound, estimate, {f"critic/{self._objective.bound}": bound}

  def _per_sample(self, states, sequences, outcomes, log_source):
    # T(s, a_m', s'_m) [B, M (outcomes), M (sequences)]; w enters through the sampling alone.
    return mutual_information.info_nce_terms(
        self.critic(states, sequences[:, None], outcomes[:, :, None]))

  def _sampled_losses(self, states, actions, next_states, weights, sequences, outcomes,
                      log_source):
    # The replayed sequence [B, 1, n] at the replayed next state, then at outcomes of sequences
    # drawn from w (the product of marginals): [B, 1 + M], the only scores with a gradient.
    scores = self.critic(states, actions[:, None],
                         tf.concat([next_states[:, None], outcomes], axis=1))
    bound = self._objective(scores[:, 0], scores[:, 1:], weights,
                            tf.broadcast_to(weights[:, None], tf.shape(scores[:, 1:])))
    terms = tf.stop_gradient(self._per_sample(states, sequences, outcomes, log_source))
    return -bound, terms, {f"critic/{self._objective.bound}": bound}

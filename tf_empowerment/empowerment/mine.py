"""MINE-style empowerment: a critic T(s, a, s') bounds I(A; S' | s) (arXiv 1810.05533, Sec. 3).

Training (Belghazi et al. 2018, with the state as the critic's input): joint samples are the
replayed (s, a, s'); the product of marginals pairs the same (s, a) with s'' ~ p_w(s'' | s), the
forward model's outcomes of every action mixed by w exactly ([B, K] outcomes with weights,
no sampling). Pairing with the data's own action keeps the critic's optimum
log p(s' | s, a) / p_w(s' | s) whatever the behaviour policy was.

Per-state readout (the reward): the DV bound within state s, over the forward model's outcomes,
  E(s) = sum_a,k w(a) M(k|a) T(s, a, s_k) - log sum_a,k w(a) p_w(s_k | s) exp T(s, a, s_k),
with p_w(s_k | s) = sum_a w(a) M(k|a). It is a lower bound on the model's I(A; S' | s) for any
critic, tight (and free of any per-state offset of T) at the optimum, and positive when A
informs S'. A learned source ascends it, which is Blahut-Arimoto's direction: with T at its
optimum, d E / d w(a) = KL(p(. | s, a) || p_w(. | s)) - const.
"""
import gin
import tensorflow as tf

from tf_empowerment.empowerment import estimator
from tf_empowerment.estimators import mutual_information
from tf_empowerment.networks import forward_model as forward_model_lib
from tf_empowerment.networks import policy_heads
from tf_empowerment.networks import statistics

OBJECTIVES = ("jsd", "dv", "nwj")


@gin.configurable
class MineEmpowerment(estimator.EmpowermentEstimator):
  """Empowerment from a statistics network trained with the `objective` bound.

  "jsd" (the seed paper's choice, stable), "dv" (MINE, with its moving-average corrected
  gradient, decay `moving_average_decay`) or "nwj". Whatever the objective, the estimate is
  read through the DV bound, which ignores the constant offsets the objectives leave in T.
  """

  def __init__(self, num_actions, objective="jsd", source="learned",
               statistics_network=statistics.StatisticsNetwork,
               forward_model=forward_model_lib.ForwardModel,
               source_network=policy_heads.SourceNetwork,
               forward_learning_rate=3e-4, critic_learning_rate=1e-4, source_learning_rate=1e-3,
               moving_average_decay=0.01, name="MineEmpowerment"):
    if objective not in OBJECTIVES:
      raise ValueError(f"{name}.objective must be one of {OBJECTIVES}, got {objective!r}")
    if not 0.0 < moving_average_decay < 1.0:
      raise ValueError(f"{name}.moving_average_decay must be in (0, 1), got {moving_average_decay}")
    super().__init__(num_actions, statistics_network(num_actions=num_actions), source,
                     forward_model, source_network, forward_learning_rate,
                     critic_learning_rate, source_learning_rate, name)
    self.objective = objective
    self._decay = moving_average_decay
    # log of the running E_Q[e^T]; 0 is its value for a critic at the DV optimum.
    self._log_moving_average = tf.Variable(0.0, trainable=False, name="log_moving_average")

  def _scores(self, states, next_states):
    """T(s, a, s'_k) [B, A, K] for candidate next states [B, K, D]."""
    return tf.transpose(self.critic(states, next_states), [0, 2, 1])

  def _per_state(self, states, outcomes, executed, log_source):
    return self._read_out(self._scores(states, outcomes), executed, log_source)

  def _read_out(self, scores, executed, log_source):
    """The per-state DV bound [B] from scores [B, A, K] at the forward model's outcomes."""
    source = tf.exp(log_source)
    log_mixture = tf.math.log(tf.einsum("ba,bak->bk", source, executed))  # log p_w(s_k | s)
    joint = tf.einsum("ba,bak,bak->b", source, executed, scores)
    marginal = tf.reduce_logsumexp(
        scores + log_source[:, :, None] + log_mixture[:, None, :], axis=[1, 2])
    return joint - marginal

  def _losses(self, states, actions, next_states, outcomes, executed, log_source):
    # One critic pass scores the replayed next state and every outcome: [B, A, 1 + K].
    scores = self._scores(states, tf.concat([next_states[:, None, :], outcomes], axis=1))
    estimate = self._read_out(tf.stop_gradient(scores[:, :, 1:]), executed, log_source)
    scores = tf.gather(scores, actions, batch_dims=1)  # the replayed action's row [B, 1 + K]
    t_joint, t_marginal = scores[:, 0], scores[:, 1:]
    mixture = tf.stop_gradient(tf.einsum("ba,bak->bk", tf.exp(log_source), executed))
    if self.objective == "jsd":
      bound = mutual_information.jensen_shannon(t_joint, t_marginal, mixture)
    elif self.objective == "nwj":
      bound = mutual_information.nwj(t_joint, t_marginal, mixture)
    else:
      batch_log_mean_exp = tf.stop_gradient(
          mutual_information.log_mean_exp(t_marginal, mixture))
      self._log_moving_average.assign(mutual_information.update_log_moving_average(
          self._log_moving_average, batch_log_mean_exp, self._decay))
      bound = mutual_information.donsker_varadhan(t_joint, t_marginal, mixture,
                                                  self._log_moving_average)
    return -bound, estimate, {f"critic/{self.objective}": bound}

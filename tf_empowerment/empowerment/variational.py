"""Variational empowerment (Mohamed & Rezende 2015; the seed paper's first method).

I(A; S' | s) >= E_{w(a|s) p(s'|s,a)}[log q(a | s', s) - log w(a | s)] for any planning
distribution q (Barber & Agakov 2003), tight when q is the posterior p_w(a | s', s). Source w
and planning q ascend it jointly. The expectation is exact, not sampled: every action a is
weighted by w(a | s) and every outcome k of the forward model by M(k | s, a), so the bound
differentiates in w without a score-function estimator.

Sampled sequences (`sampled_sequences` = M, for A^n too large to enumerate): per state M
sequences a_m ~ w(a | s), one outcome s'_m of each from the forward model, and the bound's Monte
Carlo estimate mean_m [log q(a_m | s'_m, s) - log w(a_m | s)], with an autoregressive q over
sequences (SequencePlanningNetwork) and a factorised w; unbiased for the bound, not capped. The
source then follows the score-function gradient (EmpowermentEstimator._sampled_step).
"""
import gin
import tensorflow as tf

from tf_empowerment.empowerment import estimator
from tf_empowerment.estimators import mutual_information
from tf_empowerment.networks import forward_model as forward_model_lib
from tf_empowerment.networks import policy_heads


@gin.configurable
class VariationalEmpowerment(estimator.EmpowermentEstimator):
  """Empowerment from a source network w(a | s) and a planning network q(a | s', s), over
  action sequences of length `n_steps` (see EmpowermentEstimator), all enumerated, or
  `sampled_sequences` of them per state with `sequence_planning_network` and
  `factorised_source_network` (as MineEmpowerment's)."""

  def __init__(self, num_actions, n_steps=1, source="learned",
               planning_network=policy_heads.PlanningNetwork,
               forward_model=forward_model_lib.ForwardModel,
               source_network=policy_heads.SourceNetwork,
               forward_learning_rate=3e-4, planning_learning_rate=1e-3,
               source_learning_rate=1e-3, jit_compile=True, sampled_sequences=None,
               sequence_planning_network=policy_heads.SequencePlanningNetwork,
               factorised_source_network=policy_heads.FactorisedSourceNetwork,
               name="VariationalEmpowerment"):
    super().__init__(num_actions, n_steps, planning_network, sequence_planning_network, source,
                     forward_model, source_network, factorised_source_network,
                     sampled_sequences, forward_learning_rate, planning_learning_rate,
                     source_learning_rate, name, jit_compile)

  def _per_state(self, states, outcomes, executed, log_source):
    log_planning = tf.transpose(self.critic(states, outcomes), [0, 2, 1])  # log q(a|s_k, s)
    return estimator.barber_agakov(log_planning, executed, log_source)

  def _losses(self, states, actions, next_states, weights, outcomes, executed, log_source):
    estimate = self._per_state(states, outcomes, executed, log_source)
    bound = mutual_information.weighted_mean(estimate, weights)
    return -bound, estimate, {"critic/variational": bound}

  def _per_sample(self, states, sequences, outcomes, log_source):
    return self.critic(states, sequences, outcomes) - log_source  # log q(a_m|s'_m, s) - log w

  def _sampled_losses(self, states, actions, next_states, weights, sequences, outcomes,
                      log_source):
    terms = self._per_sample(states, sequences, outcomes, log_source)
    bound = mutual_information.weighted_mean(tf.reduce_mean(terms, axis=-1), weights)
    return -bound, terms, {"critic/variational": bound}

"""Variational empowerment (Mohamed & Rezende 2015; the seed paper's first method).

I(A; S' | s) >= E_{w(a|s) p(s'|s,a)}[log q(a | s', s) - log w(a | s)] for any planning
distribution q (Barber & Agakov 2003), tight when q is the posterior p_w(a | s', s). Source w
and planning q ascend it jointly. The expectation is exact, not sampled: every action a is
weighted by w(a | s) and every outcome k of the forward model by M(k | s, a), so the bound
differentiates in w without a score-function estimator.
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
  action sequences of length `n_steps` (see EmpowermentEstimator)."""

  def __init__(self, num_actions, n_steps=1, source="learned",
               planning_network=policy_heads.PlanningNetwork,
               forward_model=forward_model_lib.ForwardModel,
               source_network=policy_heads.SourceNetwork,
               forward_learning_rate=3e-4, planning_learning_rate=1e-3,
               source_learning_rate=1e-3, jit_compile=True, name="VariationalEmpowerment"):
    super().__init__(num_actions, n_steps, planning_network(
                         num_actions=estimator.num_sequences(num_actions, n_steps, name)),
                     source, forward_model, source_network, forward_learning_rate,
                     planning_learning_rate, source_learning_rate, name, jit_compile)

  def _per_state(self, states, outcomes, executed, log_source):
    log_planning = tf.transpose(self.critic(states, outcomes), [0, 2, 1])  # log q(a|s_k, s)
    return estimator.barber_agakov(log_planning, executed, log_source)

  def _losses(self, states, actions, next_states, weights, outcomes, executed, log_source):
    estimate = self._per_state(states, outcomes, executed, log_source)
    bound = mutual_information.weighted_mean(estimate, weights)
    return -bound, estimate, {"critic/variational": bound}

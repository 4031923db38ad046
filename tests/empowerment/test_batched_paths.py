"""The estimators' fast paths equal straightforward ones on a fixed batch.

The estimators score every action's forward-model outcome in one critic pass and form the
mixture p_w(s' | s) with einsums; here the same numbers are built one (state, action, outcome)
at a time in numpy, from the networks' own single-pair outputs. And the XLA-compiled training
step takes the same steps as the plain TensorFlow one.
"""
import math

from absl.testing import absltest
from absl.testing import parameterized
import numpy as np
import tensorflow as tf

from tf_empowerment.empowerment import mine
from tf_empowerment.empowerment import variational
from tf_empowerment.networks import forward_model
from tf_empowerment.networks import policy_heads
from tf_empowerment.networks import statistics

NUM_ACTIONS, DIM, BATCH = 3, 4, 5


def _softplus(x):
  return np.logaddexp(0.0, x)


def _randomise(model):
  """Random weights everywhere (the zero-initialised heads too), so no term is trivial."""
  rng = np.random.default_rng(1)
  for variable in model.trainable_variables:
    variable.assign(rng.normal(0.0, 0.5, variable.shape).astype(np.float32))


def _estimator(cls, **networks):
  estimate = cls(NUM_ACTIONS, source="learned", jit_compile=False,
                 forward_model=lambda num_actions: forward_model.ForwardModel(
                     num_actions, hidden_units=(8,)),
                 source_network=lambda num_actions: policy_heads.SourceNetwork(
                     num_actions, hidden_units=(8,)), **networks)
  states = tf.zeros([1, DIM])
  estimate.forward_model(states)
  estimate.log_source(states)
  estimate.critic(states, tf.zeros([1, 1, DIM]))
  for model in (estimate.forward_model, estimate.source_network, estimate.critic):
    _randomise(model)
  return estimate


class BatchedPathsTest(absltest.TestCase):

  def setUp(self):
    super().setUp()
    rng = np.random.default_rng(0)
    self.states = rng.normal(size=(BATCH, DIM)).astype(np.float32)
    self.next_states = rng.normal(size=(BATCH, DIM)).astype(np.float32)
    self.actions = rng.integers(NUM_ACTIONS, size=BATCH).astype(np.int32)

  def _model_outputs(self, estimate):
    """Per state, one at a time: outcomes [K, D], M(k | s, a) [A, K] and w(a | s) [A]."""
    rows = []
    for state in self.states:
      outcomes, executed = estimate.forward_model(state[None])
      source = np.exp(estimate.log_source(state[None]).numpy()[0])
      rows.append((outcomes.numpy()[0], executed.numpy()[0], source))
    return rows

  def _score(self, estimate, state, action, next_state):
    """The critic's output for one (s, a, s') triple."""
    return float(estimate.critic(state[None], next_state[None, None]).numpy()[0, 0, action])

  def _readout(self, estimate, b, outcomes, executed, source):
    """sum_a,k w(a) M(k|a) [log q(a | s_k, s) - log w(a)], q from the critic's scores."""
    total = 0.0
    for k in range(NUM_ACTIONS):
      scores = np.array([self._score(estimate, self.states[b], a, outcomes[k])
                         for a in range(NUM_ACTIONS)])
      if isinstance(estimate, mine.MineEmpowerment):  # q = w e^T / sum_a' w e^T'
        log_q = scores + np.log(source) - np.logaddexp.reduce(scores + np.log(source))
      else:  # the planning network outputs log q itself
        log_q = scores
      for a in range(NUM_ACTIONS):
        total += source[a] * executed[a, k] * (log_q[a] - math.log(source[a]))
    return total

  def _batched(self, estimate):
    outcomes, executed = estimate.forward_model(self.states)
    log_source = estimate.log_source(self.states)
    loss, per_state, _ = estimate._losses(self.states, self.actions, self.next_states,
                                          tf.ones([BATCH]), outcomes, executed, log_source)
    return float(loss), per_state.numpy(), estimate.empowerment(self.states).numpy()

  def test_mine_jensen_shannon_loss_and_readout(self):
    estimate = _estimator(mine.MineEmpowerment, objective="jsd",
                          statistics_network=lambda num_actions: statistics.StatisticsNetwork(
                              num_actions, hidden_units=(8,)))
    loss, per_state, empowerment = self._batched(estimate)
    joint, marginal, weights, readout = [], [], [], []
    for b, (outcomes, executed, source) in enumerate(self._model_outputs(estimate)):
      joint.append(-_softplus(-self._score(estimate, self.states[b], self.actions[b],
                                           self.next_states[b])))
      for k in range(NUM_ACTIONS):  # outcome k of the mixture sum_a w(a) M(k | a)
        weights.append(sum(source[a] * executed[a, k] for a in range(NUM_ACTIONS)))
        marginal.append(_softplus(self._score(estimate, self.states[b], self.actions[b],
                                              outcomes[k])))
      readout.append(self._readout(estimate, b, outcomes, executed, source))
    bound = math.log(2.0) + 0.5 * (np.mean(joint) - np.dot(weights, marginal) / np.sum(weights))
    self.assertAlmostEqual(loss, -bound, places=5)
    np.testing.assert_allclose(per_state, readout, atol=1e-5)
    np.testing.assert_allclose(empowerment, readout, atol=1e-5)

  def test_variational_bound_and_readout(self):
    estimate = _estimator(variational.VariationalEmpowerment,
                          planning_network=lambda num_actions: policy_heads.PlanningNetwork(
                              num_actions, hidden_units=(8,)))
    loss, per_state, empowerment = self._batched(estimate)
    readout = [self._readout(estimate, b, *row)
               for b, row in enumerate(self._model_outputs(estimate))]
    self.assertAlmostEqual(loss, -np.mean(readout), places=5)
    np.testing.assert_allclose(per_state, readout, atol=1e-5)
    np.testing.assert_allclose(empowerment, readout, atol=1e-5)


class CompiledTrainStepTest(parameterized.TestCase):

  @parameterized.parameters("mine_jsd", "mine_dv", "variational")
  def test_xla_train_steps_match_plain_ones(self, name):
    rng = np.random.default_rng(0)
    batches = [(rng.normal(size=(BATCH, DIM)).astype(np.float32),
                rng.integers(NUM_ACTIONS, size=BATCH).astype(np.int32),
                rng.normal(size=(BATCH, DIM)).astype(np.float32)) for _ in range(5)]
    estimates = []
    for jit_compile in (False, True):
      if name == "variational":
        estimate = variational.VariationalEmpowerment(NUM_ACTIONS, jit_compile=jit_compile)
      else:
        estimate = mine.MineEmpowerment(NUM_ACTIONS, objective=name[5:], jit_compile=jit_compile)
      estimate.empowerment(batches[0][0])  # builds the networks
      estimates.append(estimate)
    for plain, xla in zip(*(estimate.trainable_variables for estimate in estimates)):
      xla.assign(plain)
    results = []
    for estimate in estimates:
      metrics = [estimate.train_step(*batch) for batch in batches]
      results.append((metrics, estimate.empowerment(batches[0][0]).numpy(),
                      [v.numpy() for v in estimate.trainable_variables]))
    (plain_metrics, plain_estimate, plain_weights), (xla_metrics, xla_estimate, xla_weights) = results
    for plain, xla in zip(plain_metrics, xla_metrics):
      for key in plain:
        self.assertAlmostEqual(float(plain[key]), float(xla[key]), places=4, msg=key)
    np.testing.assert_allclose(xla_estimate, plain_estimate, atol=1e-4)
    for plain, xla in zip(plain_weights, xla_weights):
      np.testing.assert_allclose(xla, plain, atol=1e-4)


if __name__ == "__main__":
  absltest.main()

"""Row weights in train_step: a full batch with weights 0 on some rows trains exactly as the
boolean-masked batch of the others, a batch of weight 0 changes no variable, and one compiled
step serves every weighting of a batch size."""
from absl.testing import absltest
from absl.testing import parameterized
import numpy as np

from tests.empowerment import small_estimators

NUM_ACTIONS, DIM = 3, 4
REAL = np.array([1, 0, 1, 1, 0, 1, 0, 1], bool)


def _batches(count, seed=0):
  """(states, actions, next_states) [len(REAL)], garbage where not REAL: huge or infinite
  values and out-of-range actions."""
  rng = np.random.default_rng(seed)
  batches = []
  for _ in range(count):
    states, next_states = rng.normal(size=(2, len(REAL), DIM)).astype(np.float32)
    actions = rng.integers(NUM_ACTIONS, size=len(REAL)).astype(np.int32)
    garbage = ~REAL
    states[garbage] = rng.normal(0.0, 1e4, size=(garbage.sum(), DIM))
    next_states[garbage] = np.inf
    actions[garbage] = NUM_ACTIONS + 7
    batches.append((states, actions, next_states))
  return batches


def _twins(name, source, jit_compile, states):
  """Two estimators with the same initial weights."""
  twins = [small_estimators.build(name, NUM_ACTIONS, source, jit_compile) for _ in range(2)]
  for estimate in twins:
    estimate.empowerment(states)  # builds the networks
  for first, second in zip(*(estimate.trainable_variables for estimate in twins)):
    second.assign(first)
  return twins


def _all_variables(estimate):
  """The estimator's variables (networks, warm-up counter, DV average) and its optimizers'."""
  optimizer_variables = [v for optimizer in estimate._optimizers.values()
                         for v in optimizer.variables]
  return [v.numpy() for v in list(estimate.variables) + optimizer_variables]


class WeightsTest(parameterized.TestCase):

  @parameterized.product(name_and_source=[(name, "learned") for name in small_estimators.NAMES]
                         + [("mine_jsd", "behaviour")], jit_compile=[False, True])
  def test_zero_weight_rows_train_as_the_masked_batch(self, name_and_source, jit_compile):
    batches = _batches(3)
    masked, weighted = _twins(*name_and_source, jit_compile, batches[0][0][REAL])
    for states, actions, next_states in batches:
      expected = masked.train_step(states[REAL], actions[REAL], next_states[REAL])
      metrics = weighted.train_step(states, actions, next_states, REAL.astype(np.float32))
      self.assertSameElements(metrics, expected)
      for key in expected:
        self.assertAlmostEqual(float(metrics[key]), float(expected[key]), places=5, msg=key)
    for variable, expected in zip(_all_variables(weighted), _all_variables(masked)):
      np.testing.assert_allclose(variable, expected, atol=1e-5)

  @parameterized.parameters(*small_estimators.NAMES)
  def test_a_batch_of_weight_zero_changes_no_variable(self, name):
    estimate = small_estimators.build(name, NUM_ACTIONS)
    batches = _batches(3)
    for states, actions, next_states in batches[:2]:  # Adam's moments are no longer zero.
      estimate.train_step(states, actions, next_states, REAL.astype(np.float32))
    before = _all_variables(estimate)
    metrics = estimate.train_step(*batches[2], np.zeros(len(REAL), np.float32))
    for variable, expected in zip(_all_variables(estimate), before):
      np.testing.assert_array_equal(variable, expected)
    self.assertEqual({float(value) for value in metrics.values()}, {0.0})

  def test_compiled_step_is_traced_once_for_any_weights(self):
    estimate = small_estimators.build("mine_jsd", NUM_ACTIONS)
    batch = _batches(1)[0]
    estimate.train_step(*batch, np.ones(len(REAL), np.float32))
    # The first call traces twice (once more after creating the optimizers' variables).
    traces = estimate.train_step.experimental_get_tracing_count()
    for weights in (REAL, np.zeros(len(REAL)), REAL[::-1], np.full(len(REAL), 0.5)):
      estimate.train_step(*batch, weights.astype(np.float32))
    self.assertEqual(estimate.train_step.experimental_get_tracing_count(), traces)

if __name__ == "__main__":
  absltest.main()

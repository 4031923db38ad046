"""Sampled n-step empowerment (`sampled_sequences`) against exact values: oracle critics, whose
expected readout has a closed form; a short training run against Blahut-Arimoto; and 18 Atari
actions over 3 steps, which exact enumeration refuses."""
import math
import re

from absl.testing import absltest
import gin
import numpy as np
import tensorflow as tf

from tf_empowerment.benchmarks import gridworld_estimates
from tf_empowerment.empowerment import exact
from tf_empowerment.empowerment import mine
from tf_empowerment.empowerment import variational
from tf_empowerment.envs import gridworld
from tests.empowerment import oracles

ROOM = gridworld.GridLayout.from_text("...\n.S.\n...")
UNIFORM = np.full(25, 1 / 25)  # over the 25 two-step sequences
SMALL_NETWORKS = """
SequenceStatisticsNetwork.hidden_units = (64, 64)
FactorisedSourceNetwork.hidden_units = (64,)
ForwardModel.hidden_units = (64,)
ForwardModel.warmup_steps = 100
MineEmpowerment.critic_learning_rate = 1e-3
MineEmpowerment.forward_learning_rate = 1e-3
MineEmpowerment.source_learning_rate = 3e-4
SequencePlanningNetwork.hidden_units = (64, 64)
VariationalEmpowerment.forward_learning_rate = 1e-3
VariationalEmpowerment.source_learning_rate = 3e-4
"""


def _expected_info_nce(table, source, count):
  """E[readout] [s] of the sampled MINE estimate with the optimal critic, `count` sequences
  drawn from source [s, a] through a deterministic table [s, a, s'].

  A sample reaching outcome c (probability p_c) reads log(count / C), C the samples that reach
  c (itself and Binomial(count - 1, p_c) others): sum_c p_c E[log(count / C)].
  """
  others = np.arange(count)
  choose = np.array([math.comb(count - 1, k) for k in others], np.float64)
  reach = np.einsum("sa,sat->st", source, table)[..., None]  # p_c [s, s', 1]
  shares = choose * reach**others * (1 - reach)**(count - 1 - others)  # P(others) [s, s', count]
  return np.sum(reach[..., 0] * (shares @ np.log(count / (1 + others))), axis=-1)


def _readouts(estimate, repeats, calls=1):
  """The estimate of every room cell [calls * repeats, 9], each row a fresh draw of the
  sequences (`repeats` rows per call)."""
  states = np.tile(np.eye(ROOM.num_states, dtype=np.float32), (repeats, 1))
  return np.concatenate([estimate.empowerment(states).numpy().reshape(repeats, ROOM.num_states)
                         for _ in range(calls)])


def _oracle_estimator(cls, count, slip):
  """A 2-step estimator with a uniform source, the exact room as its model and the optimal
  critic (MINE's log density ratio, the variational planning posterior)."""
  model = lambda num_actions: oracles.OracleModel(ROOM, slip)
  if cls is variational.VariationalEmpowerment:
    return cls(5, n_steps=2, source="uniform", sampled_sequences=count, forward_model=model,
               sequence_planning_network=lambda num_actions: oracles.oracle_sequence_critic(
                   ROOM, slip, UNIFORM, log_planning=True, n_steps=2))
  return cls(5, n_steps=2, source="uniform", sampled_sequences=count, forward_model=model,
             sequence_statistics_network=lambda num_actions: oracles.oracle_sequence_critic(
                 ROOM, slip, UNIFORM, n_steps=2))


class OracleReadoutTest(absltest.TestCase):
  """Exact room dynamics and the optimal critic: what remains is the sampling itself."""

  def setUp(self):
    super().setUp()
    tf.keras.utils.set_random_seed(0)

  def test_mine_readout_is_the_expected_info_nce_and_at_most_log_m(self):
    table = gridworld.n_step_transition_table(ROOM, 2)
    uniform = np.tile(UNIFORM, (ROOM.num_states, 1))
    truth = exact.mutual_information(table, uniform)
    # Mean of 400 (100 for M = 64) draws per cell against the closed form: measured at most
    # 0.027, 0.020 and 0.023 off (standard errors 0.016, 0.010, 0.010).
    for count, repeats in ((4, 400), (16, 400), (64, 100)):
      readouts = _readouts(_oracle_estimator(mine.MineEmpowerment, count, 0.0), repeats)
      expected = _expected_info_nce(table, uniform, count)
      np.testing.assert_allclose(readouts.mean(0), expected, atol=0.05)
      self.assertLessEqual(readouts.max(), math.log(count) + 1e-5)
      # Below the truth by about (N - 1) / 2M nats, N the cells reached (6 to 9): 1.00 at the
      # centre for M = 4 (the cap: log 4 < I = 2.15), 0.29 for 16, 0.065 for 64.
      reached = (table.sum(1) > 0).sum(-1)
      np.testing.assert_allclose(truth - expected, (reached - 1) / (2 * count), rtol=0.2)

  def test_mine_readout_approaches_the_mutual_information_as_m_grows(self):
    # Slip 0.1 (outcomes drawn), M = 256: about (N - 1) / 2M = 0.016 nats below the truth;
    # measured 0.002 above to 0.029 below.
    truth = exact.gridworld_empowerment(ROOM, 2, 0.1, source="uniform")
    readouts = _readouts(_oracle_estimator(mine.MineEmpowerment, 256, 0.1), 20, calls=5)
    np.testing.assert_allclose(readouts.mean(0), truth - 0.016, atol=0.02)

  def test_variational_readout_is_unbiased(self):
    # No cap: the mean of 16 terms log q*(a | s', s) - log w(a | s) is the mutual information
    # in expectation; 800 draws per cell, measured at most 0.035 off (standard error 0.011).
    truth = exact.gridworld_empowerment(ROOM, 2, 0.1, source="uniform")
    readouts = _readouts(_oracle_estimator(variational.VariationalEmpowerment, 16, 0.1), 100,
                         calls=8)
    np.testing.assert_allclose(readouts.mean(0), truth, atol=0.05)


class TrainingTest(absltest.TestCase):
  """Short runs on the 3x3 room, 2 steps, learned factorised sources."""

  def setUp(self):
    super().setUp()
    gin.clear_config()
    gin.parse_config(SMALL_NETWORKS)
    self.addCleanup(gin.clear_config)
    self.table = gridworld.n_step_transition_table(ROOM, 2)
    self.capacity = exact.gridworld_empowerment(ROOM, 2)
    self.uniform = exact.gridworld_empowerment(ROOM, 2, source="uniform")

  def _train(self, cls, count, steps):
    """(readouts [9], the learned source w(a_1 a_2 | s) [9, 25]) after `steps` of batch 32."""
    tf.keras.utils.set_random_seed(0)
    sampler = gridworld_estimates.TransitionSampler(ROOM, 2, 0.0, seed=0)
    estimate = cls(5, n_steps=2, source="learned", sampled_sequences=count)
    for _ in range(steps):
      estimate.train_step(*sampler.sample(32))
    per_step = np.exp(estimate.log_source(sampler.states).numpy())  # w_t(a | s) [9, 2, 5]
    source = np.einsum("sa,sb->sab", per_step[:, 0], per_step[:, 1])
    return _readouts(estimate, 50).mean(0), source.reshape(ROOM.num_states, 25)

  def _check_source(self, source):
    """No cell below the uniform source's I, on average 0.1 nats above; near the capacity
    (a factorised source cannot spread its mass over cells exactly)."""
    learned = exact.mutual_information(self.table, source)
    self.assertTrue(np.all(learned > self.uniform - 0.01), (learned, self.uniform))
    self.assertGreater(np.mean(learned - self.uniform), 0.1)
    np.testing.assert_allclose(learned, self.capacity, atol=0.06)
    return learned

  def test_mine_reaches_blahut_arimoto_less_the_cap(self):
    # Measured: I(w) within 0.036 of the capacity (corners 0.29 above uniform); the readout
    # 0.004 to 0.025 below the optimal critic's for this w and M, and 0.11 to 0.17 below
    # Blahut-Arimoto, of which the cap's (N - 1) / 2M is 0.08 to 0.125 (N = 6 to 9 cells).
    count = 32
    readouts, source = self._train(mine.MineEmpowerment, count, 1000)
    self._check_source(source)
    np.testing.assert_allclose(readouts, _expected_info_nce(self.table, source, count),
                               atol=0.06)
    self.assertTrue(np.all(readouts <= self.capacity + 0.01), (readouts, self.capacity))
    np.testing.assert_array_less(self.capacity - readouts,
                                 (np.exp(self.capacity) - 1) / (2 * count) + 0.1)

  def test_variational_reaches_blahut_arimoto_without_a_cap(self):
    # M = 16 samples, no cap: the readout is an unbiased estimate of the autoregressive
    # planner's Barber-Agakov bound. Measured: I(w) within 0.03 of the capacity, the readout 0.004 to 0.042
    # below I(w) and 0.009 to 0.072 below Blahut-Arimoto.
    readouts, source = self._train(variational.VariationalEmpowerment, 16, 2000)
    learned = self._check_source(source)
    np.testing.assert_allclose(readouts, learned, atol=0.06)
    np.testing.assert_allclose(readouts, self.capacity, atol=0.1)


def _largest_arrays(function, *args):
  """The shapes of the XLA program that `function` compiles for `args`, largest first."""
  hlo = function.experimental_get_compiler_ir(*args)(stage="hlo")
  shapes = {tuple(int(size) for size in dims.split(",") if size)
            for dims in re.findall(r"\b(?:f32|s32|s64|u32|u64|pred)\[([\d,]*)\]", hlo)}
  return sorted(shapes, key=lambda shape: -math.prod(shape))


class AtariSizesTest(absltest.TestCase):
  """18 actions, 3 steps: 5,832 sequences, of which 32 are drawn per state."""

  def test_train_step_and_readout_never_hold_a_sequence_axis(self):
    rng = np.random.default_rng(0)
    batch, size, num_actions, n_steps, count = 4, 8, 18, 3, 32
    states = rng.normal(size=(batch, size)).astype(np.float32)
    window = (states, rng.integers(num_actions, size=(batch, n_steps)).astype(np.int32),
              rng.normal(size=(batch, n_steps, size)).astype(np.float32),
              np.ones(batch, np.float32))
    for cls, source in ((mine.MineEmpowerment, "learned"), (mine.MineEmpowerment, "uniform"),
                        (variational.VariationalEmpowerment, "behaviour")):
      estimate = cls(num_actions, n_steps=n_steps, source=source, sampled_sequences=count)
      self.assertEqual(estimate.num_sequences, 5832)
      metrics = estimate.train_step(*window)
      self.assertContainsSubset(["forward_model/loss", "critic/loss", "estimate/mean"], metrics)
      self.assertTrue(all(np.isfinite(float(value)) for value in metrics.values()), metrics)
      self.assertEqual(estimate.empowerment(states).shape, (batch,))
      self.assertEqual(estimate.log_source(states).shape, (batch, n_steps, num_actions))
      for function, args in ((estimate.train_step, window), (estimate.empowerment, (states,))):
        shapes = _largest_arrays(function, *args)
        self.assertLess(max(max(shape, default=0) for shape in shapes), 5832, shapes[:3])

  def test_sampled_draws_follow_the_seed(self):
    states = np.eye(4, 8, dtype=np.float32)
    readouts = []
    for _ in range(2):
      tf.keras.utils.set_random_seed(3)
      estimate = mine.MineEmpowerment(18, n_steps=3, sampled_sequences=8)
      readouts.append([estimate.empowerment(states).numpy() for _ in range(2)])
    np.testing.assert_array_equal(readouts[0], readouts[1])
    self.assertFalse(np.array_equal(*readouts[0]))  # a fresh draw each call

  def test_rejects_bad_sampled_sequences_in_one_line(self):
    for cls in (mine.MineEmpowerment, variational.VariationalEmpowerment):
      for count in (1, 0, 2.5, True, "64"):
        # One line (gin may add a second, naming the configurable).
        with self.assertRaisesRegex(ValueError, r"^\w+Empowerment\.sampled_sequences must be "
                                    r"None \(enumerate every sequence\) or an integer >= 2, "
                                    rf"got {re.escape(repr(count))}(\n|$)"):
          cls(18, n_steps=3, sampled_sequences=count)

  def test_exact_enumeration_of_too_many_sequences_says_to_sample(self):
    with self.assertRaisesRegex(ValueError, r"^MineEmpowerment: 18\*\*3 = 5832 action sequences "
                                r"are too many to enumerate \(at most 4096\); set "
                                r"MineEmpowerment.sampled_sequences, e.g. 64(\n|$)"):
      mine.MineEmpowerment(18, n_steps=3)
    self.assertEqual(mine.MineEmpowerment(18, n_steps=8, sampled_sequences=64).num_sequences,
                     18**8)


if __name__ == "__main__":
  absltest.main()

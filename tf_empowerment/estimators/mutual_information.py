"""Variational lower bounds on mutual information, as pure functions of critic scores (nats).

A critic T(x, y) scores joint samples (x, y) ~ p(x, y) (`t_joint`) and samples of the product of
marginals p(x) p(y) (`t_marginal`). Either may carry non-negative weights (`joint_weights`,
`marginal_weights`, shaped as the scores): expectations are then sum(w f) / sum(w), so an
exactly enumerated mixture can stand in for sampling and a sample of weight 0 counts as absent.
Every bound is computed with logsumexp / softplus so large scores give no inf or NaN.
`TrainingObjective` names the bounds a critic trains on, and owns DV's moving average.
"""
import math

import tensorflow as tf

OBJECTIVES = ("jsd", "dv", "nwj")  # the bounds a critic trains on (TrainingObjective)
# exp() of larger arguments overflows float32; NWJ's exponential term is capped here.
_MAX_LOG_MEAN_EXP = 80.0


def weighted_mean(values, weights=None):
  """sum(weights * values) / sum(weights) over all entries; the plain mean without weights.

  NaN when the weights sum to 0, as the mean of no samples.
  """
  if weights is None:
    return tf.reduce_mean(values)
  return tf.reduce_sum(weights * values) / tf.reduce_sum(weights)


def log_mean_exp(scores, weights=None):
  """log E[exp(scores)] over all entries (probability-weighted by `weights`), stably."""
  if weights is None:
    count = tf.cast(tf.size(scores), scores.dtype)
    return tf.reduce_logsumexp(scores) - tf.math.log(count)
  log_weights = tf.math.log(weights)  # zero weights give -inf, i.e. drop out of the sum
  return tf.reduce_logsumexp(scores + log_weights) - tf.reduce_logsumexp(log_weights)


def donsker_varadhan(t_joint, t_marginal, joint_weights=None, marginal_weights=None,
                     log_moving_average=None):
  """I_DV = E_P[T] - log E_Q[e^T] (Donsker & Varadhan 1983; MINE, Belghazi et al. 2018, Sec. 3.1).

  Tight at T = log p(x, y) / (p(x) p(y)) + any constant. With `log_moving_average` (a scalar,
  log of a running average of E_Q[e^T]) the value is unchanged but the gradient of the second
  term becomes E_Q[e^T grad T] / average: MINE's bias-corrected gradient (Sec. 3.2).
  """
  log_partition = log_mean_exp(t_marginal, marginal_weights)
  if log_moving_average is not None:
    stopped = tf.stop_gradient(log_partition)
    # Value log_partition; gradient grad(E_Q e^T) / moving average, formed in log space.
    log_partition = stopped + tf.exp(stopped - log_moving_average) * (log_partition - stopped)
  return weighted_mean(t_joint, joint_weights) - log_partition


def nwj(t_joint, t_marginal, joint_weights=None, marginal_weights=None):
  """I_NWJ = E_P[T] - E_Q[e^(T - 1)] (Nguyen, Wainwright & Jordan 2010; Poole et al. 2019).

  Tight at T = 1 + log p(x, y) / (p(x) p(y)): a critic trained to the plain log density ratio
  (e.g. by `jensen_shannon`) must be read as nwj(t + 1, ...), or the estimate is 1/e low.
  """
  log_partition = tf.minimum(log_mean_exp(t_marginal, marginal_weights), _MAX_LOG_MEAN_EXP)
  return weighted_mean(t_joint, joint_weights) - tf.exp(log_partition - 1.0)


def jensen_shannon(t_joint, t_marginal, joint_weights=None, marginal_weights=None):
  """Lower bound on the Jensen-Shannon divergence JSD(P || Q) in nats, in [.., log 2].

  f-GAN's JS objective (Nowozin et al. 2016, Table 1; Hjelm et al. 2019, eq. 4) rescaled so its
  optimum is JSD itself: log 2 + (E_P[-softplus(-T)] - E_Q[softplus(T)]) / 2. It is a training
  objective, not an MI estimate; its maximiser is T = log p(x, y) / (p(x) p(y)), so read the
  trained critic through `donsker_varadhan` (or `nwj` with T + 1).
  """
  joint = weighted_mean(-tf.nn.softplus(-t_joint), joint_weights)
  marginal = weighted_mean(tf.nn.softplus(t_marginal), marginal_weights)
  return math.log(2.0) + 0.5 * (joint - marginal)


def info_nce_terms(scores):
  """Per row i of scores [..., batch, batch] = T(x_i, y_j), positives on the diagonal:
  T_ii - log mean_j e^T_ij [..., batch], each at most log(batch) (`info_nce` is their mean)."""
  batch_size = tf.cast(tf.shape(scores)[-1], scores.dtype)
  return (tf.linalg.diag_part(scores) - tf.reduce_logsumexp(scores, axis=-1)
          + tf.math.log(batch_size))


def info_nce(scores):
  """I_NCE for scores [batch, batch] = T(x_i, y_j), positives on the diagonal (van den Oord et al.
  2018; Poole et al. 2019, Sec. 2.3): mean_i [T_ii - log mean_j e^T_ij]. Never above log(batch).

  Each row's normaliser runs over the positive and its batch - 1 negatives, as the bound requires.
  """
  return tf.reduce_mean(info_nce_terms(scores))


def joint_and_marginal(scores):
  """Splits scores [batch, batch] = T(x_i, y_j) into t_joint [batch] (the diagonal) and
  t_marginal [batch, batch - 1] (every off-diagonal pair), so negatives never hold a positive."""
  batch_size = tf.shape(scores)[0]
  off_diagonal = tf.logical_not(tf.eye(batch_size, dtype=tf.bool))
  t_marginal = tf.reshape(tf.boolean_mask(scores, off_diagonal), [batch_size, batch_size - 1])
  return tf.linalg.diag_part(scores), t_marginal


def update_log_moving_average(log_average, log_value, decay):
  """log((1 - decay) * average + decay * value), for MINE's running E_Q[e^T] in log space."""
  return tf.reduce_logsumexp(
      tf.stack([math.log1p(-decay) + log_average, math.log(decay) + log_value]))


class TrainingObjective(tf.Module):
  """What a critic maximises, by the name of its bound in OBJECTIVES.

  "jsd" is `jensen_shannon`, "nwj" is `nwj`, and "dv" is `donsker_varadhan` with MINE's
  moving-average corrected gradient (Belghazi et al. 2018, Sec. 3.2; decay
  `moving_average_decay`). Call it as the bounds: (t_joint, t_marginal, joint_weights,
  marginal_weights) -> scalar. A batch whose marginal weights sum to 0 leaves the average as
  it was.
  """

  def __init__(self, bound, moving_average_decay=0.01):
    if bound not in OBJECTIVES:
      raise ValueError(f"objective must be one of {OBJECTIVES}, got {bound!r}")
    if not 0.0 < moving_average_decay < 1.0:
      raise ValueError(f"moving_average_decay must be in (0, 1), got {moving_average_decay}")
    super().__init__(name=f"{bound}_objective")
    self.bound = bound
    self._decay = moving_average_decay
    if bound == "dv":
      # log of the running E_Q[e^T]; 0 is its value for a critic at the DV optimum.
      self._log_moving_average = tf.Variable(0.0, trainable=False, name="log_moving_average")

  def __call__(self, t_joint, t_marginal, joint_weights=None, marginal_weights=None):
    if self.bound == "jsd":
      return jensen_shannon(t_joint, t_marginal, joint_weights, marginal_weights)
    if self.bound == "nwj":
      return nwj(t_joint, t_marginal, joint_weights, marginal_weights)
    average = update_log_moving_average(
        self._log_moving_average, tf.stop_gradient(log_mean_exp(t_marginal, marginal_weights)),
        self._decay)
    if marginal_weights is not None:
      average = tf.where(tf.reduce_sum(marginal_weights) > 0, average, self._log_moving_average)
    self._log_moving_average.assign(average)
    return donsker_varadhan(t_joint, t_marginal, joint_weights, marginal_weights,
                            self._log_moving_average)

  def estimate(self, t_joint, t_marginal, joint_weights=None, marginal_weights=None):
    """The critic's MI estimate (nats): the bound's value, read through DV for "jsd", whose
    maximiser is the log density ratio (see `jensen_shannon`)."""
    if self.bound == "nwj":
      return nwj(t_joint, t_marginal, joint_weights, marginal_weights)
    return donsker_varadhan(t_joint, t_marginal, joint_weights, marginal_weights)

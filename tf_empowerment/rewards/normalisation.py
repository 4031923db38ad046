"""Running statistics that normalise intrinsic rewards (and observations); saved with checkpoints."""
import gin
import tensorflow as tf


class RunningMeanStd(tf.Module):
  """Mean and variance of every batch seen so far, per element of `shape`.

  Batches are merged with the parallel-variance formula of Chan, Golub and LeVeque (1979), so
  the result equals the statistics of all samples concatenated.
  """

  def __init__(self, shape=(), name="running_mean_std"):
    super().__init__(name=name)
    self.mean = tf.Variable(tf.zeros(shape), trainable=False, name="mean")
    self.variance = tf.Variable(tf.ones(shape), trainable=False, name="variance")
    self.count = tf.Variable(0.0, trainable=False, name="count")

  def update(self, batch, weights=None):
    """Merges `batch` [batch_size, *shape] into the statistics; rows of weight 0 are skipped.

    `weights` [batch_size] are 0/1 row masks (None: every row counts).
    """
    batch = tf.cast(batch, tf.float32)
    if weights is None:
      weights = tf.ones(tf.shape(batch)[:1])
    weights = tf.reshape(tf.cast(weights, tf.float32), [-1] + [1] * (batch.shape.rank - 1))
    batch_count = tf.reduce_sum(weights)
    batch_mean = tf.math.divide_no_nan(tf.reduce_sum(weights * batch, axis=0), batch_count)
    batch_variance = tf.math.divide_no_nan(
        tf.reduce_sum(weights * tf.square(batch - batch_mean), axis=0), batch_count)
    total = self.count + batch_count
    delta = batch_mean - self.mean
    merged_m2 = (self.variance * self.count + batch_variance * batch_count
                 + tf.square(delta) * tf.math.divide_no_nan(self.count * batch_count, total))
    self.mean.assign_add(delta * tf.math.divide_no_nan(batch_count, total))
    self.variance.assign(tf.where(total > 0, tf.math.divide_no_nan(merged_m2, total),
                                  self.variance))
    self.count.assign(total)

  @property
  def std(self):
    return tf.sqrt(tf.maximum(self.variance, 1e-8))


@gin.configurable
class DiscountedReturnNormaliser(tf.Module):
  """Scales intrinsic rewards by the running std of their discounted return (Burda et al. 2019).

  Random Network Distillation divides intrinsic rewards by the standard deviation of the
  discounted intrinsic return, so the reward scale stays fixed while the estimator changes.
  `observe` runs at collection, once per environment step of each of `num_envs` copies, with
  the reward of the transition into that step; an episode's first step has none, so it adds
  nothing (with `episodic=True` the return restarts there, otherwise it runs on across
  episodes: non-episodic intrinsic reward, as in RND).
  """

  def __init__(self, num_envs, gamma=0.99, episodic=False, clip=None, scale=1.0):
    super().__init__(name="discounted_return_normaliser")
    if not 0.0 <= gamma < 1.0:
      raise ValueError(f"DiscountedReturnNormaliser.gamma must be in [0, 1), got {gamma}")
    if clip is not None and clip <= 0:
      raise ValueError(f"DiscountedReturnNormaliser.clip must be positive, got {clip}")
    self._gamma, self._episodic, self._clip, self._scale = gamma, episodic, clip, scale
    self.returns = tf.Variable(tf.zeros([num_envs]), trainable=False, name="returns")
    self.return_stats = RunningMeanStd(name="return_stats")

  @property
  def episodic(self):
    return self._episodic

  def observe(self, rewards, is_first):
    """Advances each copy's discounted return by `rewards` [num_envs] and updates its std.

    Where `is_first` [num_envs], no transition led to the step: its reward is ignored.
    """
    advanced = self.returns * self._gamma + rewards
    restarted = tf.zeros_like(self.returns) if self._episodic else self.returns
    self.returns.assign(tf.where(is_first, restarted, advanced))
    self.return_stats.update(self.returns, weights=~is_first)

  def __call__(self, rewards):
    """Normalised rewards, of the shape of `rewards`."""
    normalised = rewards / self.return_stats.std
    if self._clip is not None:
      normalised = tf.clip_by_value(normalised, -self._clip, self._clip)
    return self._scale * normalised

"""Running statistics that normalise intrinsic rewards and observations; saved with checkpoints."""
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

  def update(self, batch):
    """Merges `batch` [batch_size, *shape] into the statistics."""
    batch = tf.cast(batch, tf.float32)
    batch_count = tf.cast(tf.shape(batch)[0], tf.float32)
    batch_mean = tf.reduce_mean(batch, axis=0)
    batch_variance = tf.math.reduce_variance(batch, axis=0)
    total = self.count + batch_count
    delta = batch_mean - self.mean
    merged_m2 = (self.variance * self.count + batch_variance * batch_count
                 + tf.square(delta) * self.count * batch_count / total)
    self.mean.assign_add(delta * batch_count / total)
    self.variance.assign(merged_m2 / total)
    self.count.assign(total)

  @property
  def std(self):
    return tf.sqrt(tf.maximum(self.variance, 1e-8))


@gin.configurable
class DiscountedReturnNormaliser(tf.Module):
  """Scales intrinsic rewards by the running std of their discounted return (Burda et al. 2019).

  Random Network Distillation divides intrinsic rewards by the standard deviation of the
  discounted intrinsic return, so the reward scale stays fixed while the estimator changes.
  `observe` runs at collection, once per environment step of each of `num_envs` copies;
  with `episodic=True` the return restarts at episode starts, otherwise it runs on across
  episodes (non-episodic intrinsic reward, as in RND).
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
    """Advances each copy's discounted return by `rewards` [num_envs] and updates its std."""
    returns = self.returns
    if self._episodic:
      returns = tf.where(is_first, tf.zeros_like(returns), returns)
    self.returns.assign(returns * self._gamma + rewards)
    self.return_stats.update(self.returns)

  def __call__(self, rewards):
    """Normalised rewards, of the shape of `rewards`."""
    normalised = rewards / self.return_stats.std
    if self._clip is not None:
      normalised = tf.clip_by_value(normalised, -self._clip, self._clip)
    return self._scale * normalised


@gin.configurable
class ObservationNormaliser(tf.Module):
  """Per-element standardisation of observations, clipped, before the frozen encoder.

  Random Network Distillation and the seed paper both call observation normalisation
  essential: a random encoder applied to raw pixels maps most states to nearly the same
  embedding. Statistics come from a random-policy warm-up (`update`) and are then frozen,
  so embeddings already in replay stay valid; they are saved with the checkpoint.
  """

  def __init__(self, observation_shape, clip=5.0):
    super().__init__(name="observation_normaliser")
    self._clip = clip
    self.stats = RunningMeanStd(shape=observation_shape, name="observation_stats")

  @property
  def initialised(self):
    return self.stats.count > 0

  def update(self, observations):
    """Merges observations [batch_size, *observation_shape] into the statistics."""
    self.stats.update(observations)

  def __call__(self, observations):
    standardised = (tf.cast(observations, tf.float32) - self.stats.mean) / self.stats.std
    return tf.clip_by_value(standardised, -self._clip, self._clip)

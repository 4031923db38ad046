"""Per-element observation standardisation before the frozen encoder; saved with checkpoints."""
import gin
import tensorflow as tf

from tf_empowerment.rewards import normalisation


@gin.configurable
class ObservationNormaliser(tf.Module):
  """Per-element standardisation of observations, clipped, before the frozen encoder.

  Random Network Distillation and the seed paper both call observation normalisation
  essential: a random encoder applied to raw pixels maps most states to nearly the same
  embedding. In the ObservationPipeline statistics come from a random-policy warm-up
  (`update`) and are then frozen, so embeddings already in replay stay valid; RndBonus
  updates its own throughout collection. They are saved with the checkpoint.
  """

  def __init__(self, observation_shape, clip=5.0):
    super().__init__(name="observation_normaliser")
    self._clip = clip
    self.stats = normalisation.RunningMeanStd(shape=observation_shape, name="observation_stats")

  @property
  def initialised(self):
    return self.stats.count > 0

  def update(self, observations):
    """Merges observations [batch_size, *observation_shape] into the statistics."""
    self.stats.update(observations)

  def __call__(self, observations):
    standardised = (tf.cast(observations, tf.float32) - self.stats.mean) / self.stats.std
    return tf.clip_by_value(standardised, -self._clip, self._clip)

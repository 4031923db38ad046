"""A TF environment whose observations are embeddings: normalised, then a frozen encoder.

The paper's configuration embeds every state once, at collection, so the replay buffer, the
Q-network and the empowerment estimator all work on small vectors instead of frame stacks.
"""
import tensorflow as tf
from tf_agents.environments import tf_environment
from tf_agents.specs import tensor_spec


class EmbeddedEnvironment(tf_environment.TFEnvironment):
  """Wraps `environment` so each observation becomes `embed(observation)` [batch, size]."""

  def __init__(self, environment, embed, embedding_size):
    self._environment = environment
    self._embed = embed
    time_step_spec = environment.time_step_spec()._replace(
        observation=tensor_spec.TensorSpec([embedding_size], tf.float32, name="embedding"))
    super().__init__(time_step_spec, environment.action_spec(), environment.batch_size)

  def _embedded(self, time_step):
    return time_step._replace(observation=self._embed(time_step.observation))

  def _current_time_step(self):
    return self._embedded(self._environment.current_time_step())

  def _reset(self):
    return self._embedded(self._environment.reset())

  def _step(self, action):
    return self._embedded(self._environment.step(action))

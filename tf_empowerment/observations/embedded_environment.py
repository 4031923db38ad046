"""A TF environment whose observations are embeddings: normalised, then a frozen encoder.

The paper's configuration embeds every state once, at collection, so the replay buffer, the
Q-network and the empowerment estimator all work on small vectors instead of frame stacks.
"""
from tf_agents.environments import tf_environment


class EmbeddedEnvironment(tf_environment.TFEnvironment):
  """Wraps `environment` so each observation becomes `embed(observation)` of `embedding_spec`."""

  def __init__(self, environment, embed, embedding_spec):
    self._environment = environment
    self._embed = embed
    time_step_spec = environment.time_step_spec()._replace(observation=embedding_spec)
    super().__init__(time_step_spec, environment.action_spec(), environment.batch_size)

  def _embedded(self, time_step):
    return time_step._replace(observation=self._embed(time_step.observation))

  def _current_time_step(self):
    return self._embedded(self._environment.current_time_step())

  def _reset(self):
    return self._embedded(self._environment.reset())

  def _step(self, action):
    return self._embedded(self._environment.step(action))

"""Observations in one place: the normaliser, the frozen encoder and where embeddings are made.

Three views of one observation: the environment's raw observation; the agent's (what the
Q-network and replay see: the embedding when the run embeds at collection, as the seed paper
does, else the raw observation, e.g. pixels for a convnet); and the state an intrinsic reward
sees (the embedding whenever there is an encoder). With an encoder but no embedding at
collection, the collect policy records each state in its info (`STATE_KEY`), so frames are
embedded once. The module is checkpointed whole (normaliser statistics and encoder weights),
so replayed embeddings stay valid on resume whatever Keras or the seed would rebuild.
"""
import gin
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec

from tf_empowerment.observations import embedded_environment
from tf_empowerment.observations import normaliser as normaliser_lib
from tf_empowerment.observations import policies

STATE_KEY = "state"


@gin.configurable
class ObservationPipeline(tf.Module):
  """Raw observations of `observation_spec` -> the agent's view and the reward's states.

  With an `encoder` (e.g. @RandomEncoder) observations are standardised by the `normaliser`
  (statistics from `warmup_steps` uniformly random steps of a new run, then frozen) and
  embedded; `embed_at_collection` chooses whether the agent sees the embedding. Without one
  every view is the raw observation.
  """

  def __init__(self, observation_spec, encoder=None, embed_at_collection=True,
               warmup_steps=2_000, normaliser=normaliser_lib.ObservationNormaliser):
    super().__init__(name="observations")
    if not isinstance(warmup_steps, int) or warmup_steps < 1:
      raise ValueError(f"ObservationPipeline.warmup_steps must be a positive integer, "
                       f"got {warmup_steps!r}")
    self.observation_spec = observation_spec
    self.encoder = encoder() if encoder is not None else None
    self.normaliser = normaliser(observation_spec.shape) if encoder is not None else None
    self._embed_at_collection = embed_at_collection
    self._warmup_steps = warmup_steps
    self.state_spec = observation_spec
    if self.encoder is not None:
      # Builds the encoder's weights now, so they are in every checkpoint from the start.
      zeros = tf.zeros([1] + observation_spec.shape.as_list(), observation_spec.dtype)
      size = int(self.embed(zeros).shape[-1])
      self.state_spec = tensor_spec.TensorSpec([size], tf.float32, name="embedding")

  @property
  def embeds_at_collection(self):
    return self.encoder is not None and self._embed_at_collection

  @property
  def records_states(self):
    """Whether the collect policy records states in its info (encoder, raw agent view)."""
    return self.encoder is not None and not self._embed_at_collection

  def embed(self, observations):
    """Embeddings [batch, size] of raw observations [batch, ...]."""
    return self.encoder(self.normaliser(observations))

  def agent_view(self, observations):
    """The agent's view [batch, ...] of raw observations."""
    return self.embed(observations) if self.embeds_at_collection else observations

  def state_of(self, agent_observations):
    """The reward's states [batch, ...] of observations as the agent sees them."""
    return self.embed(agent_observations) if self.records_states else agent_observations

  def states_of(self, experience):
    """`experience` (trajectories) with observations replaced by the reward's states."""
    if self.records_states:
      return experience._replace(observation=experience.policy_info[STATE_KEY])
    return experience

  def environment(self, tf_env):
    """`tf_env` as the agent sees it."""
    if not self.embeds_at_collection:
      return tf_env
    return embedded_environment.EmbeddedEnvironment(tf_env, self.embed, self.state_spec)

  def recorders(self):
    """What the collect policy records for this module (see RecordingPolicy)."""
    if not self.records_states:
      return {}
    return {STATE_KEY: (self.state_spec, lambda time_step: self.embed(time_step.observation))}

  def raw_policy(self, policy, time_step_spec):
    """`policy` (on the agent's view) as a policy on raw observations, for export."""
    if not self.embeds_at_collection:
      return policy
    return policies.RawObservationPolicy(policy, time_step_spec, self, self.embed)

  def warm_up(self, py_env, seed):
    """Fits the normaliser on `warmup_steps` uniformly random steps of `py_env` (new runs)."""
    if self.normaliser is None:
      return
    spec = py_env.action_spec()
    rng = np.random.default_rng(seed)
    batch_size = py_env.batch_size if py_env.batched else None
    shape = py_env.observation_spec().shape
    py_env.reset()
    for _ in range(max(self._warmup_steps // (batch_size or 1), 1)):
      action = rng.integers(spec.minimum, spec.maximum + 1, size=batch_size).astype(spec.dtype)
      self.normaliser.update(np.reshape(py_env.step(action).observation, (-1,) + shape))

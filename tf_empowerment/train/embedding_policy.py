"""A collect policy that records each observation's embedding, so frames are embedded once.

When the Q-network works on pixels and the intrinsic reward on embeddings, embedding every
sampled batch again at each update costs about as much as a second Q-network. Wrapped in this
policy, collection puts embed(observation) [D] in the policy info; the replay stores it beside
the frames (4 D bytes per transition) and the intrinsic reward reads it from there.
"""
import tensorflow as tf
from tf_agents.policies import tf_policy


class EmbeddingInfoPolicy(tf_policy.TFPolicy):
  """Acts as `policy` does; its info is `embed(observation)` [batch, embedding_size] float32."""

  def __init__(self, policy, embed, embedding_size):
    super().__init__(policy.time_step_spec, policy.action_spec, policy.policy_state_spec,
                     info_spec=tf.TensorSpec([embedding_size], tf.float32, name="embedding"),
                     clip=False, automatic_state_reset=False, name="EmbeddingInfoPolicy")
    self._policy = policy
    self._embed = embed

  def _variables(self):
    return self._policy.variables()

  def _action(self, time_step, policy_state, seed):
    step = self._policy.action(time_step, policy_state, seed)
    return step._replace(info=self._embed(time_step.observation))

  def _distribution(self, time_step, policy_state):
    raise NotImplementedError("EmbeddingInfoPolicy only acts; it has no distribution")

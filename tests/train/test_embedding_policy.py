"""The embedding-recording collect policy acts as the policy it wraps and records embeddings."""
from absl.testing import absltest
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec
from tf_agents.trajectories import time_step as ts

from tf_empowerment.networks import encoder
from tf_empowerment.train import agent as agent_lib
from tf_empowerment.train import embedding_policy


class EmbeddingInfoPolicyTest(absltest.TestCase):

  def test_acts_like_the_wrapped_policy_and_records_embeddings(self):
    observation_spec = tensor_spec.BoundedTensorSpec([84, 84, 4], tf.uint8, 0, 255)
    action_spec = tensor_spec.BoundedTensorSpec([], tf.int64, 0, 5)
    time_step_spec = ts.time_step_spec(observation_spec)
    agent, _ = agent_lib.create_dqn_agent(time_step_spec, action_spec,
                                          tf.Variable(0, dtype=tf.int64))
    embed = encoder.RandomEncoder(embedding_size=8)
    policy = embedding_policy.EmbeddingInfoPolicy(agent.policy, embed, 8)
    observations = tf.constant(np.random.default_rng(0).integers(0, 256, [3, 84, 84, 4]),
                               tf.uint8)
    time_step = ts.restart(observations, batch_size=3)
    step = policy.action(time_step)
    np.testing.assert_array_equal(step.action, agent.policy.action(time_step).action)
    np.testing.assert_allclose(step.info, embed(observations), rtol=1e-6)
    self.assertEqual(policy.trajectory_spec.policy_info.shape, [8])


if __name__ == "__main__":
  absltest.main()

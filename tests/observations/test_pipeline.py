"""The observation pipeline's three views, the recording collect policy and the raw-observation
policy, on real networks."""
from absl.testing import absltest
import numpy as np
import tensorflow as tf
from tf_agents.specs import tensor_spec
from tf_agents.trajectories import time_step as ts

from tf_empowerment.agents import dqn
from tf_empowerment.networks import encoder
from tf_empowerment.observations import pipeline
from tf_empowerment.observations import policies

PIXELS = tensor_spec.BoundedTensorSpec([84, 84, 4], tf.uint8, 0, 255)
ACTIONS = tensor_spec.BoundedTensorSpec([], tf.int64, 0, 5)


def _frames(batch, seed=0):
  return tf.constant(np.random.default_rng(seed).integers(0, 256, [batch, 84, 84, 4]), tf.uint8)


def _pipeline(embed_at_collection, seed=0):
  observations = pipeline.ObservationPipeline(
      PIXELS, encoder=lambda: encoder.RandomEncoder(embedding_size=8, seed=seed),
      embed_at_collection=embed_at_collection)
  observations.normaliser.update(_frames(16, seed=1))
  return observations


class ObservationPipelineTest(absltest.TestCase):

  def test_views_with_and_without_embedding_at_collection(self):
    frames = _frames(3)
    for embed_at_collection in (True, False):
      observations = _pipeline(embed_at_collection)
      embedding = observations.embed(frames)
      self.assertEqual(observations.state_spec.shape, [8])
      agent_view = observations.agent_view(frames)
      np.testing.assert_allclose(observations.state_of(agent_view), embedding, rtol=1e-6)
      self.assertEqual(observations.records_states, not embed_at_collection)
      self.assertEqual(bool(observations.recorders()), not embed_at_collection)
    plain = pipeline.ObservationPipeline(PIXELS)
    self.assertIs(plain.agent_view(frames), frames)
    self.assertEqual(plain.state_spec, PIXELS)

  def test_checkpoint_holds_encoder_weights_and_statistics(self):
    saved = _pipeline(True, seed=0)
    path = tf.train.Checkpoint(observations=saved).save(
        self.create_tempdir().full_path + "/ckpt")
    restored = _pipeline(True, seed=7)  # other random weights until restored
    frames = _frames(2)
    self.assertFalse(np.allclose(restored.embed(frames), saved.embed(frames)))
    tf.train.Checkpoint(observations=restored).restore(path).assert_consumed()
    np.testing.assert_allclose(restored.embed(frames), saved.embed(frames), rtol=1e-6)


class PoliciesTest(absltest.TestCase):

  def test_recording_policy_acts_like_the_wrapped_one_and_records(self):
    agent, _ = dqn.create_dqn_agent(ts.time_step_spec(PIXELS), ACTIONS,
                                    tf.Variable(0, dtype=tf.int64))
    observations = _pipeline(embed_at_collection=False)
    policy = policies.RecordingPolicy(agent.policy, observations.recorders())
    time_step = ts.restart(_frames(3), batch_size=3)
    step = policy.action(time_step)
    np.testing.assert_array_equal(step.action, agent.policy.action(time_step).action)
    np.testing.assert_allclose(step.info[pipeline.STATE_KEY],
                               observations.embed(time_step.observation), rtol=1e-6)
    self.assertEqual(policy.trajectory_spec.policy_info[pipeline.STATE_KEY].shape, [8])

  def test_raw_observation_policy_embeds_then_acts(self):
    observations = _pipeline(embed_at_collection=True)
    agent, _ = dqn.create_dqn_agent(ts.time_step_spec(observations.state_spec), ACTIONS,
                                    tf.Variable(0, dtype=tf.int64))
    policy = observations.raw_policy(agent.policy, ts.time_step_spec(PIXELS))
    frames = _frames(4)
    embedded = ts.restart(observations.embed(frames), batch_size=4)
    np.testing.assert_array_equal(policy.action(ts.restart(frames, batch_size=4)).action,
                                  agent.policy.action(embedded).action)
    self.assertContainsSubset({v.ref() for v in observations.variables},
                              {v.ref() for v in policy.variables()})


if __name__ == "__main__":
  absltest.main()

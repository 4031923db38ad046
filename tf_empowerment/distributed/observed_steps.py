"""The learner's intrinsic reward observes every collected step, from the actors' queue.

`IntrinsicReward.observe` keeps collection statistics (return normaliser, counts, state
whitening) that `relabel` reads on the learner. The actors queue each batched step
[num_envs] on the replay server (replay_server.OBSERVE_TABLE, FIFO, each taken once); before
each call of updates the learner takes every queued step in order and observes it, as the
in-process actor's observer does. With several actors their steps interleave in the queue:
statistics of sums (counts, running means and variances) are the same as in process, while a
per-environment running return (DiscountedReturnNormaliser) runs through actor 0's, then
actor 1's ... environment i in turn.
"""
import tensorflow as tf

from tf_empowerment.distributed import replay_server


class ObservedSteps:
  """Feeds `intrinsic_reward.observe` with the steps of `trajectory_spec` queued on the server
  that `connection` reaches; `observations` (ObservationPipeline) gives the reward's states."""

  def __init__(self, connection, intrinsic_reward, observations, trajectory_spec):
    self._connection = connection
    self._spec = trajectory_spec
    self._observe = tf.function(
        lambda steps: intrinsic_reward.observe(observations.states_of(steps)))

  def observe_queued(self):
    """Observes every step queued so far, oldest first; returns how many."""
    queued = self._connection.table_info(replay_server.OBSERVE_TABLE).current_size
    if queued:
      for sample in self._connection.client.sample(replay_server.OBSERVE_TABLE, queued,
                                                   emit_timesteps=False):
        self._observe(tf.nest.pack_sequence_as(self._spec, list(sample.data)))
    return queued
